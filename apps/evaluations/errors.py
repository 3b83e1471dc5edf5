"""The error codes of department evaluations (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    ALREADY_RESPONDED = "already_responded", "This deputy or phone number has already answered the survey."
    SURVEY_CLOSED = "survey_closed", "The satisfaction survey is not open now (before or after its window)."
    NOT_A_RATER = "not_a_rater", "Only the town's deputies (or the public, where opened) answer the survey."

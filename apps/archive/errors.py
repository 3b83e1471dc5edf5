"""The error codes of commitments and report-backs (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    ALREADY_RATED = "already_rated", "This phone number has already rated this report-back (once each)."
    RATING_CLOSED = "rating_closed", "The report-back's rating has not opened yet, or is over."

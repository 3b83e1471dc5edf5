"""The error codes of supervision (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    TOO_FEW_DEPUTIES = (
        "too_few_deputies",
        "An appointment needs the township's APPOINTMENT_MIN_DEPUTIES deputies at least ([local], 3).",
    )
    PLAN_APPROVED = "plan_approved", "The plan is approved; its items are no longer added or changed."
    PLAN_EXISTS = "plan_exists", "The township already has a supervision plan for that year."
    NOT_REQUESTER = "not_requester", "Only a deputy who requested the appointment rates its answer."
    NOT_ANSWERED = "not_answered", "The appointment has no answer to rate yet, or it is closed."
    ALREADY_RECTIFYING = (
        "already_rectifying",
        "The finding has already become a rectification item; each finding opens one only.",
    )
    FINDING_WITHOUT_UNIT = "finding_without_unit", "A finding names no unit, so no rectification item opens."

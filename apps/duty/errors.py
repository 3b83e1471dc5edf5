"""The error codes of duty records and their points (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    PLATFORM_RECORD = "platform_record", "A record the platform wrote itself cannot be edited or sent back."
    APPROVED = "approved", "The record is approved: it can no longer be edited or withdrawn."
    NOT_PENDING = "not_pending", "The record has been reviewed already."
    NO_TABLE = "no_table", "The year has no points table yet."
    EXISTS = "exists", "The year's points table exists already."

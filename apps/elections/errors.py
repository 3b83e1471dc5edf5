"""The error codes of elections (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    NOT_COMPETITIVE = "not_competitive", "The candidates do not outnumber the seats as the law requires."

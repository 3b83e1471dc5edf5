"""The error codes of logins and tokens (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    LOGIN_FAILED = "login_failed", "Wrong username (or phone number) or password."

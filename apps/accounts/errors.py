"""The error codes of logins and tokens (the shared ones are `common.errors.CommonCode`)."""

from django.utils.translation import gettext_lazy as _

from apps.common.errors import Codes, DomainError


class ErrorCode(Codes):
    LOGIN_FAILED = "login_failed", "Wrong username (or phone number) or password."
    CODE_INVALID = "code_invalid", "The SMS code is wrong, used already or expired."
    CODE_LIMIT = "code_limit", "Too many SMS codes asked for this phone number or from this address."
    LINK_INVALID = "link_invalid", "The one-time sign-in link is wrong, used already or expired."
    PASSWORD_WEAK = "password_weak", "The new password fails the password policy (Django's validators)."
    PASSWORD_CHANGE_REQUIRED = "password_change_required", "A new password must be set before going on."
    ROLE_OUT_OF_REACH = "role_out_of_reach", "This role or scope is not one the office may grant."
    LOGIN_EXISTS = "login_exists", "A login with this phone number or username exists already."
    LAST_GRANT = "last_grant", "A login's last role cannot be taken away (disable the login instead)."


class PasswordChangeRequired(DomainError):
    """Here, not in signin.py, so that common's token check can raise it without importing domain apps."""

    status = 403
    code = ErrorCode.PASSWORD_CHANGE_REQUIRED
    default_message = _("首次登录或密码被重置后，请先设置新密码")

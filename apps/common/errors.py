"""Domain errors: a stable code, a Chinese message for people, and per-field messages.

Services raise these; the API turns them into 4xx JSON (`{"code", "message", "fields"}`) and pages show
the message beside the field. Bad input is never a 500.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = _("输入有误")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {
                k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])]
                for k, v in self.fields.items()
            },
        }


class ValidationFailed(DomainError):
    code = "validation_failed"
    default_message = _("数据校验未通过")


def field_error(field: str, message) -> ValidationFailed:
    """The error of one field: its message both as the error's message and beside the field."""
    return ValidationFailed(message, fields={field: [message]})


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = _("您无权进行此操作")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("未找到该记录，或您无权查看")


class Throttled(DomainError):
    status = 429
    code = "throttled"
    default_message = _("尝试次数过多，请稍后再试")

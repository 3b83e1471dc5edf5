"""Domain errors: a stable code, a Chinese message for people, and per-field messages.

Services raise these; the API turns them into 4xx JSON (`{"code", "message", "fields"}`) and pages show
the message beside the field. Bad input is never a 500.
"""

from contextvars import ContextVar

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


# --- refusals written after the rollback --------------------------------------------------------------------
# A refused access raised inside a transaction carries its audit event on the exception (`exc.refusal`, see
# accounts/scopes.py `deny`): written there, the event would roll back with the refusal. Whoever sees the
# exception once the transaction is over writes it: the API's error handler, the page middleware, or
# `scopes.records_refusals()` around a service's own transaction. `write()` does it at most once.
_unwritten: ContextVar[list | None] = ContextVar("renda_unwritten_refusals", default=None)


def record_refusal(exc: BaseException) -> None:
    """Write the refusal an exception carries, if any, unless written already or still inside a transaction
    (then the next one out writes it)."""
    refusal = getattr(exc, "refusal", None)
    if refusal is not None:
        refusal.write()


def hold_refusal(refusal) -> None:
    """Keep a refusal not yet written for the end of the request (`RefusalsMiddleware`), in case the view
    catches its exception and shows the message itself."""
    held = _unwritten.get()
    if held is not None:
        held.append(refusal)


def collect_refusals() -> tuple[list, object]:
    """Start holding refusals for one request: the list, and the token to end with `release_refusals`."""
    held: list = []
    return held, _unwritten.set(held)


def release_refusals(held: list, token) -> None:
    """Write whatever refusal of the request is still unwritten (its transaction is over by now)."""
    try:
        for refusal in held:
            refusal.write()
    finally:
        _unwritten.reset(token)

"""Domain errors: a stable code, a Chinese message for people, and per-field messages.

Services raise these; the API turns them into 4xx JSON (`{"code", "message", "fields"}`) and pages show
the message beside the field. Bad input is never a 500.

Codes are declared once: the shared ones here (`CommonCode`), each app's own as `ErrorCode` in its
`errors.py`. `error_codes()` gathers them all; the OpenAPI document lists them as the schema `ErrorCode`.
"""

import importlib
import importlib.util
from contextvars import ContextVar
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Codes(StrEnum):
    """The base of every enum of error codes: a member is its code (a str), with a line of doc for the API
    document: `NO_QUORUM = "no_quorum", "Fewer than half of all deputies have checked in."`"""

    def __new__(cls, value: str, doc: str = ""):
        member = str.__new__(cls, value)
        member._value_ = value
        member.doc = doc
        return member


class CommonCode(Codes):
    """Codes any app may answer."""

    INVALID = "invalid", "The input is wrong (the message says how)."
    VALIDATION_FAILED = "validation_failed", "A field is missing or wrong; `fields` names each one."
    UNAUTHENTICATED = "unauthenticated", "No session and no valid bearer token."
    PERMISSION_DENIED = "permission_denied", "The caller sees the object but may not do this."
    NOT_FOUND = "not_found", "No such object, or it is out of the caller's sight (the same answer)."
    CONFLICT = "conflict", "Someone changed it meanwhile, or its state no longer allows this; reload."
    ILLEGAL_TRANSITION = "illegal_transition", "The step is not open from the item's current state."
    THROTTLED = "throttled", "Too many attempts; try again later."
    HTTP_ERROR = "http_error", "Refused by the HTTP layer itself (the status says why)."
    MALFORMED_BODY = (
        "malformed_body",
        "The request body cannot be read (a multipart body without its boundary, an API body not JSON).",
    )
    BAD_TEXT = (
        "bad_text",
        "Text holds NUL, another control character (tab and newline aside), a lone surrogate or bytes "
        "that are not UTF-8 (common/text.py); `fields` names where.",
    )
    TOO_LARGE = "too_large", "The request body is over the size limit (DATA_UPLOAD_MAX_MEMORY_SIZE)."
    # The Excel imports (common/importing): deputies, households, the opinion and suggestion ledgers.
    IMPORT_BAD_REGION = "import_bad_region", "Import into an existing county or town within your reach."
    IMPORT_BAD_FILE = "import_bad_file", "The file is not a readable .xlsx."
    IMPORT_TOO_LARGE = "import_too_large", "The file (or what it unpacks to) is too large."
    IMPORT_TOO_MANY_ROWS = "import_too_many_rows", "The file has more rows than one import takes."
    IMPORT_EMPTY = "import_empty", "The file has no data rows (the example row aside)."
    IMPORT_ROWS_INVALID = (
        "import_rows_invalid",
        "Some rows are wrong (`rows` lists each: row, column, message); nothing was imported.",
    )
    IDEMPOTENCY_KEY_REUSED = (
        "idempotency_key_reused",
        "This Idempotency-Key was already used for another kind of write, or what it created is gone.",
    )


def error_codes() -> dict[str, tuple[str, Codes]]:
    """Every code the platform answers: code -> (app label, member). `CommonCode` under "common", then
    each installed app's `<app>.errors.ErrorCode`, found the way Django finds admin modules (so common
    names no domain app). A code declared twice is an error: one code, one meaning."""
    from django.apps import apps

    found: dict[str, tuple[str, Codes]] = {code.value: ("common", code) for code in CommonCode}
    for config in apps.get_app_configs():
        module_name = f"{config.name}.errors"
        if config.name == __package__ or importlib.util.find_spec(module_name) is None:
            continue
        enum = getattr(importlib.import_module(module_name), "ErrorCode", None)
        for code in enum or ():
            if code.value in found:
                raise ValueError(
                    f"error code {code.value} declared by {found[code.value][0]} and {config.label}"
                )
            found[code.value] = (config.label, code)
    return found


class DomainError(Exception):
    status = 400
    code: Codes = CommonCode.INVALID
    default_message = _("输入有误")

    def __init__(self, message=None, *, code: Codes | None = None, fields: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        return {
            "code": str(self.code),
            "message": str(self.message),
            "fields": {
                k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])]
                for k, v in self.fields.items()
            },
        }


class ValidationFailed(DomainError):
    code = CommonCode.VALIDATION_FAILED
    default_message = _("数据校验未通过")


def field_error(field: str, message) -> ValidationFailed:
    """The error of one field: its message both as the error's message and beside the field."""
    return ValidationFailed(message, fields={field: [message]})


class PermissionDenied(DomainError):
    status = 403
    code = CommonCode.PERMISSION_DENIED
    default_message = _("您无权进行此操作")


class NotFound(DomainError):
    status = 404
    code = CommonCode.NOT_FOUND
    default_message = _("未找到该记录，或您无权查看")


class Throttled(DomainError):
    status = 429
    code = CommonCode.THROTTLED
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

"""What a transition takes as input: one pydantic schema per transition, read by the API (body and OpenAPI),
by the HTML form (its fields are rendered from the schema) and by the engine (which validates it).

A field's form details ride on the schema itself, in `json_schema_extra`:
- `label`: the Chinese label, marked with gettext_noop and translated when rendered;
- `widget`: "textarea", "select", "radio", "checkboxes", "yesno", "date", "text" (default by type);
- `choices`: the name of a choice provider the transition declares (`Transition.choices`), or a list of
  (value, label) pairs;
- `missing`: the message shown when a required field is left empty.
"""

from __future__ import annotations

import datetime
import types
import typing
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ValidationError

from apps.common import text
from apps.common.errors import ValidationFailed

N_ = str  # gettext_noop: the label is a msgid, translated at render time


class ActionIn(Schema):
    """Every action's body: `version` is the item's version the caller saw (a stale form gets 409)."""

    version: int | None = Field(
        None,
        ge=0,
        le=2**31,
        description="调用方看到的版本号；已被他人修改时答复 409",
    )


class NoteIn(ActionIn):
    reason: str = Field(
        "",
        max_length=500,
        description="说明（可选）",
        json_schema_extra={"label": N_("说明"), "widget": "textarea"},
    )


class ReasonIn(ActionIn):
    reason: str = Field(
        ...,
        min_length=1,
        max_length=500,
        description="理由（必填）",
        json_schema_extra={"label": N_("理由"), "widget": "textarea", "missing": N_("请填写理由")},
    )


def extra(field) -> dict:
    return field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}


def _message(err: dict, field) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    label = _(extra(field).get("label", "")) if field is not None else ""
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        missing = extra(field).get("missing") if field is not None else None
        return _(missing) if missing else _("请填写「%(f)s」") % {"f": label} if label else _("此项必填")
    if kind == "string_too_long":
        return _("不能超过 %(n)s 个字") % {"n": ctx.get("max_length")}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("请填写整数")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _("数值超出允许范围")
    if kind.startswith("date"):
        return _("日期格式应为 YYYY-MM-DD")
    if kind in ("bool_parsing", "bool_type"):
        return _("请选择是或否")
    if kind in ("literal_error", "enum"):
        return _("选项不正确")
    if kind in ("list_type", "too_long"):
        return _("选项不正确")
    if kind == "string_unicode":
        return _("不能含有控制字符或无法识别的字符")
    if kind == "string_type":
        return _("请填写文字")
    return _("格式不正确")


def field_errors(exc: ValidationError, schema: type[Schema]) -> dict[str, list[str]]:
    """pydantic's errors as the domain's per-field Chinese messages."""
    out: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
        name = loc[0] if loc else "_"
        out.setdefault(name, []).append(_message(err, schema.model_fields.get(name)))
    return out


def _is_list(annotation) -> bool:
    return typing.get_origin(annotation) is list or any(
        typing.get_origin(a) is list for a in typing.get_args(annotation)
    )


def clean_form(schema: type[Schema], data) -> dict:
    """A form's POST (or a plain dict) as the schema's input: empty strings are left out so that defaults
    and "required" apply; list fields read every value."""
    out: dict[str, Any] = {}
    getlist = getattr(data, "getlist", None)
    for name, field in schema.model_fields.items():
        if name not in data:
            continue
        if _is_list(field.annotation):
            values = getlist(name) if getlist else data[name]
            if values is None:
                continue
            values = values if isinstance(values, list | tuple) else [values]
            out[name] = [v for v in values if str(v).strip() != ""]
            continue
        value = data[name]
        if getlist:  # two controls may post one field (a choice, or a number typed): the one filled in
            value = next((v for v in reversed(getlist(name)) if str(v).strip() != ""), "")
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
        if value is None:
            continue
        out[name] = value
    return out


def parse(schema: type[Schema], data) -> Schema:
    """Validate `data` (a dict, a QueryDict or an instance already) against the schema, or raise
    ValidationFailed with Chinese messages beside each field."""
    if isinstance(data, schema):
        return data
    if isinstance(data, Schema):
        data = data.model_dump()
    try:
        payload = schema.model_validate(clean_form(schema, data or {}))
    except ValidationError as exc:
        fields = field_errors(exc, schema)
        first = next(iter(fields.values()))[0]
        raise ValidationFailed(first, fields=fields) from exc
    return _checked(payload)


INT_MAX = 2**31 - 1  # what every id and count column holds


def _checked(payload: Schema) -> Schema:
    """Text and numbers the database and the office's Excel and Word files can hold, or field errors:
    CRLF becomes LF; control characters, lone surrogates and numbers past a column's range are refused."""
    errors: dict[str, list[str]] = {}
    changes = {}
    for name in type(payload).model_fields:
        value = getattr(payload, name)
        if isinstance(value, str):
            value = text.normalize_newlines(value)
            if not text.is_clean(value):
                errors[name] = [_("不能含有控制字符或无法识别的字符")]
            changes[name] = value
        numbers = value if isinstance(value, list) else [value]
        if any(isinstance(n, int) and not isinstance(n, bool) and abs(n) > INT_MAX for n in numbers):
            errors[name] = [_("数值超出允许范围")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return payload.model_copy(update=changes) if changes else payload


# --- form fields -------------------------------------------------------------------------------------------


def _base(annotation):
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


def _widget(field) -> str:
    declared = extra(field).get("widget")
    if declared:
        return declared
    base = _base(field.annotation)
    if base is bool:
        return "yesno"
    if base is datetime.date:
        return "date"
    if typing.get_origin(base) is typing.Literal:
        return "radio"
    if _is_list(field.annotation):
        return "checkboxes"
    if extra(field).get("choices"):
        return "select"
    return "text"


def _max_length(field) -> int | None:
    for m in field.metadata:
        if getattr(m, "max_length", None):
            return m.max_length
    return None


def form_fields(
    schema: type[Schema], *, providers: dict, item, actor, values=None, errors=None
) -> list[dict]:
    """The fields of the schema as the one action fragment renders them."""
    values, errors = values or {}, errors or {}
    out = []
    for name, field in schema.model_fields.items():
        if name == "version":
            continue
        widget = _widget(field)
        choices = extra(field).get("choices")
        if isinstance(choices, str):
            provider = providers.get(choices)
            choices = list(provider(item, actor)) if provider else []
        elif choices is None and typing.get_origin(_base(field.annotation)) is typing.Literal:
            choices = [(v, v) for v in typing.get_args(_base(field.annotation))]
        getlist = getattr(values, "getlist", None)
        value = (
            (getlist(name) if getlist else values.get(name, []))
            if widget == "checkboxes"
            else values.get(name)
        )
        out.append(
            {
                "name": name,
                "label": _(extra(field).get("label", name)),
                "widget": widget,
                "required": field.is_required(),
                "choices": [(str(v), str(lbl)) for v, lbl in choices or []],
                "choice_values": [str(v) for v, _lbl in choices or []],
                "value": [str(v) for v in value]
                if isinstance(value, list)
                else ("" if value is None else str(value)),
                "errors": errors.get(name, []),
                "max_length": _max_length(field),
                "help": _(extra(field)["help"]) if extra(field).get("help") else "",
            }
        )
    return out

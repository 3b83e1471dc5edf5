"""The one text cleaner: what text the platform takes in and keeps.

No stored text may hold NUL, another control character (tab and newline aside) or a lone surrogate: the
database refuses NUL and surrogates, and one control character makes the office's Excel ledger and the
minutes' Word file unwritable for good. CRLF and a lone CR become LF (browsers post textareas with CRLF).
Input is refused, never silently changed (other than the line ends), so a person sees why; text already
stored is cleaned by the data migration `common/0002_clean_stored_text`; the audit log keeps what it
hashed, and what writes it to a file escapes instead (`escape_controls`).
"""

from __future__ import annotations

import re
from typing import Any

# NUL and other C0 controls except tab (\x09) and newline (\x0a); CR (\x0d) is turned into LF before the
# check; DEL; UTF-16 surrogates, which are never valid alone in a Python str from a decoder.
BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def is_clean(value: str) -> bool:
    """Whether `value` (line ends already normalised) is text the platform keeps."""
    return BAD_TEXT.search(value) is None


def clean(value: str) -> str:
    """`value` with LF line ends; ValueError when it holds a character no stored text may hold."""
    value = normalize_newlines(value)
    if not is_clean(value):
        raise ValueError(value)
    return value


def scrub(value: str) -> str:
    """`value` with LF line ends and every forbidden character removed: for text already stored."""
    return BAD_TEXT.sub("", normalize_newlines(value))


def escape_controls(value: str) -> str:
    """Control characters (CR too) and lone surrogates written as visible escapes (`\\x01`, `\\ud800`):
    for text that must be shown as it is, as the audit log's, in a file that cannot hold them."""

    def visible(match: re.Match) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return BAD_TEXT.sub(visible, value)


def first_bad(data: Any, path: str = "") -> str | None:
    """The path (`name`, `items.0.title`) of the first string in `data` (str, list, dict, nested) that
    holds a forbidden character after line ends are normalised; None when all are clean."""
    if isinstance(data, str):
        return None if is_clean(normalize_newlines(data)) else (path or "_")
    if isinstance(data, dict):
        for key, value in data.items():
            inner = f"{path}.{key}" if path else str(key)
            if not is_clean(normalize_newlines(str(key))):
                return inner
            found = first_bad(value, inner)
            if found:
                return found
    if isinstance(data, list | tuple):
        for i, value in enumerate(data):
            found = first_bad(value, f"{path}.{i}" if path else str(i))
            if found:
                return found
    return None


def normalized(data: Any) -> Any:
    """`data` (str, list, dict, nested) with LF line ends in every string."""
    if isinstance(data, str):
        return normalize_newlines(data)
    if isinstance(data, dict):
        return {key: normalized(value) for key, value in data.items()}
    if isinstance(data, list):
        return [normalized(value) for value in data]
    return data


def field_text(field: str, value, limit: int, *, required: bool, one_line: bool = False) -> str:
    """A form or API field's text as a service keeps it: cleaned (`clean`), stripped, `one_line` with its
    whitespace runs made single spaces; a control character, a blank required value or more than `limit`
    characters is a `ValidationFailed` naming `field`, in Chinese."""
    from django.utils.translation import gettext as _

    from .errors import field_error

    try:
        value = clean(str(value or "")).strip()
    except ValueError:
        raise field_error(field, _("含有不允许的控制字符")) from None
    if one_line:
        value = " ".join(value.split())
    if required and not value:
        raise field_error(field, _("请填写此项"))
    if len(value) > limit:
        raise field_error(field, _("不超过 %(n)s 字") % {"n": limit})
    return value

"""Reading one cell of a people import: the readers only deputies and households need (names, phones, ID
numbers, terms); the shared ones are `common.importing.cells`."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from apps.common.importing.cells import (  # noqa: F401  (the readers every kind shares, read from here too)
    CellError,
    _as_text,
    _blank,
    a_date,
    choice,
    count,
    text,
    yes_no,
)

from ..rules import validate_id_number, validate_phone


def person_name(value) -> str:
    # Registers pad two-character names with spaces ("张　三"); the person is the same.
    s = re.sub(r"\s+", "", _as_text(value))
    if len(s) > 50:
        raise CellError(_("不能超过50个字"))
    if re.search(r"\d", s):
        raise CellError(_("姓名中不应有数字"))
    return s


def mobile(value) -> str:
    s = re.sub(r"[\s-]", "", _as_text(value))
    message = validate_phone(s)
    if message:
        raise CellError(message)
    return s


_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def any_phone(value) -> str:
    """A mobile number, or a landline with its area code (households often have only that)."""
    s = re.sub(r"\s", "", _as_text(value))
    if validate_phone(s) is None or _LANDLINE.match(s):
        return s
    raise CellError(_("应为11位手机号码，或带区号的固定电话（如 0915-5212345）"))


def id_number(value) -> str:
    if isinstance(value, float | int):
        # 18 digits do not fit in Excel's numbers: the last digits are already lost.
        raise CellError(_("请把身份证号列设为“文本”格式后重新填写，数字格式会丢失末位"))
    s = _as_text(value).upper()
    message = validate_id_number(s)
    if message:
        raise CellError(message)
    return s


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(s: str) -> int | None:
    """十八 → 18, 二十一 → 21: enough for a congress's term numbers."""
    if not s or any(c not in _CN_DIGITS and c != "十" for c in s):
        return None
    if "十" not in s:
        return _CN_DIGITS[s] if len(s) == 1 else None
    tens, _sep, ones = s.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def term_number(value) -> int:
    s = _as_text(value).removeprefix("第").removesuffix("届")
    n = int(s) if s.isascii() and s.isdigit() else _cn_number(s)
    if not n or not 1 <= n <= 99:
        raise CellError(_("应为届次数字，如 18 或 第十八届"))
    return n

"""Reading one cell: each reader returns the value or raises `CellError` with the reason people see."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _
from openpyxl.utils.datetime import from_excel

from ..rules import validate_id_number, validate_phone


class CellError(Exception):
    """A cell that cannot be read; the message tells the person what to write instead."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value) -> str:
    # Excel stores typed digits (phones, counts) as numbers; 13900001111.0 must read back as "13900001111".
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return re.sub(r"\s+", " ", str(value)).strip()


def text(max_length: int) -> Callable:
    def parse(value) -> str:
        s = _as_text(value)
        if len(s) > max_length:
            raise CellError(_("不能超过%(n)d个字") % {"n": max_length})
        return s

    return parse


def person_name(value) -> str:
    # Registers pad two-character names with spaces ("张　三"); the person is the same.
    s = re.sub(r"\s+", "", _as_text(value))
    if len(s) > 50:
        raise CellError(_("不能超过50个字"))
    if re.search(r"\d", s):
        raise CellError(_("姓名中不应有数字"))
    return s


def choice(mapping: dict[str, str]) -> Callable:
    def parse(value) -> str:
        s = _as_text(value)
        if s not in mapping:
            raise CellError(_("应填写：%(options)s") % {"options": "、".join(mapping)})
        return mapping[s]

    return parse


def yes_no(value) -> bool:
    return choice({"是": True, "否": False})(value)


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


_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def a_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        if isinstance(value, int | float):
            if 19000101 <= value <= 21001231:  # typed as 19750308
                s = str(int(value))
                return date(int(s[:4]), int(s[4:6]), int(s[6:]))
            # a date serial in a cell without a date format; below 1 it is a time of day, not a date
            serial = from_excel(value) if 1 <= value < 2958466 else None
            if isinstance(serial, datetime):
                return serial.date()
        else:
            m = _DATE_TEXT.match(_as_text(value))
            if m:
                return date(*(int(g) for g in m.groups()))
    except (ValueError, OverflowError, TypeError):
        pass
    raise CellError(_("日期应写成 YYYY-MM-DD，如 1975-03-08"))


def count(low: int, high: int) -> Callable:
    def parse(value) -> int:
        s = _as_text(value)
        if not s.isdigit() or not low <= int(s) <= high:
            raise CellError(_("应为%(low)d到%(high)d之间的整数") % {"low": low, "high": high})
        return int(s)

    return parse


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
    n = int(s) if s.isdigit() else _cn_number(s)
    if not n or not 1 <= n <= 99:
        raise CellError(_("应为届次数字，如 18 或 第十八届"))
    return n

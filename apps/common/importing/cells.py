"""Reading one cell: each reader returns the value or raises `CellError` with the reason people see.

Cells are read with openpyxl's `data_only`, so a cell is its value: text that begins with = + - @ (a quoted
cell of our own exports, or typed) arrives as that text and stays text; nothing here evaluates anything."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _
from openpyxl.utils.datetime import from_excel

from apps.common import text as cleaner


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


def _clean(s: str) -> str:
    # A cell may hold characters no column should (NUL, other controls, lone surrogates): refuse them here,
    # with the reason, rather than let the database or a page meet them.
    if not cleaner.is_clean(cleaner.normalize_newlines(s)):
        raise CellError(_("含有不可见的控制字符，请删除后重新填写"))
    return s


def text(max_length: int) -> Callable:
    def parse(value) -> str:
        s = _clean(_as_text(value))
        if len(s) > max_length:
            raise CellError(_("不能超过%(n)d个字") % {"n": max_length})
        return s

    return parse


def long_text(max_length: int) -> Callable:
    """Text of several lines (a matter, a reply): line breaks kept, other runs of spaces as they are."""

    def parse(value) -> str:
        if isinstance(value, float | int) and not isinstance(value, bool):
            return text(max_length)(value)
        s = _clean(str(value).replace("\r\n", "\n").replace("\r", "\n").strip())
        if len(s) > max_length:
            raise CellError(_("不能超过%(n)d个字") % {"n": max_length})
        return s

    return parse


def ignored(value) -> None:
    """A column that is read and left (a ledger's 序号, figures it computes)."""
    return None


def choice(mapping: dict[str, str]) -> Callable:
    def parse(value) -> str:
        s = _as_text(value)
        if s not in mapping:
            raise CellError(_("应填写：%(options)s") % {"options": "、".join(mapping)})
        return mapping[s]

    return parse


def yes_no(value) -> bool:
    return choice({"是": True, "否": False})(value)


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def a_date(value) -> date:
    """2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301, a date cell or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if 19000101 <= value <= 21001231:  # typed as 19750308
                s = str(int(value))
                return date(int(s[:4]), int(s[4:6]), int(s[6:]))
            # a date serial in a cell without a date format; below 1 it is a time of day, not a date
            serial = from_excel(value) if 1 <= value < 2958466 else None
            if isinstance(serial, datetime):
                return serial.date()
        else:
            s = _as_text(value)
            m = _DATE_TEXT.match(s) or _DATE_TEXT.match(s.split(" ")[0])
            if m:
                return date(*(int(g) for g in m.groups()))
    except (ValueError, OverflowError, TypeError):
        pass
    raise CellError(_("日期应写成 YYYY-MM-DD，如 1975-03-08"))


def count(low: int, high: int) -> Callable:
    def parse(value) -> int:
        s = _as_text(value)
        if not (s.isascii() and s.isdigit()) or not low <= int(s) <= high:
            raise CellError(_("应为%(low)d到%(high)d之间的整数") % {"low": low, "high": high})
        return int(s)

    return parse

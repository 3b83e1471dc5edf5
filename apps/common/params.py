"""Query and form parameters, read one way with their bounds.

A parameter is declared once (`YEAR`, `Int(1, 99, label=_("届次"))`, `Choice(Band, label=_("档次"))`) and read
with `read(request.GET, "year", YEAR, default=...)`: a blank or missing value gives the default; a value that
is malformed or out of bounds raises `ValidationFailed` naming the field in Chinese, which a page shows as
its error page (400, `DomainErrorPageMiddleware`) and a form view beside the field. The API uses the same
bounds through `param.api()`, a type for ninja schemas and query arguments (out of bounds: 422 with the
field), so a page and an endpoint refuse the same values.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import Field

from .errors import ValidationFailed


class Param(ABC):
    """How one parameter is read: `parse` turns the text into a value or raises ValueError."""

    label: Any = ""

    @abstractmethod
    def parse(self, text: str):
        """The value the text stands for; ValueError when it stands for none."""

    def problem(self):
        """The message shown when a value cannot be read."""
        return _("%(label)s填写有误") % {"label": self.label}

    def clean(self, raw, *, name: str = ""):
        """The value of `raw` (already known not to be blank), or `ValidationFailed` on `name`."""
        try:
            return self.parse(str(raw).strip())
        except (TypeError, ValueError):
            message = self.problem()
            raise ValidationFailed(message, fields={name: [message]} if name else None) from None

    @abstractmethod
    def api(self):
        """The type an API schema or query argument declares to accept the same values (None allowed)."""


@dataclass(frozen=True)
class Int(Param):
    """A whole number from `low` to `high`, both included."""

    low: int
    high: int
    label: Any = field(default_factory=lambda: _("数值"))

    def parse(self, text: str) -> int:
        if not (text.isascii() and text.lstrip("-").isdigit()):
            raise ValueError(text)
        value = int(text)
        if not self.low <= value <= self.high:
            raise ValueError(text)
        return value

    def problem(self):
        return _("%(label)s应为%(low)s到%(high)s之间的整数") % {
            "label": self.label,
            "low": self.low,
            "high": self.high,
        }

    def api(self):
        return Annotated[int | None, Field(ge=self.low, le=self.high)]

    def required(self):
        """As `api()`, without None: for a path argument or one with a default."""
        return Annotated[int, Field(ge=self.low, le=self.high)]


@dataclass(frozen=True)
class Day(Param):
    """A date written YYYY-MM-DD, from `low` to `high`."""

    low: dt.date = dt.date(1900, 1, 1)
    high: dt.date = dt.date(2100, 12, 31)
    label: Any = field(default_factory=lambda: _("日期"))

    def parse(self, text: str) -> dt.date:
        value = dt.date.fromisoformat(text)
        if not self.low <= value <= self.high:
            raise ValueError(text)
        return value

    def problem(self):
        return _("%(label)s应为%(low)s到%(high)s之间的日期，格式为 YYYY-MM-DD") % {
            "label": self.label,
            "low": self.low.isoformat(),
            "high": self.high.isoformat(),
        }

    def api(self):
        return Annotated[dt.date | None, Field(ge=self.low, le=self.high)]


@dataclass(frozen=True)
class Choice(Param):
    """One of the given values: a Django `Choices` class, a mapping or an iterable of values."""

    choices: Any
    label: Any = field(default_factory=lambda: _("选项"))

    @property
    def values(self) -> tuple[str, ...]:
        if isinstance(self.choices, Mapping):
            return tuple(str(k) for k in self.choices)
        if hasattr(self.choices, "values"):  # a Django Choices class
            return tuple(str(v) for v in self.choices.values)
        return tuple(str(v) for v in self.choices)

    def parse(self, text: str) -> str:
        if text not in self.values:
            raise ValueError(text)
        return text

    def problem(self):
        return _("%(label)s不在可选范围内") % {"label": self.label}

    def api(self):
        return Literal[self.values] | None  # type: ignore[valid-type]


# What no text a query can carry may hold: NUL and other control characters, lone surrogates (PostgreSQL
# refuses them in any text it is asked to compare, so they would be a 500 there).
_CONTROL = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class Text(Param):
    """A line of free text (a search, a code) of at most `max_length` characters, without control
    characters."""

    max_length: int = 100
    label: Any = field(default_factory=lambda: _("内容"))

    def parse(self, text: str) -> str:
        if len(text) > self.max_length or _CONTROL.search(text):
            raise ValueError(text)
        return text

    def problem(self):
        return _("%(label)s最多%(n)s个字，且不能含有控制字符") % {"label": self.label, "n": self.max_length}

    def api(self):
        return Annotated[str | None, Field(max_length=self.max_length, pattern=r"^[^\x00-\x1f\x7f]*$")]


# The years the platform keeps records for (a [local] bound: wide enough for every term on file).
YEAR = Int(2000, 2100, label=_("年度"))
# A row's id in a form or link.
ID = Int(1, 2**31 - 1, label=_("编号"))
# A page number of a list.
PAGE = Int(1, 100_000, label=_("页码"))
QUARTER = Int(1, 4, label=_("季度"))
# A list's search box, and a region's official code in a filter (Region.code holds 32).
SEARCH = Text(100, label=_("关键词"))
REGION_CODE = Text(32, label=_("区划代码"))
# Rows per page a client may ask for (a list serves at most RENDA_MAX_PAGE_SIZE of them).
PAGE_SIZE = Int(1, 10_000, label=_("每页条数"))
# A term (届) of a congress.
TERM = Int(1, 99, label=_("届次"))

# The same bounds as types of API query arguments and schema fields: out of bounds is 422 naming the field.
YearArg = YEAR.api()
YearPath = YEAR.required()
IdArg = ID.api()
IdItem = ID.required()
PageArg = PAGE.required()
PageSizeArg = PAGE_SIZE.api()
TermArg = TERM.api()


def blank(raw) -> bool:
    return raw is None or str(raw).strip() == ""


def read(data: Mapping, name: str, param: Param, default=None):
    """The parameter `name` of `data` (a QueryDict or dict): `default` when blank, else its value or
    `ValidationFailed` naming the field."""
    raw = data.get(name)
    if blank(raw):
        return default
    return param.clean(raw, name=name)


def read_many(data: Mapping, spec: Mapping[str, tuple[Param, Any]]) -> dict:
    """Every parameter of `spec` ({name: (param, default)}); all problems reported together."""
    values, problems = {}, {}
    for name, (param, default) in spec.items():
        try:
            values[name] = read(data, name, param, default)
        except ValidationFailed as exc:
            problems.update(exc.fields)
    if problems:
        first = next(iter(problems.values()))[0]
        raise ValidationFailed(first if len(problems) == 1 else _("请检查填写的内容"), fields=problems)
    return values


def year_choices(this_year: int, back: int = 5) -> list[int]:
    """The years a filter offers: this one and `back` before it, newest first."""
    return list(range(this_year, this_year - back - 1, -1))


def ints(values: Iterable, param: Param = ID, *, name: str = "") -> list[int]:
    """A list of ids (checkbox values), each checked like one."""
    return [param.clean(v, name=name) for v in values if not blank(v)]

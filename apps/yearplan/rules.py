"""Pure rules of the year's calendar (DOMAIN §10, issue 20 part 4): the county template, where in the year
each line falls, the window in which a record counts as the item held, and when a reminder is due. No ORM
here; `is_workday` is passed in (apps.calendar's table), so every rule is tested on plain dates."""

from __future__ import annotations

import calendar as _cal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .choices import ItemKind, LineRule

# Working days before an item that its reminder goes out: the declared default of the [local] rule
# YEARPLAN_REMIND_WORKING_DAYS (apps.common.conf; Cangxi's notice three working days ahead).
REMIND_WORKING_DAYS = 3


@dataclass(frozen=True)
class TemplateLine:
    """One duty of the template on one month: its kind, the month, and the day it is aimed at, either a day
    of the month (`day`) or, when `day` is 0, the `nth` `weekday` (0 Monday; `nth` 5: the last), moved to
    the next working day (or back within the month when the month has none left)."""

    kind: str
    months: tuple[int, ...]
    day: int
    number: int = 0  # which of a kind's lines in the year (a key for regeneration), set by `expand`
    nth: int = 1
    weekday: int = 0
    title: str = ""


@dataclass(frozen=True)
class LineSpec:
    """A line as the county writes it: a kind, a rule (LineRule: monthly, quarterly, twice a year, once),
    the month it starts from (for quarterly the month within the first quarter, for twice a year within the
    first half; for once, the month itself) and the day rule of `TemplateLine`."""

    kind: str
    rule: str
    month: int = 1
    day: int = 15
    nth: int = 1
    weekday: int = 0
    title: str = ""


def rule_months(rule: str, month: int) -> tuple[int, ...]:
    if rule == LineRule.MONTHLY:
        return tuple(range(1, 13))
    if rule == LineRule.QUARTERLY:
        first = (month - 1) % 3 + 1
        return (first, first + 3, first + 6, first + 9)
    if rule == LineRule.HALF:
        first = (month - 1) % 6 + 1
        return (first, first + 6)
    return (month,)


def expand(specs: list[LineSpec]) -> list[TemplateLine]:
    """Every month's line of `specs`, each kind's numbered 1, 2, ... through the year (by month, then by
    the order written), so regenerating finds the same keys."""
    out, seen = [], {}
    flat = [(sp.kind, m, i, sp) for i, sp in enumerate(specs) for m in rule_months(sp.rule, sp.month)]
    for kind, m, _i, sp in sorted(flat, key=lambda t: (t[0], t[1], t[2])):
        seen[kind] = seen.get(kind, 0) + 1
        out.append(TemplateLine(kind, (m,), sp.day, seen[kind], sp.nth, sp.weekday, sp.title))
    return out


# 苍溪 county's template: a reception day every month (the 15th), study every quarter, government briefings
# twice a year, two research activities and one inspection a year, the report-back month in December, two
# congress sessions (early in the year and at its end) and a presidium meeting every quarter. The supervision
# plan's activities are added from the plan itself. The default of a county with no template of its own.
CANGXI = (
    LineSpec(ItemKind.RECEPTION, LineRule.MONTHLY, 1, 15),
    LineSpec(ItemKind.STUDY, LineRule.QUARTERLY, 3, 10),
    LineSpec(ItemKind.BRIEFING, LineRule.HALF, 6, 20),
    LineSpec(ItemKind.RESEARCH, LineRule.ONCE, 4, 18),
    LineSpec(ItemKind.RESEARCH, LineRule.ONCE, 9, 18),
    LineSpec(ItemKind.INSPECTION, LineRule.ONCE, 10, 16),
    LineSpec(ItemKind.REPORT_BACK, LineRule.ONCE, 12, 1),
    LineSpec(ItemKind.SESSION, LineRule.ONCE, 2, 25),
    LineSpec(ItemKind.SESSION, LineRule.ONCE, 12, 25),
    LineSpec(ItemKind.PRESIDIUM, LineRule.QUARTERLY, 1, 8),
)


def cangxi() -> list[TemplateLine]:
    return expand(list(CANGXI))


# The lines of a township's own congress: a street (街道) has none (DOMAIN §1).
CONGRESS_KINDS = frozenset({ItemKind.SESSION, ItemKind.PRESIDIUM})


def working_day_on_or_after(d: date, is_workday: Callable[[date], bool]) -> date:
    """The first working day on or after `d`, kept within `d`'s month (else the last one before `d`)."""
    cur = d
    while cur.month == d.month and not is_workday(cur):
        cur += timedelta(days=1)
    if cur.month == d.month:
        return cur
    cur = d
    while not is_workday(cur):
        cur -= timedelta(days=1)
    return cur


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> date:
    """The `nth` `weekday` of the month (0 Monday); past the month's last such day, the last one."""
    first = date(year, month, 1)
    d = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    while d.month != month:
        d -= timedelta(days=7)
    return d


def line_date(year: int, line: TemplateLine, is_workday: Callable[[date], bool]) -> date:
    month = line.months[0]
    if line.day:
        aimed = date(year, month, min(line.day, _cal.monthrange(year, month)[1]))
    else:
        aimed = nth_weekday(year, month, line.nth, line.weekday)
    return working_day_on_or_after(aimed, is_workday)


def _month(d: date) -> tuple[date, date]:
    return d.replace(day=1), d.replace(day=_cal.monthrange(d.year, d.month)[1])


def _quarter(d: date) -> tuple[date, date]:
    first = 3 * ((d.month - 1) // 3) + 1
    end = date(d.year, first + 2, _cal.monthrange(d.year, first + 2)[1])
    return date(d.year, first, 1), end


def _half(d: date) -> tuple[date, date]:
    return (
        (date(d.year, 1, 1), date(d.year, 6, 30))
        if d.month <= 6
        else (date(d.year, 7, 1), date(d.year, 12, 31))
    )


# Where a record counts as the item done: a reception day in the item's month, a presidium meeting or the
# deputies' study in its quarter, a session in its half-year, research and inspection in the year.
WINDOWS: dict[str, Callable[[date], tuple[date, date]]] = {
    ItemKind.RECEPTION: _month,
    ItemKind.REPORT_BACK: _month,
    ItemKind.STUDY: _quarter,
    ItemKind.PRESIDIUM: _quarter,
    ItemKind.SESSION: _half,
    ItemKind.BRIEFING: _half,
}


def window(kind: str, d: date) -> tuple[date, date]:
    """The dates in which a matching record counts for an item of `kind` on `d` (default: the year)."""
    rule = WINDOWS.get(kind)
    return rule(d) if rule else (date(d.year, 1, 1), date(d.year, 12, 31))


def remind_from(item_date: date, is_workday: Callable[[date], bool], days: int = REMIND_WORKING_DAYS) -> date:
    """The day the reminder is due: `days` working days before the item (the item's own day counts as
    none; weekends and holidays between are skipped)."""
    cur, left = item_date, days
    while left > 0:
        cur -= timedelta(days=1)
        if is_workday(cur):
            left -= 1
    return cur

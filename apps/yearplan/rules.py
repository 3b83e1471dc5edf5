"""Pure rules of the year's calendar (DOMAIN §10, issue 20 part 4): the county template, where in the year
each line falls, the window in which a record counts as the item held, and when a reminder is due. No ORM
here; `is_workday` is passed in (apps.calendar's table), so every rule is tested on plain dates."""

from __future__ import annotations

import calendar as _cal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .choices import ItemKind

# Working days before an item that its reminder goes out: the declared default of the [local] rule
# YEARPLAN_REMIND_WORKING_DAYS (apps.common.conf; Cangxi's notice three working days ahead).
REMIND_WORKING_DAYS = 3


@dataclass(frozen=True)
class TemplateLine:
    """One duty of the template: its kind, the months it falls in and the day of the month it is aimed at
    (moved to the next working day, or back within the month when the month has none left)."""

    kind: str
    months: tuple[int, ...]
    day: int
    number: int = 0  # which of a kind's lines in the year (a key for regeneration), set by `cangxi()`


def _lines(kind: str, months: tuple[int, ...], day: int) -> list[TemplateLine]:
    return [TemplateLine(kind, (m,), day, n) for n, m in enumerate(months, start=1)]


def cangxi() -> list[TemplateLine]:
    """苍溪 county's template: a reception day every month (the 15th), study every quarter, government
    briefings twice a year, two research activities and one inspection a year, the report-back month in
    December, two congress sessions (early in the year and at its end) and a presidium meeting every
    quarter. The supervision plan's activities are added from the plan itself."""
    return [
        *_lines(ItemKind.RECEPTION, tuple(range(1, 13)), 15),
        *_lines(ItemKind.STUDY, (3, 6, 9, 12), 10),
        *_lines(ItemKind.BRIEFING, (6, 12), 20),
        *_lines(ItemKind.RESEARCH, (4, 9), 18),
        *_lines(ItemKind.INSPECTION, (10,), 16),
        *_lines(ItemKind.REPORT_BACK, (12,), 1),
        *_lines(ItemKind.SESSION, (2, 12), 25),
        *_lines(ItemKind.PRESIDIUM, (1, 4, 7, 10), 8),
    ]


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


def line_date(year: int, line: TemplateLine, is_workday: Callable[[date], bool]) -> date:
    month = line.months[0]
    day = min(line.day, _cal.monthrange(year, month)[1])
    return working_day_on_or_after(date(year, month, day), is_workday)


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

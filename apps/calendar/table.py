"""The holiday table, read one year at a time and kept in memory.

Signals clear it on every save or delete in this process; other processes (each web worker has its own
copy) see an admin's change after at most `MAX_AGE` seconds. Holidays change about once a year, so a short
lag is cheaper than a database or Redis round trip for every day a deadline counts.
"""

import time
from dataclasses import dataclass
from datetime import date

from .models import CalendarDay, CalendarYear, DayKind
from .rules import is_weekday

MAX_AGE = 300.0


@dataclass(frozen=True)
class YearTable:
    announced: bool
    days: dict[date, str]  # date -> DayKind value
    loaded_at: float


_years: dict[int, YearTable] = {}


def clear() -> None:
    _years.clear()


def year(y: int) -> YearTable:
    cached = _years.get(y)
    if cached is not None and time.monotonic() - cached.loaded_at < MAX_AGE:
        return cached
    announced = CalendarYear.objects.filter(year=y, announced=True).exists()
    days = dict(CalendarDay.objects.filter(date__year=y).values_list("date", "kind"))
    loaded = YearTable(announced=announced, days=days, loaded_at=time.monotonic())
    _years[y] = loaded
    return loaded


def is_workday(d: date) -> bool:
    kind = year(d.year).days.get(d)
    if kind is None:
        return is_weekday(d)
    return kind == DayKind.MAKEUP_WORKDAY

"""Pure rules of DOMAIN §3, tested one by one."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> date:
    """The nth `weekday` (0 = Monday) of the month; nth = -1 for the last one."""
    days = calendar.monthrange(year, month)[1]
    matches = [date(year, month, d) for d in range(1, days + 1) if date(year, month, d).weekday() == weekday]
    return matches[nth - 1] if nth > 0 else matches[nth]


def reception_dates(year: int, nth: int, weekday: int, is_workday: Callable[[date], bool]) -> list[date]:
    """The year's reception days: the nth weekday of each month [local: first Tuesday], moved to the next
    working day when it falls in an official holiday (the first Tuesday of October usually does)."""
    out = []
    for month in range(1, 13):
        d = nth_weekday(year, month, nth, weekday)
        while not is_workday(d):
            d += timedelta(days=1)
        out.append(d)
    return out


def rate(part: int, whole: int) -> float | None:
    """A share in percent with one decimal, None when there is nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else None

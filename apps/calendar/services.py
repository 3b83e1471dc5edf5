"""The one deadline helper every app uses, and every write to the holiday table (audited).

Deadlines:   is_workday, add_working_days, add_months, deadline -> Deadline(due, provisional, ...)
Warnings:    unannounced_years, holiday_warning (the home page reads it through selectors.py)
Writes:      sync_holidays, save_day, delete_day, save_year, delete_year, mark_announced
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from apps.audit.services import changes, record

from . import rules, table
from .library import FillResult, fill_from_library
from .models import CalendarDay, CalendarYear, YearSource

add_months = rules.add_months

DAY_FIELDS = ["date", "kind", "name"]
YEAR_FIELDS = ["year", "announced", "source", "note"]


# --- deadlines -------------------------------------------------------------------------------------------


def is_workday(d: date) -> bool:
    """Official holidays off, make-up days on; in a year not yet announced, Monday to Friday."""
    return table.is_workday(d)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (never `start` itself; n=0 gives `start`). Refuses n < 0."""
    return rules.nth_working_day_after(start, n, table.is_workday)


def unannounced_years(start: date, end: date) -> list[int]:
    """Years from start's to end's (both included) whose holidays are not in the table yet."""
    return [y for y in rules.years_between(start, end) if not table.year(y).announced]


@dataclass(frozen=True)
class Deadline:
    due: date
    # True when the count crossed a year with no announced holidays: the date may move once they are.
    provisional: bool
    unannounced_years: tuple[int, ...] = ()


def deadline(start: date, *, working_days: int | None = None, months: int | None = None) -> Deadline:
    """A deadline `working_days` working days or `months` calendar months after `start` (exactly one)."""
    if (working_days is None) == (months is None):
        raise ValueError("give exactly one of working_days or months")
    if months is not None:
        # 民法典 §203: a period whose last day is a statutory holiday ends on the first day after it. A
        # month period is counted on the calendar, then moved to the next working day; it may move again
        # only if it ends in a year whose holidays are not announced yet.
        due = add_months(start, months)
        while not is_workday(due):
            due += timedelta(days=1)
        missing = tuple(unannounced_years(due, due))
        return Deadline(due=due, provisional=bool(missing), unannounced_years=missing)
    due = add_working_days(start, working_days)
    if due == start:
        return Deadline(due=due, provisional=False)
    missing = tuple(unannounced_years(start + timedelta(days=1), due))
    return Deadline(due=due, provisional=bool(missing), unannounced_years=missing)


def holiday_warning(today: date) -> str | None:
    """A message for staff while this year or the next has no announced holidays; None when all is set."""
    return rules.unannounced_message(unannounced_years(today, date(today.year + 1, 12, 31)))


# --- writes ----------------------------------------------------------------------------------------------


def sync_holidays(*, actor=None) -> FillResult:
    """Fill the table from chinese-calendar for every year it knows; idempotent; admin years untouched."""
    with transaction.atomic():
        result = fill_from_library(CalendarDay, CalendarYear)
        if result.changed:
            record(
                actor=actor,
                action="calendar.synced",
                object_type="calendar.calendaryear",
                summary={"changed": {str(y): n for y, n in result.changed.items()}},
            )
    table.clear()  # bulk writes send no signals
    return result


def _save(*, actor, obj, fields: list[str], action: str, reason: str = ""):
    model = type(obj)
    before = model.objects.filter(pk=obj.pk).values(*fields).first() if obj.pk else None
    obj.save()
    diff = changes(obj, fields, before)
    if diff:
        record(
            actor=actor,
            action=f"{action}.{'changed' if before else 'created'}",
            obj=obj,
            summary=diff,
            reason=reason,
        )
    return obj


def _delete(*, actor, obj, fields: list[str], action: str, reason: str = "") -> None:
    summary = {"deleted": {f: getattr(obj, f) for f in fields}}
    record(actor=actor, action=f"{action}.deleted", obj=obj, summary=summary, reason=reason)
    obj.delete()


def _claim_year(*, actor, year: int) -> None:
    """An admin's hand on a day makes its year the admin's, so `sync_holidays` will not undo the edit."""
    row = CalendarYear.objects.filter(year=year).first() or CalendarYear(year=year)
    if row.pk is not None and row.source == YearSource.ADMIN:
        return
    row.source = YearSource.ADMIN
    _save(actor=actor, obj=row, fields=YEAR_FIELDS, action="calendar.year")


def save_day(*, actor, day: CalendarDay, reason: str = "") -> CalendarDay:
    with transaction.atomic():
        years = {day.date.year}
        if day.pk:  # a day moved to another year leaves an admin's mark on both
            years |= {d.year for d in CalendarDay.objects.filter(pk=day.pk).values_list("date", flat=True)}
        for y in sorted(years):
            _claim_year(actor=actor, year=y)
        return _save(actor=actor, obj=day, fields=DAY_FIELDS, action="calendar.day", reason=reason)


def delete_day(*, actor, day: CalendarDay, reason: str = "") -> None:
    with transaction.atomic():
        _claim_year(actor=actor, year=day.date.year)
        _delete(actor=actor, obj=day, fields=DAY_FIELDS, action="calendar.day", reason=reason)


def save_year(*, actor, year: CalendarYear, reason: str = "") -> CalendarYear:
    with transaction.atomic():
        return _save(actor=actor, obj=year, fields=YEAR_FIELDS, action="calendar.year", reason=reason)


def delete_year(*, actor, year: CalendarYear, reason: str = "") -> None:
    with transaction.atomic():
        _delete(actor=actor, obj=year, fields=YEAR_FIELDS, action="calendar.year", reason=reason)


def mark_announced(*, actor, years: Iterable[CalendarYear]) -> int:
    """The admin has entered a year's holidays and make-up days: its deadlines stop being provisional."""
    n = 0
    with transaction.atomic():
        for row in years:
            if not row.announced:
                row.announced = True
                save_year(actor=actor, year=row)
                n += 1
    return n

"""What chinese-calendar knows: the State Council's announced holidays, for the years it has been told.

`fill_from_library` takes the model classes as arguments so that the data migration (historical models)
and `sync_holidays` (real models) share one definition of "the table matches the library".
"""

from dataclasses import dataclass, field
from datetime import date

from chinese_calendar import constants

from .models import DayKind, YearSource


@dataclass
class FillResult:
    changed: dict[int, int] = field(default_factory=dict)  # year -> rows created, updated or deleted
    kept_by_admin: list[int] = field(default_factory=list)  # library years a system admin keeps by hand


def known_years() -> list[int]:
    return sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})


def _chinese_name(english: str) -> str:
    try:
        return constants.Holiday(english).chinese
    except ValueError:
        return english


def days_of(year: int) -> dict[date, tuple[str, str]]:
    """{date: (kind, name)} of one year, every holiday day (weekends too) and every make-up working day."""
    days = {
        d: (DayKind.HOLIDAY.value, _chinese_name(n)) for d, n in constants.holidays.items() if d.year == year
    }
    days.update(
        (d, (DayKind.MAKEUP_WORKDAY.value, _chinese_name(n)))
        for d, n in constants.workdays.items()
        if d.year == year
    )
    return days


def _fill_year(day_model, year: int) -> int:
    want = days_of(year)
    have = {row.date: row for row in day_model.objects.filter(date__year=year)}
    new = [day_model(date=d, kind=k, name=n) for d, (k, n) in want.items() if d not in have]
    stale = []
    for d, row in have.items():
        if d in want and (row.kind, row.name) != want[d]:
            row.kind, row.name = want[d]
            stale.append(row)
    gone = [row.pk for d, row in have.items() if d not in want]
    day_model.objects.bulk_create(new)
    day_model.objects.bulk_update(stale, ["kind", "name"])
    day_model.objects.filter(pk__in=gone).delete()
    return len(new) + len(stale) + len(gone)


def fill_from_library(day_model, year_model) -> FillResult:
    """Make the table match the library for every year it knows, except years a system admin keeps.

    Idempotent: a second run changes nothing. Years the library does not know are never touched.
    """
    result = FillResult()
    years = known_years()
    rows = {row.year: row for row in year_model.objects.filter(year__in=years)}
    for year in years:
        row = rows.get(year)
        if row is not None and row.source == YearSource.ADMIN:
            result.kept_by_admin.append(year)
            continue
        n = _fill_year(day_model, year)
        if row is None:
            year_model.objects.create(year=year, announced=True, source=YearSource.LIBRARY)
            n += 1
        elif not row.announced:
            row.announced = True
            row.save(update_fields=["announced"])
            n += 1
        if n:
            result.changed[year] = n
    return result

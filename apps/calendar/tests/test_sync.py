"""The table is filled from chinese-calendar by the migration and by sync_holidays, without ever
undoing a system admin's entries."""

from datetime import date
from io import StringIO

import pytest
from chinese_calendar import constants
from django.core.management import call_command

from apps.audit.models import AuditEvent
from apps.calendar.library import known_years
from apps.calendar.models import CalendarDay, CalendarYear, DayKind, YearSource
from apps.calendar.services import add_working_days

pytestmark = pytest.mark.django_db


def _table():
    return sorted(CalendarDay.objects.values_list("date", "kind", "name")), sorted(
        CalendarYear.objects.values_list("year", "announced", "source", "note")
    )


def test_migration_filled_every_year_the_library_knows():
    years = known_years()
    assert years[0] == 2004 and 2026 in years
    assert (
        list(CalendarYear.objects.filter(announced=True).order_by("year").values_list("year", flat=True))
        == years
    )
    assert CalendarDay.objects.count() == len(constants.holidays) + len(constants.workdays)
    national_day = CalendarDay.objects.get(date=date(2025, 10, 1))
    assert (national_day.kind, national_day.name) == (DayKind.HOLIDAY, "国庆节")
    assert CalendarDay.objects.get(date=date(2026, 2, 28)).kind == DayKind.MAKEUP_WORKDAY


def test_sync_holidays_twice_changes_nothing():
    before = _table()
    out = StringIO()
    call_command("sync_holidays", stdout=out)
    call_command("sync_holidays", stdout=out)
    assert _table() == before
    assert "already matches" in out.getvalue()
    assert not AuditEvent.objects.filter(action="calendar.synced").exists()


def test_sync_holidays_restores_a_library_year_and_audits_it():
    CalendarDay.objects.filter(date__year=2025).delete()
    CalendarYear.objects.filter(year=2026).update(announced=False)
    call_command("sync_holidays", stdout=StringIO())
    assert add_working_days(date(2025, 9, 30), 15) == date(2025, 10, 28)
    assert CalendarYear.objects.get(year=2026).announced
    assert set(AuditEvent.objects.get(action="calendar.synced").summary["changed"]) == {"2025", "2026"}


def test_sync_holidays_leaves_an_admin_year_the_library_does_not_know_alone():
    CalendarYear.objects.create(year=2031, announced=True, source=YearSource.ADMIN, note="国办发明电〔2030〕")
    CalendarDay.objects.create(date=date(2031, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    before = _table()
    call_command("sync_holidays", stdout=StringIO())
    assert _table() == before


def test_sync_holidays_keeps_a_library_year_an_admin_took_over():
    CalendarYear.objects.filter(year=2026).update(source=YearSource.ADMIN)
    CalendarDay.objects.filter(date=date(2026, 2, 28)).delete()
    out = StringIO()
    call_command("sync_holidays", stdout=out)
    assert not CalendarDay.objects.filter(date=date(2026, 2, 28)).exists()
    assert "2026: kept" in out.getvalue()

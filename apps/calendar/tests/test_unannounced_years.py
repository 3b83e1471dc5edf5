"""A year the State Council has not announced yet: weekdays count, the deadline is provisional, staff are
warned, and an admin's entries take effect at once."""

from datetime import date

import chinese_calendar
import pytest
from django.urls import reverse

from apps.calendar.models import CalendarDay, CalendarYear, DayKind
from apps.calendar.selectors import holiday_warning, unannounced_years
from apps.calendar.services import add_working_days, deadline, is_workday

pytestmark = pytest.mark.django_db


def test_the_library_does_not_know_2031():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2031, 3, 10))


def test_unannounced_year_counts_monday_to_friday():
    assert is_workday(date(2031, 1, 1))  # New Year's Day, but nobody has entered it yet
    assert not is_workday(date(2031, 3, 8))  # Saturday
    # Thu 2031-03-06: Fri 03-07 (1), Mon–Thu 03-10..13 (2–5).
    assert add_working_days(date(2031, 3, 6), 5) == date(2031, 3, 13)


def test_deadline_reaching_an_unannounced_year_is_provisional():
    d = deadline(date(2026, 12, 25), working_days=15)
    assert d.provisional and d.unannounced_years == (2027,)
    assert deadline(date(2031, 3, 6), working_days=5).unannounced_years == (2031,)


def test_deadline_ending_on_the_last_announced_day_is_not_provisional():
    # Thu 2026-12-31 is the last working day of the last year the library knows.
    assert add_working_days(date(2026, 12, 30), 1) == date(2026, 12, 31)
    assert not deadline(date(2026, 12, 30), working_days=1).provisional


def test_unannounced_years_lists_only_years_missing_from_the_table():
    assert unannounced_years(date(2025, 6, 1), date(2028, 1, 1)) == [2027, 2028]


def test_warning_names_the_coming_year_when_it_is_not_announced():
    message = holiday_warning(date(2026, 11, 23))
    assert message == (
        "2027年法定节假日安排尚未录入，涉及2027年的期限暂按周一至周五计算，"
        "请系统管理员在“节假日”表中录入国务院公布的安排。"
    )


def test_warning_names_this_year_too_when_it_is_missing():
    assert "2030年、2031年法定节假日安排尚未录入" in holiday_warning(date(2030, 2, 1))


def test_no_warning_when_this_year_and_next_are_announced():
    assert holiday_warning(date(2025, 11, 1)) is None


def test_admin_entry_for_an_unannounced_year_is_used_at_once():
    assert add_working_days(date(2031, 3, 6), 5) == date(2031, 3, 13)  # cached now
    CalendarDay.objects.create(date=date(2031, 3, 10), kind=DayKind.HOLIDAY, name="测试假日")
    assert not is_workday(date(2031, 3, 10))
    assert add_working_days(date(2031, 3, 6), 5) == date(2031, 3, 14)
    CalendarDay.objects.create(date=date(2031, 3, 8), kind=DayKind.MAKEUP_WORKDAY, name="测试假日")
    assert add_working_days(date(2031, 3, 6), 5) == date(2031, 3, 13)


def test_marking_a_year_announced_ends_the_warning_and_the_provisional_flag():
    assert holiday_warning(date(2030, 11, 1)) is not None
    for year in (2030, 2031):
        CalendarYear.objects.create(year=year, announced=True)
    assert holiday_warning(date(2030, 11, 1)) is None
    assert not deadline(date(2031, 3, 6), working_days=5).provisional


def test_staff_home_page_shows_the_warning(world, client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 23))
    client.force_login(world.town_user)
    assert "2027年法定节假日安排尚未录入" in client.get(reverse("home")).content.decode()

"""Working-day deadlines across China's official holidays, checked against the State Council's notices."""

from datetime import date, timedelta

import chinese_calendar
import pytest

from apps.calendar.services import add_months, add_working_days, deadline, is_workday

pytestmark = pytest.mark.django_db


def test_fifteen_working_days_from_the_eve_of_national_day_2025():
    # Assigned Tue 2025-09-30. Oct 1–8 are the National Day + Mid-autumn holiday (国办发明电〔2024〕12号).
    # Working days after it: Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 make-up day (3), Mon–Fri 10-13..17
    # (4–8), Mon–Fri 10-20..24 (9–13), Mon 10-27 (14), Tue 10-28 (15).
    assert add_working_days(date(2025, 9, 30), 15) == date(2025, 10, 28)


def test_national_day_2025_holiday_days_are_not_working_days():
    assert not any(is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert is_workday(date(2025, 10, 9))


def test_make_up_saturday_counts_as_a_working_day():
    assert date(2025, 10, 11).weekday() == 5
    assert is_workday(date(2025, 10, 11))
    # Fri 2025-10-10 + 1 working day is the make-up Saturday, not the Monday after.
    assert add_working_days(date(2025, 10, 10), 1) == date(2025, 10, 11)


def test_make_up_sunday_before_national_day_counts():
    assert date(2025, 9, 28).weekday() == 6
    assert add_working_days(date(2025, 9, 27), 1) == date(2025, 9, 28)


def test_ten_working_days_across_spring_festival_2026():
    # Assigned Fri 2026-02-13. Sat 02-14 is a make-up day (1); Feb 15–23 are the Spring Festival holiday;
    # Tue–Fri 02-24..27 (2–5); Sat 02-28 is the second make-up day (6); Mon–Thu 03-02..05 (7–10).
    assert add_working_days(date(2026, 2, 13), 10) == date(2026, 3, 5)


def test_spring_festival_2026_table_matches_the_library():
    days = [date(2026, 2, 14) + timedelta(days=i) for i in range(16)]
    assert [is_workday(d) for d in days] == [chinese_calendar.is_workday(d) for d in days]
    assert [d for d in days if not is_workday(d) and d.weekday() < 5] == [
        date(2026, 2, 16) + timedelta(days=i) for i in range(5)
    ] + [date(2026, 2, 23)]
    assert is_workday(date(2026, 2, 14)) and is_workday(date(2026, 2, 28))


def _by_library(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def test_every_deadline_in_2025_and_2026_agrees_with_the_library():
    start = date(2025, 1, 1)
    while start < date(2026, 11, 30):
        for n in (1, 7, 15, 20):
            assert add_working_days(start, n) == _by_library(start, n), (start, n)
        start += timedelta(days=1)


def test_the_start_day_never_counts_and_zero_days_is_the_start():
    assert add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 1)
    assert add_working_days(date(2025, 10, 13), 1) == date(2025, 10, 14)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2025, 10, 13), -1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 3, date(2026, 6, 30)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2026, 5, 15), 6, date(2026, 11, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_deadline_in_announced_years_is_final():
    d = deadline(date(2025, 9, 30), working_days=15)
    assert (d.due, d.provisional, d.unannounced_years) == (date(2025, 10, 28), False, ())


def test_deadline_in_months_counts_the_calendar_and_clamps_to_the_months_end():
    d = deadline(date(2025, 11, 30), months=3)
    assert (d.due, d.provisional) == (date(2026, 2, 28), False)  # Sat 02-28 is a make-up working day


def test_deadline_in_months_ending_in_a_holiday_moves_to_the_next_working_day():
    # 民法典 §203. Three months after 2025-07-01 is 2025-10-01, National Day; the holiday runs to 10-08.
    assert deadline(date(2025, 7, 1), months=3).due == date(2025, 10, 9)
    # Ending on a Sunday moves to the Monday.
    assert date(2025, 9, 14).weekday() == 6
    assert deadline(date(2025, 6, 14), months=3).due == date(2025, 9, 15)


def test_deadline_in_months_ending_in_an_unannounced_year_is_provisional():
    d = deadline(date(2031, 1, 31), months=3)
    assert (d.due, d.provisional, d.unannounced_years) == (date(2031, 4, 30), True, (2031,))


@pytest.mark.parametrize("kwargs", [{}, {"working_days": 15, "months": 3}])
def test_deadline_wants_exactly_one_period(kwargs):
    with pytest.raises(ValueError):
        deadline(date(2025, 9, 30), **kwargs)

"""Pure date arithmetic for deadlines; the holiday table comes in as a function, so these need no database."""

import calendar
from collections.abc import Callable
from datetime import date, timedelta

from django.utils.translation import gettext


def is_weekday(d: date) -> bool:
    """The fallback for a year whose holidays are not announced: Monday to Friday work.

    国务院关于职工工作时间的规定 §7: state organs rest on Saturday and Sunday.
    """
    return d.weekday() < 5


def nth_working_day_after(start: date, n: int, is_workday: Callable[[date], bool]) -> date:
    """The n-th working day after `start`; `start` itself never counts, so n=0 is `start`.

    A period counted in days starts on the day after the event (民法典 §201).
    """
    if n < 0:
        raise ValueError("n must be zero or more working days")
    day = start
    while n:
        day += timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def add_months(start: date, n: int) -> date:
    """`start` plus n calendar months; a day the target month lacks becomes its last day (民法典 §202)."""
    index = start.year * 12 + start.month - 1 + n
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def years_between(first: date, last: date) -> range:
    return range(first.year, last.year + 1)


def unannounced_message(years: list[int]) -> str | None:
    if not years:
        return None
    label = "、".join(gettext("%(year)s年") % {"year": y} for y in years)
    return gettext(
        "%(years)s法定节假日安排尚未录入，涉及%(years)s的期限暂按周一至周五计算，"
        "请系统管理员在“节假日”表中录入国务院公布的安排。"
    ) % {"years": label}

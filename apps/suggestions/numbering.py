"""Numbers that say where they are from (DOMAIN §11, issue 16 item 11): a suggestion's 立案号 and a motion's
number carry the town's short name before the year, e.g. 城关建〔2026〕12号 and 城关案〔2026〕3号.

The format is a [local] rule per township (`SUGGESTION_NUMBER_FORMAT`, `MOTION_NUMBER_FORMAT`); the
running number is one `common.numbers` series per kind, town and year, whatever the format: a number once
given is never given again, also when the format changes during the year.
"""

from __future__ import annotations

from django.db.models import Q

from apps.common import conf
from apps.common.numbers import next_value
from apps.localrules.selectors import local_value


def allocate(item, *, kind: str, setting: str, year: int) -> str:
    """The next number of `item`'s town and `year`, inside the caller's transaction (the series row stays
    locked until it commits)."""
    fmt = str(local_value(setting, item))
    short = item.town.short if item.town_id else ""
    prefix = conf.number_prefix(fmt, short=short, year=year)
    model = type(item)

    def start() -> int:
        # A new series starts after the numbers the town already holds (an imported or seeded ledger).
        held = Q(number__startswith=prefix) | Q(number__contains=f"〔{year}〕")
        return model._default_manager.filter(held, town_id=item.town_id).count()

    n = next_value(f"{kind}:{item.town_id}:{year}", start=start)
    return conf.format_number(fmt, short=short, year=year, n=n)

"""What both people kinds share beyond `common.importing.Importer`: places by code or name, the default term.
Rows are keyed so that a second import of the same file changes nothing."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from apps.common.importing import Importer, Row  # noqa: F401
from apps.common.importing import in_chunks as _in_chunks  # noqa: F401
from apps.common.importing import row_key as _key  # noqa: F401
from apps.places.models import Region


class _Places:
    """Regions found by official code, or by name when the name is unique among the candidates."""

    def __init__(self, regions):
        self.by_code, self.by_name = {}, {}
        for region in regions:
            self.by_code[region.code] = region
            self.by_name.setdefault(region.name, []).append(region)

    def find(self, value: str) -> tuple[Region | None, str]:
        if value in self.by_code:
            return self.by_code[value], ""
        found = self.by_name.get(value, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, _("有%(n)d处同名，请填写区划代码") % {"n": len(found)}
        return None, _("在所选区划内找不到“%(name)s”") % {"name": value}


def _default_term(today: date) -> tuple[date, date]:
    """The five-year term in progress on `today`.

    Local congresses sit for five years (宪法 §98); county and township congresses were elected together
    across the country in 2021, so terms are counted from 2021-10-01. Real dates differ by some weeks between
    places: the 任期开始/任期结束 columns override this default.
    """
    years = today.year - 2021 - (1 if (today.month, today.day) < (10, 1) else 0)
    start_year = 2021 + 5 * (years // 5)
    return date(start_year, 10, 1), date(start_year + 5, 9, 30)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)

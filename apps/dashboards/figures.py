"""A dashboard: every registered provider's figures for the towns of a county (and the county's total) or for
one town, in one year. Counts come from the providers' SQL aggregates; this module only adds the county's
total up and works the rates out from the counts (never from rows).

Scope: a town office reads its own town, a county office its county or any town of it; another's region is
refused like a missing one (404). The county's own-level items (no town) count in the total only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import is_admin, office_regions
from apps.common.errors import NotFound, field_error
from apps.places.models import Region

from . import providers as reg
from .providers import COUNT, RATE


@dataclass
class Row:
    town_id: int | None  # None: the county's total
    name: str
    code: str = ""
    numbers: dict = field(default_factory=dict)


@dataclass
class Dashboard:
    region: Region
    year: int
    rows: list[Row]
    total: Row


def _count_keys() -> list[str]:
    keys = [f.key for f in reg.figures() if f.kind == COUNT]
    # a rate's counts that are not figures of their own still count (none today, but a provider may)
    keys += [k for f in reg.figures() if f.kind == RATE for k in f.of if k not in keys]
    return keys


def _fill(row: Row, counts: dict, keys: list[str]) -> None:
    for key in keys:
        row.numbers[key] = counts.get(key) or 0
    for f in reg.figures():
        if f.kind == RATE:
            part, whole = f.of
            row.numbers[f.key] = reg.rate(row.numbers[part], row.numbers[whole], f.scale)


def towns_of(region: Region) -> list[Region]:
    if region.level == "town":
        return [region]
    return list(Region.objects.filter(county_id=region.pk, level="town").order_by("code"))


def dashboard_of(region: Region, year: int) -> Dashboard:
    """The figures of a county (each town and the total) or a town, unscoped: callers pass a region the
    user's office covers (`dashboard`), or the benchmark its own."""
    counts: dict = {}
    for provider in reg.providers():
        for town, numbers in provider.counts(region, year).items():
            counts.setdefault(town, {}).update(numbers)
    keys = _count_keys()
    rows = []
    for town in towns_of(region):
        row = Row(town.pk, town.name, town.code)
        _fill(row, counts.get(town.pk, {}), keys)
        rows.append(row)
    summed = {k: sum((n.get(k) or 0) for n in counts.values()) for k in keys}
    if region.level == "town":
        summed = counts.get(region.pk, {})
    total = Row(None, region.name, region.code)
    _fill(total, summed, keys)
    return Dashboard(region=region, year=year, rows=rows, total=total)


def dashboard_region(user, region_id: int | None) -> Region:
    """The town or county the caller's office covers (404 for another's); by default its widest."""
    if region_id is None:
        regions = office_regions(user)
        if not regions and is_admin(user):  # the system administrator, who holds no office: the first county
            regions = list(Region.objects.filter(level="county").order_by("code")[:1])
        if not regions:
            perms.require(user, perms.DASHBOARD_VIEW)
            raise field_error("region", _("请选择镇或县"))
        return regions[0]
    region = Region.objects.filter(pk=region_id, level__in=("town", "county")).first()
    if region is None:
        raise NotFound()
    perms.require_in(user, perms.DASHBOARD_VIEW, region)
    return region


def dashboard(user, *, year: int, region_id: int | None = None) -> Dashboard:
    region = dashboard_region(user, region_id)
    return dashboard_of(region, year)

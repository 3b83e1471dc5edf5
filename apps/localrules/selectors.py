"""Reads of the [local] rules: `local_value` for code that applies a rule, and the scoped lists the page and
the API show.

`local_value(key, region)` walks from the region to its town, then its county, then the declared default
(`apps.common.conf.get`, which reads `settings.RENDA` at call time, so a test's settings override still
applies when no row is stored). Each region's rows are cached (one small dict per county or town), dropped
when a value is written; without a shared cache (Redis) another process sees a change within
`CACHE_SECONDS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from apps.accounts.models import Role
from apps.accounts.scopes import CHANGE, deny, grants_of, is_admin, visible_to
from apps.common import conf
from apps.common.errors import NotFound
from apps.places.models import Region, RegionLevel

from .models import LocalRule

CACHE_SECONDS = 60


def cache_key(region_id: int) -> str:
    return f"localrules:{region_id}"


def _overrides(region_ids: list[int]) -> dict[int, dict[str, Any]]:
    """{region id: {key: value}} of the stored rows of these regions, through the cache."""
    keys = {rid: cache_key(rid) for rid in region_ids}
    hit = cache.get_many(list(keys.values()))
    out = {rid: hit[k] for rid, k in keys.items() if k in hit}
    missing = [rid for rid in region_ids if rid not in out]
    if missing:
        fresh: dict[int, dict[str, Any]] = {rid: {} for rid in missing}
        for rid, key, value in LocalRule.objects.filter(region_id__in=missing).values_list(
            "region_id", "key", "value"
        ):
            fresh[rid][key] = value
        cache.set_many({keys[rid]: rows for rid, rows in fresh.items()}, CACHE_SECONDS)
        out.update(fresh)
    return out


def _chain(region, setting: conf.Setting) -> list[int]:
    """The region ids to look in, nearest first: the town (when the rule allows a town's own value), then
    the county. `region` is a Region of any level, or any object with `town_id` and `county_id` (an item)."""
    if region is None:
        return []
    town_id = getattr(region, "town_id", None)
    county_id = getattr(region, "county_id", None)
    ids = [town_id] if town_id and setting.town_override else []
    return [*ids, county_id] if county_id else ids


@dataclass(frozen=True)
class Effective:
    """A rule as it applies in one region, and where its value comes from."""

    setting: conf.Setting
    region: Region | None
    value: Any
    source: str  # "town", "county" or "default"
    county_value: Any = None
    town_value: Any = None

    @property
    def key(self) -> str:
        return self.setting.key

    @property
    def default(self) -> Any:
        return conf.get(self.setting.key)


def _local(key: str) -> conf.Setting:
    setting = conf.declared(key)
    if not setting.local:
        raise KeyError(f"{key} is not a [local] rule; read it with apps.common.conf.get")
    return setting


def effective(key: str, region) -> Effective:
    setting = _local(key)
    chain = _chain(region, setting)
    rows = _overrides(chain) if chain else {}
    county_id = getattr(region, "county_id", None)
    town_id = getattr(region, "town_id", None) if setting.town_override else None
    county_value = rows.get(county_id, {}).get(key) if county_id else None
    town_value = rows.get(town_id, {}).get(key) if town_id else None
    if town_value is not None:
        value, source = town_value, "town"
    elif county_value is not None:
        value, source = county_value, "county"
    else:
        value, source = conf.get(key), "default"
    place = region if isinstance(region, Region) else None
    return Effective(setting, place, value, source, county_value, town_value)


def local_value(key: str, region=None) -> Any:
    """The value of a [local] rule where it applies: the town's own value, else the county's, else the
    declared default. `region`: a town, village, grid or county, an item with `town_id`/`county_id`, or
    None (the default)."""
    return effective(key, region).value


def per_town(key: str):
    """`local_value(key, item)` remembered per town for a loop over many items (one lookup per town)."""
    seen: dict[tuple, Any] = {}

    def value_of(item) -> Any:
        where = (getattr(item, "town_id", None), getattr(item, "county_id", None))
        if where not in seen:
            seen[where] = local_value(key, item)
        return seen[where]

    return value_of


def local_values(region, keys: list[str] | None = None) -> list[Effective]:
    """Every [local] rule (or those named) as it applies in `region`, in declaration order."""
    names = keys or [s.key for s in conf.local_settings()]
    return [effective(k, region) for k in names]


# --- scoped reads for the page and the API ----------------------------------------------------------


def office_region(user) -> Region:
    """The region whose rules the user looks at by default: the county office's county, the town
    office's town (an admin: the first county). Other roles have no business here."""
    grants = [g for g in grants_of(user) if g.role in (Role.COUNTY_OFFICE, Role.TOWN_OFFICE)]
    grants.sort(key=lambda g: g.role != Role.COUNTY_OFFICE)
    if grants:
        return grants[0].region
    if is_admin(user):
        county = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code").first()
        if county is not None:
            return county
    deny(user, CHANGE, object_type="localrules.localrule")


def region_for(user, code: str | None) -> Region:
    """The county or town `code` names, if the user's office covers it (404 otherwise, like a missing
    region). No code: the user's own office region."""
    if not code:
        return office_region(user)
    office_region(user)  # only offices (and admins) read the rules
    region = (
        visible_to(user, Region).filter(code=code, level__in=[RegionLevel.COUNTY, RegionLevel.TOWN]).first()
    )
    if region is None:
        raise NotFound()
    return region


def towns_of(county: Region) -> QuerySet:
    return Region.objects.filter(county=county, level=RegionLevel.TOWN).order_by("code")


def overrides(user, *, county: Region | None = None) -> QuerySet:
    """The stored values the user may see (a county office: its county's and towns'; a town office: its
    town's and its county's), newest first."""
    qs = visible_to(user, LocalRule) | _own_county_rows(user)
    if county is not None:
        qs = qs.filter(region__county=county)
    return qs.select_related("region", "updated_by").order_by("region__code", "key")


def _own_county_rows(user) -> QuerySet:
    # A town office applies its county's values too, so it may read them (not other towns').
    towns = [g.region for g in grants_of(user) if g.role == Role.TOWN_OFFICE and g.region.county_id]
    return LocalRule.objects.filter(region_id__in=[t.county_id for t in towns])


def county_overview(county: Region) -> list[dict]:
    """Per [local] rule: the declared default, the county's value and each town's own value (the page's
    table), from one query over the county's rows."""
    towns = list(towns_of(county))
    names = {t.pk: t for t in towns}
    rows: dict[str, dict] = {
        s.key: {"setting": s, "default": conf.get(s.key), "county": None, "towns": []}
        for s in conf.local_settings()
    }
    stored = LocalRule.objects.filter(region__county=county).values_list("region_id", "key", "value")
    for region_id, key, value in stored.order_by("region__code"):
        if key not in rows:
            continue  # a rule no longer declared
        if region_id == county.pk:
            rows[key]["county"] = value
        elif region_id in names:
            rows[key]["towns"].append((names[region_id], value))
    for row in rows.values():
        row["value"] = row["default"] if row["county"] is None else row["county"]
    return list(rows.values())

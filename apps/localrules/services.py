"""The one write of the [local] rules: the county office sets (or clears) a value for its county or a town.

Validated against the declaration (type, bounds, placeholders, ordered pairs such as minimum ≤ maximum),
audited with the old and the new value, and the cached rows of the region dropped when it commits.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.permissions import LOCAL_RULE_SET, holds
from apps.accounts.scopes import CHANGE, VIEW, deny, visible_to
from apps.audit.services import record
from apps.common import conf
from apps.common.errors import field_error
from apps.places.models import Region, RegionLevel

from . import selectors
from .models import LocalRule


def _check_access(actor, region: Region):
    """404 when the region is outside the actor's offices (like a missing one), 403 when the actor may see
    it but not set rules there (a town office). Refusals are recorded outside any transaction."""
    if not visible_to(actor, Region).filter(pk=region.pk).exists():
        deny(actor, VIEW, region)
    if not holds(actor, LOCAL_RULE_SET, region):
        deny(actor, CHANGE, region)


def _check_target(setting: conf.Setting, region: Region):
    if region.level not in (RegionLevel.COUNTY, RegionLevel.TOWN):
        raise field_error("region", _("本地规则只能按县或镇设置"))
    if region.level == RegionLevel.TOWN and not setting.town_override:
        raise field_error("region", _("该规则由县统一设置，各镇不单独设置"))


def _check_order(setting: conf.Setting, region: Region, value):
    """The ordered pairs (minimum ≤ maximum, 'fair' below 'good') must still hold where the change applies:
    in the region itself and, for a county value, in each town that keeps its own value of the partner."""
    pairs = [(low, high) for low, high, _eq in conf.ORDERED if setting.key in (low, high)]
    partners = [high if low == setting.key else low for low, high in pairs]
    if not partners:
        return
    places = [region]
    if region.level == RegionLevel.COUNTY:
        stored = LocalRule.objects.filter(region__county=region, key__in=partners).exclude(region=region)
        places += list(Region.objects.filter(pk__in=stored.values("region_id")))
    for place in places:
        values = {p: selectors.local_value(p, place) for p in partners}
        if value is not None:
            values[setting.key] = value
        else:
            # Clearing: the value falls back to the county's (for a town) or the default.
            fallback = place.county if place.level == RegionLevel.TOWN else None
            values[setting.key] = selectors.local_value(setting.key, fallback)
        if place.level == RegionLevel.TOWN and place != region:
            own = selectors.effective(setting.key, place)
            if own.source == "town":
                values[setting.key] = own.value
        problem = conf.order_problem(values)
        if problem:
            where = "" if place == region else _("（%(town)s的设置）") % {"town": place.name}
            raise field_error("value", f"{problem[1]}{where}")


def _forget(region_id: int):
    key = selectors.cache_key(region_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def set_value(*, actor, region: Region, key: str, value: Any, reason: str = "") -> selectors.Effective:
    """Set the rule `key` for `region` (the county, or a town of it) to `value`; None clears the region's
    own value, so the town falls back to the county's and the county to the declared default."""
    try:
        setting = selectors._local(key)
    except KeyError:
        raise field_error("key", _("没有这项本地规则")) from None
    _check_access(actor, region)
    _check_target(setting, region)
    if value is not None:
        try:
            value = conf.clean(key, value)
        except ValueError as exc:
            raise field_error("value", exc.args[0]) from None
    _check_order(setting, region, value)
    with transaction.atomic():
        row = LocalRule.objects.select_for_update().filter(region=region, key=key).first()
        old = row.value if row is not None else None
        if old == value and (row is None) == (value is None):
            return selectors.effective(key, region)
        if value is None:
            row.delete()
        elif row is None:
            row = LocalRule.objects.create(region=region, key=key, value=value, updated_by=_user(actor))
        else:
            row.value, row.updated_by = value, _user(actor)
            row.save(update_fields=["value", "updated_by", "updated_at"])
        record(
            actor=actor,
            action="localrule.cleared" if value is None else "localrule.set",
            object_type="localrules.localrule",
            object_id=f"{region.code}/{key}",
            summary={"region": region.code, "key": key, "old": old, "new": value},
            reason=reason,
        )
        _forget(region.pk)
    return selectors.effective(key, region)


def clear_value(*, actor, region: Region, key: str, reason: str = "") -> selectors.Effective:
    return set_value(actor=actor, region=region, key=key, value=None, reason=reason)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None

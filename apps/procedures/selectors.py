"""Reads of the procedure book: the procedures (catalogue.py), the rules book with each [local] rule's value
per township the user works in, and the township rule documents the user may see (issue 21)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.accounts.scopes import get_or_deny, grants_of, is_admin, visible_to
from apps.common import conf
from apps.localrules.selectors import _overrides, local_value, towns_of
from apps.places.models import Region, RegionLevel
from apps.workflow.models import Attachment, Step

from .laws import LAW_RULES
from .models import RuleDocument

MAX_TOWNS = 40  # a county's towns side by side; beyond that the page asks for one county


def towns_for(user) -> list[Region]:
    """The townships whose values the user reads: an office's county or town, a person's own town."""
    towns: dict[int, Region] = {}
    own: set[int] = set()  # the town of a station, a unit or a deputy the user works for
    for g in grants_of(user):
        region = g.region
        if region is None:
            holder = g.station or g.unit or g.deputy
            if getattr(holder, "town_id", None):
                own.add(holder.town_id)
            continue
        if g.role == Role.COUNTY_OFFICE or region.level == RegionLevel.COUNTY:
            for t in towns_of(region)[:MAX_TOWNS]:
                towns[t.pk] = t
        elif region.town_id:
            own.add(region.town_id)
    for t in Region.objects.filter(pk__in=own - set(towns)) if own - set(towns) else ():
        towns[t.pk] = t
    if not towns and is_admin(user):
        county = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code").first()
        towns = {t.pk: t for t in towns_of(county)[:MAX_TOWNS]} if county else {}
    return sorted(towns.values(), key=lambda t: t.code)[:MAX_TOWNS]


def law_rows() -> list[dict]:
    rows = []
    for r in LAW_RULES:
        value = r.value or (str(conf.get(r.setting)) if r.setting else "")
        rows.append({"rule": r, "source": f"{r.law}{r.article and ' ' + str(r.article)}", "value": value})
    return rows


def local_rows(towns: list[Region]) -> list[dict]:
    """Each [local] rule: its label, setting key, default and the value in each township."""
    # One query for every township's and county's stored values (localrules' own cache), not one per town.
    _overrides(sorted({r for t in towns for r in (t.pk, t.county_id) if r}))
    rows = []
    for s in conf.local_settings():
        rows.append(
            {
                "setting": s,
                "source": _("本地规则（县人大设定，乡镇可单独设定）")
                if s.town_override
                else _("本地规则（县人大设定）"),
                "default": conf.get(s.key),
                "values": [local_value(s.key, t) for t in towns],
            }
        )
    return rows


def documents(user) -> QuerySet:
    return visible_to(user, RuleDocument).select_related("region").order_by("region__code", "title", "pk")


def document(user, document_id: int) -> RuleDocument:
    return get_or_deny(user, RuleDocument, pk=document_id)


def document_file(doc: RuleDocument) -> Attachment | None:
    ct = ContentType.objects.get_for_model(RuleDocument)
    return Attachment.objects.filter(content_type=ct, object_id=doc.pk).order_by("-pk").first()


def path_of(item) -> dict:
    """An item's path through its procedure: the states it passed, the (from, to) steps it took, its state."""
    ct = ContentType.objects.get_for_model(type(item))
    steps = list(
        Step.objects.filter(content_type=ct, object_id=item.pk).values_list("from_state", "to_state")
    )
    visited = {s for pair in steps for s in pair if s}
    current = getattr(item, "state", "") or ""
    visited.add(current)
    return {"current": current, "visited": visited, "taken": {p for p in steps if p[0]}}


def document_towns(user) -> list[Region]:
    """Townships where the user may add a rule document (their office's towns)."""
    from apps.accounts import permissions as perms

    return [t for t in towns_for(user) if perms.holds_in(user, perms.RULE_DOCUMENT_MANAGE, t)]

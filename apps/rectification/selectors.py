"""Reads of rectification (整改), each already scoped through the one permission layer: the list an office,
a unit or a reviewing deputy sees (filters by state, unit and overdue), one item, its steps and files, and
what the public site may show (accepted and ongoing items, never the reviewers' notes)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, visible_to

from .models import RectificationItem
from .workflow import RECTIFICATION_WORKFLOW

OPEN_STATES = tuple(RECTIFICATION_WORKFLOW.open_states())


def overdue_q(today=None) -> Q:
    """Still open past its state's deadline ("overdue" is never stored: workflow sweep)."""
    today = today or timezone.localdate()
    return Q(state__in=OPEN_STATES, due_date__lt=today)


def items(user, *, state: str = "", unit: int | None = None, overdue: bool = False, town: int | None = None):
    qs = visible_to(user, RectificationItem, perms.RECTIFICATION_BROWSE)
    if state:
        qs = qs.filter(state=state)
    if unit:
        qs = qs.filter(unit_id=unit)
    if town:
        qs = qs.filter(town_id=town)
    if overdue:
        qs = qs.filter(overdue_q())
    return qs.select_related("unit", "region").distinct().order_by("-opened_on", "-id")


def items_of_source(user, source):
    """The items opened from one object (an activity, a finding, an evaluation) that the user sees: what
    the source's own page lists."""
    from django.contrib.contenttypes.models import ContentType

    ctype = ContentType.objects.get_for_model(source)
    return items(user).filter(content_type=ctype, object_id=source.pk)


def opened_from(source):
    """Every item opened from one object, whoever sees it: what a caller checks so that one source opens
    one item only (a finding, a department rated dissatisfied)."""
    from django.contrib.contenttypes.models import ContentType

    ctype = ContentType.objects.get_for_model(source)
    return RectificationItem.objects.filter(content_type=ctype, object_id=source.pk)


def with_item(qs):
    """`qs` (rows of one model) with the first item each row opened: `rectification_id` and
    `rectification_state` (None when none), in the same query. The state is public (上墙公示)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import OuterRef, Subquery

    ctype = ContentType.objects.get_for_model(qs.model)
    opened = RectificationItem.objects.filter(content_type=ctype, object_id=OuterRef("pk")).order_by("id")
    return qs.annotate(
        rectification_id=Subquery(opened.values("id")[:1]),
        rectification_state=Subquery(opened.values("state")[:1]),
    )


def state_label(state: str | None) -> str:
    """The label of an item's state (`with_item`'s `rectification_state`), or "" for none."""
    return str(RECTIFICATION_WORKFLOW.state(state).label) if state else ""


def item_for(user, pk: int) -> RectificationItem:
    return get_or_deny(user, RectificationItem, perms.RECTIFICATION_BROWSE, pk=pk)


def source_page(user, item):
    """The object whose page shows where the item came from (the source's `rectification_page()`: a
    finding's activity or appointment, a department's evaluation), when `user` may open that page; else
    None (a unit sees its finding but not the activity's page)."""
    from apps.accounts.scopes import VIEW, can

    if item.content_type_id is None:
        return None
    source = item.source
    page = getattr(source, "rectification_page", None)
    target = page() if callable(page) else None
    return target if target is not None and can(user, VIEW, target) else None


def reviewers_of(item) -> list:
    return list(item.reviewers.order_by("name"))


def unit_filter_choices(user) -> list:
    """The units of the items the user sees (the list's unit filter), by name."""
    from apps.places.models import HandlingUnit

    ids = visible_to(user, RectificationItem, perms.RECTIFICATION_BROWSE).values("unit_id")
    return list(HandlingUnit.objects.filter(pk__in=ids).order_by("name"))


def counts_by_state(user) -> dict:
    from django.db.models import Count

    rows = (
        visible_to(user, RectificationItem, perms.RECTIFICATION_BROWSE)
        .order_by()
        .values("state")
        .annotate(n=Count("pk", distinct=True))
    )
    return {r["state"]: r["n"] for r in rows}


# --- the public site (上墙公示): what any visitor may see ---------------------------------------
def public_items(town=None, county=None):
    """Every item of a town (or a county) with its progress; the detail, the plan, the reviewers, their
    notes and the return reasons stay inside. Accepted items also show the unit's report (`public_report`)."""
    qs = RectificationItem.objects.all()
    if town is not None:
        qs = qs.filter(town_id=town.pk)
    if county is not None:
        qs = qs.filter(county_id=county.pk)
    return qs.select_related("unit", "region").only(
        "id", "title", "source_label", "unit__name", "state", "opened_on", "deadline", "plan_filed_on",
        "reported_on", "accepted_on", "report_text", "region__name", "county_id", "town_id", "due_date",
        "unit_id", "region_id",
    ).order_by("-opened_on", "-id")  # fmt: skip


def public_report(item) -> str:
    return item.report_text if item.state == "accepted" else ""

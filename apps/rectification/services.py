"""Every write of rectification (整改, DOMAIN §7, issue 18 part 4).

`open_item` is the ONE door through which anything opens an item: the office by hand, an inspection's
finding, a department rated dissatisfied, later a livelihood project. It checks that the actor may open
items in the town, that the unit and the reviewing deputies belong there, counts the deadline in working
days (apps.calendar) and creates the item on the engine (its first step and audit event). Every later step
is `workflow.RECTIFICATION_WORKFLOW` through `act`; files (the unit's evidence) through `attach_file`.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals
from apps.calendar.services import add_working_days
from apps.common import text
from apps.common.errors import field_error as _fail
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, Region
from apps.workflow.services import create_tracked, transition

from .models import RectificationItem
from .workflow import WORKING_DAYS, _local

TITLE_MAX = 300
DETAIL_MAX = 5000
LABEL_MAX = 200
DUE_DAYS_MAX = 250


def unit_choices(town) -> list:
    """Units an item may go to: active units of the town and of its county."""
    return list(
        HandlingUnit.objects.filter(
            region_id__in=[town.pk, town.county_id or town.pk], is_active=True
        ).order_by("name")
    )


def reviewer_choices(town):
    """Deputies of the town who may review an item (those who found the problem)."""
    return Deputy.objects.filter(town_id=town.pk).order_by("name")


def _text(field: str, value, limit: int, *, required: bool) -> str:
    try:
        value = text.clean(str(value or "")).strip()
    except ValueError:
        raise _fail(field, _("含有不允许的控制字符")) from None
    if required and not value:
        raise _fail(field, _("请填写此项"))
    if len(value) > limit:
        raise _fail(field, _("不超过 %(n)s 字") % {"n": limit})
    return value


def _town(region) -> Region:
    town = region if region.level == "town" else None
    if town is None and getattr(region, "town_id", None):
        town = Region.objects.get(pk=region.town_id)
    if town is None:
        raise _fail("region", _("整改事项须属于一个镇（街道）"))
    return town


def _where(source, unit):
    """The town of an item opened without a region: the source's (an activity knows its town), else the
    unit's when it is a town's unit."""
    for obj in (
        source,
        unit if isinstance(unit, HandlingUnit) else HandlingUnit.objects.filter(pk=unit).first(),
    ):
        town_id = getattr(obj, "town_id", None)
        if town_id:
            return Region.objects.get(pk=town_id)
    raise _fail("region", _("请指明整改事项所属的镇（街道）"))


def _unit(unit, town) -> HandlingUnit:
    unit_id = getattr(unit, "pk", unit)
    found = next((u for u in unit_choices(town) if u.pk == unit_id), None)
    if found is None:
        raise _fail("unit", _("请选择本镇或本县的承办单位"))
    return found


def _reviewers(reviewers, town) -> list:
    ids = {getattr(d, "pk", d) for d in reviewers or ()}
    found = list(reviewer_choices(town).filter(pk__in=ids))
    if len(found) != len(ids):
        raise _fail("reviewers", _("验收代表须是本镇的代表"))
    return found


@records_refusals()
def open_item(
    *,
    actor,
    source=None,
    source_label: str = "",
    region=None,
    unit,
    title: str,
    detail: str = "",
    reviewers=(),
    due_days: int | None = None,
) -> RectificationItem:
    """Open one rectification item in `region`'s town (None: the source's town, else the unit's), assigned
    to `unit` (an object or its id), due in `due_days` working days (default: the town's
    RECTIFICATION_WORKING_DAYS), reviewed by `reviewers` (deputies or their ids; none: the office
    reviews). `source` is the object the problem was found by (any model instance; `source_label` names it
    when shown). The actor must hold rectification.open over the town (the office); `actor=None` is the
    platform opening it by itself, for a caller that has already checked its own actor (audited as the
    system)."""
    town = _town(region if region is not None else _where(source, unit))
    if actor is not None:
        perms.require_in(actor, perms.RECTIFICATION_OPEN, town)
    title = " ".join(_text("title", title, TITLE_MAX, required=True).split())
    detail = _text("detail", detail, DETAIL_MAX, required=False)
    label = _text("source_label", source_label or (str(source) if source is not None else ""), LABEL_MAX,
                  required=False)  # fmt: skip
    target_unit = _unit(unit, town)
    deputies = _reviewers(reviewers, town)
    today = timezone.localdate()
    if due_days is None:
        days = _local(WORKING_DAYS, town)
    elif not 1 <= int(due_days) <= DUE_DAYS_MAX:
        raise _fail("due_days", _("整改时限须在 1 到 %(n)s 个工作日之间") % {"n": DUE_DAYS_MAX})
    else:
        days = int(due_days)
    fields = {
        "region": town,
        "source_label": label,
        "title": title,
        "detail": detail,
        "unit": target_unit,
        "opened_on": today,
        "deadline": add_working_days(today, days),
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    if source is not None:
        fields["content_type"] = ContentType.objects.get_for_model(source)
        fields["object_id"] = source.pk
    with transaction.atomic():
        item = create_tracked(RectificationItem, actor=actor, fields=fields)
        if deputies:
            item.reviewers.set(deputies)
    transaction.on_commit(lambda: _tell_unit(item), robust=True)
    return item


def _tell_unit(item) -> None:
    from apps.notifications.services import notify

    notify(
        recipients=item.audience("unit"),
        kind="rectification.assigned",
        title=_("整改通知：%(t)s") % {"t": item.title},
        body=_("整改时限 %(due)s") % {"due": item.deadline.isoformat()},
        url=item.get_absolute_url(),
        obj=item,
        dedupe_key=f"rectification:{item.pk}:assigned",
    )


@records_refusals()
def attach_file(*, actor, item_id: int, upload):
    """Evidence of the unit's rectification (photos, documents), by the unit or the office; refused once
    the item is accepted."""
    from apps.workflow.uploads import attach

    item = get_or_deny(actor, RectificationItem, perms.RECTIFICATION_BROWSE, pk=item_id)
    if not perms.holds(actor, perms.RECTIFICATION_OPEN, item):
        perms.require(actor, perms.RECTIFICATION_HANDLE, item)
    if item.is_final:
        raise _fail("file", _("该事项已验收通过，不能再上传材料"))
    return attach(actor=actor, item=item, upload=upload)


def act(*, actor, item, key: str, data) -> RectificationItem:
    return transition(item, key, actor=actor, data=data)

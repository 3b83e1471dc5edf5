"""Agenda checklists per kind of meeting (会议议程和内容清单, issue 16 item 7): the township's list, which a
new meeting copies, and the clerk settling a line of a meeting's copy. What is still missing is
`selectors.checklist_missing` over `rules.checklist_missing`."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals
from apps.audit.services import record
from apps.common.errors import field_error as _fail

from .. import rules
from ..models import (
    ChecklistEntry,
    ChecklistPart,
    ChecklistStatus,
    MeetingChecklistItem,
    MeetingKind,
    MeetingState,
)
from .base import MeetingConflict, _office_meeting


def township_lines(region, kind: str) -> list[tuple[str, str, str]]:
    """(part, label, keywords) of the town's checklist for `kind`: its own lines, else the shipped default."""
    rows = list(
        ChecklistEntry.objects.filter(region=region, meeting_kind=kind).values_list(
            "part", "label", "keywords"
        )
    )
    if rows:
        return rows
    default = rules.DEFAULT_CHECKLISTS.get(kind, {})
    return [(part, label, kw) for part in ChecklistPart.values for label, kw in default.get(part, [])]


def start_checklist(meeting) -> int:
    """A new meeting's copy of its kind's checklist (inside the planning transaction)."""
    rows = [
        MeetingChecklistItem(meeting=meeting, part=part, label=label, keywords=kw, order=i)
        for i, (part, label, kw) in enumerate(township_lines(meeting.region, meeting.kind), start=1)
    ]
    MeetingChecklistItem.objects.bulk_create(rows)
    return len(rows)


def _own_copy(region, kind: str) -> None:
    """A township's first edit of a kind's list copies the default, so the edit changes that copy."""
    if ChecklistEntry.objects.filter(region=region, meeting_kind=kind).exists():
        return
    for i, (part, label, kw) in enumerate(township_lines(region, kind), start=1):
        ChecklistEntry(region=region, meeting_kind=kind, part=part, label=label, keywords=kw, order=i).save()


def _clean(value: str, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


@records_refusals()
def add_checklist_entry(
    *, actor, region, kind: str, part: str, label: str, keywords: str = ""
) -> ChecklistEntry:
    perms.require_in(actor, perms.MEETING_MANAGE, region)
    if region.level != "town":
        raise _fail("region", _("会议议程和内容清单由镇维护"))
    if kind not in MeetingKind.values:
        raise _fail("kind", _("会议类型不正确"))
    if part not in ChecklistPart.values:
        raise _fail("part", _("请选择议程或文件"))
    label, keywords = _clean(label, 100), _clean(keywords, 200)
    if not label:
        raise _fail("label", _("请填写事项名称"))
    try:
        with transaction.atomic():
            _own_copy(region, kind)
            order = (
                ChecklistEntry.objects.filter(region=region, meeting_kind=kind).aggregate(m=Max("order"))["m"]
                or 0
            ) + 1
            entry = ChecklistEntry(
                region=region, meeting_kind=kind, part=part, label=label, keywords=keywords, order=order
            )
            entry.save()
            record(
                actor=actor,
                action="meeting.checklist.added",
                obj=entry,
                summary={"kind": kind, "part": part, "label": label, "keywords": keywords},
            )
    except IntegrityError:
        raise _fail("label", _("清单中已有该事项")) from None
    return entry


@records_refusals()
def remove_checklist_entry(*, actor, entry_id: int) -> None:
    """Remove a line of the township's list (meetings already planned keep their copy). A township that
    removes every line of a kind starts again from the shipped default."""
    entry = get_or_deny(actor, ChecklistEntry, perms.MEETING_MANAGE, pk=entry_id)
    with transaction.atomic():
        entry = ChecklistEntry.objects.select_for_update().get(pk=entry.pk)
        summary = {"kind": entry.meeting_kind, "part": entry.part, "label": entry.label}
        entry.delete()
        record(actor=actor, action="meeting.checklist.removed", obj=entry, summary=summary)


@records_refusals()
def adopt_default_checklist(*, actor, region, kind: str) -> int:
    """The township takes the shipped default of a kind as its own list, to edit it line by line."""
    perms.require_in(actor, perms.MEETING_MANAGE, region)
    if kind not in MeetingKind.values:
        raise _fail("kind", _("会议类型不正确"))
    with transaction.atomic():
        had = ChecklistEntry.objects.filter(region=region, meeting_kind=kind).exists()
        _own_copy(region, kind)
        n = ChecklistEntry.objects.filter(region=region, meeting_kind=kind).count()
        if not had:
            record(
                actor=actor,
                action="meeting.checklist.adopted",
                obj=region,
                summary={"kind": kind, "lines": n},
            )
    return n


@records_refusals()
def settle_checklist_item(*, actor, item_id: int, status: str) -> MeetingChecklistItem:
    """The clerk marks a line of a meeting's checklist done (a paper document at hand), not needed this
    time, or open again."""
    if status not in ChecklistStatus.values:
        raise _fail("status", _("状态不正确"))
    item = get_or_deny(actor, MeetingChecklistItem, perms.MEETING_MANAGE, pk=item_id)
    with transaction.atomic():
        meeting = _office_meeting(actor, item.meeting_id)
        if meeting.state == MeetingState.CLOSED:
            raise MeetingConflict(_("会议已结束，清单不再修改"))
        item = MeetingChecklistItem.objects.select_for_update().get(pk=item.pk)
        before = item.status
        item.status = status
        item.save(update_fields=["status"])
        record(
            actor=actor,
            action="meeting.checklist.settled",
            obj=meeting,
            summary={"item": item.pk, "label": item.label, "from": before, "to": status},
        )
    return item

"""Planning a meeting (DOMAIN §5): the session, the meeting with its expected attendees, its agenda and
documents."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals
from apps.audit.services import record
from apps.common.errors import NotFound, ValidationFailed
from apps.common.errors import field_error as _fail
from apps.places.terms import terms_for
from apps.workflow import uploads
from apps.workflow.models import Attachment

from .. import rules, selectors
from ..errors import ErrorCode
from ..models import AgendaItem, Attendee, Meeting, MeetingKind, MeetingState, Session
from .base import MeetingConflict, _bump_and_publish, _office_meeting
from .checklists import start_checklist

# The congress's own sittings and its session presidium: a street has no congress (DOMAIN §1).
CONGRESS_ONLY = {
    MeetingKind.PREPARATORY,
    MeetingKind.PLENARY,
    MeetingKind.SESSION_PRESIDIUM,
    MeetingKind.CANDIDATES,
}


def kinds_for(region) -> list[tuple[str, str]]:
    """The meeting kinds a town (or street) holds, in its own words."""
    terms = terms_for(region)
    return [
        (v, terms.relabel(label))
        for v, label in MeetingKind.choices
        if terms.has_congress or v not in CONGRESS_ONLY
    ]


def _refuse_in_street(region, field: str) -> None:
    if terms_for(region).has_congress:
        return
    msg = _("%(name)s是街道，不召开代表大会会议，也不进行选举；请选择工委会议或其他会议") % {
        "name": region.name
    }
    raise ValidationFailed(msg, code=ErrorCode.NO_CONGRESS_IN_STREET, fields={field: [msg]})


def plan_session(*, actor, region, term: int, number: int, starts_on, title: str = "") -> Session:
    perms.require_in(actor, perms.MEETING_MANAGE, region)
    if region.level != "town":
        raise _fail("region", _("代表大会会议须属于一个镇"))
    _refuse_in_street(region, "region")
    title = title.strip() or _("%(town)s第%(term)s届人民代表大会第%(n)s次会议") % {
        "town": region.name,
        "term": rules.cn_number(term),
        "n": rules.cn_number(number),
    }
    try:
        with transaction.atomic():
            session = Session.objects.create(
                region=region, term=term, number=number, title=title[:200], starts_on=starts_on
            )
            record(actor=actor, action="meeting.session.planned", obj=session, summary={"title": title})
    except IntegrityError:
        raise _fail("number", _("本届已有该次会议")) from None
    return session


def plan_meeting(
    *,
    actor,
    region,
    kind: str,
    title: str,
    starts_at,
    place: str = "",
    chair: str = "",
    session: Session | None = None,
    checkin_opens_at=None,
    checkin_closes_at=None,
    allow_vote_change: bool = False,
    non_voting: list[str] | None = None,
    agenda: list[str] | None = None,
) -> Meeting:
    """A meeting with its expected attendees: every deputy of the town's current term (voting), and the
    non-voting attendees named (列席)."""
    perms.require_in(actor, perms.MEETING_MANAGE, region)
    if region.level != "town":
        raise _fail("region", _("会议须属于一个镇"))
    if kind not in MeetingKind.values:
        raise _fail("kind", _("会议类型不正确"))
    if kind in CONGRESS_ONLY:
        _refuse_in_street(region, "kind")
    title = (title or "").strip()
    if not title:
        raise _fail("title", _("请填写会议名称"))
    if starts_at is None:
        raise _fail("starts_at", _("请填写开始时间"))
    if session is not None and session.region_id != region.pk:
        raise _fail("session", _("所属大会须是%(here)s的") % terms_for(region).words())
    if rules.needs_quorum(kind) and session is None:
        raise _fail("session", _("预备会议和全体会议须属于一次代表大会会议"))
    if checkin_opens_at and checkin_closes_at and checkin_closes_at <= checkin_opens_at:
        raise _fail("checkin_closes_at", _("签到截止须晚于签到开始"))
    day = timezone.localtime(starts_at).date()
    mandates = list(selectors.expected_deputies(region, day, term=session.term if session else None))
    names = [n.strip()[:50] for n in (non_voting or []) if n and n.strip()]
    with transaction.atomic():
        meeting = Meeting.objects.create(
            region=region,
            session=session,
            kind=kind,
            title=title[:200],
            place=(place or "").strip()[:200],
            chair=(chair or "").strip()[:50],
            starts_at=starts_at,
            checkin_opens_at=checkin_opens_at,
            checkin_closes_at=checkin_closes_at,
            allow_vote_change=allow_vote_change,
            checkin_token=secrets.token_urlsafe(24),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        seen = set()
        rows = []
        for m in mandates:
            if m.deputy_id in seen:
                continue
            seen.add(m.deputy_id)
            rows.append(Attendee(meeting=meeting, deputy_id=m.deputy_id, name=m.deputy.name, voting=True))
        rows += [Attendee(meeting=meeting, name=n, voting=False) for n in names]
        Attendee.objects.bulk_create(rows)
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=meeting, order=i, title=t.strip()[:200])
                for i, t in enumerate([t for t in agenda or [] if t and t.strip()], start=1)
            ]
        )
        checklist = start_checklist(meeting)
        record(
            actor=actor,
            action="meeting.planned",
            obj=meeting,
            summary={
                "title": meeting.title,
                "kind": kind,
                "deputies": len(seen),
                "non_voting": names,
                "checklist": checklist,
            },
        )
    return meeting


@records_refusals()
def add_agenda_item(
    *, actor, meeting_id: int, title: str, kind: str = "", description: str = ""
) -> AgendaItem:
    title = (title or "").strip()
    if not title:
        raise _fail("title", _("请填写议程名称"))
    kind = kind or AgendaItem.Kind.REPORT
    if kind not in AgendaItem.Kind.values:
        raise _fail("kind", _("议程类型不正确"))
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id)
        if meeting.state == MeetingState.CLOSED:
            raise MeetingConflict(_("会议已结束，不能修改议程"))
        order = (meeting.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
        item = AgendaItem.objects.create(
            meeting=meeting, order=order, title=title[:200], kind=kind, description=description or ""
        )
        _bump_and_publish(meeting.pk)
        record(
            actor=actor, action="meeting.agenda.added", obj=meeting, summary={"item": item.pk, "title": title}
        )
    return item


@records_refusals()
def remove_agenda_item(*, actor, item_id: int) -> None:
    item = get_or_deny(actor, AgendaItem, perms.MEETING_MANAGE, pk=item_id)
    with transaction.atomic():
        meeting = _office_meeting(actor, item.meeting_id)
        if item.votes.exists():
            raise MeetingConflict(_("该议程已有表决，不能删除"))
        title = item.title
        item.delete()
        _bump_and_publish(meeting.pk)
        record(
            actor=actor,
            action="meeting.agenda.removed",
            obj=meeting,
            summary={"item": item_id, "title": title},
        )


def add_document(*, actor, meeting_id: int, upload, agenda_item_id: int | None = None):
    """A document deputies read on their phones, on the meeting or on one agenda item."""
    meeting = get_or_deny(actor, Meeting, perms.MEETING_MANAGE, pk=meeting_id)
    target = meeting
    if agenda_item_id:
        target = AgendaItem.objects.filter(pk=agenda_item_id, meeting=meeting).first()
        if target is None:
            raise _fail("agenda_item", _("议程不存在"))
    with transaction.atomic():
        _bump_and_publish(meeting.pk)
        att = uploads.attach(actor=actor, item=target, upload=upload)  # validates, stores, audits last
    return att


def remove_document(*, actor, meeting_id: int, attachment_id: int) -> None:
    meeting = get_or_deny(actor, Meeting, perms.MEETING_MANAGE, pk=meeting_id)
    att = selectors.documents(meeting).filter(pk=attachment_id).first()
    if att is None:
        raise NotFound()
    with transaction.atomic():
        name = att.name
        Attachment.objects.filter(pk=att.pk).delete()
        _bump_and_publish(meeting.pk)
        record(
            actor=actor,
            action="meeting.document.removed",
            obj=meeting,
            summary={"attachment": attachment_id, "name": name},
        )

"""Group deliberation (分组审议, issue 16 item 4): the office forms a session's groups with a recorder; the
recorder enters each deputy's opinion on each report (on a phone or the office PC); the office compiles a
report's opinions into a digest sent to the government unit responsible, whose answer is tracked on the
workflow engine (`workflow.DIGEST_WORKFLOW`: the same actions API, deadlines and sweep as suggestions)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.models import Role
from apps.accounts.scopes import deny, get_or_deny, records_refusals
from apps.audit.services import record
from apps.common.errors import field_error as _fail
from apps.people.models import Deputy
from apps.places.models import HandlingUnit
from apps.places.terms import terms_for
from apps.workflow.services import create_tracked, transition

from ..errors import ErrorCode
from ..models import AgendaItem, DeliberationDigest, DeliberationGroup, DeliberationOpinion, Session
from .base import MeetingConflict

OPINION_MAX = 4000


class DigestSent(MeetingConflict):
    code = ErrorCode.DIGEST_SENT


def recorder_choices(session) -> list:
    """Who may record a group's opinions: the town office's logins and the town's deputies' logins."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(
            Q(grants__role=Role.TOWN_OFFICE, grants__region_id=session.region_id)
            | Q(grants__role=Role.DEPUTY, grants__deputy__town_id=session.region_id),
            is_active=True,
        )
        .distinct()
        .order_by("display_name", "username")
    )


@records_refusals()
def form_group(*, actor, session_id: int, name: str, recorder_id: int | None, member_ids: list[int]):
    """A deliberation group of the session (审议小组) with its members (deputies of the town) and recorder."""
    session = get_or_deny(actor, Session, perms.MEETING_MANAGE, pk=session_id)
    name = " ".join(str(name or "").split())[:100]
    if not name:
        raise _fail("name", _("请填写小组名称"))
    ids = sorted(set(member_ids or []))
    members = list(Deputy.objects.filter(pk__in=ids, town_id=session.region_id))
    if not ids:
        raise _fail("members", _("请选择组员"))
    if len(members) != len(ids):
        raise _fail("members", _("组员须是%(own_deputies)s") % terms_for(session.region).words())
    recorder = None
    if recorder_id:
        recorder = next((u for u in recorder_choices(session) if u.pk == recorder_id), None)
        if recorder is None:
            raise _fail(
                "recorder",
                _("记录人须是%(office)s工作人员或%(own_deputies)s") % terms_for(session.region).words(),
            )
    try:
        with transaction.atomic():
            group = DeliberationGroup(region=session.region, session=session, name=name, recorder=recorder)
            group.save()
            group.members.set(members)
            record(
                actor=actor,
                action="meeting.group.formed",
                obj=group,
                summary={"session": session.pk, "name": name, "recorder": recorder_id, "members": ids},
            )
    except IntegrityError:
        raise _fail("name", _("本次会议已有同名小组")) from None
    return group


def _recording_group(actor, group_id: int) -> DeliberationGroup:
    """The group, if the actor is its recorder or the town's office (another member: 403)."""
    group = get_or_deny(actor, DeliberationGroup, perms.DELIBERATION_RECORD, pk=group_id)
    if not (perms.roles_over(actor, group) & perms.OFFICES) and group.recorder_id != actor.pk:
        deny(actor, perms.DELIBERATION_RECORD, group)
    return group


def session_reports(session):
    """The reports the session's groups deliberate: agenda items of kind report in its meetings."""
    return AgendaItem.objects.filter(meeting__session=session, kind=AgendaItem.Kind.REPORT).order_by(
        "meeting__starts_at", "order"
    )


@records_refusals()
def record_opinion(*, actor, group_id: int, agenda_item_id: int, deputy_id: int, text: str):
    group = _recording_group(actor, group_id)
    text = str(text or "").strip()
    if not text:
        raise _fail("text", _("请填写审议意见"))
    if len(text) > OPINION_MAX:
        raise _fail("text", _("审议意见不超过 %(n)s 字") % {"n": OPINION_MAX})
    item = session_reports(group.session).filter(pk=agenda_item_id).first()
    if item is None:
        raise _fail("agenda_item", _("请选择本次会议审议的报告"))
    deputy = group.members.filter(pk=deputy_id).first()
    if deputy is None:
        raise _fail("deputy", _("请选择本组代表"))
    with transaction.atomic():
        AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
        if DeliberationDigest.objects.filter(agenda_item=item).exists():
            raise DigestSent(_("该报告的审议意见已汇总送交政府，不能再增加"))
        opinion = DeliberationOpinion.objects.create(
            group=group, agenda_item=item, deputy=deputy, text=text, entered_by=actor
        )
        record(
            actor=actor,
            action="meeting.deliberation.recorded",
            obj=group,
            summary={"opinion": opinion.pk, "report": item.pk, "deputy": deputy.pk, "chars": len(text)},
        )
    return opinion


@records_refusals()
def remove_opinion(*, actor, opinion_id: int) -> None:
    opinion = get_or_deny(actor, DeliberationOpinion, perms.DELIBERATION_RECORD, pk=opinion_id)
    group = _recording_group(actor, opinion.group_id)
    with transaction.atomic():
        AgendaItem.objects.select_for_update().filter(pk=opinion.agenda_item_id).first()
        if DeliberationDigest.objects.filter(agenda_item_id=opinion.agenda_item_id).exists():
            raise DigestSent(_("该报告的审议意见已汇总送交政府，不能再修改"))
        summary = {"opinion": opinion.pk, "report": opinion.agenda_item_id, "deputy": opinion.deputy_id}
        opinion.delete()
        record(actor=actor, action="meeting.deliberation.removed", obj=group, summary=summary)


def unit_choices(item) -> list:
    """Government units a digest may go to: active units of the town and of its county."""
    town = item.meeting.region
    return list(
        HandlingUnit.objects.filter(
            region_id__in=[town.pk, town.county_id or town.pk], is_active=True
        ).order_by("name")
    )


@records_refusals()
def send_digest(*, actor, agenda_item_id: int, unit_id: int) -> DeliberationDigest:
    """Compile the groups' opinions on one report and send them to the unit responsible (tracked from here:
    the unit answers within DELIBERATION_ANSWER_WORKING_DAYS [local])."""
    from ..word import digest_title

    item = get_or_deny(actor, AgendaItem, perms.MEETING_MANAGE, pk=agenda_item_id)
    if item.kind != AgendaItem.Kind.REPORT or item.meeting.session_id is None:
        raise _fail("agenda_item", _("只有代表大会会议审议的报告可以汇总审议意见"))
    unit = next((u for u in unit_choices(item) if u.pk == unit_id), None)
    if unit is None:
        raise _fail("unit", _("请选择%(here)s或本县的承办单位") % terms_for(item.meeting.region).words())
    count = DeliberationOpinion.objects.filter(agenda_item=item).count()
    if not count:
        raise _fail("agenda_item", _("该报告还没有审议意见"))
    if DeliberationDigest.objects.filter(agenda_item=item).exists():
        raise DigestSent(_("该报告的审议意见已汇总送交政府"))
    try:
        digest = create_tracked(
            DeliberationDigest,
            actor=actor,
            fields={
                "region": item.meeting.region,
                "agenda_item": item,
                "unit": unit,
                "title": digest_title(item.title),
                "opinions_count": count,
                "sent_on": timezone.localdate(),
                "created_by": actor,
            },
        )
    except IntegrityError:
        raise DigestSent(_("该报告的审议意见已汇总送交政府")) from None
    transaction.on_commit(lambda: _tell_unit(digest), robust=True)
    return digest


def _tell_unit(digest) -> None:
    from apps.notifications.services import notify

    notify(
        recipients=digest.audience("unit"),
        kind="digest.sent",
        title=_("请研究处理：%(t)s") % {"t": digest.title},
        body=_("办理时限 %(due)s") % {"due": digest.due_date.isoformat() if digest.due_date else "—"},
        url=digest.get_absolute_url(),
        obj=digest,
        dedupe_key=f"digest:{digest.pk}:sent",
    )


def act_on_digest(*, actor, item, key: str, data) -> DeliberationDigest:
    return transition(item, key, actor=actor, data=data)

"""Every write about meetings and votes (DOMAIN §5).

Each service checks permission (`get_or_deny` / `permissions.require_in`), validates, writes in one
transaction and calls `audit.record` as the LAST statement before commit (the audit chain holds a global lock
until commit), then, after commit, `live.publish(meeting_id)` so the hall, chair and phone screens update.

Secret votes: `cast` writes a `VoteParticipation` (who has voted) and increments one `VoteTally` counter
(what was chosen), nothing else; its audit event names the vote and the deputy, never the choice.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts import permissions as perms
from apps.accounts.models import Role, RoleGrant, User
from apps.accounts.scopes import get_or_deny, own_deputy_id, records_refusals
from apps.audit.services import record
from apps.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.common.errors import field_error as _fail
from apps.duty.models import ActivityKind, DutyRecord, ReviewState, Source
from apps.people.models import DeputyLevel, Mandate, MandateStatus
from apps.workflow import uploads

from . import rules
from .models import (
    AgendaItem,
    Attendee,
    Choice,
    Meeting,
    MeetingKind,
    MeetingState,
    OpenBallot,
    Session,
    Vote,
    VoteParticipation,
    VoteState,
    VoteTally,
)


class MeetingConflict(DomainError):
    status = 409
    code = "conflict"
    default_message = gettext_lazy("会议状态已变化，请刷新后再试")


class AlreadyVoted(DomainError):
    status = 409
    code = "already_voted"
    default_message = gettext_lazy("您已投票，本次表决不能改票")


class VoteClosed(DomainError):
    status = 409
    code = "vote_closed"
    default_message = gettext_lazy("表决已结束")


def _bump_and_publish(meeting_id: int, *, final: bool = False) -> None:
    """Grow the meeting's live version (inside the transaction) and tell the screens after commit."""
    Meeting.objects.filter(pk=meeting_id).update(version=F("version") + 1)
    _publish_after_commit(meeting_id, final=final)


def _publish_after_commit(meeting_id: int, *, final: bool = False, phones: bool = True) -> None:
    def _publish():
        from . import live

        live.publish(meeting_id, final=final, phones=phones)

    transaction.on_commit(_publish, robust=True)


def _office_meeting(actor, meeting_id: int, *, lock: bool = True, cap=perms.MEETING_MANAGE) -> Meeting:
    """The meeting if the actor holds `cap` over it (its town's or county's office); locked for the
    transaction."""
    meeting = get_or_deny(actor, Meeting, cap, pk=meeting_id)
    if lock:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    return meeting


# --- planning -----------------------------------------------------------------------------------------------


def expected_deputies(region, day, *, term: int | None = None):
    """Deputies expected at a town's meeting: every in-office town-level mandate of the town's congress whose
    term covers `day` (the current term), or of `term` when the meeting belongs to a session."""
    qs = Mandate.objects.filter(
        level=DeputyLevel.TOWN,
        congress_region=region,
        status=MandateStatus.IN_OFFICE,
        term_start__lte=day,
        term_end__gte=day,
    )
    if term is not None:
        qs = qs.filter(term=term)
    return qs.select_related("deputy").order_by("deputy__name_pinyin", "deputy_id")


def plan_session(*, actor, region, term: int, number: int, starts_on, title: str = "") -> Session:
    perms.require_in(actor, perms.MEETING_MANAGE, region)
    if region.level != "town":
        raise _fail("region", _("代表大会会议须属于一个镇"))
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
    title = (title or "").strip()
    if not title:
        raise _fail("title", _("请填写会议名称"))
    if starts_at is None:
        raise _fail("starts_at", _("请填写开始时间"))
    if session is not None and session.region_id != region.pk:
        raise _fail("session", _("所属大会须是本镇的"))
    if rules.needs_quorum(kind) and session is None:
        raise _fail("session", _("预备会议和全体会议须属于一次代表大会会议"))
    if checkin_opens_at and checkin_closes_at and checkin_closes_at <= checkin_opens_at:
        raise _fail("checkin_closes_at", _("签到截止须晚于签到开始"))
    day = timezone.localtime(starts_at).date()
    mandates = list(expected_deputies(region, day, term=session.term if session else None))
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
        record(
            actor=actor,
            action="meeting.planned",
            obj=meeting,
            summary={"title": meeting.title, "kind": kind, "deputies": len(seen), "non_voting": names},
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
    from apps.workflow.models import Attachment

    meeting = get_or_deny(actor, Meeting, perms.MEETING_MANAGE, pk=meeting_id)
    att = documents_q(meeting).filter(pk=attachment_id).first()
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


def documents_q(meeting):
    """The meeting's documents: those on the meeting and on its agenda items."""
    from apps.workflow.models import Attachment

    m_ct = ContentType.objects.get_for_model(Meeting)
    a_ct = ContentType.objects.get_for_model(AgendaItem)
    items = AgendaItem.objects.filter(meeting=meeting).values("pk")
    return Attachment.objects.filter(
        Q(content_type=m_ct, object_id=meeting.pk) | Q(content_type=a_ct, object_id__in=items)
    ).order_by("uploaded_at", "pk")


# --- check-in and leave -------------------------------------------------------------------------------------


def checkin_open(meeting: Meeting, now=None) -> bool:
    now = now or timezone.now()
    if meeting.state == MeetingState.CLOSED or not meeting.checkin_opens_at:
        return False
    return meeting.checkin_opens_at <= now and (
        meeting.checkin_closes_at is None or now < meeting.checkin_closes_at
    )


@records_refusals()
def open_checkin(*, actor, meeting_id: int) -> Meeting:
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id)
        if meeting.state == MeetingState.CLOSED:
            raise MeetingConflict(_("会议已结束"))
        meeting.checkin_opens_at = timezone.now()
        meeting.checkin_closes_at = None
        meeting.checkin_token = secrets.token_urlsafe(24)
        meeting.save(update_fields=["checkin_opens_at", "checkin_closes_at", "checkin_token"])
        _bump_and_publish(meeting.pk)
        record(actor=actor, action="meeting.checkin.opened", obj=meeting)
    return meeting


@records_refusals()
def close_checkin(*, actor, meeting_id: int) -> Meeting:
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id)
        if not checkin_open(meeting):
            raise MeetingConflict(_("签到未开放"))
        meeting.checkin_closes_at = timezone.now()
        meeting.save(update_fields=["checkin_closes_at"])
        _bump_and_publish(meeting.pk)
        record(actor=actor, action="meeting.checkin.closed", obj=meeting)
    return meeting


def check_in(*, actor, meeting_id: int, token: str | None = None) -> Attendee:
    """The deputy checks themself in on their phone while check-in is open; with the door's QR token the
    method is `qr` (the token must be the one the door screen shows now)."""
    deputy_id = own_deputy_id(actor)
    if deputy_id is None:
        raise PermissionDenied(_("只有代表本人可以签到"))
    meeting = get_or_deny(actor, Meeting, pk=meeting_id)
    method = Attendee.Method.PHONE
    if token:
        if not meeting.checkin_token or not secrets.compare_digest(str(token), meeting.checkin_token):
            raise _fail("token", _("签到二维码已失效，请重新扫描会场的二维码"))
        method = Attendee.Method.QR
    with transaction.atomic():
        attendee = (
            Attendee.objects.select_for_update().filter(meeting_id=meeting.pk, deputy_id=deputy_id).first()
        )
        if attendee is None:
            raise PermissionDenied(_("您不在本次会议的应到人员中"))
        if attendee.checked_in_at:
            return attendee  # checking in twice is harmless: keep the first time
        if not checkin_open(meeting):
            raise MeetingConflict(_("现在不在签到时间内，请联系会务工作人员"))
        attendee.checked_in_at = timezone.now()
        attendee.checkin_method = method
        attendee.checked_in_by = actor
        attendee.late = meeting.state == MeetingState.OPEN
        attendee.save(update_fields=["checked_in_at", "checkin_method", "checked_in_by", "late"])
        _bump_and_publish(meeting.pk)
        record(
            actor=actor,
            action="meeting.checkin",
            obj=meeting,
            summary={"attendee": attendee.pk, "deputy": deputy_id, "method": method, "late": attendee.late},
        )
    return attendee


@records_refusals()
def staff_check_in(*, actor, meeting_id: int, attendee_id: int) -> Attendee:
    """The office checks someone in (paper list at the door, a phone without signal), also late: `late` when
    after the check-in closed or after the meeting opened."""
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id)
        if meeting.state == MeetingState.CLOSED:
            raise MeetingConflict(_("会议已结束"))
        attendee = Attendee.objects.select_for_update().filter(pk=attendee_id, meeting=meeting).first()
        if attendee is None:
            raise NotFound()
        if attendee.checked_in_at:
            raise MeetingConflict(_("%(name)s已签到") % {"name": attendee.name})
        now = timezone.now()
        attendee.checked_in_at = now
        attendee.checkin_method = Attendee.Method.STAFF
        attendee.checked_in_by = actor
        attendee.late = meeting.state == MeetingState.OPEN or bool(
            meeting.checkin_closes_at and now > meeting.checkin_closes_at
        )
        attendee.save(update_fields=["checked_in_at", "checkin_method", "checked_in_by", "late"])
        _bump_and_publish(meeting.pk)
        record(
            actor=actor,
            action="meeting.checkin.staff",
            obj=meeting,
            summary={"attendee": attendee.pk, "deputy": attendee.deputy_id, "late": attendee.late},
        )
    return attendee


def request_leave(*, actor, meeting_id: int, reason: str) -> Attendee:
    deputy_id = own_deputy_id(actor)
    if deputy_id is None:
        raise PermissionDenied(_("只有代表本人可以请假"))
    reason = (reason or "").strip()
    if not reason:
        raise _fail("reason", _("请填写请假事由"))
    meeting = get_or_deny(actor, Meeting, pk=meeting_id)
    with transaction.atomic():
        attendee = (
            Attendee.objects.select_for_update().filter(meeting_id=meeting.pk, deputy_id=deputy_id).first()
        )
        if attendee is None:
            raise PermissionDenied(_("您不在本次会议的应到人员中"))
        if meeting.state == MeetingState.CLOSED:
            raise MeetingConflict(_("会议已结束"))
        if attendee.checked_in_at:
            raise MeetingConflict(_("您已签到，不能再请假"))
        attendee.leave = Attendee.Leave.REQUESTED
        attendee.leave_reason = reason[:200]
        attendee.save(update_fields=["leave", "leave_reason"])
        _bump_and_publish(meeting.pk)
        record(
            actor=actor,
            action="meeting.leave.requested",
            obj=meeting,
            summary={"attendee": attendee.pk},
            reason=reason,
        )
    return attendee


@records_refusals()
def decide_leave(*, actor, meeting_id: int, attendee_id: int, approve: bool, reason: str = "") -> Attendee:
    """The office approves or declines a leave request; it may also record leave asked for by phone."""
    reason = (reason or "").strip()
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id)
        attendee = Attendee.objects.select_for_update().filter(pk=attendee_id, meeting=meeting).first()
        if attendee is None:
            raise NotFound()
        if meeting.state == MeetingState.CLOSED:
            raise MeetingConflict(_("会议已结束"))
        if attendee.checked_in_at and approve:
            raise MeetingConflict(_("%(name)s已签到，不能准假") % {"name": attendee.name})
        if approve and not (attendee.leave_reason or reason):
            raise _fail("reason", _("请填写请假事由"))
        attendee.leave = Attendee.Leave.APPROVED if approve else Attendee.Leave.DECLINED
        if not attendee.leave_reason and reason:
            attendee.leave_reason = reason[:200]
        attendee.save(update_fields=["leave", "leave_reason"])
        _bump_and_publish(meeting.pk)
        record(
            actor=actor,
            action="meeting.leave.decided",
            obj=meeting,
            summary={"attendee": attendee.pk, "approve": approve},
            reason=reason,
        )
    return attendee


# --- opening and closing the meeting ------------------------------------------------------------------------


def attendance(meeting_id: int) -> dict:
    """Voting deputies expected, present, on approved leave: one aggregate query."""
    row = Attendee.objects.filter(meeting_id=meeting_id, voting=True).aggregate(
        total=Count("pk"),
        present=Count("pk", filter=Q(checked_in_at__isnull=False)),
        on_leave=Count("pk", filter=Q(checked_in_at__isnull=True, leave=Attendee.Leave.APPROVED)),
    )
    return {k: row[k] or 0 for k in ("total", "present", "on_leave")}


@records_refusals()
def open_meeting(*, actor, meeting_id: int) -> Meeting:
    """Declare the meeting open; a congress sitting only with two thirds of all deputies present [law]."""
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id)
        if meeting.state != MeetingState.PLANNED:
            raise MeetingConflict(_("会议已开始或已结束"))
        counts = attendance(meeting.pk)
        if rules.needs_quorum(meeting.kind) and not rules.quorum_met(counts["total"], counts["present"]):
            raise ValidationFailed(
                _("出席代表%(present)s人，不足全体代表%(total)s人的三分之二（须%(quorum)s人），不能开会")
                % {
                    "present": counts["present"],
                    "total": counts["total"],
                    "quorum": rules.quorum(counts["total"]),
                },
                code="no_quorum",
            )
        now = timezone.now()
        meeting.state = MeetingState.OPEN
        meeting.opened_at = now
        # The door's QR token stays: the hall screen keeps showing it to late arrivals while check-in is open.
        meeting.save(update_fields=["state", "opened_at"])
        if meeting.session_id and rules.needs_quorum(meeting.kind):
            Session.objects.filter(pk=meeting.session_id, opened_at__isnull=True).update(opened_at=now)
        _bump_and_publish(meeting.pk)
        record(actor=actor, action="meeting.opened", obj=meeting, summary=counts)
    return meeting


@records_refusals()
def close_meeting(*, actor, meeting_id: int) -> Meeting:
    """Close the meeting and append every expected deputy's duty record: attended, on leave, or absent."""
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id)
        if meeting.state != MeetingState.OPEN:
            raise MeetingConflict(_("会议未在进行中"))
        if Vote.objects.filter(meeting=meeting, state=VoteState.OPEN).exists():
            raise MeetingConflict(_("还有表决未结束，请先结束表决"))
        now = timezone.now()
        meeting.state = MeetingState.CLOSED
        meeting.closed_at = now
        meeting.ends_at = meeting.ends_at or now
        if meeting.checkin_closes_at is None or meeting.checkin_closes_at > now:
            meeting.checkin_closes_at = now
        meeting.save(update_fields=["state", "closed_at", "ends_at", "checkin_closes_at"])
        added = append_attendance_records(meeting)
        _bump_and_publish(meeting.pk)
        record(actor=actor, action="meeting.closed", obj=meeting, summary={"duty_records": added})
    return meeting


# --- duty records, in bulk ----------------------------------------------------------------------------------


def _bulk_duty(rows: list[tuple[dict, str]], *, kind_date, title: str, source) -> int:
    """One bulk insert of platform duty records, idempotent per (deputy, kind, source object) as
    `duty.services.append_platform_record` is: the unique constraint skips what is already there.
    `rows` are (deputy values with id, county_id, town_id; kind)."""
    if not rows:
        return 0
    ctype = ContentType.objects.get_for_model(source)
    objs = [
        DutyRecord(
            deputy_id=d["id"],
            county_id=d["county_id"],
            town_id=d["town_id"],
            kind=kind,
            date=kind_date,
            title=title[:200],
            source=Source.PLATFORM,
            review_state=ReviewState.APPROVED,
            source_type=ctype,
            source_id=str(source.pk),
        )
        for d, kind in rows
    ]
    DutyRecord.objects.bulk_create(objs, ignore_conflicts=True)
    return len(objs)


def append_attendance_records(meeting: Meeting) -> int:
    """Attended (session or meeting attendance), approved leave, or absence, for each expected voting
    deputy: one read and one insert whatever the number of deputies."""
    attended = (
        ActivityKind.SESSION_ATTENDANCE
        if rules.needs_quorum(meeting.kind)
        else ActivityKind.MEETING_ATTENDANCE
    )
    rows = []
    for a in Attendee.objects.filter(meeting=meeting, voting=True, deputy__isnull=False).values(
        "checked_in_at", "leave", "deputy_id", "deputy__county_id", "deputy__town_id"
    ):
        if a["checked_in_at"]:
            kind = attended
        elif a["leave"] == Attendee.Leave.APPROVED:
            kind = ActivityKind.LEAVE
        else:
            kind = ActivityKind.ABSENCE
        rows.append(
            (
                {"id": a["deputy_id"], "county_id": a["deputy__county_id"], "town_id": a["deputy__town_id"]},
                kind,
            )
        )
    day = timezone.localtime(meeting.opened_at or meeting.starts_at).date()
    return _bulk_duty(rows, kind_date=day, title=meeting.title, source=meeting)


def append_vote_records(vote: Vote, meeting: Meeting) -> int:
    """A `vote` duty record for every deputy who took part (open ballot or secret participation)."""
    through = VoteParticipation if vote.secret else OpenBallot
    rows = [
        (
            {"id": d["deputy_id"], "county_id": d["deputy__county_id"], "town_id": d["deputy__town_id"]},
            ActivityKind.VOTE,
        )
        for d in through.objects.filter(vote=vote).values("deputy_id", "deputy__county_id", "deputy__town_id")
    ]
    day = timezone.localtime(vote.closed_at or timezone.now()).date()
    return _bulk_duty(rows, kind_date=day, title=f"{meeting.title}：{vote.title}", source=vote)


# --- votes --------------------------------------------------------------------------------------------------


@records_refusals()
def create_vote(
    *,
    actor,
    meeting_id: int,
    agenda_item_id: int,
    secret: bool = False,
    allow_change: bool | None = None,
    duration_seconds: int | None = None,
    title: str = "",
) -> Vote:
    """A vote on an agenda item: round 1, or a re-vote as the next round beside the closed ones."""
    if duration_seconds is not None and not (10 <= int(duration_seconds) <= 24 * 3600):
        raise _fail("duration_seconds", _("限时须在10秒到24小时之间"))
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id, cap=perms.VOTE_OPEN)
        if meeting.state == MeetingState.CLOSED:
            raise MeetingConflict(_("会议已结束"))
        item = AgendaItem.objects.filter(pk=agenda_item_id, meeting=meeting).first()
        if item is None:
            raise _fail("agenda_item", _("议程不存在"))
        rounds = list(Vote.objects.filter(agenda_item=item).values_list("round", "state"))
        if any(state != VoteState.CLOSED for _r, state in rounds):
            raise MeetingConflict(_("该议程还有未结束的表决"))
        if allow_change is None:
            allow_change = meeting.allow_vote_change
        vote = Vote.objects.create(
            meeting=meeting,
            agenda_item=item,
            round=max((r for r, _s in rounds), default=0) + 1,
            title=((title or "").strip() or item.title)[:200],
            secret=bool(secret),
            # A secret ballot cannot be changed: nothing links it to the deputy to find it again.
            allow_change=bool(allow_change) and not secret,
            duration_seconds=duration_seconds,
        )
        if vote.secret:
            VoteTally.objects.bulk_create([VoteTally(vote=vote, choice=c) for c in Choice.values])
        _bump_and_publish(meeting.pk)
        record(
            actor=actor,
            action="meeting.vote.created",
            obj=vote,
            summary={"meeting": meeting.pk, "item": item.pk, "round": vote.round, "secret": vote.secret},
        )
    return vote


@records_refusals()
def open_vote(*, actor, vote_id: int) -> Vote:
    vote = get_or_deny(actor, Vote, perms.VOTE_OPEN, pk=vote_id)
    with transaction.atomic():
        meeting = _office_meeting(actor, vote.meeting_id, cap=perms.VOTE_OPEN)
        vote = Vote.objects.select_for_update().get(pk=vote.pk)
        if meeting.state != MeetingState.OPEN:
            raise MeetingConflict(_("会议开始后才能开始表决"))
        if vote.state != VoteState.READY:
            raise MeetingConflict(_("该表决已开始或已结束"))
        if Vote.objects.filter(meeting=meeting, state=VoteState.OPEN).exists():
            raise MeetingConflict(_("另一项表决正在进行，请先结束"))
        now = timezone.now()
        vote.state = VoteState.OPEN
        vote.opened_at = now
        vote.opened_by = actor
        vote.closes_at = now + timedelta(seconds=vote.duration_seconds) if vote.duration_seconds else None
        vote.save(update_fields=["state", "opened_at", "opened_by", "closes_at"])
        _bump_and_publish(meeting.pk)
        record(actor=actor, action="meeting.vote.opened", obj=vote, summary={"closes_at": vote.closes_at})
    return vote


def cast(*, actor, vote_id: int, choice: str) -> int:
    """One ballot of a checked-in voting deputy on an open vote; returns the vote's meeting. The database
    refuses a second one (unique per vote and deputy); an open ballot may be changed until close when the
    vote allows it. A secret ballot writes who has voted and increments one counter, and its audit event
    never names the choice.

    The path a whole congress takes at once (bench/vote_load.py), so it is a few plain statements: one read
    of the vote (locked, see `_ballot_context`) with the deputy's seat, one insert that reports a conflict
    instead of failing (no savepoint), the counter of a secret vote, and the audit event."""
    if choice not in Choice.values:
        raise _fail("choice", _("请选择赞成、反对或弃权"))
    deputy_id = own_deputy_id(actor)
    if deputy_id is None:
        raise PermissionDenied(_("只有代表本人可以投票"))
    now = timezone.now()
    with transaction.atomic():
        ctx = _ballot_context(vote_id, deputy_id, actor.pk, now)
        if ctx is None or not ctx["seated"]:
            raise NotFound()
        if not ctx["granted"]:  # revoked or deactivated since the login's grants were read
            raise PermissionDenied(_("只有代表本人可以投票"))
        if ctx["state"] != VoteState.OPEN:
            raise VoteClosed() if ctx["state"] == VoteState.CLOSED else MeetingConflict(_("表决尚未开始"))
        if ctx["expired"]:
            raise VoteClosed()
        if not ctx["voting"]:
            raise PermissionDenied(_("列席人员没有表决权"))
        if not ctx["checked_in"]:
            raise ValidationFailed(_("请先签到再投票"), code="not_checked_in")
        if ctx["secret"]:
            if not _insert_once(VoteParticipation, vote_id=vote_id, deputy_id=deputy_id):
                raise AlreadyVoted(_("您已投票；无记名表决不能改票"))
            VoteTally.objects.filter(vote_id=vote_id, choice=choice).update(count=F("count") + 1)
            summary = {"vote": vote_id, "deputy": deputy_id}  # never the choice
            action = "meeting.vote.cast_secret"
        else:
            changed = not _insert_once(
                OpenBallot, vote_id=vote_id, deputy_id=deputy_id, choice=choice, cast_at=now, changed_at=None
            )
            if changed:
                if not ctx["allow_change"]:
                    raise AlreadyVoted()
                OpenBallot.objects.filter(vote_id=vote_id, deputy_id=deputy_id).update(
                    choice=choice, changed_at=now
                )
            summary = {"vote": vote_id, "deputy": deputy_id, "choice": choice, "changed": changed}
            action = "meeting.vote.cast"
        # No version bump: that would lock the meeting row until commit and queue every ballot behind it;
        # the screens take a state of the same version, and the throttle's trailing send is read last.
        _publish_after_commit(ctx["meeting_id"], phones=False)
        record(
            actor=actor, action=action, object_type="meetings.vote", object_id=str(vote_id), summary=summary
        )
    return ctx["meeting_id"]


def _ballot_context(vote_id: int, deputy_id: int, user_id: int, now) -> dict | None:
    """The vote, the deputy's seat in its meeting and whether the login is still that deputy's (an active
    user with the deputy grant: a phone's socket or a cached token may outlive a revoked grant), in one read.
    The vote's row is locked so that every ballot lands before or after its close, never beside it: on
    PostgreSQL the weakest shared lock (FOR KEY SHARE OF the vote, the one the ballot's foreign key takes
    anyway), so ballots run side by side and only the close (FOR UPDATE) waits for them; SQLite has one
    writer at a time anyway."""
    vote_table, seat_table = Vote._meta.db_table, Attendee._meta.db_table
    grant_table, user_table = RoleGrant._meta.db_table, User._meta.db_table
    sql = (
        "SELECT v.meeting_id, v.state, v.secret, v.allow_change,"
        " (v.closes_at IS NOT NULL AND v.closes_at <= %s) AS expired,"
        " a.id IS NOT NULL AS seated, a.voting, a.checked_in_at IS NOT NULL AS checked_in,"
        f" EXISTS (SELECT 1 FROM {grant_table} g JOIN {user_table} u ON u.id = g.user_id"
        "  WHERE g.user_id = %s AND g.deputy_id = %s AND g.role = %s AND u.is_active) AS granted"
        f" FROM {vote_table} v LEFT JOIN {seat_table} a ON a.meeting_id = v.meeting_id AND a.deputy_id = %s"
        " WHERE v.id = %s"
    )
    if connection.vendor == "postgresql":
        sql += " FOR KEY SHARE OF v"
    at = connection.ops.adapt_datetimefield_value(now)
    params = [at, user_id, deputy_id, Role.DEPUTY, deputy_id, vote_id]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    if row is None:
        return None
    names = ("meeting_id", "state", "secret", "allow_change", "expired", "seated", "voting", "checked_in")
    return dict(zip((*names, "granted"), row, strict=True))


def _insert_once(model, **values) -> bool:
    """Insert one row of a model whose (vote, deputy) is unique; False, and nothing written, when the row is
    already there. `ON CONFLICT DO NOTHING` (PostgreSQL and SQLite alike) instead of catching the error in a
    savepoint: one statement, and the transaction stays usable."""
    columns = list(values)
    params = [
        connection.ops.adapt_datetimefield_value(v) if k.endswith("_at") else v for k, v in values.items()
    ]
    placeholders = ", ".join(["%s"] * len(columns))
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({placeholders})"
        " ON CONFLICT (vote_id, deputy_id) DO NOTHING RETURNING id"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone() is not None


def tally(vote: Vote) -> dict:
    """For, against, abstain of a vote: one aggregate over its open ballots or one read of its 3 counters."""
    if vote.secret:
        counts = dict(VoteTally.objects.filter(vote=vote).values_list("choice", "count"))
    else:
        counts = OpenBallot.objects.filter(vote=vote).aggregate(
            **{c: Count("pk", filter=Q(choice=c)) for c in Choice.values}
        )
    return {c: counts.get(c) or 0 for c in Choice.values}


def close_vote(*, actor, vote_id: int, system: bool = False) -> Vote:
    """Close a vote and store its result once (DOMAIN §5): all deputies, present, for, against, abstain, not
    voted, adopted by more than half of ALL deputies [law]. A constant number of queries whatever the number
    of deputies; a second close is refused (409) and the stored result is never written again."""
    if system:
        vote = Vote.objects.filter(pk=vote_id).first()
        if vote is None:
            raise NotFound()
    else:
        vote = get_or_deny(actor, Vote, perms.VOTE_OPEN, pk=vote_id)
    with transaction.atomic():
        vote = Vote.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=vote.pk)
        if vote.state != VoteState.OPEN or vote.closed_at is not None:
            raise VoteClosed(_("该表决未在进行中（已结束的结果不能修改）"))
        counts = tally(vote)
        att = attendance(vote.meeting_id)
        voted = sum(counts.values())
        now = timezone.now()
        result = {
            "total_deputies": att["total"],
            "present": att["present"],
            "votes_for": counts[Choice.FOR],
            "votes_against": counts[Choice.AGAINST],
            "votes_abstain": counts[Choice.ABSTAIN],
            "not_voted": rules.not_voted(att["present"], voted),
            "adopted": rules.adopted(att["total"], counts[Choice.FOR]),
        }
        updated = Vote.objects.filter(pk=vote.pk, closed_at__isnull=True).update(
            state=VoteState.CLOSED, closed_at=now, closed_by=None if system else actor, **result
        )
        if not updated:
            raise VoteClosed()
        for k, v in result.items():
            setattr(vote, k, v)
        vote.state, vote.closed_at = VoteState.CLOSED, now
        added = append_vote_records(vote, vote.meeting)
        _bump_and_publish(vote.meeting_id, final=True)
        record(
            actor=None if system else actor,
            action="meeting.vote.closed",
            obj=vote,
            summary={**result, "system": system, "duty_records": added},
        )
    return vote


def close_due_votes(now=None) -> int:
    """Close every open vote past its set time (huey every minute, and on read)."""
    now = now or timezone.now()
    closed = 0
    for vote_id in Vote.objects.filter(state=VoteState.OPEN, closes_at__lte=now).values_list("pk", flat=True):
        try:
            close_vote(actor=None, vote_id=vote_id, system=True)
            closed += 1
        except VoteClosed:
            pass  # closed by the chair meanwhile
    return closed

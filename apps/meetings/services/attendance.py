"""Check-in, leave, and opening and closing the meeting (DOMAIN §5)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.scopes import deny, get_or_deny, own_deputy_id, records_refusals
from apps.audit.services import record
from apps.common.errors import NotFound, ValidationFailed
from apps.common.errors import field_error as _fail

from .. import rules, selectors
from ..errors import ErrorCode
from ..models import Attendee, Meeting, MeetingState, Session, Vote, VoteState
from .base import MeetingConflict, _bump_and_publish, _office_meeting
from .records import append_attendance_records


def _refuse(actor, attempted: str, meeting_id: int, message) -> None:
    """Refuse (403) and log a login that is no deputy's, naming the meeting by id: nothing is read before
    this answer, as before (whether the meeting exists or is in sight is not told)."""
    deny(actor, attempted, object_type="meetings.meeting", object_id=str(meeting_id), message=message)


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
        if not selectors.checkin_open(meeting):
            raise MeetingConflict(_("签到未开放"))
        meeting.checkin_closes_at = timezone.now()
        meeting.save(update_fields=["checkin_closes_at"])
        _bump_and_publish(meeting.pk)
        record(actor=actor, action="meeting.checkin.closed", obj=meeting)
    return meeting


@records_refusals()
def check_in(*, actor, meeting_id: int, token: str | None = None) -> Attendee:
    """The deputy checks themself in on their phone while check-in is open; with the door's QR token the
    method is `qr` (the token must be the one the door screen shows now)."""
    deputy_id = own_deputy_id(actor)
    if deputy_id is None:
        _refuse(actor, "meeting.checkin", meeting_id, _("只有代表本人可以签到"))
    meeting = get_or_deny(actor, Meeting, pk=meeting_id)
    method = Attendee.Method.PHONE
    if token:
        # compared as bytes: compare_digest refuses str with characters beyond ASCII (a 500 on 签到码 "码")
        given, shown = str(token).encode(), (meeting.checkin_token or "").encode()
        if not shown or not secrets.compare_digest(given, shown):
            raise _fail("token", _("签到二维码已失效，请重新扫描会场的二维码"))
        method = Attendee.Method.QR
    with transaction.atomic():
        attendee = (
            Attendee.objects.select_for_update().filter(meeting_id=meeting.pk, deputy_id=deputy_id).first()
        )
        if attendee is None:
            deny(actor, "meeting.checkin", meeting, message=_("您不在本次会议的应到人员中"))
        if attendee.checked_in_at:
            return attendee  # checking in twice is harmless: keep the first time
        if not selectors.checkin_open(meeting):
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


@records_refusals()
def request_leave(*, actor, meeting_id: int, reason: str) -> Attendee:
    deputy_id = own_deputy_id(actor)
    if deputy_id is None:
        _refuse(actor, "meeting.leave.requested", meeting_id, _("只有代表本人可以请假"))
    reason = (reason or "").strip()
    if not reason:
        raise _fail("reason", _("请填写请假事由"))
    meeting = get_or_deny(actor, Meeting, pk=meeting_id)
    with transaction.atomic():
        attendee = (
            Attendee.objects.select_for_update().filter(meeting_id=meeting.pk, deputy_id=deputy_id).first()
        )
        if attendee is None:
            deny(actor, "meeting.leave.requested", meeting, message=_("您不在本次会议的应到人员中"))
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


@records_refusals()
def open_meeting(*, actor, meeting_id: int) -> Meeting:
    """Declare the meeting open; a congress sitting only with two thirds of all deputies present [law]."""
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id)
        if meeting.state != MeetingState.PLANNED:
            raise MeetingConflict(_("会议已开始或已结束"))
        counts = selectors.attendance(meeting.pk)
        if rules.needs_quorum(meeting.kind) and not rules.quorum_met(counts["total"], counts["present"]):
            raise ValidationFailed(
                _("出席代表%(present)s人，不足全体代表%(total)s人的三分之二（须%(quorum)s人），不能开会")
                % {
                    "present": counts["present"],
                    "total": counts["total"],
                    "quorum": rules.quorum(counts["total"]),
                },
                code=ErrorCode.NO_QUORUM,
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

"""Deputies without phones (issue 16 item 2): the office checks many in at once (a ticked list, or the
代表码 on their cards read by a scanner), and their paper ballots join the same vote as the phones'.

- An OPEN (named) vote: one staff member records a named deputy's paper ballot (`record_paper_ballot`), a
  second one confirms it (`confirm_paper_ballot`); only then does it become the deputy's `OpenBallot`
  (marked paper), under the same unique (vote, deputy) as a phone's, so a deputy votes one way only.
- A SECRET vote: the office hands a named deputy a paper ballot (`issue_paper_ballots`), which writes that
  deputy's `VoteParticipation` (marked paper; the same uniqueness shuts their phone out). Paper ballots carry
  no name: after the close, one teller enters the counted totals (issued, returned, valid, void, for,
  against, abstain: `enter_paper_totals`) and another confirms them (`confirm_paper_totals`). The result is
  the box's decrypted totals plus the paper totals, stored once both are in (`finish_secret`); more ballots
  back than handed out, or than deputies present (phones + paper returned > present), voids the vote
  [law, 选举法 §41 by analogy: 收回的选票多于发出的选票 ... 选举无效].
Every entry and confirmation is audited naming both staff members.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, get_or_deny, records_refusals
from apps.audit.services import record
from apps.common.errors import NotFound
from apps.common.errors import field_error as _fail

from .. import rules
from ..models import (
    Attendee,
    Choice,
    Meeting,
    MeetingState,
    OpenBallot,
    PendingPaperBallot,
    Vote,
    VoteParticipation,
    VoteState,
)
from ..selectors import is_teller
from .base import AlreadyVoted, MeetingConflict, _bump_and_publish, _office_meeting, vote_box

# What a deputy card's QR code holds: the public card's address /d/<代表码>/ (apps.people), or the code alone.
CARD_CODE = re.compile(r"([0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})")
MAX_BULK = 2000


def card_codes(text: str) -> list[str]:
    """The 代表码 in what a scanner typed (one or many, URLs or bare codes, any separators)."""
    return [m.replace("-", "").lower() for m in CARD_CODE.findall(text or "")]


@records_refusals()
def staff_check_in_many(*, actor, meeting_id: int, attendee_ids=(), scanned: str = "") -> dict:
    """Check in every ticked attendee and every deputy whose card was scanned, in one transaction; those
    already in are left as they were. Answers who was checked in, who already was, and codes not found."""
    ids = list(dict.fromkeys(int(i) for i in attendee_ids or []))
    codes = card_codes(scanned)
    if not ids and not codes:
        raise _fail("attendees", _("请勾选代表或扫描代表证上的二维码"))
    if len(ids) + len(codes) > MAX_BULK:
        raise _fail("attendees", _("一次最多签到%(n)s人") % {"n": MAX_BULK})
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id)
        if meeting.state == MeetingState.CLOSED:
            raise MeetingConflict(_("会议已结束"))
        seats = list(Attendee.objects.select_for_update().filter(meeting=meeting, pk__in=ids))
        if len(seats) != len(ids):
            raise _fail("attendees", _("所选人员不在本次会议的应到人员中"))
        by_code = {
            str(a.deputy.public_code).replace("-", ""): a
            for a in Attendee.objects.select_for_update()
            .select_related("deputy")
            .filter(meeting=meeting, deputy__isnull=False)
        }
        unknown = [c for c in codes if c not in by_code]
        wanted = {a.pk: a for a in seats} | {by_code[c].pk: by_code[c] for c in codes if c in by_code}
        now = timezone.now()
        late = meeting.state == MeetingState.OPEN or bool(
            meeting.checkin_closes_at and now > meeting.checkin_closes_at
        )
        done, already = [], []
        for a in wanted.values():
            if a.checked_in_at:
                already.append(a)
                continue
            a.checked_in_at, a.checkin_method, a.checked_in_by, a.late = (
                now,
                Attendee.Method.STAFF,
                actor,
                late,
            )
            done.append(a)
        Attendee.objects.bulk_update(done, ["checked_in_at", "checkin_method", "checked_in_by", "late"])
        if done:
            _bump_and_publish(meeting.pk)
        record(
            actor=actor,
            action="meeting.checkin.staff_bulk",
            obj=meeting,
            summary={
                "attendees": [a.pk for a in done],
                "already": [a.pk for a in already],
                "scanned": len(codes),
                "unknown": len(unknown),
                "late": late,
            },
        )
    return {
        "checked_in": [a.name for a in done],
        "already": [a.name for a in already],
        "unknown": unknown,
    }


def _open_vote_of(actor, vote_id: int, *, secret: bool) -> tuple[Vote, Meeting]:
    vote = get_or_deny(actor, Vote, perms.VOTE_OPEN, pk=vote_id)
    meeting = _office_meeting(actor, vote.meeting_id, cap=perms.VOTE_OPEN)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.state != VoteState.OPEN or (vote.closes_at and vote.closes_at <= timezone.now()):
        raise MeetingConflict(_("表决未在进行中"))
    if vote.secret != secret:
        msg = _("无记名表决的纸质票由监票人统计总数") if vote.secret else _("记名表决的纸质票须逐人录入")
        raise MeetingConflict(msg)
    return vote, meeting


def _voter(meeting: Meeting, deputy_id: int) -> Attendee:
    seat = Attendee.objects.filter(meeting=meeting, deputy_id=deputy_id).first()
    if seat is None:
        raise _fail("deputy", _("该代表不在本次会议的应到人员中"))
    if not seat.voting:
        raise _fail("deputy", _("列席人员没有表决权"))
    if not seat.checked_in_at:
        raise _fail("deputy", _("%(name)s尚未签到") % {"name": seat.name})
    return seat


@records_refusals()
def record_paper_ballot(*, actor, vote_id: int, deputy_id: int, choice: str) -> PendingPaperBallot:
    """A named deputy's paper ballot in an open vote, as marked on paper: waits for a second staff member."""
    if choice not in Choice.values:
        raise _fail("choice", _("请选择赞成、反对或弃权"))
    with transaction.atomic():
        vote, meeting = _open_vote_of(actor, vote_id, secret=False)
        seat = _voter(meeting, deputy_id)
        if OpenBallot.objects.filter(vote=vote, deputy_id=deputy_id).exists():
            raise AlreadyVoted(_("%(name)s已投票，不能再录入纸质票") % {"name": seat.name})
        try:
            with transaction.atomic():
                pending = PendingPaperBallot.objects.create(
                    vote=vote, deputy_id=deputy_id, choice=choice, recorded_by=actor
                )
        except IntegrityError:
            raise AlreadyVoted(_("%(name)s的纸质票已录入，等待复核") % {"name": seat.name}) from None
        record(
            actor=actor,
            action="meeting.vote.paper_recorded",
            obj=vote,
            summary={"deputy": deputy_id, "choice": choice, "recorded_by": actor.pk, "pending": pending.pk},
        )
    return pending


@records_refusals()
def confirm_paper_ballot(*, actor, vote_id: int, deputy_id: int, accept: bool = True) -> OpenBallot | None:
    """A second staff member checks the entry against the paper: accepted, it becomes the deputy's ballot
    (refused if the deputy voted on the phone meanwhile); rejected, it is dropped to be entered again."""
    with transaction.atomic():
        vote, _meeting = _open_vote_of(actor, vote_id, secret=False)
        pending = (
            PendingPaperBallot.objects.select_for_update().filter(vote=vote, deputy_id=deputy_id).first()
        )
        if pending is None:
            raise NotFound()
        if pending.recorded_by_id == actor.pk:
            deny(actor, "meeting.vote.paper_confirmed", vote, message=_("须由另一名工作人员复核"))
        summary = {
            "deputy": pending.deputy_id,
            "choice": pending.choice,
            "recorded_by": pending.recorded_by_id,
            "confirmed_by": actor.pk,
            "accepted": accept,
        }
        ballot = None
        if accept:
            ballot, created = OpenBallot.objects.get_or_create(
                vote=vote,
                deputy_id=pending.deputy_id,
                defaults={
                    "choice": pending.choice,
                    "cast_at": timezone.now(),
                    "paper": True,
                    "recorded_by_id": pending.recorded_by_id,
                    "confirmed_by": actor,
                },
            )
            if not created:
                raise AlreadyVoted(_("该代表已用手机投票，纸质票不计入"))
        pending.delete()
        _bump_and_publish(vote.meeting_id)
        record(actor=actor, action="meeting.vote.paper_confirmed", obj=vote, summary=summary)
    return ballot


@records_refusals()
def issue_paper_ballots(*, actor, vote_id: int, deputy_ids) -> int:
    """Hand named deputies a paper ballot of an open secret vote: each one's participation is written now
    (marked paper), so their phone is refused; what they mark is counted by the tellers in the totals."""
    ids = list(dict.fromkeys(int(i) for i in deputy_ids or []))
    if not ids:
        raise _fail("deputies", _("请选择领取纸质票的代表"))
    with transaction.atomic():
        vote, meeting = _open_vote_of(actor, vote_id, secret=True)
        seats = [_voter(meeting, i) for i in ids]
        voted = set(
            VoteParticipation.objects.filter(vote=vote, deputy_id__in=ids).values_list("deputy_id", flat=True)
        )
        if voted:
            names = "、".join(s.name for s in seats if s.deputy_id in voted)
            raise AlreadyVoted(_("%(names)s已投票或已领取纸质票") % {"names": names})
        VoteParticipation.objects.bulk_create(
            [VoteParticipation(vote=vote, deputy_id=i, paper=True) for i in ids]
        )
        _bump_and_publish(vote.meeting_id)
        record(
            actor=actor,
            action="meeting.vote.paper_issued",
            obj=vote,
            summary={"deputies": ids, "issued_by": actor.pk},
        )
    return len(ids)


PAPER_FIELDS = ("issued", "returned", "valid", "void", "for", "against", "abstain")


def _teller_vote(actor, vote_id: int, attempted: str) -> Vote:
    """The secret vote whose paper totals `actor` enters or confirms (`attempted`, the audit action): only a
    teller named for its meeting may; a refusal is logged."""
    vote = get_or_deny(actor, Vote, pk=vote_id)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if not vote.secret:
        raise MeetingConflict(_("记名表决的纸质票须逐人录入"))
    if not is_teller(actor, vote.meeting_id):
        deny(actor, attempted, vote, message=_("只有本次会议的监票人可以录入纸质票统计"))
    if vote.state != VoteState.COUNTING:
        raise MeetingConflict(_("表决结束后、结果公布前才能录入纸质票统计"))
    return vote


def check_paper_totals(totals: dict, issued: int) -> None:
    """The counted figures must add up: valid + void = returned, for + against + abstain = valid; issued is
    the number of deputies handed a paper ballot. More returned than issued is entered as counted: it voids
    the vote (`rules.ballots_exceed`)."""
    for key in PAPER_FIELDS:
        value = totals.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100_000:
            raise _fail(key, _("请填写0到100000之间的整数"))
    if totals["issued"] != issued:
        raise _fail("issued", _("发出的纸质票应为%(n)s张（领取纸质票的代表人数）") % {"n": issued})
    if totals["valid"] + totals["void"] != totals["returned"]:
        raise _fail("valid", _("有效票与无效票之和应等于收回票数"))
    if totals["for"] + totals["against"] + totals["abstain"] != totals["valid"]:
        raise _fail("for", _("赞成、反对、弃权之和应等于有效票数"))


@records_refusals()
def enter_paper_totals(*, actor, vote_id: int, totals: dict) -> Vote:
    """One teller enters the counted totals of a secret vote's paper ballots; another confirms them."""
    with transaction.atomic():
        vote = _teller_vote(actor, vote_id, "meeting.vote.paper_totals_entered")
        if vote.paper_confirmed_by_id:
            raise MeetingConflict(_("纸质票统计已复核，不能修改"))
        issued = VoteParticipation.objects.filter(vote=vote, paper=True).count()
        check_paper_totals(totals, issued)
        fields = {f"paper_{k}": totals[k] for k in PAPER_FIELDS}
        Vote.objects.filter(pk=vote.pk).update(paper_entered_by=actor, **fields)
        record(
            actor=actor,
            action="meeting.vote.paper_totals_entered",
            obj=vote,
            summary={**totals, "entered_by": actor.pk},
        )
    vote.refresh_from_db()
    return vote


@records_refusals()
def confirm_paper_totals(*, actor, vote_id: int) -> Vote:
    """A second teller confirms the entered paper totals; the result is stored when the box is decrypted."""
    with transaction.atomic():
        vote = _teller_vote(actor, vote_id, "meeting.vote.paper_totals_confirmed")
        if vote.paper_returned is None:
            raise MeetingConflict(_("尚未录入纸质票统计"))
        if vote.paper_confirmed_by_id:
            raise MeetingConflict(_("纸质票统计已复核"))
        if vote.paper_entered_by_id == actor.pk:
            deny(actor, "meeting.vote.paper_totals_confirmed", vote, message=_("须由另一名监票人复核"))
        Vote.objects.filter(pk=vote.pk).update(paper_confirmed_by=actor)
        vote.paper_confirmed_by = actor
        record(
            actor=actor,
            action="meeting.vote.paper_totals_confirmed",
            obj=vote,
            summary={"entered_by": vote.paper_entered_by_id, "confirmed_by": actor.pk},
        )
        finish_secret(vote)
    vote.refresh_from_db()
    return vote


def finish_secret(vote: Vote, box_totals: list[int] | None = None) -> bool:
    """Store a secret vote's result once both halves are in: the box's decrypted totals and, if any deputy
    was handed a paper ballot, the tellers' confirmed paper totals. Inside the caller's transaction, with the
    vote locked. False while one half is missing."""
    if vote.state != VoteState.COUNTING:
        return False
    if box_totals is None:
        box = vote_box(vote.pk)
        if box is None or not box.totals:
            return False
        box_totals = box.totals
    paper_issued = VoteParticipation.objects.filter(vote=vote, paper=True).count()
    if paper_issued and not vote.paper_confirmed_by_id:
        return False
    phone = dict(zip(Choice.values, box_totals[: len(Choice.values)], strict=True))
    phone_count = sum(phone.values())
    paper = {
        Choice.FOR: vote.paper_for or 0,
        Choice.AGAINST: vote.paper_against or 0,
        Choice.ABSTAIN: vote.paper_abstain or 0,
    }
    returned = vote.paper_returned or 0
    voided = rules.ballots_exceed(vote.present or 0, phone_count, paper_issued, returned)
    counts = {c: phone[c] + paper[c] for c in Choice.values}
    voted = phone_count + returned
    result = {
        "votes_for": counts[Choice.FOR],
        "votes_against": counts[Choice.AGAINST],
        "votes_abstain": counts[Choice.ABSTAIN],
        "not_voted": rules.not_voted(vote.present or 0, voted),
        "adopted": False if voided else rules.adopted(vote.total_deputies or 0, counts[Choice.FOR]),
        "phone_ballots": phone_count,
        "paper_ballots": returned,
        "voided": voided,
    }
    Vote.objects.filter(pk=vote.pk, state=VoteState.COUNTING).update(state=VoteState.CLOSED, **result)
    _bump_and_publish(vote.meeting_id, final=True)
    record(
        actor=None,
        action="meeting.vote.tallied",
        obj=vote,
        summary={
            **result,
            "paper_entered_by": vote.paper_entered_by_id,
            "paper_confirmed_by": vote.paper_confirmed_by_id,
        },
    )
    return True

"""Votes (DOMAIN §5): created on an agenda item, opened, cast, closed once with the stored result.

Secret votes (issue 15): the vote's ballot box (apps.ballotbox) is made with the vote, keyed by the meeting's
tellers, and opened and closed with it. `cast` writes a `VoteParticipation` (who has voted) and seals the
choice in the box in the same transaction (exactly once); no counter of a choice exists, and the audit
event names the vote and the deputy, never the choice. The close combines the sealed ballots and leaves the
vote `counting`; when the last teller gives their share of the decryption, `on_box_tallied` stores the
result once and tells the screens.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.models import Role, RoleGrant, User
from apps.accounts.scopes import deny, get_or_deny, own_deputy_id, records_refusals
from apps.audit.services import record
from apps.ballotbox import services as ballotbox
from apps.ballotbox.models import Box
from apps.common.errors import NotFound, ValidationFailed
from apps.common.errors import field_error as _fail

from .. import rules, selectors
from ..errors import ErrorCode
from ..models import (
    AgendaItem,
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
from .base import (
    AlreadyVoted,
    MeetingConflict,
    VoteClosed,
    _bump_and_publish,
    _office_meeting,
    _publish_after_commit,
    vote_box,
)
from .paper import finish_secret
from .records import append_vote_records
from .tellers import tellers_for_box

# A secret ballot's choice as the box's option index (the box's labels are Choice's labels, in this order).
CHOICE_INDEX = {c: i for i, c in enumerate(Choice.values)}


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
        tellers = tellers_for_box(meeting) if secret else []
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
            ballotbox.create_box(
                actor=actor,
                region=meeting.region,
                title=f"{meeting.title}：{vote.title}"[:200],
                labels=[str(label) for label in Choice.labels],
                tellers=tellers,
                target=vote,
            )
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
        if vote.secret:  # refused (409) until every teller has made their key share
            ballotbox.open_for(vote_box(vote.pk))
        now = timezone.now()
        vote.state = VoteState.OPEN
        vote.opened_at = now
        vote.opened_by = actor
        vote.closes_at = now + timedelta(seconds=vote.duration_seconds) if vote.duration_seconds else None
        vote.save(update_fields=["state", "opened_at", "opened_by", "closes_at"])
        _bump_and_publish(meeting.pk)
        record(actor=actor, action="meeting.vote.opened", obj=vote, summary={"closes_at": vote.closes_at})
    return vote


@records_refusals()
def cast(*, actor, vote_id: int, choice: str) -> str:
    """One ballot of a checked-in voting deputy on an open vote; returns the receipt of a secret ballot
    (empty for a named one). The database refuses a second one (unique per vote and deputy); an open ballot
    may be changed until close when the vote allows it. A secret ballot writes who has voted and seals the
    choice in the vote's box, and its audit event never names the choice.

    The path a whole congress takes at once (bench/vote_load.py), so it is a few plain statements: one read
    of the vote (locked, see `_ballot_context`) with the deputy's seat and the box, one insert that reports a
    conflict instead of failing (no savepoint), the sealed ballot of a secret vote, and the audit event."""
    if choice not in Choice.values:
        raise _fail("choice", _("请选择赞成、反对或弃权"))
    deputy_id = own_deputy_id(actor)
    if deputy_id is None:
        _refuse_ballot(actor, vote_id, _("只有代表本人可以投票"))
    now = timezone.now()
    with transaction.atomic():
        ctx = _ballot_context(vote_id, deputy_id, actor.pk, now)
        if ctx is None or not ctx["seated"]:
            raise NotFound()
        if not ctx["granted"]:  # revoked or deactivated since the login's grants were read
            _refuse_ballot(actor, vote_id, _("只有代表本人可以投票"))
        if ctx["state"] != VoteState.OPEN:
            raise VoteClosed() if ctx["state"] == VoteState.CLOSED else MeetingConflict(_("表决尚未开始"))
        if ctx["expired"]:
            raise VoteClosed()
        if not ctx["voting"]:
            _refuse_ballot(actor, vote_id, _("列席人员没有表决权"))
        if not ctx["checked_in"]:
            raise ValidationFailed(_("请先签到再投票"), code=ErrorCode.NOT_CHECKED_IN)
        if ctx["secret"]:
            if not _insert_once(VoteParticipation, vote_id=vote_id, deputy_id=deputy_id):
                raise AlreadyVoted(_("您已投票；无记名表决不能改票"))
            receipt = ballotbox.seal(
                box_id=ctx["box_id"], choices=CHOICE_INDEX[choice], owner_locked_key=ctx["box_key"]
            )
            summary = {"vote": vote_id, "deputy": deputy_id}  # never the choice, nor the receipt
            action = "meeting.vote.cast_secret"
        else:
            receipt = ""
            changed = not _insert_once(
                OpenBallot, vote_id=vote_id, deputy_id=deputy_id, choice=choice, cast_at=now, changed_at=None
            )
            if changed:
                if not ctx["allow_change"]:
                    raise AlreadyVoted()
                # a paper ballot (issue 16) is never changed from a phone
                if not OpenBallot.objects.filter(vote_id=vote_id, deputy_id=deputy_id, paper=False).update(
                    choice=choice, changed_at=now
                ):
                    raise AlreadyVoted(_("您已投纸质票"))
            summary = {"vote": vote_id, "deputy": deputy_id, "choice": choice, "changed": changed}
            action = "meeting.vote.cast"
        # No version bump: that would lock the meeting row until commit and queue every ballot behind it;
        # the screens take a state of the same version, and the throttle's trailing send is read last.
        _publish_after_commit(ctx["meeting_id"], phones=False)
        record(
            actor=actor, action=action, object_type="meetings.vote", object_id=str(vote_id), summary=summary
        )
    return receipt


def _refuse_ballot(actor, vote_id: int, message) -> None:
    """Refuse the ballot (403) and log it, naming the vote by id (no read of it on the ballot's path)."""
    deny(actor, "meeting.vote.cast", object_type="meetings.vote", object_id=str(vote_id), message=message)


def _ballot_context(vote_id: int, deputy_id: int, user_id: int, now) -> dict | None:
    """The vote, the deputy's seat in its meeting and whether the login is still that deputy's (an active
    user with the deputy grant: a phone's socket or a cached token may outlive a revoked grant), in one read.
    The vote's row is locked so that every ballot lands before or after its close, never beside it: on
    PostgreSQL the weakest shared lock (FOR KEY SHARE OF the vote, the one the ballot's foreign key takes
    anyway), so ballots run side by side and only the close (FOR UPDATE) waits for them; SQLite has one
    writer at a time anyway."""
    vote_table, seat_table = Vote._meta.db_table, Attendee._meta.db_table
    grant_table, user_table, box_table = RoleGrant._meta.db_table, User._meta.db_table, Box._meta.db_table
    sql = (
        "SELECT v.meeting_id, v.state, v.secret, v.allow_change,"
        " (v.closes_at IS NOT NULL AND v.closes_at <= %s) AS expired,"
        " a.id IS NOT NULL AS seated, a.voting, a.checked_in_at IS NOT NULL AS checked_in,"
        f" EXISTS (SELECT 1 FROM {grant_table} g JOIN {user_table} u ON u.id = g.user_id"
        "  WHERE g.user_id = %s AND g.deputy_id = %s AND g.role = %s AND u.is_active) AS granted,"
        " b.id AS box_id, b.public_key AS box_key"
        f" FROM {vote_table} v LEFT JOIN {seat_table} a ON a.meeting_id = v.meeting_id AND a.deputy_id = %s"
        f" LEFT JOIN {box_table} b ON b.content_type_id = %s AND b.object_id = v.id"
        " WHERE v.id = %s"
    )
    if connection.vendor == "postgresql":
        sql += " FOR KEY SHARE OF v"
    at = connection.ops.adapt_datetimefield_value(now)
    vote_type = ContentType.objects.get_for_model(Vote).pk  # cached by Django after the first call
    params = [at, user_id, deputy_id, Role.DEPUTY, deputy_id, vote_type, vote_id]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    if row is None:
        return None
    names = ("meeting_id", "state", "secret", "allow_change", "expired", "seated", "voting", "checked_in")
    return dict(zip((*names, "granted", "box_id", "box_key"), row, strict=True))


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
        att = selectors.attendance(vote.meeting_id)
        if vote.secret:
            return _close_secret(vote, att, actor=None if system else actor, system=system)
        counts = selectors.tally(vote)
        voted = sum(counts.values())
        paper = OpenBallot.objects.filter(vote=vote, paper=True).count()
        now = timezone.now()
        result = {
            "phone_ballots": voted - paper,
            "paper_ballots": paper,
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
            summary={
                **result,
                "system": system,
                "duty_records": added,
                # paper entries nobody confirmed before the close are not counted (issue 16)
                "unconfirmed_paper": PendingPaperBallot.objects.filter(vote=vote).count(),
            },
        )
    return vote


def _close_secret(vote: Vote, att: dict, *, actor, system: bool) -> Vote:
    """The close of a secret vote: who was there is stored now, the figures by choice once the tellers have
    decrypted the combined totals (`on_box_tallied`). Runs inside close_vote's transaction."""
    now = timezone.now()
    ballotbox.close_for(vote_box(vote.pk))
    fields = {"total_deputies": att["total"], "present": att["present"]}
    updated = Vote.objects.filter(pk=vote.pk, closed_at__isnull=True).update(
        state=VoteState.COUNTING, closed_at=now, closed_by=actor, **fields
    )
    if not updated:
        raise VoteClosed()
    vote.state, vote.closed_at, vote.total_deputies, vote.present = VoteState.COUNTING, now, *fields.values()
    added = append_vote_records(vote, vote.meeting)
    _bump_and_publish(vote.meeting_id, final=True)
    record(
        actor=actor,
        action="meeting.vote.closed",
        obj=vote,
        summary={**fields, "system": system, "duty_records": added, "counting": True},
    )
    return vote


def on_box_tallied(sender, box: Box, **kwargs) -> None:
    """The tellers have decrypted a secret vote's totals (inside the transaction of the last share): store
    the result once (DOMAIN §5: adopted by more than half of ALL deputies) and tell the screens."""
    if box.content_type_id != ContentType.objects.get_for_model(Vote).pk:
        return
    vote = Vote.objects.select_for_update().filter(pk=box.object_id, state=VoteState.COUNTING).first()
    if vote is None:
        return
    # With paper ballots handed out, the result waits for the tellers' confirmed paper totals as well.
    finish_secret(vote, box.totals)


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


def close_overdue_vote(meeting: Meeting) -> Vote | None:
    """The meeting's current vote, closed first when it is open past its set time: the on-read check beside
    the minute task (`close_due_votes`), run by the pages, the API and a screen connecting."""
    vote = selectors.current_vote(meeting)
    if vote is not None and selectors.overdue(vote):
        try:
            vote = close_vote(actor=None, vote_id=vote.pk, system=True)
        except VoteClosed:
            vote = Vote.objects.get(pk=vote.pk)
        meeting.refresh_from_db(fields=["version", "state"])
    return vote


def live_state(meeting: Meeting, view: str = "hall") -> dict:
    """The live state a page or the API shows, after the on-read close of an overdue vote."""
    return selectors.live_state(meeting, view, vote=close_overdue_vote(meeting))

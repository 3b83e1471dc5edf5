"""Every read about meetings and votes, scoped through `visible_to`: a town office sees its town's
meetings, a county office its county's, a deputy the meetings they are expected at.

`live_state(meeting, view)` is the one state the hall, chair and phone screens show (over the API and the
live channel): a constant number of queries whatever the number of deputies, except the chair's name lists.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.scopes import VIEW, get_or_deny, visible_to

from . import rules, services
from .models import Attendee, Choice, Meeting, MeetingKind, OpenBallot, Vote, VoteParticipation, VoteState

VIEWS = ("hall", "chair", "phone")


def meetings(user, *, state: str = "", kind: str = "", q: str = ""):
    qs = visible_to(user, Meeting).select_related("region", "session")
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q))
    return qs.order_by("-starts_at", "-id")


def meeting_for(user, pk: int, action=VIEW) -> Meeting:
    meeting = get_or_deny(user, Meeting, action, pk=pk)
    return Meeting.objects.select_related("region", "session").get(pk=meeting.pk)


def vote_for(user, pk: int, action: str = VIEW) -> Vote:
    vote = get_or_deny(user, Vote, action, pk=pk)
    return Vote.objects.select_related("meeting", "agenda_item").get(pk=vote.pk)


def attendees(meeting: Meeting):
    return meeting.attendees.select_related("deputy").order_by("-voting", "name", "pk")


def agenda(meeting: Meeting):
    return meeting.agenda.order_by("order")


def votes(meeting: Meeting):
    return meeting.votes.select_related("agenda_item").order_by("agenda_item__order", "round")


def documents(meeting: Meeting):
    return services.documents_q(meeting)


def my_seat(user, meeting: Meeting) -> Attendee | None:
    deputy_id = services.own_deputy_id(user)
    if deputy_id is None:
        return None
    return meeting.attendees.filter(deputy_id=deputy_id).first()


def has_voted(vote: Vote, deputy_id: int) -> tuple[bool, str]:
    """Whether the deputy has voted, and (open votes only) what they chose."""
    if vote.secret:
        return VoteParticipation.objects.filter(vote=vote, deputy_id=deputy_id).exists(), ""
    choice = (
        OpenBallot.objects.filter(vote=vote, deputy_id=deputy_id).values_list("choice", flat=True).first()
    )
    return choice is not None, choice or ""


def current_vote(meeting: Meeting) -> Vote | None:
    """The meeting's open vote, else the most recently closed one."""
    return (
        Vote.objects.filter(meeting_id=meeting.pk, state__in=[VoteState.OPEN, VoteState.CLOSED])
        .order_by(F("closed_at").desc(nulls_first=True), "-pk")
        .first()
    )


def _result_label(vote: Vote) -> str:
    if vote.state != VoteState.CLOSED:
        return str(vote.get_state_display())
    return _("通过") if vote.adopted else _("未通过")


def vote_state(vote: Vote, att: dict) -> dict:
    """A vote's figures: live from the database while open, the stored result once closed."""
    if vote.state == VoteState.CLOSED:
        total, present = vote.total_deputies or 0, vote.present or 0
        f, a, ab = vote.votes_for or 0, vote.votes_against or 0, vote.votes_abstain or 0
        not_voted, adopted = vote.not_voted or 0, bool(vote.adopted)
    else:
        counts = services.tally(vote) if vote.state == VoteState.OPEN else dict.fromkeys(Choice.values, 0)
        total, present = att["total"], att["present"]
        f, a, ab = counts[Choice.FOR], counts[Choice.AGAINST], counts[Choice.ABSTAIN]
        not_voted, adopted = rules.not_voted(present, f + a + ab), None
    voted = f + a + ab
    # A secret vote shows only how many have voted until it closes: live per-choice counts beside the
    # moments each deputy pressed would let a watcher of the screen link a choice to a deputy.
    hidden = vote.secret and vote.state != VoteState.CLOSED
    if hidden:
        f = a = ab = None
    return {
        "id": vote.pk,
        "title": vote.title,
        "round": vote.round,
        "secret": vote.secret,
        "allow_change": vote.allow_change,
        "state": vote.state,
        "state_label": str(vote.get_state_display()),
        "opened_at": vote.opened_at.isoformat() if vote.opened_at else None,
        "closes_at": vote.closes_at.isoformat() if vote.closes_at else None,
        "closed_at": vote.closed_at.isoformat() if vote.closed_at else None,
        "total_deputies": total,
        "present": present,
        "for": f,
        "against": a,
        "abstain": ab,
        "voted": voted,
        "not_voted": not_voted,
        "choices_hidden": hidden,
        "needed": rules.needed(total),
        "adopted": adopted,
        "result_label": _result_label(vote),
    }


def _chair_lists(vote: Vote) -> tuple[list[str], list[dict]]:
    # Plain rows, not model instances: this runs a few times a second while hundreds of ballots come in.
    ballots = list(
        OpenBallot.objects.filter(vote=vote)
        .order_by("deputy__name_pinyin")
        .values_list("deputy_id", "deputy__name", "choice")
    )
    voted = {deputy_id for deputy_id, _name, _choice in ballots}
    present = Attendee.objects.filter(
        meeting_id=vote.meeting_id, voting=True, checked_in_at__isnull=False
    ).values_list("deputy_id", "name")
    not_voted = [name for deputy_id, name in present if deputy_id not in voted]
    labels = {value: str(label) for value, label in Choice.choices}
    out = [{"name": name, "choice": choice, "choice_label": labels[choice]} for _id, name, choice in ballots]
    return not_voted, out


def live_state(meeting: Meeting, view: str = "hall") -> dict:
    """The state every live screen shows (shape fixed with the live screens; keys may be added, never
    removed). Closes a vote past its set time first (the on-read check beside the minute task)."""
    vote = current_vote(meeting)
    if (
        vote is not None
        and vote.state == VoteState.OPEN
        and vote.closes_at
        and vote.closes_at <= timezone.now()
    ):
        try:
            vote = services.close_vote(actor=None, vote_id=vote.pk, system=True)
        except services.VoteClosed:
            vote = Vote.objects.get(pk=vote.pk)
        meeting.refresh_from_db(fields=["version", "state"])
    att = services.attendance(meeting.pk)
    total, present = att["total"], att["present"]
    congress = rules.needs_quorum(meeting.kind)
    state = {
        "meeting": {
            "id": meeting.pk,
            "title": meeting.title,
            "state": meeting.state,
            "state_label": str(meeting.get_state_display()),
            "kind": meeting.kind,
            "kind_label": str(MeetingKind(meeting.kind).label),
            "checkin_open": services.checkin_open(meeting),
        },
        "attendance": {
            "total": total,
            "present": present,
            "on_leave": att["on_leave"],
            "absent": max(total - present - att["on_leave"], 0),
            "quorum": rules.quorum(total),
            "quorum_met": rules.quorum_met(total, present),
            "congress": congress,
            "quorum_label": _("已达到") if rules.quorum_met(total, present) else _("未达到"),
        },
        "vote": vote_state(vote, att) if vote is not None else None,
        "not_voted": [],
        "ballots": [],
        "version": meeting.version,
    }
    if view == "chair" and vote is not None and vote.state == VoteState.OPEN and not vote.secret:
        state["not_voted"], state["ballots"] = _chair_lists(vote)
    return state

"""Every read about meetings and votes, scoped through `visible_to`: a town office sees its town's
meetings, a county office its county's, a deputy the meetings they are expected at.

`live_state(meeting, view)` is the one state the hall, chair and phone screens show (over the API and the
live channel): a constant number of queries whatever the number of deputies, except the chair's name lists.
It only reads: closing a vote found past its set time is `services.live_state`'s (pages and API) and the
minute task's.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.scopes import VIEW, get_or_deny, own_deputy_id, visible_to
from apps.people.models import DeputyLevel, Mandate, MandateStatus
from apps.workflow.models import Attachment

from . import rules
from .models import (
    AgendaItem,
    Attendee,
    Choice,
    Meeting,
    MeetingKind,
    MeetingState,
    OpenBallot,
    Vote,
    VoteParticipation,
    VoteState,
)

VIEWS = ("hall", "chair", "phone")


def is_teller(user, meeting_id: int | None) -> bool:
    """Whether `user` is one of the tellers (监票人) named for the meeting: the one check of every paper-total
    entry and confirmation (votes, election rounds, project lists) and of the forms that offer them."""
    return (
        bool(meeting_id)
        and Meeting.tellers.through.objects.filter(
            meeting_id=meeting_id, user_id=getattr(user, "pk", None)
        ).exists()
    )


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


def my_seat(user, meeting: Meeting) -> Attendee | None:
    deputy_id = own_deputy_id(user)
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
    """The meeting's open vote, else the most recently closed one (or the one being counted)."""
    return (
        Vote.objects.filter(
            meeting_id=meeting.pk, state__in=[VoteState.OPEN, VoteState.COUNTING, VoteState.CLOSED]
        )
        .order_by(F("closed_at").desc(nulls_first=True), "-pk")
        .first()
    )


def _result_label(vote: Vote) -> str:
    if vote.state != VoteState.CLOSED:
        return str(vote.get_state_display())
    if vote.voided:
        return _("表决无效（收回的票数多于到会代表）")
    return _("通过") if vote.adopted else _("未通过")


def vote_state(vote: Vote, att: dict) -> dict:
    """A vote's figures: live from the database while open, the stored result once closed."""
    if vote.state == VoteState.CLOSED:
        total, present = vote.total_deputies or 0, vote.present or 0
        f, a, ab = vote.votes_for or 0, vote.votes_against or 0, vote.votes_abstain or 0
        not_voted, adopted = vote.not_voted or 0, bool(vote.adopted)
    else:
        counts = tally(vote) if vote.state == VoteState.OPEN else dict.fromkeys(Choice.values, 0)
        total, present = att["total"], att["present"]
        f, a, ab = counts[Choice.FOR], counts[Choice.AGAINST], counts[Choice.ABSTAIN]
        not_voted, adopted = rules.not_voted(present, f + a + ab), None
    voted = f + a + ab
    if vote.secret and vote.state != VoteState.CLOSED:  # no figures by choice before the tellers decrypt
        voted = VoteParticipation.objects.filter(vote=vote).count()
        not_voted = rules.not_voted(present, voted)
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
        "changed_at": (vote.closed_at or vote.opened_at).isoformat() if vote.opened_at else "",
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
        "phone_ballots": vote.phone_ballots,
        "paper_ballots": vote.paper_ballots,
        "voided": vote.voided,
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


def overdue(vote: Vote, now=None) -> bool:
    """An open vote past its set time, waiting for its close (`services.close_overdue_vote`)."""
    return bool(vote.state == VoteState.OPEN and vote.closes_at and vote.closes_at <= (now or timezone.now()))


_CURRENT = object()

# Extra parts of the live state contributed by apps that build on meetings without meetings importing them
# (apps.elections adds "election": its latest round, per candidate once counted). Each is
# (key, fn(meeting) -> dict | None), registered in that app's AppConfig.ready.
LIVE_PARTS: list = []


def register_live_part(key: str, fn) -> None:
    if all(k != key for k, _fn in LIVE_PARTS):
        LIVE_PARTS.append((key, fn))


def phase(meeting_state: str, checkin: bool, vote: dict | None, election: dict | None) -> str:
    """What the hall screen shows now: the latest of the current vote and the latest election round, else
    check-in, else waiting; `ended` once the meeting is closed and nothing is being counted."""
    latest = None
    for kind, item in (("vote", vote), ("election", election)):
        if item and (latest is None or (item.get("changed_at") or "") > (latest[1].get("changed_at") or "")):
            latest = (kind, item)
    if latest is not None:
        kind, item = latest
        if item["state"] in ("open", "counting"):
            return f"{kind}_{item['state']}"
        if meeting_state != MeetingState.CLOSED:
            return f"{kind}_result"
    if meeting_state == MeetingState.CLOSED:
        return "ended"
    return "checkin" if checkin else "waiting"


def live_state(meeting: Meeting, view: str = "hall", *, vote=_CURRENT) -> dict:
    """The state every live screen shows (shape fixed with the live screens; keys may be added, never
    removed). `vote` is the meeting's current vote when the caller has just read it (pages close an overdue
    one first: `services.live_state`)."""
    if vote is _CURRENT:
        vote = current_vote(meeting)
    att = attendance(meeting.pk)
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
            "checkin_open": checkin_open(meeting),
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
    for key, part in LIVE_PARTS:  # the screens only: a phone's state stays as lean as it was
        state[key] = part(meeting) if view != "phone" else None
    state["phase"] = phase(
        meeting.state, state["meeting"]["checkin_open"], state["vote"], state.get("election")
    )
    if view == "chair" and vote is not None and vote.state == VoteState.OPEN and not vote.secret:
        state["not_voted"], state["ballots"] = _chair_lists(vote)
    return state


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


def documents(meeting):
    """The meeting's documents: those on the meeting and on its agenda items."""
    m_ct = ContentType.objects.get_for_model(Meeting)
    a_ct = ContentType.objects.get_for_model(AgendaItem)
    items = AgendaItem.objects.filter(meeting=meeting).values("pk")
    return Attachment.objects.filter(
        Q(content_type=m_ct, object_id=meeting.pk) | Q(content_type=a_ct, object_id__in=items)
    ).order_by("uploaded_at", "pk")


def checkin_open(meeting: Meeting, now=None) -> bool:
    now = now or timezone.now()
    if meeting.state == MeetingState.CLOSED or not meeting.checkin_opens_at:
        return False
    return meeting.checkin_opens_at <= now and (
        meeting.checkin_closes_at is None or now < meeting.checkin_closes_at
    )


def attendance(meeting_id: int) -> dict:
    """Voting deputies expected, present, on approved leave: one aggregate query."""
    row = Attendee.objects.filter(meeting_id=meeting_id, voting=True).aggregate(
        total=Count("pk"),
        present=Count("pk", filter=Q(checked_in_at__isnull=False)),
        on_leave=Count("pk", filter=Q(checked_in_at__isnull=True, leave=Attendee.Leave.APPROVED)),
    )
    return {k: row[k] or 0 for k in ("total", "present", "on_leave")}


def tally(vote: Vote) -> dict:
    """For, against, abstain of an open (named) vote: one aggregate over its ballots. A secret vote has no
    figures by choice until its tellers decrypt the totals (they are then stored on the vote)."""
    if vote.secret:
        counts = {}
    else:
        counts = OpenBallot.objects.filter(vote=vote).aggregate(
            **{c: Count("pk", filter=Q(choice=c)) for c in Choice.values}
        )
    return {c: counts.get(c) or 0 for c in Choice.values}


def paper_desk(meeting: Meeting, user) -> dict | None:
    """What the office's paper-ballot desk shows for the meeting's open or counting vote (issue 16): the
    voters checked in, the paper entries waiting for a second staff member, who holds a paper ballot, and
    whether this user is a teller who may enter or confirm a secret vote's paper totals."""
    vote = (
        Vote.objects.filter(meeting_id=meeting.pk, state__in=[VoteState.OPEN, VoteState.COUNTING])
        .order_by("-opened_at", "-pk")
        .first()
    )
    if vote is None:
        return None
    voters = list(
        Attendee.objects.filter(meeting_id=meeting.pk, voting=True, checked_in_at__isnull=False)
        .order_by("name", "pk")
        .values("deputy_id", "name")
    )
    if vote.secret:
        taken = dict(VoteParticipation.objects.filter(vote=vote).values_list("deputy_id", "paper"))
    else:
        taken = dict(OpenBallot.objects.filter(vote=vote).values_list("deputy_id", "paper"))
    pending = list(vote.pending_paper.select_related("recorded_by").order_by("recorded_at", "pk"))
    pending_ids = {p.deputy_id for p in pending}
    names = {v["deputy_id"]: v["name"] for v in voters}
    return {
        "vote": vote,
        "free": [v for v in voters if v["deputy_id"] not in taken and v["deputy_id"] not in pending_ids],
        "paper_holders": [names.get(d, "") for d, paper in taken.items() if paper],
        "pending": [{"entry": p, "name": names.get(p.deputy_id, "")} for p in pending],
        "is_teller": is_teller(user, meeting.pk),
        "paper_issued": sum(1 for paper in taken.values() if paper) if vote.secret else 0,
    }

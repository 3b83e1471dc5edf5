"""Reads of elections, starting from what the user may see (the meeting's town office and county, and the
deputies seated at the meeting).

While a round is open nobody sees its per-candidate counters, only how many have voted: a live counter
watched while one deputy votes would reveal that deputy's choice. Everything is shown once it is counted.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, visible_to
from apps.meetings.models import CONGRESS_KINDS, Meeting, MeetingState
from apps.meetings.selectors import is_teller

from . import boxes, paper
from .models import Post, Round, RoundState
from .services import own_deputy, voting_attendees


def posts(user, *, meeting_id: int | None = None) -> QuerySet:
    qs = visible_to(user, Post).select_related("meeting").distinct()
    if meeting_id:
        qs = qs.filter(meeting_id=meeting_id)
    return qs.annotate(candidate_count=Count("candidates", distinct=True)).order_by(
        "-meeting__starts_at", "id"
    )


def open_rounds(user) -> QuerySet:
    """Rounds open for voting now that the user can see (a deputy's list of ballots to cast)."""
    return (
        visible_to(user, Round)
        .filter(state=RoundState.OPEN)
        .select_related("post", "post__meeting")
        .distinct()
        .order_by("post__meeting__starts_at", "post_id", "number")
    )


def post_detail(user, pk: int) -> Post:
    return get_or_deny(user, Post, pk=pk)


def round_detail(user, pk: int) -> Round:
    return get_or_deny(user, Round, pk=pk)


def election_meetings(user) -> QuerySet:
    """The congress sittings where the user may put a post to the vote."""
    return (
        visible_to(user, Meeting, perms.ELECTION_MANAGE)
        .filter(kind__in=CONGRESS_KINDS)
        .exclude(state=MeetingState.CLOSED)
        .distinct()
        .order_by("-starts_at")
    )


def congress_deputies(post: Post):
    """The voting deputies of the sitting, for the signers' list of a joint nomination."""
    return voting_attendees(post.meeting).select_related("deputy").order_by("name")


def candidates(post: Post) -> list:
    rows = list(
        post.candidates.select_related("nomination", "deputy")
        .prefetch_related("nomination__signers")
        .order_by("id")
    )
    return rows


def rounds(post: Post) -> QuerySet:
    return post.rounds.order_by("number")


def ballot_state(user, round_: Round) -> dict:
    """What the deputy's phone shows: may they vote in this round, and have they."""
    deputy = own_deputy(user)
    seat = voting_attendees(round_.post.meeting).filter(deputy=deputy).first() if deputy else None
    voted = bool(deputy) and round_.participations.filter(deputy=deputy).exists()
    reason = ""
    if seat is None:
        reason = "not_voter"
    elif seat.checked_in_at is None:
        reason = "not_checked_in"
    elif round_.paper:
        reason = "paper"
    elif round_.state != RoundState.OPEN:
        reason = "not_open"
    elif voted:
        paper = round_.participations.filter(deputy=deputy, paper=True).exists()
        reason = "paper_issued" if paper else "voted"
    return {"deputy": deputy, "voted": voted, "can_vote": not reason, "reason": reason}


def tally(round_: Round) -> dict:
    """Every figure a paper count shows (计票报告). Counters only once the round is counted (not while an
    electronic round waits for its tellers' shares: 计票中)."""
    counted = round_.state in (RoundState.COUNTED, RoundState.VOID)
    lines = list(round_.lines.select_related("candidate").order_by("order"))
    outcomes = {o.candidate_id: o for o in round_.outcomes.all() if o.candidate_id}
    rows = [
        {
            "order": ln.order,
            "candidate_id": ln.candidate_id,
            "name": ln.candidate.name,
            "votes_for": ln.votes_for if counted else None,
            "votes_against": ln.votes_against if counted else None,
            "votes_abstain": ln.votes_abstain if counted else None,
            "result": outcomes[ln.candidate_id].result if ln.candidate_id in outcomes else "",
            "result_label": outcomes[ln.candidate_id].get_result_display()
            if ln.candidate_id in outcomes
            else "",
        }
        for ln in lines
    ]
    write_ins = [{"name": w.name, "count": w.count} for w in round_.write_ins.all()] if counted else []
    written_outcomes = [
        {"name": o.name, "votes": o.votes, "result": o.result, "result_label": o.get_result_display()}
        for o in round_.outcomes.filter(written_in=True)
    ]
    return {
        "counted": counted,
        "rows": rows,
        "write_ins": write_ins,
        "written_outcomes": written_outcomes,
        "next_rounds": list(round_.children.order_by("number")),
    }


def box_steps(round_: Round) -> dict | None:
    """An electronic round's box: its state and which tellers still owe a key or a share."""
    return boxes.steps(round_)


def hall_round(meeting: Meeting) -> dict | None:
    """The meeting's latest election round that has opened, as the hall screen shows it (the meetings live
    state's "election"): how many have voted while open, per candidate only once counted."""
    from django.db.models.functions import Coalesce

    round_ = (
        Round.objects.filter(post__meeting_id=meeting.pk)
        .exclude(state=RoundState.READY)
        .select_related("post")
        .order_by(Coalesce("closed_at", "opened_at").desc(nulls_last=True), "-pk")
        .first()
    )
    if round_ is None:
        return None
    t = tally(round_)
    changed = round_.closed_at or round_.opened_at
    took = round_.participations.aggregate(all=Count("pk"), paper=Count("pk", filter=Q(paper=True)))
    return {
        "id": round_.pk,
        "post": round_.post.title,
        "round": round_.number,
        "kind_label": str(round_.get_kind_display()),
        "paper": round_.paper,
        "state": "result" if t["counted"] else round_.state,
        "state_label": str(round_.get_state_display()),
        "changed_at": changed.isoformat() if changed else "",
        "voted": took["all"],
        **_hall_sources(round_, t["counted"], took),
        "total_deputies": round_.total_deputies,
        "present": round_.present,
        "needed": round_.needed,
        "ballots_issued": round_.ballots_issued,
        "ballots_cast": round_.ballots_cast if t["counted"] else None,
        "ballots_valid": round_.ballots_valid if t["counted"] else None,
        "ballots_void": round_.ballots_void if t["counted"] else None,
        "result_note": round_.result_note,
        "rows": [
            {
                "name": r["name"],
                "for": r["votes_for"],
                "against": r["votes_against"],
                "abstain": r["votes_abstain"],
                "result_label": r["result_label"],
            }
            for r in t["rows"]
        ]
        + [
            {
                "name": w["name"],
                "for": w["votes"],
                "against": None,
                "abstain": None,
                "result_label": w["result_label"],
            }
            for w in t["written_outcomes"]
        ],
    }


def _hall_sources(round_: Round, counted: bool, took: dict) -> dict:
    """Phones and paper on the hall screen (issue 16): while open, how many voted on a phone and how many
    were handed a paper ballot; once counted, the ballots from each (`paper.sources`, without its query)."""
    if round_.paper:
        return {
            "paper_issued": None,
            "phone_ballots": 0,
            "paper_ballots": round_.ballots_cast if counted else None,
        }
    returned = round_.paper_totals["returned"] if round_.paper_confirmed_by_id else None
    phone = took["all"] - took["paper"]
    if counted:
        phone = round_.ballots_cast - (returned or 0)
    return {"paper_issued": took["paper"], "phone_ballots": phone, "paper_ballots": returned}


def paper_desk(user, round_: Round) -> dict | None:
    """An electronic round's paper ballots on its page: who may still be handed one (while open), who was,
    whether the user is a teller of the meeting (who enters and confirms the paper totals), the totals."""
    if round_.paper:
        return None
    meeting = round_.post.meeting
    taken = round_.participations.values("deputy_id")
    issued = round_.participations.filter(paper=True).values("deputy_id")
    seats = voting_attendees(meeting).filter(checked_in_at__isnull=False)
    return {
        "issuable": list(seats.exclude(deputy_id__in=taken).order_by("name"))
        if round_.state == RoundState.OPEN
        else [],
        "issued": list(seats.filter(deputy_id__in=issued).order_by("name")),
        "teller": is_teller(user, meeting.pk),
        "totals": round_.paper_totals,
        "sources": paper.sources(round_),
        "write_in_slots": range(max(round_.seats, 2)) if round_.kind != "pre" else (),
    }

"""What a counted round leads to: its stored outcome, and the next round the rules call for (a re-vote of
a tie, 另行选举 for unfilled seats, the formal ballot after a pre-election, a repeat of a void election).

Called by `services.close_and_count` (a paper round) inside its transaction, with the round locked, or by
`count_tallied` when the last teller's share publishes an electronic round's totals (the round was closed
into COUNTING). Nothing here checks permission; `finish_count` writes the audit event of the count.
A new electronic round gets its ballot box here (`boxes.create_for`), wherever it is made.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.ballotbox.errors import ErrorCode as BoxCode
from apps.ballotbox.signals import tallied
from apps.common.errors import DomainError
from apps.meetings import live
from apps.meetings.models import Choice

from . import boxes, offices, rules
from .models import BallotLine, Candidate, Outcome, Participation, Post, Result, Round, RoundKind, RoundState


def stroke_order(candidates) -> list[Candidate]:
    return sorted(candidates, key=lambda c: rules.stroke_key(c.name, c.surname_strokes))


def new_round(*, actor, post, kind, seats, candidates, parent=None, paper=None) -> Round:
    number = (post.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    round_ = Round.objects.create(
        post=post,
        number=number,
        kind=kind,
        parent=parent,
        seats=seats,
        paper=parent.paper if paper is None and parent else bool(paper),
    )
    BallotLine.objects.bulk_create(
        [BallotLine(round=round_, candidate=c, order=i) for i, c in enumerate(candidates, 1)]
    )
    try:
        with transaction.atomic():
            boxes.create_for(actor=actor, round_=round_)
    except DomainError as exc:
        # The first round needs its tellers now (start is refused with no_tellers); a round the count makes
        # never blocks the tellers' step that made it: its box is made when it opens (boxes.ensure_box).
        if parent is None or exc.code != BoxCode.NO_TELLERS:
            raise
    record(
        actor=actor,
        action="election.round_created",
        obj=round_,
        summary={
            "post": post.pk,
            "number": number,
            "kind": kind,
            "seats": seats,
            "candidates": [c.name for c in candidates],
            "parent": parent.pk if parent else None,
        },
    )
    return round_


def candidate_for(post: Post, key) -> Candidate:
    if isinstance(key, int):
        return Candidate.objects.get(pk=key)
    name = key[1]
    found = post.candidates.filter(name=name).first()
    return found or Candidate.objects.create(
        post=post, name=name, surname_strokes=rules.surname_strokes(name)
    )


def paper_pending(round_: Round) -> bool:
    """An electronic round whose paper ballots (paper.py) the tellers have not yet confirmed."""
    return (
        not round_.paper
        and not round_.paper_confirmed_by_id
        and Participation.objects.filter(round=round_, paper=True).exists()
    )


def paper_void(round_: Round) -> bool:
    """More paper ballots returned than handed out in an electronic round [law]."""
    t = round_.paper_totals if round_.paper_confirmed_by_id else None
    return bool(t) and rules.election_void(cast=t["returned"], issued=t["issued"])


def void_round(actor, round_: Round) -> None:
    round_.state = RoundState.VOID
    lines = list(round_.lines.select_related("candidate"))
    new_round(
        actor=actor,
        post=round_.post,
        kind=RoundKind.REPEAT,
        seats=round_.seats,
        candidates=[ln.candidate for ln in lines],
        parent=round_,
    )
    cast, issued = round_.ballots_cast, round_.ballots_issued
    if paper_void(round_):
        cast, issued = round_.paper_totals["returned"], round_.paper_totals["issued"]
    round_.result_note = _("收回选票%(cast)d张，多于发出选票%(issued)d张，本次选举无效，须重新选举") % {
        "cast": cast,
        "issued": issued,
    }


def count_pre(actor, round_: Round) -> None:
    lines = list(round_.lines.select_related("candidate"))
    decision = rules.decide_pre(places=round_.seats, votes=[(ln.candidate_id, ln.votes_for) for ln in lines])
    by_id = {ln.candidate_id: ln for ln in lines}
    ranked = sorted(lines, key=lambda ln: (-ln.votes_for, ln.order))
    rows = []
    for rank, ln in enumerate(ranked, 1):
        if ln.candidate_id in decision.advanced:
            result = Result.ADVANCED
        elif ln.candidate_id in decision.tied:
            result = Result.TIED
        else:
            result = Result.NOT_ELECTED
        rows.append(
            Outcome(
                round=round_,
                candidate=ln.candidate,
                name=ln.candidate.name,
                votes=ln.votes_for,
                result=result,
                rank=rank,
            )
        )
    Outcome.objects.bulk_create(rows)
    round_.state = RoundState.COUNTED
    post = round_.post
    if decision.tied:
        tied = stroke_order([by_id[k].candidate for k in decision.tied])
        new_round(
            actor=actor,
            post=post,
            kind=RoundKind.PRE,
            seats=decision.tie_places,
            candidates=tied,
            parent=round_,
        )
        round_.result_note = _("预选得票相等，%(n)d人就%(p)d个名额重新投票") % {
            "n": len(tied),
            "p": decision.tie_places,
        }
        return
    # The formal list: everyone who advanced in this post's pre-elections, by pre-election votes [law].
    advanced = (
        Outcome.objects.filter(round__post=post, round__kind=RoundKind.PRE, result=Result.ADVANCED)
        .select_related("candidate")
        .order_by("round__number", "rank")
    )
    new_round(
        actor=actor,
        post=post,
        kind=RoundKind.FORMAL,
        seats=post.seats,
        candidates=[o.candidate for o in advanced],
        parent=round_,
    )
    round_.result_note = _("预选结束，按预选得票多少确定正式候选人名单")


def count_formal(actor, round_: Round) -> None:
    post = round_.post
    lines = list(round_.lines.select_related("candidate"))
    writes = list(round_.write_ins.all())
    votes = [(ln.candidate_id, ln.votes_for) for ln in lines] + [(("w", w.name), w.count) for w in writes]
    decision = rules.decide(seats=round_.seats, needed=round_.needed, votes=votes)
    round_.state = RoundState.COUNTED

    next_round: list[Candidate] = []
    if decision.unfilled:
        size = rules.another_round_size(
            head_post=post.head_post, seats_left=decision.unfilled, margin=post.margin
        )
        rest = sorted(
            (ln for ln in lines if ln.candidate_id not in decision.elected),
            key=lambda ln: (-ln.votes_for, ln.order),
        )
        # Another round needs a choice: more candidates left than seats to fill, else new nominations.
        if len(rest) > decision.unfilled:
            next_round = [ln.candidate for ln in rest[:size]]

    rows, rank = [], 0
    ordered = sorted(votes, key=lambda kv: -kv[1])
    next_ids = {c.pk for c in next_round}
    for key, count in ordered:
        written_in = not isinstance(key, int)
        if key in decision.elected:
            result = Result.ELECTED
        elif key in decision.tied:
            result = Result.TIED
        elif written_in and count < round_.needed:
            continue  # a written-in name below the needed votes is only a figure in the write-in list
        elif not written_in and key in next_ids:
            result = Result.NEXT_ROUND
        else:
            result = Result.NOT_ELECTED
        rank += 1
        candidate = candidate_for(post, key) if (not written_in or result != Result.NOT_ELECTED) else None
        rows.append(
            Outcome(
                round=round_,
                candidate=candidate,
                name=candidate.name if candidate else key[1],
                written_in=written_in,
                votes=count,
                result=result,
                rank=rank,
            )
        )
    Outcome.objects.bulk_create(rows)

    elected_names = [o.name for o in rows if o.result == Result.ELECTED]
    note = _("当选：%(names)s。") % {"names": "、".join(elected_names)} if elected_names else ""
    if decision.tied:
        tied = stroke_order([candidate_for(post, k) for k in decision.tied])
        new_round(
            actor=actor,
            post=post,
            kind=RoundKind.REVOTE,
            seats=decision.tie_seats,
            candidates=tied,
            parent=round_,
        )
        note += _("%(names)s 得票相等，就%(s)d个名额重新投票。") % {
            "names": "、".join(c.name for c in tied),
            "s": decision.tie_seats,
        }
    elif decision.unfilled and next_round:
        new_round(
            actor=actor,
            post=post,
            kind=RoundKind.ANOTHER,
            seats=decision.unfilled,
            candidates=stroke_order(next_round),
            parent=round_,
        )
        note += _("%(s)d个名额未选足，在得票多的%(names)s中另行选举。") % {
            "s": decision.unfilled,
            "names": "、".join(c.name for c in next_round),
        }
    elif decision.unfilled:
        note += _("%(s)d个名额未选足，已无其他候选人，须重新提名。") % {"s": decision.unfilled}
    round_.result_note = note[:300]


def finish_count(actor, round_: Round) -> None:
    """Store a closed round's outcome once, from its counters (the round is locked by the caller): void
    when more ballots were cast (phones and paper together) than issued, or more paper ballots returned
    than handed out [law], else the pre-election or the formal count."""
    if rules.election_void(cast=round_.ballots_cast, issued=round_.ballots_issued) or paper_void(round_):
        void_round(actor, round_)
    elif round_.kind == RoundKind.PRE:
        count_pre(actor, round_)
    else:
        count_formal(actor, round_)
        offices.record_offices(actor, round_)
    round_.save()
    record(
        actor=actor,
        action="election.counted",
        obj=round_,
        summary={
            "state": round_.state,
            "total_deputies": round_.total_deputies,
            "present": round_.present,
            "issued": round_.ballots_issued,
            "cast": round_.ballots_cast,
            "valid": round_.ballots_valid,
            "void": round_.ballots_void,
            "needed": round_.needed,
            "outcomes": {o.name: [o.votes, o.result] for o in round_.outcomes.all()},
            "note": round_.result_note,
            "paper_returned": round_.paper_totals["returned"] if round_.paper_confirmed_by_id else None,
            "paper_entered_by": round_.paper_entered_by_id,
            "paper_confirmed_by": round_.paper_confirmed_by_id,
        },
    )


@receiver(tallied, dispatch_uid="elections.count_tallied")
def count_tallied(sender, box, **kwargs) -> None:
    """The last teller's share published the totals of a round's box (inside that transaction): add them
    to the counters (which hold only the confirmed paper totals, if any) and store the outcome once, or
    wait for the tellers' paper totals when deputies were handed paper ballots (paper.py)."""
    if box.content_type_id != ContentType.objects.get_for_model(Round).pk:
        return
    round_ = (
        Round.objects.select_for_update().select_related("post__meeting").filter(pk=box.object_id).first()
    )
    if round_ is None or round_.state != RoundState.COUNTING:
        return
    k = box.options
    lines = list(round_.lines.order_by("order").values_list("pk", flat=True))
    for r, line_id in enumerate(lines):
        got = dict(zip(boxes.OPTIONS, box.totals[r * k : (r + 1) * k], strict=True))
        BallotLine.objects.filter(pk=line_id).update(
            votes_for=F("votes_for") + got[Choice.FOR],
            votes_against=F("votes_against") + got[Choice.AGAINST],
            votes_abstain=F("votes_abstain") + got[Choice.ABSTAIN],
        )
    if paper_pending(round_):
        return  # counted when the tellers confirm the paper totals (paper.confirm_paper_totals)
    finish_count(round_.closed_by, round_)
    meeting_id = round_.post.meeting_id
    transaction.on_commit(lambda: live.publish(meeting_id, final=True), robust=True)

"""The congress's secret vote on a candidate list (issue 19 part 3): rounds, their ballot boxes, the count.

One round is a ballot of "mark up to N of M": its box (apps.ballotbox) has one row per candidate, each 选
or 不选, keyed by the sitting's tellers (监票人) when the round is made and opened with it. A phone ballot
marking more than N would be void, so the phone refuses it (every sealed ballot is valid); paper ballots
(deputies without phones) are counted by the tellers and entered as totals, their void ones counted as void.
The last teller's share sends `tallied`; `count_tallied` adds the box's totals and the paper totals to the
lines and decides with the elections' own rules (rules.py): more than half of all deputies, the most votes,
a tie at the last place re-voted among the tied, unfilled places left to the presidium for a further round.
The result is written once; the list moves on through its table (system steps `count_more`/`count_done`).

The functions taking `ctx` are the list table's `Run` effects: they run inside the engine's transaction.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.ballotbox import services as ballotbox
from apps.ballotbox.models import Box, BoxState
from apps.ballotbox.signals import tallied
from apps.localrules.selectors import local_value
from apps.meetings.models import Attendee
from apps.meetings.services import tellers_for_box
from apps.workflow.errors import Conflict

from . import rules
from .choices import draft_list
from .models import Candidate, CandidateList, Project, Result, RoundKind, RoundLine, RoundState, VoteRound

MARK, SKIP = 0, 1  # a row's sealed index: the position of 选 / 不选 in the box's labels


def labels() -> list[str]:
    with translation.override("zh-hans"):
        return [_("选"), _("不选")]


def local(key: str, cl):
    return local_value(key, cl)


def deputies_of(cl: CandidateList):
    """The congress's deputies: every voting attendee of the sitting that votes."""
    return Attendee.objects.filter(meeting_id=cl.meeting_id, voting=True, deputy__isnull=False)


def live_round(cl) -> VoteRound | None:
    return cl.rounds.exclude(state=RoundState.COUNTED).order_by("-number").first()


def box_of(round_: VoteRound) -> Box | None:
    return Box.objects.filter(
        content_type=ContentType.objects.get_for_model(VoteRound), object_id=round_.pk
    ).first()


def adopted_lines(cl):
    return RoundLine.objects.filter(round__candidate_list=cl, result=Result.ADOPTED)


def remaining_places(cl) -> int:
    return cl.places - adopted_lines(cl).count()


def remaining_candidates(cl):
    return cl.candidates.exclude(pk__in=adopted_lines(cl).values("candidate_id")).order_by("order")


# --- proposals onto the list ------------------------------------------------------------------------------


def candidate_from_proposal(ctx):
    item, data = ctx.item, ctx.data
    cl = draft_list(item.town_id, item.year)
    order = (cl.candidates.aggregate(m=Max("order"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            made = Candidate.objects.create(
                candidate_list=cl,
                proposal=item,
                order=order,
                title=item.title,
                category=item.category,
                village=item.village,
                budget=data["budget"],
                schedule=str(data.get("schedule") or ""),
                detail=item.detail,
            )
    except IntegrityError:
        raise Conflict(_("候选项目清单中已有同名项目，请合并")) from None
    return made.pk


# --- guards -----------------------------------------------------------------------------------------------


def present_problem(cl, actor, today):
    if cl.meeting_id is None:
        return _("请先指定票决的代表大会会议")
    percent = int(local("PROJECT_MIN_RATIO_PERCENT", cl))
    return (
        rules.ratio_problem(candidates=cl.candidates.count(), places=cl.places, min_percent=percent) or None
    )


def open_problem(cl, actor, today):
    round_ = live_round(cl)
    if round_ is None or round_.state != RoundState.READY:
        return _("没有待投票的票决轮次")
    box = box_of(round_)
    if box is None:
        return _("本轮没有票箱，请先为会议指定监票人")
    owing = [str(t.user) for t in box.trustees.select_related("user") if not t.public_share]
    if box.state == BoxState.SETUP and owing:
        return _("尚有监票人未生成密钥份额：%(names)s") % {"names": "、".join(owing)}
    return None


def further_problem(cl, actor, today):
    if live_round(cl) is not None:
        return _("还有未完成的票决轮次")
    if remaining_places(cl) < 1:
        return _("票决项目已满额")
    used = cl.rounds.filter(kind=RoundKind.FURTHER).count()
    if used >= int(local("PROJECT_FURTHER_ROUNDS", cl)):
        return _("已达到再次票决的轮数上限")
    if not remaining_candidates(cl).exists():
        return _("没有剩余的候选项目")
    return None


def finish_problem(cl, actor, today):
    round_ = live_round(cl)
    if round_ is not None and round_.state != RoundState.READY:
        return _("投票尚未结束")
    return None


# --- rounds -----------------------------------------------------------------------------------------------


def new_round(*, actor, cl, kind: str, places: int, candidates) -> VoteRound:
    number = (cl.rounds.aggregate(m=Max("number"))["m"] or 0) + 1
    round_ = VoteRound.objects.create(candidate_list=cl, number=number, kind=kind, places=places)
    lines = [RoundLine(round=round_, candidate=c, order=i) for i, c in enumerate(candidates, 1)]
    RoundLine.objects.bulk_create(lines)
    ballotbox.create_box(
        actor=actor,
        region=cl.region,
        title=f"{cl.title} · {_('第%(n)d轮') % {'n': number}}"[:200],
        labels=labels(),
        questions=[ln.candidate.title for ln in lines],
        tellers=tellers_for_box(cl.meeting),
        target=round_,
    )
    return round_


def first_round(ctx):
    cl = ctx.item
    return new_round(
        actor=ctx.actor,
        cl=cl,
        kind=RoundKind.FIRST,
        places=cl.places,
        candidates=cl.candidates.order_by("order"),
    ).pk


def further_round(ctx):
    cl = ctx.item
    return new_round(
        actor=ctx.actor,
        cl=cl,
        kind=RoundKind.FURTHER,
        places=remaining_places(cl),
        candidates=list(remaining_candidates(cl)),
    ).pk


def open_round(ctx):
    round_ = VoteRound.objects.select_for_update().get(pk=live_round(ctx.item).pk)
    round_.state, round_.opened_at = RoundState.OPEN, timezone.now()
    round_.save(update_fields=["state", "opened_at"])
    ballotbox.open_for(box_of(round_))
    return round_.pk


def close_round(ctx):
    cl = ctx.item
    round_ = VoteRound.objects.select_for_update().get(pk=live_round(cl).pk)
    deputies = deputies_of(cl)
    round_.total_deputies = deputies.count()
    round_.present = deputies.filter(checked_in_at__isnull=False).count()
    round_.state, round_.closed_at = RoundState.COUNTING, timezone.now()
    round_.save(update_fields=["total_deputies", "present", "state", "closed_at"])
    ballotbox.close_for(box_of(round_))
    return {"round": round_.pk, "cast": round_.ballots_cast, "present": round_.present}


# --- the count --------------------------------------------------------------------------------------------


@receiver(tallied, dispatch_uid="projects.count_tallied")
def count_tallied(sender, box, **kwargs) -> None:
    """The last teller's share published a round's totals (inside that transaction): count it once."""
    if box.content_type_id != ContentType.objects.get_for_model(VoteRound).pk:
        return
    round_ = VoteRound.objects.select_for_update().filter(pk=box.object_id).first()
    if round_ is None or round_.state != RoundState.COUNTING:
        return
    if round_.participations.filter(paper=True).exists() and not round_.paper_confirmed_by_id:
        return  # paper ballots were handed out: counted when their totals are confirmed
    count_with_box(round_, box)


def count_with_box(round_: VoteRound, box: Box) -> None:
    """The box's totals and the confirmed paper totals on the lines, then the count."""
    lines = list(round_.lines.order_by("order"))
    k = box.options
    paper = (round_.paper_totals or {}).get("lines", {})
    for r, line in enumerate(lines):
        line.votes = box.totals[r * k + MARK] + int(paper.get(str(line.candidate_id), 0))
    count(round_, lines)


def count(round_: VoteRound, lines: list[RoundLine]) -> None:
    """Decide a round from its lines' votes and move the list on; the result is stored once."""
    from apps.workflow.services import transition

    cl = CandidateList.objects.select_related("region").get(pk=round_.candidate_list_id)
    paper = round_.paper_totals or {}
    round_.ballots_cast += int(paper.get("returned", 0))
    round_.ballots_void += int(paper.get("void", 0))
    round_.ballots_valid = round_.ballots_cast - round_.ballots_void
    round_.needed = rules.needed(
        total_deputies=round_.total_deputies or 0,
        valid=round_.ballots_valid,
        majority_of_all=bool(local("PROJECT_MAJORITY_OF_ALL", cl)),
    )
    decision = rules.decide(seats=round_.places, needed=round_.needed, votes=[(ln, ln.votes) for ln in lines])
    tied = decision.tied if bool(local("PROJECT_TIE_REVOTE", cl)) else []
    for ln in lines:
        ln.result = (
            Result.ADOPTED if ln in decision.elected else Result.TIED if ln in tied else Result.NOT_ADOPTED
        )
    RoundLine.objects.bulk_update(lines, ["votes", "result"])
    unfilled = decision.unfilled + (0 if tied else decision.tie_seats)
    round_.result_note = _result_note(len(decision.elected), len(tied), unfilled)
    round_.state = RoundState.COUNTED
    round_.save()
    record(
        actor=None,
        action="project_list.counted",
        obj=cl,
        summary={
            "round": round_.number,
            "total_deputies": round_.total_deputies,
            "needed": round_.needed,
            "cast": round_.ballots_cast,
            "void": round_.ballots_void,
            "votes": {ln.candidate_id: [ln.votes, ln.result] for ln in lines},
        },
    )
    if tied:
        new_round(
            actor=None,
            cl=cl,
            kind=RoundKind.TIE,
            places=decision.tie_seats,
            candidates=[ln.candidate for ln in tied],
        )
        transition(cl, "count_more", actor=None, system=True)
    elif unfilled and remaining_candidates(cl).exists() and further_problem(cl, None, None) is None:
        transition(cl, "count_more", actor=None, system=True)
    else:
        transition(cl, "count_done", actor=None, system=True)


def _result_note(adopted: int, tied: int, unfilled: int) -> str:
    note = _("本轮通过%(n)d个项目") % {"n": adopted}
    if tied:
        note += _("；末位得票相等的%(t)d个项目再次票决") % {"t": tied}
    if unfilled:
        note += _("；尚有%(u)d个名额未满") % {"u": unfilled}
    return note


def adopt(ctx):
    """The adopted candidates become projects (in the list's order), once."""
    from apps.workflow.services import create_tracked

    cl = ctx.item
    made = []
    for ln in adopted_lines(cl).select_related("candidate").order_by("candidate__order"):
        c = ln.candidate
        if Project.objects.filter(candidate=c).exists():
            continue
        project = create_tracked(
            Project,
            actor=ctx.actor,
            fields={
                "region": cl.region,
                "candidate": c,
                "year": cl.year,
                "title": c.title,
                "category": c.category,
                "village": c.village,
                "budget": c.budget,
                "votes": ln.votes,
                "adopted_on": ctx.today,
            },
        )
        made.append(project.pk)
    return made


def add_paper_totals(round_: VoteRound, *, returned: int, void: int, lines: dict[int, int]) -> None:
    """The tellers' totals of the round's paper ballots, checked against what a valid ballot may hold."""
    from apps.common.errors import field_error as _fail

    ids = set(round_.lines.values_list("candidate_id", flat=True))
    if any(int(k) not in ids for k in lines) or any(int(v) < 0 for v in lines.values()):
        raise _fail("lines", _("候选项目或票数不正确"))
    if not 0 <= void <= returned:
        raise _fail("void", _("无效票不能多于收回的纸质选票"))
    valid = returned - void
    if (
        any(int(v) > valid for v in lines.values())
        or sum(int(v) for v in lines.values()) > valid * round_.places
    ):
        raise _fail("lines", _("得票合计超出有效纸质选票可能的票数"))
    paper = round_.participations.filter(paper=True).count()
    if returned > paper:
        raise _fail("returned", _("收回的纸质选票多于领取纸质选票的代表（%(n)d名）") % {"n": paper})
    round_.paper_totals = {
        "returned": returned,
        "void": void,
        "lines": {str(k): int(v) for k, v in lines.items()},
    }
    round_.save(update_fields=["paper_totals"])


def bump(round_id: int) -> None:
    VoteRound.objects.filter(pk=round_id).update(
        ballots_cast=F("ballots_cast") + 1, ballots_valid=F("ballots_valid") + 1
    )

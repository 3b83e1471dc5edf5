"""Paper ballots in an electronic round (issue 16 item 2), mirroring a congress vote's (apps.meetings
services.paper): deputies without phones get a paper ballot, the others vote on their phones; a deputy
does only one.

- The office hands a named, checked-in deputy a paper ballot (`issue_paper_ballots`) while the round is
  open: that writes the deputy's `Participation` (marked paper), so the same unique (round, deputy) refuses
  their phone; a deputy who voted on the phone already is refused a paper ballot.
- Paper ballots carry no name: after the close (the round is COUNTING), one teller (监票人 of the meeting)
  enters the counted totals — issued, returned, valid, void, for / against / abstain per candidate, and
  the written-in names (另选他人, which paper allows) — (`enter_paper_totals`), a second teller confirms
  them (`confirm_paper_totals`); only then are they added to the round's counters.
- The round is counted once both halves are in: the box's decrypted phone totals (`rounds.count_tallied`)
  and the confirmed paper totals, in either order (`finish_if_ready`). More paper ballots returned than
  issued, or phone ballots + paper returned more than the voters (issued = present), voids the round [law,
  选举法: 收回的选票多于发出的选票 ... 选举无效] (`rounds.finish_count`).
Every issue, entry and confirmation is audited naming the staff members.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, get_or_deny, records_refusals
from apps.audit.services import record
from apps.ballotbox.models import BoxState
from apps.common.errors import field_error as _fail
from apps.meetings.selectors import is_teller

from . import boxes, rounds
from .models import BallotLine, Participation, Round, RoundKind, RoundState, WriteInTally
from .services import Conflict, _publish, voting_attendees

MAX_COUNT = 100_000
MAX_BULK = 2000
COUNT_FIELDS = ("issued", "returned", "valid", "void")


def paper_issued(round_: Round) -> int:
    return Participation.objects.filter(round=round_, paper=True).count()


@records_refusals()
def issue_paper_ballots(*, actor, round_id: int, deputy_ids) -> int:
    """Hand named deputies a paper ballot of an open electronic round: each one's participation is written
    now (marked paper), so their phone is refused; what they mark is counted by the tellers in the totals."""
    ids = list(dict.fromkeys(int(i) for i in deputy_ids or []))
    if not ids:
        raise _fail("deputies", _("请选择领取纸质选票的代表"))
    if len(ids) > MAX_BULK:
        raise _fail("deputies", _("一次最多发放%(n)s张") % {"n": MAX_BULK})
    round_ = get_or_deny(actor, Round, perms.ELECTION_MANAGE, pk=round_id)
    with transaction.atomic():
        round_ = Round.objects.select_for_update().select_related("post__meeting").get(pk=round_.pk)
        if round_.state != RoundState.OPEN:
            raise Conflict(_("投票未开始或已结束"))
        if round_.paper:
            raise Conflict(_("本轮全部使用纸质选票，无需单独发放"))
        seats = {a.deputy_id: a for a in voting_attendees(round_.post.meeting).filter(deputy_id__in=ids)}
        missing = [i for i in ids if i not in seats]
        if missing:
            raise _fail("deputies", _("所选代表不是本次大会有表决权的代表"))
        late = [seats[i].name for i in ids if seats[i].checked_in_at is None]
        if late:
            raise _fail("deputies", _("%(names)s尚未签到") % {"names": "、".join(late)})
        voted = set(
            Participation.objects.filter(round=round_, deputy_id__in=ids).values_list("deputy_id", flat=True)
        )
        if voted:
            names = "、".join(seats[i].name for i in ids if i in voted)
            raise Conflict(_("%(names)s已投票或已领取纸质选票") % {"names": names})
        try:
            with transaction.atomic():
                Participation.objects.bulk_create(
                    [Participation(round=round_, deputy_id=i, paper=True) for i in ids]
                )
        except IntegrityError:
            raise Conflict(_("所选代表已投票或已领取纸质选票")) from None
        record(
            actor=actor,
            action="election.paper_issued",
            obj=round_,
            summary={"round": round_.pk, "deputies": ids, "issued_by": actor.pk},
        )
    _publish(round_.post.meeting_id)
    return len(ids)


def _teller_round(actor, round_id: int, attempted: str) -> Round:
    """The round whose paper totals `actor` enters or confirms (`attempted`, the audit action): only a
    teller named for its meeting may; a refusal is logged."""
    round_ = get_or_deny(actor, Round, pk=round_id)
    round_ = Round.objects.select_for_update().select_related("post__meeting").get(pk=round_.pk)
    if round_.paper:
        raise Conflict(_("本轮全部使用纸质选票，请逐张录入唱票结果"))
    meeting_id = round_.post.meeting_id
    if not is_teller(actor, meeting_id):
        deny(actor, attempted, round_, message=_("只有本次会议的监票人可以录入纸质选票统计"))
    if round_.state != RoundState.COUNTING:
        raise Conflict(_("投票结束后、结果公布前才能录入纸质选票统计"))
    return round_


def _count(value, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
        raise _fail(key, _("请填写0到100000之间的整数"))
    return value


def check_paper_totals(round_: Round, totals: dict, issued: int) -> dict:
    """The counted figures, checked and cleaned: they must add up (valid + void = returned; for each
    candidate for + against + abstain = valid; each valid ballot names no more people than seats, so the
    for-votes and write-ins are at most valid × seats). More returned than issued is entered as counted:
    it voids the round. Answers {issued, returned, valid, void, lines, write_ins}."""
    out = {k: _count(totals.get(k), k) for k in COUNT_FIELDS}
    if out["issued"] != issued:
        raise _fail("issued", _("发出的纸质选票应为%(n)s张（领取纸质选票的代表人数）") % {"n": issued})
    if out["valid"] + out["void"] != out["returned"]:
        raise _fail("valid", _("有效票与无效票之和应等于收回票数"))
    names = dict(round_.lines.values_list("candidate_id", "candidate__name"))
    given = {int(k): v for k, v in (totals.get("lines") or {}).items()}
    if set(given) != set(names):
        raise _fail("lines", _("请为选票上的每位候选人填写赞成、反对、弃权票数"))
    lines = {}
    for cid, row in given.items():
        row = list(row or [])
        if len(row) != 3:
            raise _fail("lines", _("请为选票上的每位候选人填写赞成、反对、弃权票数"))
        row = [_count(v, "lines") for v in row]
        if sum(row) != out["valid"]:
            raise _fail("lines", _("%(name)s的赞成、反对、弃权之和应等于有效票数") % {"name": names[cid]})
        lines[str(cid)] = row
    write_ins: dict[str, int] = {}
    for raw, n in (totals.get("write_ins") or {}).items():
        name = "".join(str(raw or "").split())
        if not name:
            continue
        if len(name) > 50:
            raise _fail("write_ins", _("另选他人的姓名不能超过50字"))
        if name in names.values():
            raise _fail("write_ins", _("%(name)s 是选票上的候选人") % {"name": name})
        write_ins[name] = write_ins.get(name, 0) + _count(n, "write_ins")
    write_ins = {k: v for k, v in write_ins.items() if v}
    if write_ins and round_.kind == RoundKind.PRE:
        raise _fail("write_ins", _("预选不能另选他人"))
    named = sum(row[0] for row in lines.values()) + sum(write_ins.values())
    if named > out["valid"] * round_.seats:
        raise _fail("lines", _("赞成票与另选他人票之和超过有效票数×应选人数，请核对"))
    return {**out, "lines": lines, "write_ins": write_ins}


@records_refusals()
def enter_paper_totals(*, actor, round_id: int, totals: dict) -> Round:
    """One teller enters the counted totals of the round's paper ballots; another confirms them."""
    with transaction.atomic():
        round_ = _teller_round(actor, round_id, "election.paper_totals_entered")
        if round_.paper_confirmed_by_id:
            raise Conflict(_("纸质选票统计已复核，不能修改"))
        issued = paper_issued(round_)
        if not issued:
            raise Conflict(_("本轮没有发出纸质选票"))
        clean = check_paper_totals(round_, totals, issued)
        Round.objects.filter(pk=round_.pk).update(paper_totals=clean, paper_entered_by=actor)
        record(
            actor=actor,
            action="election.paper_totals_entered",
            obj=round_,
            summary={**clean, "entered_by": actor.pk},
        )
    round_.refresh_from_db()
    return round_


@records_refusals()
def confirm_paper_totals(*, actor, round_id: int) -> Round:
    """A second teller confirms the entered totals: they are added to the round's counters, and the round
    is counted if the box's totals are in too."""
    with transaction.atomic():
        round_ = _teller_round(actor, round_id, "election.paper_totals_confirmed")
        if round_.paper_totals is None:
            raise Conflict(_("尚未录入纸质选票统计"))
        if round_.paper_confirmed_by_id:
            raise Conflict(_("纸质选票统计已复核"))
        if round_.paper_entered_by_id == actor.pk:
            deny(actor, "election.paper_totals_confirmed", round_, message=_("须由另一名监票人复核"))
        t = round_.paper_totals
        Round.objects.filter(pk=round_.pk).update(
            paper_confirmed_by=actor,
            ballots_cast=F("ballots_cast") + t["returned"],
            ballots_valid=F("ballots_valid") + t["valid"],
            ballots_void=F("ballots_void") + t["void"],
        )
        for cid, (n_for, n_against, n_abstain) in t["lines"].items():
            BallotLine.objects.filter(round=round_, candidate_id=int(cid)).update(
                votes_for=F("votes_for") + n_for,
                votes_against=F("votes_against") + n_against,
                votes_abstain=F("votes_abstain") + n_abstain,
            )
        for name, n in t["write_ins"].items():
            WriteInTally.objects.get_or_create(round=round_, name=name)
            WriteInTally.objects.filter(round=round_, name=name).update(count=F("count") + n)
        record(
            actor=actor,
            action="election.paper_totals_confirmed",
            obj=round_,
            summary={"entered_by": round_.paper_entered_by_id, "confirmed_by": actor.pk},
        )
        round_.refresh_from_db()
        box = boxes.box_of(round_)
        if box is not None and box.state == BoxState.TALLIED:
            finish_if_ready(round_)
    _publish(round_.post.meeting_id, final=True)
    round_.refresh_from_db()
    return round_


def finish_if_ready(round_: Round) -> bool:
    """Count a COUNTING round (locked by the caller, its box tallied) unless its paper totals are pending."""
    if round_.state != RoundState.COUNTING or rounds.paper_pending(round_):
        return False
    rounds.finish_count(round_.closed_by, round_)
    return True


def sources(round_: Round) -> dict:
    """How many ballots came from phones and from paper (the record says how many of each)."""
    if round_.paper:
        return {"phone_ballots": 0, "paper_ballots": round_.ballots_cast, "paper_issued": None}
    t = round_.paper_totals if round_.paper_confirmed_by_id else None
    paper = t["returned"] if t else 0
    return {
        "phone_ballots": round_.ballots_cast - paper,
        "paper_ballots": paper,
        "paper_issued": paper_issued(round_),
    }

"""Every write of the livelihood projects before they are built (issue 19 parts 1-3): proposals from every
source, the candidate list, the ballot. Steps of tracked items go through the engine (`act`); the rest
check permission through the one layer, write in one transaction and append their audit event.
Progress, inspections and overdue milestones are in `progress.py`."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.models import Role
from apps.accounts.scopes import deny, get_or_deny, grants_of, own_deputy, records_refusals
from apps.audit.services import record
from apps.ballotbox import services as ballotbox
from apps.common import text
from apps.common.errors import DomainError, NotFound, Throttled
from apps.common.errors import field_error as _fail
from apps.meetings.models import Meeting
from apps.meetings.selectors import is_teller
from apps.places.models import Region
from apps.workflow.errors import Conflict
from apps.workflow.services import create_tracked, transition

from . import rules, voting
from .errors import ErrorCode
from .models import (
    Candidate,
    CandidateList,
    Category,
    Proposal,
    RoundState,
    Source,
    VoteParticipation,
    VoteRound,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TITLE_MAX, DETAIL_MAX = 100, 5000
BUDGET_MAX = Decimal("999999.99")
PUBLIC_PER_IP_PER_HOUR = 10


def new_tracking_code() -> str:
    return "MS" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def clean_text(field: str, value, limit: int, *, required: bool = False) -> str:
    try:
        value = text.clean(str(value or "")).strip()
    except ValueError:
        raise _fail(field, _("含有不允许的控制字符")) from None
    if required and not value:
        raise _fail(field, _("请填写此项"))
    if len(value) > limit:
        raise _fail(field, _("不超过 %(n)s 字") % {"n": limit})
    return value


def money(field: str, value, *, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise _fail(field, _("请填写金额"))
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise _fail(field, _("请填写金额（万元）")) from None
    if not amount.is_finite() or not Decimal(0) <= amount <= BUDGET_MAX:
        raise _fail(field, _("金额须在 0 到 %(m)s 万元之间") % {"m": BUDGET_MAX})
    return amount


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise _fail("year", _("请填写年度")) from None
    if not 2000 <= year <= 2100:
        raise _fail("year", _("年度不正确"))
    return year


def _village(town: Region, village_id) -> Region | None:
    if not village_id:
        return None
    found = Region.objects.filter(pk=village_id, level="village", town_id=town.pk).first()
    if found is None:
        raise _fail("village", _("请选择本镇的村（社区）"))
    return found


def _fields(town: Region, data: dict) -> dict:
    category = str(data.get("category") or Category.OTHER)
    if category not in Category.values:
        raise _fail("category", _("类别不正确"))
    return {
        "region": town,
        "village": _village(town, data.get("village")),
        "year": _year(data.get("year") or timezone.localdate().year + 1),
        "title": " ".join(clean_text("title", data.get("title"), TITLE_MAX, required=True).split()),
        "detail": clean_text("detail", data.get("detail"), DETAIL_MAX),
        "category": category,
        "estimated_budget": money("estimated_budget", data.get("estimated_budget")),
        "proposer_name": clean_text("proposer_name", data.get("proposer_name"), 50),
        "proposer_phone": clean_text("proposer_phone", data.get("proposer_phone"), 20),
        "tracking_code": new_tracking_code(),
    }


def _throttle(key: str, limit: int, seconds: int) -> None:
    cache.add(key, 0, seconds)
    try:
        n = cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds)
        n = 1
    if n > limit:
        raise Throttled(_("提交过于频繁，请稍后再试"))


def propose_public(*, town_code: str, data: dict, ip: str | None = None) -> Proposal:
    """群众建议: anyone, on the public site or by a town's QR code; the tracking code shows the screening."""
    town = Region.objects.filter(code=str(town_code)[:32], level="town").first()
    if town is None:
        raise NotFound()
    fields = _fields(town, data)
    if not fields["proposer_phone"]:
        raise _fail("proposer_phone", _("请留下手机号码，以便告知筛选结果"))
    _throttle(f"project-proposal-ip:{ip or '-'}", PUBLIC_PER_IP_PER_HOUR, 3600)
    fields["source"] = Source.PUBLIC
    return create_tracked(Proposal, actor=None, fields=fields, reason=_("网上提交"))


@records_refusals()
def propose(*, actor, town_id: int, data: dict) -> Proposal:
    """A deputy's or a unit's own proposal (their own town), or one the office enters for someone."""
    perms.require(actor, perms.PROJECT_PROPOSE)
    town = Region.objects.filter(pk=town_id, level="town").first()
    if town is None:
        raise NotFound()
    fields = _fields(town, data)
    deputy = own_deputy(actor)
    unit = next((g.unit for g in grants_of(actor) if g.role == Role.UNIT_STAFF and g.unit_id), None)
    if perms.holds_in(actor, perms.PROJECT_SCREEN, town):
        fields["source"] = Source.PUBLIC
    elif deputy is not None and deputy.town_id == town.pk:
        fields.update(
            source=Source.DEPUTY, deputy=deputy, proposer_name=fields["proposer_name"] or deputy.name
        )
    elif unit is not None and unit.region_id in (town.pk, town.county_id):
        fields.update(source=Source.UNIT, unit=unit, proposer_name=fields["proposer_name"] or unit.name)
    else:
        raise NotFound()
    fields["created_by"] = actor
    return create_tracked(Proposal, actor=actor, fields=fields)


@records_refusals()
def propose_from_opinion(*, actor, opinion_id: int, year: int | None = None) -> Proposal:
    """转为项目建议: the office turns an opinion it sees into a proposal of the opinion's town."""
    from apps.opinions.models import Opinion

    opinion = get_or_deny(actor, Opinion, pk=opinion_id)
    town = Region.objects.filter(pk=opinion.town_id).first()
    if town is None:
        raise _fail("opinion", _("该社情民意没有所属的镇"))
    perms.require_in(actor, perms.PROJECT_SCREEN, town)
    if Proposal.objects.filter(opinion=opinion).exists():
        raise Conflict(_("该社情民意已转为项目建议"))
    data = {"title": opinion.title[:TITLE_MAX], "detail": opinion.content, "year": year}
    fields = _fields(town, data)
    fields.update(source=Source.OPINION, opinion=opinion, created_by=actor)
    return create_tracked(Proposal, actor=actor, fields=fields)


def act(*, actor, item, key: str, data):
    return transition(item, key, actor=actor, data=data)


# --- the candidate list ------------------------------------------------------------------------------------


def _meeting(town: Region, meeting_id) -> Meeting | None:
    if not meeting_id:
        return None
    found = Meeting.objects.filter(pk=meeting_id, region_id=town.pk).first()
    if found is None:
        raise _fail("meeting", _("请选择本镇的人民代表大会会议"))
    return found


def _places(value) -> int:
    try:
        places = int(value)
    except (TypeError, ValueError):
        raise _fail("places", _("请填写拟票决项目数")) from None
    if not 1 <= places <= 100:
        raise _fail("places", _("拟票决项目数须在 1 到 100 之间"))
    return places


@records_refusals()
def create_list(*, actor, town_id: int, year, places, meeting_id=None, title: str = "") -> CandidateList:
    town = Region.objects.filter(pk=town_id, level="town").first()
    if town is None:
        raise NotFound()
    perms.require_in(actor, perms.PROJECT_MANAGE, town)
    year = _year(year)
    if CandidateList.objects.filter(region=town, year=year).exists():
        raise Conflict(_("本镇该年度的候选项目清单已建立"))
    title = clean_text("title", title, 200) or _("%(town)s%(y)d年民生实事候选项目") % {
        "town": town.name,
        "y": year,
    }
    fields = {
        "region": town,
        "year": year,
        "title": title,
        "places": _places(places),
        "meeting": _meeting(town, meeting_id),
        "created_by": actor,
    }
    try:
        with transaction.atomic():
            return create_tracked(CandidateList, actor=actor, fields=fields)
    except IntegrityError:
        raise Conflict(_("本镇该年度的候选项目清单已建立")) from None


def _draft(actor, list_id: int) -> CandidateList:
    cl = get_or_deny(actor, CandidateList, perms.PROJECT_MANAGE, pk=list_id)
    cl = CandidateList.objects.select_for_update().get(pk=cl.pk)
    if cl.state != "draft":
        raise Conflict(_("清单已提请票决，不能再修改"))
    return cl


@records_refusals()
def update_list(*, actor, list_id: int, places, meeting_id=None) -> CandidateList:
    with transaction.atomic():
        cl = _draft(actor, list_id)
        cl.places, cl.meeting = _places(places), _meeting(cl.region, meeting_id)
        cl.save(update_fields=["places", "meeting"])
        record(
            actor=actor,
            action="project_list.updated",
            obj=cl,
            summary={"places": cl.places, "meeting": cl.meeting_id},
        )
    return cl


@records_refusals()
def add_candidate(*, actor, list_id: int, data: dict) -> Candidate:
    """The government puts a project of its own on the list (proposals come on through their `list` step)."""
    with transaction.atomic():
        cl = _draft(actor, list_id)
        order = (cl.candidates.aggregate(m=Max("order"))["m"] or 0) + 1
        fields = {
            "candidate_list": cl,
            "order": order,
            "title": " ".join(clean_text("title", data.get("title"), TITLE_MAX, required=True).split()),
            "budget": money("budget", data.get("budget"), required=True),
            "schedule": clean_text("schedule", data.get("schedule"), 200),
            "detail": clean_text("detail", data.get("detail"), DETAIL_MAX),
            "village": _village(cl.region, data.get("village")),
            "category": data.get("category") if data.get("category") in Category.values else Category.OTHER,
        }
        try:
            with transaction.atomic():
                made = Candidate.objects.create(**fields)
        except IntegrityError:
            raise _fail("title", _("清单中已有同名候选项目")) from None
        record(actor=actor, action="project_list.candidate_added", obj=cl, summary={"candidate": made.pk})
    return made


@records_refusals()
def remove_candidate(*, actor, list_id: int, candidate_id: int) -> None:
    with transaction.atomic():
        cl = _draft(actor, list_id)
        found = cl.candidates.filter(pk=candidate_id).first()
        if found is None:
            raise NotFound()
        found.delete()
        record(
            actor=actor, action="project_list.candidate_removed", obj=cl, summary={"candidate": candidate_id}
        )


# --- the ballot ---------------------------------------------------------------------------------------------


def _open_round(cl) -> VoteRound:
    round_ = VoteRound.objects.select_for_update().filter(candidate_list=cl, state=RoundState.OPEN).first()
    if round_ is None:
        raise Conflict(_("投票未开始或已结束"))
    return round_


def _marks(round_: VoteRound, marks) -> set[int]:
    try:
        chosen = {int(m) for m in marks or ()}
    except (TypeError, ValueError):
        raise _fail("marks", _("候选项目不正确")) from None
    ids = set(round_.lines.values_list("candidate_id", flat=True))
    if not chosen <= ids:
        raise _fail("marks", _("候选项目不正确"))
    if rules.void(marked=len(chosen), places=round_.places):
        raise DomainError(
            _("所选项目多于本轮票决名额（%(n)d个），选票将无效，请重新选择") % {"n": round_.places},
            code=ErrorCode.BALLOT_VOID,
            fields={"marks": _("最多选%(n)d个") % {"n": round_.places}},
        )
    return chosen


def _not_a_voter(actor, cl, message) -> None:
    deny(actor, perms.PROJECT_VOTE, cl, message=message, code=ErrorCode.NOT_A_VOTER)


@records_refusals()
def cast_ballot(*, actor, list_id: int, marks) -> str:
    """A checked-in voting deputy marks up to `places` projects on the phone, once per round; the receipt.
    The participation, the counters of ballots and the sealed ballot commit together (ballotbox.seal)."""
    cl = get_or_deny(actor, CandidateList, perms.PROJECT_BROWSE, pk=list_id)
    deputy = own_deputy(actor)
    if deputy is None:
        _not_a_voter(actor, cl, _("只有代表本人可以投票"))
    with transaction.atomic():
        round_ = _open_round(cl)
        seat = voting.deputies_of(cl).filter(deputy=deputy).first()
        if seat is None:
            _not_a_voter(actor, cl, _("您不是本次大会有表决权的代表"))
        if seat.checked_in_at is None:
            _not_a_voter(actor, cl, _("请先签到再投票"))
        chosen = _marks(round_, marks)
        try:
            with transaction.atomic():
                VoteParticipation.objects.create(round=round_, deputy=deputy)
        except IntegrityError:
            raise Conflict(_("您已在本轮投过票或已领取纸质选票"), code=ErrorCode.ALREADY_VOTED) from None
        voting.bump(round_.pk)
        rows = [
            voting.MARK if cid in chosen else voting.SKIP
            for cid in round_.lines.order_by("order").values_list("candidate_id", flat=True)
        ]
        box = voting.box_of(round_)
        receipt = ballotbox.seal(box_id=box.pk, choices=rows)
        del chosen, rows
        record(
            actor=actor,
            action="project_list.ballot_cast",
            obj=cl,
            summary={"round": round_.pk, "deputy": deputy.pk},
        )
    return receipt


@records_refusals()
def hand_paper_ballot(*, actor, list_id: int, deputy_id: int) -> None:
    """A deputy without a phone takes a paper ballot: their phone is then refused in this round."""
    cl = get_or_deny(actor, CandidateList, perms.PROJECT_MANAGE, pk=list_id)
    with transaction.atomic():
        round_ = _open_round(cl)
        if not voting.deputies_of(cl).filter(deputy_id=deputy_id).exists():
            raise _fail("deputy", _("不是本次大会有表决权的代表"))
        try:
            with transaction.atomic():
                VoteParticipation.objects.create(round=round_, deputy_id=deputy_id, paper=True)
        except IntegrityError:
            raise Conflict(_("该代表已在本轮投票或已领取纸质选票"), code=ErrorCode.ALREADY_VOTED) from None
        record(actor=actor, action="project_list.paper_handed", obj=cl, summary={"round": round_.pk})


def _paper_round(cl) -> VoteRound:
    """The list's round being voted or counted, locked: the one its paper totals belong to."""
    round_ = (
        VoteRound.objects.select_for_update()
        .filter(candidate_list=cl, state__in=(RoundState.OPEN, RoundState.COUNTING))
        .first()
    )
    if round_ is None:
        raise Conflict(_("没有正在进行的票决轮次"))
    return round_


def _teller_list(actor, list_id: int, attempted: str) -> CandidateList:
    """The list whose paper totals `actor` enters or confirms: only a teller named for its sitting may, as
    for a secret vote's paper totals (apps/meetings/services/paper.py); a refusal is logged."""
    cl = get_or_deny(actor, CandidateList, perms.PROJECT_BROWSE, pk=list_id)
    if not is_teller(actor, cl.meeting_id):
        deny(actor, attempted, cl, message=_("只有本次会议的监票人可以录入纸质票统计"))
    return cl


@records_refusals()
def enter_paper_totals(*, actor, list_id: int, returned: int, void: int, lines: dict) -> VoteRound:
    """One teller of the sitting enters the counted totals of the round's paper ballots before the count."""
    cl = _teller_list(actor, list_id, "project_list.paper_totals")
    with transaction.atomic():
        round_ = _paper_round(cl)
        if round_.paper_confirmed_by_id:
            raise Conflict(_("纸质选票统计已复核，不能修改"))
        box = voting.box_of(round_)
        if box is not None and box.state == "tallied" and round_.state != RoundState.COUNTING:
            raise Conflict(_("本轮已计票"))
        voting.add_paper_totals(round_, returned=int(returned), void=int(void), lines=lines)
        VoteRound.objects.filter(pk=round_.pk).update(paper_entered_by=actor)
        record(
            actor=actor,
            action="project_list.paper_totals",
            obj=cl,
            summary={**round_.paper_totals, "entered_by": actor.pk},
        )
    round_.refresh_from_db()
    return round_


@records_refusals()
def confirm_paper_totals(*, actor, list_id: int) -> VoteRound:
    """Another teller confirms the entered paper totals; only then are they counted (at once, if the tellers
    have already opened the box)."""
    cl = _teller_list(actor, list_id, "project_list.paper_confirmed")
    with transaction.atomic():
        round_ = _paper_round(cl)
        if round_.paper_totals is None:
            raise Conflict(_("尚未录入纸质选票统计"))
        if round_.paper_confirmed_by_id:
            raise Conflict(_("纸质选票统计已复核"))
        if round_.paper_entered_by_id == actor.pk:
            deny(actor, "project_list.paper_confirmed", cl, message=_("须由另一名监票人复核"))
        round_.paper_confirmed_by = actor
        round_.save(update_fields=["paper_confirmed_by"])
        record(
            actor=actor,
            action="project_list.paper_confirmed",
            obj=cl,
            summary={
                "round": round_.number,
                "entered_by": round_.paper_entered_by_id,
                "confirmed_by": actor.pk,
            },
        )
        box = voting.box_of(round_)
        if round_.state == RoundState.COUNTING and box is not None and box.state == "tallied":
            voting.count_with_box(round_, box)
    round_.refresh_from_db()
    return round_

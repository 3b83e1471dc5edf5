"""/api/v1/elections: posts, nominations, rounds, the deputy's secret ballot and the tally report
(DOMAIN §5 选举).

Thin: each operation parses a schema and calls one selector or service with `request.user`; scoping lives
in the selectors and services (`visible_to`, `get_or_deny`). While a round is open only the number of
ballots cast is shown, never the per-candidate counters.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status

from apps.common.api import ERRORS, ErrorOut, Page, Ref, paginate
from apps.common.downloads import docx_response
from apps.common.params import IdArg, Int, PageArg, PageSizeArg

from . import export, paper, selectors, services
from .models import Round
from .word import candidates_docx

router = Router(tags=["elections"])


# --- schemas ---------------------------------------------------------------------------------------------


class PostOut(Schema):
    id: int
    meeting: Ref
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    title: str
    seats: int
    margin: int
    head_post: bool

    @staticmethod
    def resolve_meeting(obj):
        return {"id": obj.meeting_id, "name": obj.meeting.title}


class CandidateOut(Schema):
    id: int
    name: str
    deputy: Ref | None
    surname_strokes: int | None
    nominated_by: str
    signers: list[Ref]

    @staticmethod
    def resolve_deputy(obj):
        return {"id": obj.deputy_id, "name": obj.deputy.name} if obj.deputy_id else None

    @staticmethod
    def resolve_nominated_by(obj):
        return obj.nomination.by if obj.nomination_id else "write_in"

    @staticmethod
    def resolve_signers(obj):
        if not obj.nomination_id:
            return []
        return [{"id": d.pk, "name": d.name} for d in obj.nomination.signers.all()]


class RoundRef(Schema):
    id: int
    number: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    state: str
    state_label: str = Field(..., alias="get_state_display")
    seats: int


class CompetitiveOut(Schema):
    verdict: str = Field(..., description="ok：可以开始选举；pre_election：须预选；空：不符合差额规定")
    message: str
    list_size: int


class PostDetailOut(PostOut):
    candidates: list[CandidateOut]
    rounds: list[RoundRef]
    competitive: CompetitiveOut

    @staticmethod
    def resolve_candidates(obj):
        return selectors.candidates(obj)

    @staticmethod
    def resolve_rounds(obj):
        return list(selectors.rounds(obj))

    @staticmethod
    def resolve_competitive(obj):
        c = services.check_competitive(obj)
        return {"verdict": c.verdict, "message": str(c.message), "list_size": c.list_size}


class LineOut(Schema):
    order: int
    candidate_id: int
    name: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    result: str
    result_label: str


class WriteInOut(Schema):
    name: str
    count: int


class OutcomeOut(Schema):
    name: str
    votes: int
    result: str
    result_label: str


class RoundBoxOut(Schema):
    id: int
    state: str = Field(
        ..., description="setup 待生成密钥 / open 投票中 / closed 已截止，待解密 / tallied 已计票"
    )
    state_label: str
    tellers: list[str] = Field(..., description="本轮票箱的监票人")
    keys_owed: list[str] = Field(..., description="尚未生成密钥份额的监票人（开始投票前须全部生成）")
    shares_owed: list[str] = Field(..., description="票箱截止后尚未提交解密份额的监票人")


class TallyOut(RoundRef):
    post: PostOut
    paper: bool
    parent: int | None = Field(None, alias="parent_id")
    opened_at: datetime | None
    closed_at: datetime | None
    total_deputies: int | None
    present: int | None
    ballots_issued: int | None
    ballots_cast: int
    ballots_valid: int | None
    ballots_void: int | None
    needed: int | None
    result_note: str
    lines: list[LineOut]
    write_ins: list[WriteInOut]
    written_in_outcomes: list[OutcomeOut]
    next_rounds: list[RoundRef]
    phone_ballots: int = Field(..., description="手机投票数")
    paper_ballots: int = Field(..., description="纸质选票收回数（电子投票中为监票人复核计入的纸质选票）")
    paper_issued: int | None = Field(None, description="电子投票中领取纸质选票的代表人数")
    box: RoundBoxOut | None = Field(
        None, description="电子投票的加密票箱（纸质选票为空）：其状态，以及尚欠密钥或解密份额的监票人"
    )


def _tally(round_: Round) -> dict:
    t = selectors.tally(round_)
    counted = t["counted"]
    return {
        **{f: getattr(round_, f) for f in ("id", "number", "kind", "state", "seats", "paper", "parent_id")},
        "get_kind_display": round_.get_kind_display(),
        "get_state_display": round_.get_state_display(),
        "post": round_.post,
        "opened_at": round_.opened_at,
        "closed_at": round_.closed_at,
        "total_deputies": round_.total_deputies,
        "present": round_.present,
        "ballots_issued": round_.ballots_issued,
        "ballots_cast": round_.ballots_cast,
        "ballots_valid": round_.ballots_valid if counted else None,
        "ballots_void": round_.ballots_void if counted else None,
        "needed": round_.needed,
        "result_note": round_.result_note,
        "lines": t["rows"],
        "write_ins": t["write_ins"],
        "written_in_outcomes": t["written_outcomes"],
        "next_rounds": t["next_rounds"],
        "box": selectors.box_steps(round_),
        **paper.sources(round_),
    }


# --- posts and nominations -------------------------------------------------------------------------------


@router.get("/elections/posts", response=Page[PostOut], summary="选举职务列表")
def list_posts(request, meeting: IdArg = None, page: PageArg = 1, page_size: PageSizeArg = None):
    """本人可见的会议上的选举职务（主席、副主席、镇长、副镇长），可按会议筛选。"""
    return paginate(selectors.posts(request.user, meeting_id=meeting), page, page_size)


class PostIn(Schema):
    meeting: int
    kind: str = Field(..., description="chair 主席、vice_chair 副主席、head 镇长、deputy_head 副镇长")
    title: str = ""
    seats: int = 1
    margin: int = Field(1, description="副职差额数（1到3，由大会选举办法规定）；正职固定为1")
    agenda_item: IdArg = None


@router.post("/elections/posts", response={201: PostDetailOut, **ERRORS}, summary="设立选举职务")
def create_post(request, payload: PostIn):
    """镇人大办在本镇的代表大会会议上设立一个选举职务及应选人数。"""
    post = services.create_post(
        actor=request.user,
        meeting_id=payload.meeting,
        kind=payload.kind,
        title=payload.title,
        seats=payload.seats,
        margin=payload.margin,
        agenda_item_id=payload.agenda_item,
    )
    return Status(201, post)


@router.get(
    "/elections/posts/{post_id}", response={200: PostDetailOut, 404: ErrorOut}, summary="选举职务详情"
)
def get_post(request, post_id: int):
    """候选人（提名方式、联名代表）、各轮投票和差额检查结果。"""
    return selectors.post_detail(request.user, post_id)


@router.get(
    "/elections/posts/{post_id}/candidates.docx", response={200: None, **ERRORS}, summary="候选人名单（Word）"
)
def candidates_list(request, post_id: int):
    """候选人名单（按姓氏笔画排列，GB/T 9704 公文格式）。"""
    post = selectors.post_detail(request.user, post_id)
    return docx_response(candidates_docx(post), f"{post.title}候选人名单.docx")


class NominationIn(Schema):
    by: str = Field(..., description="presidium 主席团提名；joint 代表联名提名（10名以上本次大会代表）")
    name: str = ""
    deputy: int | None = Field(None, description="候选人是本镇代表时：代表编号")
    signers: list[int] = Field([], description="联名代表编号")
    surname_strokes: int | None = Field(None, description="姓氏不在笔画表中时填写")
    note: str = ""


@router.post(
    "/elections/posts/{post_id}/nominations", response={201: CandidateOut, **ERRORS}, summary="提名候选人"
)
def nominate(request, post_id: int, payload: NominationIn):
    """录入一份提名：主席团提名，或10名以上代表联名提名（系统核对每位联名人是本次大会的代表）。主席团和
    每位代表提名的人数都不得多于应选人数。"""
    candidate = services.nominate(
        actor=request.user,
        post_id=post_id,
        by=payload.by,
        name=payload.name,
        deputy_id=payload.deputy,
        signers=payload.signers,
        surname_strokes=payload.surname_strokes,
        note=payload.note,
    )
    return Status(201, candidate)


@router.delete("/elections/candidates/{candidate_id}", response={204: None, **ERRORS}, summary="撤回提名")
def withdraw(request, candidate_id: int):
    """选举开始前撤回误录的提名。"""
    services.withdraw(actor=request.user, candidate_id=candidate_id)
    return Status(204, None)


@router.post("/elections/posts/{post_id}/start", response={201: TallyOut, **ERRORS}, summary="确定候选人名单")
def start(request, post_id: int, paper: bool = False):
    """提名截止：按差额规定检查候选人人数，生成第一轮选票（按姓氏笔画排列）；候选人多于差额规定时先进行预选。
    `?paper=true`：使用纸质选票（工作人员唱票录入）。不需要请求体。"""
    return Status(201, _tally(services.start(actor=request.user, post_id=post_id, paper=paper)))


# --- rounds ----------------------------------------------------------------------------------------------


@router.get("/elections/rounds/{round_id}", response={200: TallyOut, 404: ErrorOut}, summary="计票报告")
def get_round(request, round_id: int):
    """一轮投票的全部数字：全体代表、到会、发出、收回、有效、无效选票，每位候选人的赞成、反对、弃权，
    另选他人的姓名和票数，当选所需票数，结果及原因。投票进行中只显示已收回的票数。"""
    return _tally(selectors.round_detail(request.user, round_id))


# Paper ballots handed out in one round: no hall seats more.
BallotsIssued = Int(0, 100_000, label=gettext_lazy("发出的选票数")).api()


@router.post("/elections/rounds/{round_id}/open", response={200: TallyOut, **ERRORS}, summary="开始投票")
def open_round(request, round_id: int, issued: BallotsIssued = None):
    """开始本轮投票（正式选举先按差额规定检查；电子投票须全体监票人已生成密钥份额）。
    纸质选票：`?issued=` 为发出的选票数，默认为已签到代表数。
    不需要请求体。"""
    return _tally(services.open_ballot(actor=request.user, round_id=round_id, issued=issued))


class RoundBallotIn(Schema):
    choices: dict[int, str] = Field(
        {}, description="候选人编号 → for 赞成 / against 反对 / abstain 弃权；未选为弃权"
    )
    write_ins: list[str] = Field([], description="另选他人的姓名")


class CastOut(Schema):
    voted: bool
    receipt: str = Field(
        ...,
        description="回执：本张加密选票的编号，可在 /api/v1/public/ballotbox/receipts/{receipt} 核对其已计入",
    )


@router.post(
    "/elections/rounds/{round_id}/ballot", response={200: CastOut, **ERRORS}, summary="投票（无记名）"
)
def cast(request, round_id: int, payload: RoundBallotIn):
    """已签到的有表决权代表投本轮的无记名选票，每轮一次。系统只记下“已投票”，选票内容加密后放入本轮票箱，
    只有全体监票人共同解密的合计票数会被公开。赞成人数多于应选人数的选票（无效票）不予接受；另选他人请向
    工作人员领取纸质选票。返回回执。"""
    receipt = services.cast_ballot(
        actor=request.user, round_id=round_id, choices=payload.choices, write_ins=payload.write_ins
    )
    return {"voted": True, "receipt": receipt}


class BallotStateOut(Schema):
    voted: bool
    can_vote: bool
    reason: str


@router.get(
    "/elections/rounds/{round_id}/ballot",
    response={200: BallotStateOut, 404: ErrorOut},
    summary="我的投票状态",
)
def ballot_state(request, round_id: int):
    state = selectors.ballot_state(request.user, selectors.round_detail(request.user, round_id))
    return {"voted": state["voted"], "can_vote": state["can_vote"], "reason": state["reason"]}


@router.post(
    "/elections/rounds/{round_id}/paper-ballots",
    response={200: TallyOut, **ERRORS},
    summary="录入纸质选票",
)
def paper_ballot(request, round_id: int, payload: RoundBallotIn):
    """纸质选票计票时，工作人员逐张录入唱票结果。"""
    services.record_paper_ballot(
        actor=request.user, round_id=round_id, choices=payload.choices, write_ins=payload.write_ins
    )
    return _tally(selectors.round_detail(request.user, round_id))


@router.post(
    "/elections/rounds/{round_id}/close", response={200: TallyOut, **ERRORS}, summary="结束投票并计票"
)
def close(request, round_id: int):
    """结束投票。纸质选票：计票并保存结果（此后不再修改）；电子投票：票箱截止，本轮进入“计票中”，全体监票人
    提交解密份额后自动计票。得票相等的重新投票、名额未选足的另行选举自动生成下一轮。"""
    return _tally(services.close_and_count(actor=request.user, round_id=round_id))


@router.get(
    "/elections/rounds/{round_id}/report.xlsx",
    response={200: None, 404: ErrorOut},
    summary="计票报告Excel",
)
def report_xlsx(request, round_id: int) -> HttpResponse:
    round_ = selectors.round_detail(request.user, round_id)
    return export.tally_workbook(round_, selectors.tally(round_))


# 候选人与代表见面会 (issue 16 item 5).
from .api_meet import router as _meet_router  # noqa: E402

router.add_router("", _meet_router)

# Paper ballots in an electronic round (issue 16 item 2).
from .api_paper import router as _paper_router  # noqa: E402

router.add_router("", _paper_router)

# After the election: oath, appointment papers, announcement, tally in Word (issue 21 part 4).
from .api_after import router as _after_router  # noqa: E402

router.add_router("", _after_router)

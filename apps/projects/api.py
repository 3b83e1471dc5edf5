"""/api/v1/projects (tag projects, issue 19 parts 1-3): proposals from every source and their screening, the
candidate list, its secret vote (the phone ballot, paper ballots) and its papers in Word. Adopted projects
and the public site's endpoints are in `api_items.py`."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status

from apps.common.api import ERRORS, Page, column, paginate
from apps.common.downloads import docx_response
from apps.common.params import ID, PageArg, PageSizeArg
from apps.workflow.api import TrackedOut, add_action_routes

from . import selectors as sel
from . import services
from .models import Candidate, Category, Proposal
from .word import candidates_docx, result_docx
from .workflow import LIST_WORKFLOW, PROPOSAL_WORKFLOW

router = Router(tags=["projects"])
Id = ID.required()
YearArg = Annotated[int | None, Field(None, ge=2000, le=2100, description="年度")]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("999999.99"), max_digits=8, decimal_places=2)]
CategoryArg = Annotated[
    str,
    Field("other", max_length=16, description="类别：" + "；".join(f"{k} {v}" for k, v in Category.choices)),
]


class ProposalIn(Schema):
    title: column(Proposal._meta.get_field("title"))
    detail: column(Proposal._meta.get_field("detail")) = ""
    category: CategoryArg = "other"
    village: Id | None = None
    estimated_budget: Money | None = None
    year: YearArg = None
    proposer_name: column(Proposal._meta.get_field("proposer_name")) = ""


class StaffProposalIn(ProposalIn):
    town: Id = Field(..., description="镇（街道）的 id")


class PublicProposalIn(ProposalIn):
    town: Annotated[str, Field(max_length=32, description="镇（街道）的区划代码")]
    proposer_phone: Annotated[str, Field(max_length=20, description="手机号码（不公开）")]


class ProposalOut(TrackedOut):
    id: int
    town: str = Field(..., alias="region.name")
    year: int
    title: str
    detail: str
    category: str
    source: str
    estimated_budget: Decimal | None
    proposer_name: str
    screening_reason: str
    merged_into: int | None = Field(None, alias="merged_into_id")


class ProposalTrackingOut(Schema):
    tracking_code: str
    title: str
    state_label: str
    screening_reason: str

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.state_label)


class SimilarProposalOut(Schema):
    id: int
    title: str
    state: str
    score: float


class ProposalFromOpinionIn(Schema):
    opinion: Id
    year: YearArg = None


class CandidateListIn(Schema):
    town: Id
    year: Annotated[int, Field(..., ge=2000, le=2100)]
    places: Annotated[int, Field(..., ge=1, le=100, description="拟票决项目数")]
    meeting: Id | None = Field(None, description="票决的本镇人民代表大会会议")
    title: column(Candidate._meta.get_field("title")) = ""


class CandidateListSettingsIn(Schema):
    places: Annotated[int, Field(..., ge=1, le=100)]
    meeting: Id | None = None


class ProjectCandidateIn(Schema):
    title: column(Candidate._meta.get_field("title"))
    budget: Money
    schedule: column(Candidate._meta.get_field("schedule")) = ""
    detail: column(Candidate._meta.get_field("detail")) = ""
    category: CategoryArg = "other"
    village: Id | None = None


class ProjectCandidateOut(Schema):
    id: int
    order: int
    title: str
    category: str
    budget: Decimal
    schedule: str
    proposal: int | None = Field(None, alias="proposal_id")


class ProjectLineOut(Schema):
    candidate: int = Field(..., alias="candidate_id")
    title: str = Field(..., alias="candidate.title")
    votes: int
    result: str


class ProjectRoundOut(Schema):
    id: int
    number: int
    kind: str
    places: int
    state: str
    ballots_cast: int
    ballots_valid: int
    ballots_void: int
    total_deputies: int | None
    needed: int | None
    result_note: str
    paper_entered: bool = Field(..., description="纸质选票统计已录入")
    paper_confirmed: bool = Field(..., description="纸质选票统计已由另一名工作人员复核")
    lines: list[ProjectLineOut] = Field(..., description="计票前票数为0（电子选票密封在票箱中）")

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())

    @staticmethod
    def resolve_paper_entered(obj) -> bool:
        return obj.paper_totals is not None

    @staticmethod
    def resolve_paper_confirmed(obj) -> bool:
        return obj.paper_confirmed_by_id is not None


class CandidateListOut(TrackedOut):
    id: int
    town: str = Field(..., alias="region.name")
    year: int
    title: str
    places: int
    meeting: int | None = Field(None, alias="meeting_id")


class CandidateListDetailOut(CandidateListOut):
    candidates: list[ProjectCandidateOut] = Field(..., alias="candidates_out")
    rounds: list[ProjectRoundOut] = Field(..., alias="rounds_out")


class ProjectBallotIn(Schema):
    marks: list[Id] = Field(..., max_length=200, description="所选候选项目的 id，不多于本轮名额")


class ProjectReceiptOut(Schema):
    receipt: str


class ProjectPaperHandIn(Schema):
    deputy: Id


class ProjectPaperTotalsIn(Schema):
    returned: Annotated[int, Field(..., ge=0, le=100000)]
    void: Annotated[int, Field(..., ge=0, le=100000)]
    lines: dict[str, Annotated[int, Field(ge=0, le=100000)]] = Field(..., description="候选项目 id → 得票")


class ProjectFilters(Schema):
    year: YearArg = None
    state: Annotated[str, Field("", max_length=24)] = ""
    town: Id | None = None
    page: PageArg = 1
    page_size: PageSizeArg = None


# --- proposals -------------------------------------------------------------------------------------------
@router.get("/proposals", response=Page[ProposalOut], summary="民生实事项目建议列表")
def list_proposals(request, filters: Query[ProjectFilters]):
    """人大办看本镇（县人大办看全县），代表和单位看自己提出的。"""
    qs = sel.proposals(request.user, year=filters.year, state=filters.state, town=filters.town)
    return paginate(qs, filters.page, filters.page_size)


@router.post("/proposals", response={201: ProposalOut, **ERRORS}, summary="提出民生实事项目建议")
def create_proposal(request, payload: StaffProposalIn):
    """代表、承办单位提出本镇项目建议；人大办代群众录入。"""
    data = payload.model_dump()
    return Status(201, services.propose(actor=request.user, town_id=data.pop("town"), data=data))


@router.post("/proposals/from-opinion", response={201: ProposalOut, **ERRORS}, summary="社情民意转为项目建议")
def from_opinion(request, payload: ProposalFromOpinionIn):
    return Status(
        201, services.propose_from_opinion(actor=request.user, opinion_id=payload.opinion, year=payload.year)
    )


@router.get("/proposals/{proposal_id}", response={200: ProposalOut, **ERRORS}, summary="项目建议详情")
def get_proposal(request, proposal_id: int):
    return sel.proposal_for(request.user, proposal_id)


@router.get(
    "/proposals/{proposal_id}/similar", response={200: list[SimilarProposalOut], **ERRORS}, summary="相似建议"
)
def similar(request, proposal_id: int):
    """同镇同年度相似的项目建议（社情民意的相似度算法），可合并。"""
    from .choices import similar as rank

    item = sel.proposal_for(request.user, proposal_id)
    return [{"id": p.pk, "title": p.title, "state": p.state, "score": s} for p, s in rank(item)]


add_action_routes(
    router,
    path="/proposals/{proposal_id}",
    id_param="proposal_id",
    workflow=PROPOSAL_WORKFLOW,
    fetch=sel.proposal_for,
    act=services.act,
    out=ProposalOut,
    noun="项目建议",
)


# --- candidate lists and the vote ------------------------------------------------------------------------
@router.get("/lists", response=Page[CandidateListOut], summary="候选项目清单列表")
def list_lists(request, filters: Query[ProjectFilters]):
    return paginate(sel.lists(request.user, year=filters.year), filters.page, filters.page_size)


@router.post("/lists", response={201: CandidateListOut, **ERRORS}, summary="建立候选项目清单")
def create_list(request, payload: CandidateListIn):
    return Status(
        201,
        services.create_list(
            actor=request.user,
            town_id=payload.town,
            year=payload.year,
            places=payload.places,
            meeting_id=payload.meeting,
            title=payload.title,
        ),
    )


def _list_detail(user, pk):
    cl = sel.list_for(user, pk)
    cl.candidates_out = list(sel.candidates_of(cl))
    cl.rounds_out = sel.rounds_of(cl)
    return cl


@router.get(
    "/lists/{candidate_list_id}",
    response={200: CandidateListDetailOut, **ERRORS},
    summary="候选项目清单和票决结果",
)
def get_list(request, candidate_list_id: int):
    """候选项目、各轮票决的票数和结果（计票后写定，不再修改）。"""
    return _list_detail(request.user, candidate_list_id)


@router.post(
    "/lists/{candidate_list_id}/settings",
    response={200: CandidateListOut, **ERRORS},
    summary="修改名额和票决会议",
)
def list_settings(request, candidate_list_id: int, payload: CandidateListSettingsIn):
    return services.update_list(
        actor=request.user, list_id=candidate_list_id, places=payload.places, meeting_id=payload.meeting
    )


@router.post(
    "/lists/{candidate_list_id}/candidates",
    response={201: ProjectCandidateOut, **ERRORS},
    summary="增加候选项目",
)
def add_candidate(request, candidate_list_id: int, payload: ProjectCandidateIn):
    """政府直接提出的候选项目；群众、代表和单位的建议经筛选“列入”。"""
    return Status(
        201, services.add_candidate(actor=request.user, list_id=candidate_list_id, data=payload.model_dump())
    )


@router.delete(
    "/lists/{candidate_list_id}/candidates/{project_candidate_id}",
    response={204: None, **ERRORS},
    summary="删除候选项目",
)
def remove_candidate(request, candidate_list_id: int, project_candidate_id: int):
    services.remove_candidate(
        actor=request.user, list_id=candidate_list_id, candidate_id=project_candidate_id
    )
    return Status(204, None)


@router.post(
    "/lists/{candidate_list_id}/ballot", response={201: ProjectReceiptOut, **ERRORS}, summary="投票（无记名）"
)
def ballot(request, candidate_list_id: int, payload: ProjectBallotIn):
    """签到的有表决权代表在手机上选择不多于名额的项目，每轮一次；答复回执。多选的选票无效，手机不予提交。"""
    return Status(
        201,
        {"receipt": services.cast_ballot(actor=request.user, list_id=candidate_list_id, marks=payload.marks)},
    )


@router.post(
    "/lists/{candidate_list_id}/paper-ballots", response={204: None, **ERRORS}, summary="发放纸质选票"
)
def paper_ballot(request, candidate_list_id: int, payload: ProjectPaperHandIn):
    services.hand_paper_ballot(actor=request.user, list_id=candidate_list_id, deputy_id=payload.deputy)
    return Status(204, None)


@router.post(
    "/lists/{candidate_list_id}/paper-totals",
    response={200: ProjectRoundOut, **ERRORS},
    summary="录入纸质选票统计",
)
def paper_totals(request, candidate_list_id: int, payload: ProjectPaperTotalsIn):
    """监票人清点的纸质选票（收回、无效、各项目得票），由本次会议的一名监票人录入、另一名监票人复核后计入。"""
    lines = {int(k): v for k, v in payload.lines.items() if k.isdigit()}
    return services.enter_paper_totals(
        actor=request.user,
        list_id=candidate_list_id,
        returned=payload.returned,
        void=payload.void,
        lines=lines,
    )


@router.post(
    "/lists/{candidate_list_id}/paper-totals/confirm",
    response={200: ProjectRoundOut, **ERRORS},
    summary="复核纸质选票统计",
)
def paper_confirm(request, candidate_list_id: int):
    """另一名监票人复核已录入的纸质选票统计（录入人不能复核）；复核后计入票数，已解密的即行计票。"""
    return services.confirm_paper_totals(actor=request.user, list_id=candidate_list_id)


@router.get(
    "/lists/{candidate_list_id}/candidates.docx",
    response={200: None, **ERRORS},
    summary="候选项目清单（Word）",
)
def list_docx(request, candidate_list_id: int):
    cl = sel.list_for(request.user, candidate_list_id)
    return docx_response(candidates_docx(cl, list(sel.candidates_of(cl))), f"{cl.title}.docx")


@router.get(
    "/lists/{candidate_list_id}/result.docx", response={200: None, **ERRORS}, summary="票决结果（Word）"
)
def list_result_docx(request, candidate_list_id: int):
    cl = sel.list_for(request.user, candidate_list_id)
    return docx_response(result_docx(cl, sel.rounds_of(cl)), f"{cl.year}年民生实事项目票决结果.docx")


add_action_routes(
    router,
    path="/lists/{candidate_list_id}",
    id_param="candidate_list_id",
    workflow=LIST_WORKFLOW,
    fetch=sel.list_for,
    act=services.act,
    out=CandidateListOut,
    noun="候选项目清单",
)

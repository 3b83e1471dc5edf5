"""/api/v1/projects/items (tag projects, issue 19 parts 4-7): adopted projects with milestones, the unit's
progress with photos and deputies' inspections, the adopted list (Word), the ledger and the county's figures
(Excel); and /api/v1/public/projects: each town's projects, the public's proposal form and its tracking."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from apps.common.api import ERRORS, ErrorOut, Page, column, paginate
from apps.common.downloads import docx_response
from apps.common.errors import NotFound
from apps.common.params import ID, PageArg, PageSizeArg
from apps.places.models import Region
from apps.workflow.api import TrackedOut, add_action_routes

from . import progress, rating, services
from . import selectors as sel
from .api import Money, ProjectFilters, ProjectReceiptOut, ProposalTrackingOut, PublicProposalIn, YearArg
from .models import Candidate, Proposal
from .word import adopted_docx, figures_response, ledger_response
from .workflow import PROJECT_WORKFLOW, RATING_WORKFLOW

router = Router(tags=["projects"])
public_router = Router(tags=["public"], auth=None)
Id = ID.required()


def _town(pk) -> Region:
    found = Region.objects.filter(pk=pk, level="town").first()
    if found is None:
        raise NotFound()
    return found


class ProjectMilestoneIn(Schema):
    title: column(Candidate._meta.get_field("title"))
    due_on: date
    budget: Money


class ProjectMilestoneOut(Schema):
    id: int
    order: int
    title: str
    due_on: date
    budget: Decimal
    percent_done: int
    spent: Decimal
    done_on: date | None


class ProjectOut(TrackedOut):
    id: int
    town: str = Field(..., alias="region.name")
    year: int
    title: str
    category: str
    budget: Decimal
    votes: int
    unit: int | None = Field(None, alias="unit_id")
    leader: int | None = Field(None, alias="leader_id")
    adopted_on: date
    completed_on: date | None


class ProjectDetailOut(ProjectOut):
    milestones: list[ProjectMilestoneOut] = Field(..., alias="milestones_out")


class ProjectProgressOut(Schema):
    id: int
    milestone: int = Field(..., alias="milestone_id")
    reported_on: date
    percent_done: int
    spent: Decimal
    note: str


class ProjectInspectionIn(Schema):
    on: date
    deputies: list[Id] = Field([], max_length=50)
    findings: column(Proposal._meta.get_field("detail"))


class ProjectInspectionOut(Schema):
    id: int
    on: date
    findings: str


class ProjectFiguresOut(Schema):
    town_id: int
    town: str
    proposed: int
    adopted: int
    completed: int
    on_time: int
    budget: Decimal
    spent: Decimal
    satisfied: int = Field(..., description="年终测评满意票数")
    basic: int = Field(..., description="基本满意票数")
    dissatisfied: int = Field(..., description="不满意票数")
    satisfaction: float | None = Field(..., description="满意率（满意与基本满意之和占比，%）；未测评为空")


# --- adopted projects ------------------------------------------------------------------------------------
@router.get("/items", response=Page[ProjectOut], summary="民生实事项目列表")
def list_projects(request, filters: Query[ProjectFilters]):
    """镇看本镇，县看全县，责任单位看本单位的项目，代表看本镇大会票决和自己监督的项目。"""
    qs = sel.projects(request.user, year=filters.year, state=filters.state, town=filters.town)
    return paginate(qs, filters.page, filters.page_size)


@router.get("/items/ledger.xlsx", response={200: None, **ERRORS}, summary="民生实事项目台账（Excel）")
def ledger(request, filters: Query[ProjectFilters]):
    return ledger_response(
        sel.projects(request.user, year=filters.year, state=filters.state, town=filters.town)
    )


@router.get("/adopted.docx", response={200: None, **ERRORS}, summary="票决通过的项目公告（Word）")
def adopted(request, town: Id, year: Annotated[int, Field(..., ge=2000, le=2100)]):
    where = _town(town)
    items = list(sel.projects(request.user, year=year, town=where.pk).prefetch_related("monitors"))
    return docx_response(adopted_docx(where, year, items), f"{where.name}{year}年民生实事项目.docx")


@router.get("/figures", response={200: list[ProjectFiguresOut], **ERRORS}, summary="分镇统计")
def figures(request, year: Annotated[int, Field(..., ge=2000, le=2100)]):
    """征集、票决、完成、按期完成的项目数，预算和已支出（SQL 汇总）。"""
    return sel.figures(request.user, year=year)


@router.get("/figures.xlsx", response={200: None, **ERRORS}, summary="分镇统计（Excel）")
def figures_xlsx(request, year: Annotated[int, Field(..., ge=2000, le=2100)]):
    rows = sel.figures(request.user, year=year)
    return figures_response(rows, year, sel.figures_total(rows) if rows else None)


@router.get("/items/{project_id}", response={200: ProjectDetailOut, **ERRORS}, summary="民生实事项目详情")
def get_project(request, project_id: int):
    project = sel.project_for(request.user, project_id)
    project.milestones_out = sel.milestones_of(project)
    return project


@router.post(
    "/items/{project_id}/milestones", response={201: ProjectMilestoneOut, **ERRORS}, summary="增加项目节点"
)
def add_milestone(request, project_id: int, payload: ProjectMilestoneIn):
    return Status(
        201, progress.add_milestone(actor=request.user, project_id=project_id, **payload.model_dump())
    )


@router.post(
    "/milestones/{milestone_id}/progress",
    response={201: ProjectProgressOut, **ERRORS},
    summary="报送节点进度",
)
def report(
    request,
    milestone_id: int,
    percent_done: Form[int],
    spent: Form[Decimal],
    note: Form[str] = "",
    photos: File[list[UploadedFile]] = None,
):
    """责任单位报送：完成进度（%）、累计支出（万元）、进展情况和照片（最多9张）。"""
    return Status(
        201,
        progress.report_progress(
            actor=request.user,
            milestone_id=milestone_id,
            percent_done=percent_done,
            spent=spent,
            note=note,
            photos=photos or (),
        ),
    )


@router.post(
    "/items/{project_id}/inspections", response={201: ProjectInspectionOut, **ERRORS}, summary="记录代表视察"
)
def inspect(request, project_id: int, payload: ProjectInspectionIn):
    """视察发现记在项目上，并计入每名视察代表的履职记录。照片在页面上传。"""
    return Status(
        201,
        progress.inspect(
            actor=request.user,
            project_id=project_id,
            on=payload.on,
            deputies=payload.deputies,
            findings=payload.findings,
        ),
    )


add_action_routes(
    router,
    path="/items/{project_id}",
    id_param="project_id",
    workflow=PROJECT_WORKFLOW,
    fetch=sel.project_for,
    act=services.act,
    out=ProjectOut,
    noun="民生实事项目",
)


# --- the year-end rating ---------------------------------------------------------------------------------
class ProjectRatingIn(Schema):
    opens_at: datetime
    closes_at: datetime


class ProjectRatingOut(TrackedOut):
    id: int
    candidate_list: int = Field(..., alias="candidate_list_id")
    opens_at: datetime
    closes_at: datetime
    results: dict | None = Field(None, description="项目 id → 满意 / 基本满意 / 不满意票数；公布后才有")


class ProjectRateIn(Schema):
    choices: dict[str, Annotated[str, Field(max_length=16)]] = Field(
        ..., description="项目 id → satisfied 满意 / basic 基本满意 / dissatisfied 不满意（每个项目都要选）"
    )


@router.post(
    "/lists/{candidate_list_id}/rating", response={201: ProjectRatingOut, **ERRORS}, summary="建立年终测评"
)
def create_rating(request, candidate_list_id: int, payload: ProjectRatingIn):
    """票决结果确定后，人大办设定测评时间；票箱由会议的监票人生成密钥。"""
    made = rating.create_rating(
        actor=request.user, list_id=candidate_list_id, opens_at=payload.opens_at, closes_at=payload.closes_at
    )
    return Status(201, made)


@router.get("/ratings/{project_rating_id}", response={200: ProjectRatingOut, **ERRORS}, summary="年终测评")
def get_rating(request, project_rating_id: int):
    return sel.rating_for(request.user, project_rating_id)


@router.post(
    "/ratings/{project_rating_id}/rate",
    response={201: ProjectReceiptOut, **ERRORS},
    summary="代表测评（无记名）",
)
def rate(request, project_rating_id: int, payload: ProjectRateIn):
    """本次大会的代表在测评时间内对每个项目评价一次；答复回执。"""
    receipt = rating.rate(actor=request.user, rating_id=project_rating_id, choices=payload.choices)
    return Status(201, {"receipt": receipt})


add_action_routes(
    router,
    path="/ratings/{project_rating_id}",
    id_param="project_rating_id",
    workflow=RATING_WORKFLOW,
    fetch=sel.rating_for,
    act=services.act,
    out=ProjectRatingOut,
    noun="年终测评",
)


# --- the public site -------------------------------------------------------------------------------------
class PublicRatingOut(Schema):
    satisfied: int = Field(..., description="年终测评满意票数")
    basic: int = Field(..., description="基本满意票数")
    dissatisfied: int = Field(..., description="不满意票数")
    satisfaction: float | None = Field(..., description="满意率（满意与基本满意之和占比，%）")


class PublicProjectOut(Schema):
    id: int
    town: str
    year: int
    title: str
    category: str = Field(..., description="类别代码")
    category_label: str = Field(..., description="类别")
    budget: Decimal
    votes: int
    state_label: str
    percent: float
    spent: Decimal
    rating: PublicRatingOut | None = Field(..., description="代表年终测评结果（公布后）；未测评或未公布为空")


class PublicProjectFilters(Schema):
    town: Annotated[str, Field("", max_length=32, description="镇（街道）的区划代码")] = ""
    year: YearArg = None
    page: PageArg = 1
    page_size: PageSizeArg = None


@public_router.get("", response={200: Page[PublicProjectOut], 404: ErrorOut}, summary="民生实事项目公示")
def public_list(request, filters: Query[PublicProjectFilters]):
    town = None
    if filters.town:
        town = Region.objects.filter(code=filters.town, level="town").first()
        if town is None:
            raise NotFound()
    return sel.public_page(town=town, year=filters.year, page=filters.page, page_size=filters.page_size)


@public_router.post(
    "/proposals", response={201: ProposalTrackingOut, **ERRORS, 429: ErrorOut}, summary="群众提出项目建议"
)
def public_propose(request, payload: PublicProposalIn):
    """群众在公开网站或扫描二维码提出明年的民生实事项目建议；答复查询码，凭码查看筛选结果。"""
    data = payload.model_dump()
    item = services.propose_public(town_code=data.pop("town"), data=data, ip=request.META.get("REMOTE_ADDR"))
    return Status(201, item)


@public_router.get(
    "/proposals/{code}", response={200: ProposalTrackingOut, 404: ErrorOut}, summary="查询项目建议"
)
def public_track(request, code: Annotated[str, Field(max_length=16)]):
    item = sel.by_tracking_code(code)
    if item is None:
        raise NotFound()
    return item

"""/api/v1/supervision/rectifications (tag supervision, issue 18 part 4): the items an office, a unit or a
reviewing deputy sees, opening one by hand, an item with its reviewers and steps, the unit's evidence files,
the workflow's actions (plan, report, accept, return, refer, presidium_accept, order_again) and the
rectification notice in Word; and under /api/v1/public/rectifications what the public site shows."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from apps.common.api import ERRORS, ErrorOut, Page, column, paginate
from apps.common.downloads import docx_response
from apps.common.errors import NotFound
from apps.common.params import ID, Choice, PageArg, PageSizeArg
from apps.places.models import Region
from apps.workflow.api import StepOut, TrackedOut, add_action_routes, steps_out
from apps.workflow.uploads import attachments_of, file_response

from . import selectors as sel
from . import services
from .models import RectificationItem
from .services import DUE_DAYS_MAX
from .word import notice_docx, notice_title
from .workflow import RECTIFICATION_WORKFLOW

router = Router(tags=["supervision"])
public_router = Router(tags=["public"], auth=None)
Id = ID.required()
IdOpt = ID.api()
STATE = Choice(dict(RECTIFICATION_WORKFLOW.choices()), label="状态")
StateArg = STATE.api()
STATE_DOC = "状态：" + "；".join(f"{k} {v}" for k, v in RECTIFICATION_WORKFLOW.choices())


class RectificationIn(Schema):
    town: Annotated[str, Field(max_length=32, description="镇（街道）的区划代码")]
    unit: Id = Field(..., description="整改责任单位（本镇或本县的承办单位）")
    title: column(RectificationItem._meta.get_field("title"))
    detail: column(RectificationItem._meta.get_field("detail")) = ""
    source_label: column(RectificationItem._meta.get_field("source_label")) = ""
    reviewers: list[Id] = Field([], max_length=50, description="验收代表（提出问题的本镇代表）")
    due_days: int | None = Field(
        None, ge=1, le=DUE_DAYS_MAX, description="整改时限（工作日）；不填则按本镇的整改时限规则"
    )


class RectificationOut(TrackedOut):
    id: int
    town: str = Field(..., alias="region.name")
    title: str
    detail: str
    source_label: str
    unit: int = Field(..., alias="unit_id")
    unit_name: str = Field(..., alias="unit.name")
    opened_on: date
    deadline: date
    plan_text: str
    plan_filed_on: date | None
    report_text: str
    reported_on: date | None
    returns_count: int
    review_note: str
    accepted_on: date | None


class RectificationReviewerOut(Schema):
    id: int
    name: str


class RectificationDetailOut(RectificationOut):
    reviewers: list[RectificationReviewerOut]
    steps: list[StepOut]


class RectificationFileOut(Schema):
    id: int
    name: str
    kind: str
    size: int


class RectificationFilters(Schema):
    state: StateArg = Field(None, description=STATE_DOC)
    unit: IdOpt = None
    overdue: bool = Field(False, description="只看超期未办结的")
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/rectifications", response=Page[RectificationOut], summary="整改事项列表")
def list_items(request, filters: Query[RectificationFilters]):
    """镇人大办看本镇，县人大办看全县，承办单位看交给本单位的，代表看由自己验收的；可按状态、单位、超期筛选。"""
    qs = sel.items(request.user, state=filters.state or "", unit=filters.unit, overdue=filters.overdue)
    return paginate(qs, filters.page, filters.page_size)


@router.post("/rectifications", response={201: RectificationOut, **ERRORS}, summary="交办整改事项")
def open_item(request, payload: RectificationIn):
    """人大办直接交办一项整改事项：责任单位、问题、验收代表和整改时限（工作日）。"""
    region = Region.objects.filter(code=payload.town, level="town").first()
    if region is None:
        raise NotFound()
    item = services.open_item(
        actor=request.user,
        source_label=payload.source_label,
        region=region,
        unit=payload.unit,
        title=payload.title,
        detail=payload.detail,
        reviewers=payload.reviewers,
        due_days=payload.due_days,
    )
    return Status(201, item)


@router.get(
    "/rectifications/{rectification_id}",
    response={200: RectificationDetailOut, **ERRORS},
    summary="整改事项详情",
)
def get_item(request, rectification_id: int):
    """事项、验收代表和办理过程。"""
    item = sel.item_for(request.user, rectification_id)
    item.steps = steps_out(item)
    return item


@router.get(
    "/rectifications/{rectification_id}/notice.docx",
    response={200: None, **ERRORS},
    summary="整改通知书（Word）",
)
def notice(request, rectification_id: int):
    """按 GB/T 9704 格式生成的整改通知书。"""
    item = sel.item_for(request.user, rectification_id)
    return docx_response(notice_docx(item, sel.reviewers_of(item)), f"{notice_title(item)}.docx")


@router.get(
    "/rectifications/{rectification_id}/files",
    response={200: list[RectificationFileOut], **ERRORS},
    summary="整改证明材料",
)
def files(request, rectification_id: int):
    return list(attachments_of(sel.item_for(request.user, rectification_id)))


@router.post(
    "/rectifications/{rectification_id}/files",
    response={201: RectificationFileOut, **ERRORS},
    summary="上传整改证明材料",
)
def add_file(request, rectification_id: int, file: File[UploadedFile]):
    """责任单位（或人大办）上传整改的照片、文件（图片、PDF、Word、Excel）；验收通过后不能再上传。"""
    return Status(201, services.attach_file(actor=request.user, item_id=rectification_id, upload=file))


@router.get(
    "/rectifications/{rectification_id}/files/{att}",
    response={200: None, **ERRORS},
    summary="下载整改证明材料",
)
def get_file(request, rectification_id: int, att: int):
    found = attachments_of(sel.item_for(request.user, rectification_id)).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)


add_action_routes(
    router,
    path="/rectifications/{rectification_id}",
    id_param="rectification_id",
    workflow=RECTIFICATION_WORKFLOW,
    fetch=sel.item_for,
    act=services.act,
    out=RectificationOut,
    noun="整改事项",
)


# --- the public site -------------------------------------------------------------------------------------
class PublicRectificationOut(Schema):
    id: int
    town: str = Field(..., alias="region.name")
    title: str
    source_label: str
    unit_name: str = Field(..., alias="unit.name")
    state_label: str
    opened_on: date
    deadline: date
    plan_filed_on: date | None
    reported_on: date | None
    accepted_on: date | None
    report: str = Field("", description="验收通过后公开的整改情况")

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.state_label)

    @staticmethod
    def resolve_report(obj) -> str:
        return sel.public_report(obj)


class PublicRectificationFilters(Schema):
    town: Annotated[str, Field(max_length=32, description="镇（街道）的区划代码；不填为全部")] = ""
    page: PageArg = 1
    page_size: PageSizeArg = None


@public_router.get("", response={200: Page[PublicRectificationOut], 404: ErrorOut}, summary="整改事项公示")
def public_list(request, filters: Query[PublicRectificationFilters]):
    """公开的整改进展：问题、责任单位、状态和日期；验收通过的附整改情况。代表的验收意见不公开。"""
    town = None
    if filters.town:
        town = Region.objects.filter(code=filters.town, level="town").first()
        if town is None:
            raise NotFound()
    return paginate(sel.public_items(town=town), filters.page, filters.page_size)

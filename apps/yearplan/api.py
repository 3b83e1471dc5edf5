"""/api/v1/calendar (tag calendar, issue 20 part 4): the year's calendar of a township's duties — the items
an office or a deputy sees, generating a year from the county template, adding an item, an item with its
steps and actions (move, cancel), the compliance view (townships and deputies behind), and the person's
iCalendar feed (its secret link: issue, revoke, and the feed itself)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from apps.common.api import ERRORS, ErrorOut, Page, column, paginate
from apps.common.errors import NotFound, field_error
from apps.common.params import IdArg, PageArg, PageSizeArg, YearArg
from apps.places.models import Region
from apps.workflow.api import StepOut, TrackedOut, add_action_routes, steps_out

from . import exports, ical, services
from . import selectors as sel
from .choices import ItemKind
from .models import FeedToken, PlanItem
from .workflow import PLAN_ITEM_WORKFLOW

router = Router(tags=["calendar"])
KindArg = Annotated[str | None, Field(None, pattern="^(" + "|".join(ItemKind.values) + ")$")]
KIND_DOC = "类别：" + "；".join(f"{k} {v}" for k, v in ItemKind.choices)
STATE_DOC = "状态：" + "；".join(f"{k} {v}" for k, v in PLAN_ITEM_WORKFLOW.choices())
TownCode = Annotated[str, Field(max_length=32, description="镇（街道）的区划代码")]


class PlanItemOut(TrackedOut):
    id: int
    town: str = Field(..., alias="region.name")
    town_code: str = Field(..., alias="region.code")
    year: int
    kind: str = Field(..., description=KIND_DOC)
    kind_label: str
    title: str
    date: dt.date
    note: str
    cancel_reason: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class PlanItemDetailOut(PlanItemOut):
    window_start: dt.date = Field(..., description="此期间内有相应记录即视为已落实")
    window_end: dt.date
    steps: list[StepOut]


class PlanItemIn(Schema):
    town: TownCode
    kind: Annotated[str, Field(pattern="^(" + "|".join(ItemKind.values) + ")$", description=KIND_DOC)]
    title: column(PlanItem._meta.get_field("title"))
    date: dt.date = Field(..., description="日期（工作日）")
    note: column(PlanItem._meta.get_field("note")) = ""


class CalendarGenerateIn(Schema):
    region: Annotated[str, Field(max_length=32, description="县或镇（街道）的区划代码；县则为全县各镇生成")]
    year: int = Field(..., ge=2000, le=2100)


class CalendarGeneratedOut(Schema):
    town: int
    town_name: str
    created: int


class CalendarItemFilters(Schema):
    year: YearArg = Field(None, description="年度；不填为今年")
    town: IdArg = Field(None, description="镇（街道）的编号")
    kind: KindArg = Field(None, description=KIND_DOC)
    month: Annotated[int | None, Field(None, ge=1, le=12)] = None
    state: Annotated[str | None, Field(None, pattern="^(planned|cancelled)$", description=STATE_DOC)] = None
    page: PageArg = 1
    page_size: PageSizeArg = None


class CalendarTownshipComplianceOut(Schema):
    town: int
    town_name: str
    due: int = Field(..., description="已到期、可由记录核对的事项数")
    behind: int = Field(..., description="到期仍无相应记录的事项数")


class CalendarBehindItemOut(Schema):
    id: int
    town: str = Field(..., alias="region.name")
    kind: str
    title: str
    date: dt.date


class CalendarComplianceOut(Schema):
    year: int
    townships: list[CalendarTownshipComplianceOut]
    behind: list[CalendarBehindItemOut]


class CalendarDeputyComplianceOut(Schema):
    id: int
    name: str
    town: str = Field(..., alias="town.name")
    due: int = Field(..., description="本镇已到期的学习、调研、视察事项数")
    missed: int = Field(..., description="其中本人没有相应履职记录的")


class CalendarComplianceFilters(Schema):
    year: YearArg = None
    town: IdArg = None
    page: PageArg = 1
    page_size: PageSizeArg = None


class CalendarFeedOut(Schema):
    active: bool
    created_at: str = ""


class CalendarFeedIssuedOut(Schema):
    token: str = Field(..., description="订阅密钥，只显示这一次")
    url: str = Field(..., description="在手机日历中订阅的地址")


def _year(value) -> int:
    return value or timezone.localdate().year


def _region(code: str, *levels) -> Region:
    region = Region.objects.filter(code=code, level__in=levels).first()
    if region is None:
        raise NotFound()
    return region


@router.get("/items", response=Page[PlanItemOut], summary="日历事项列表")
def list_items(request, filters: Query[CalendarItemFilters]):
    """人大办看本镇（县人大办看全县），代表看本镇的年度工作日历；可按镇、类别、月份、状态筛选。"""
    qs = sel.items(
        request.user, year=_year(filters.year), town=filters.town, kind=filters.kind or "",
        month=filters.month, state=filters.state or "",
    )  # fmt: skip
    return paginate(qs, filters.page, filters.page_size)


@router.post("/items", response={201: PlanItemOut, **ERRORS}, summary="添加日历事项")
def add_item(request, payload: PlanItemIn):
    """人大办在本镇日历上添加一项工作（须为工作日）。"""
    item = services.add_item(
        actor=request.user, region=_region(payload.town, "town"), kind=payload.kind, title=payload.title,
        when=payload.date, note=payload.note,
    )  # fmt: skip
    return Status(201, item)


@router.post(
    "/generate", response={200: list[CalendarGeneratedOut], **ERRORS}, summary="按县模板生成年度日历"
)
def generate(request, payload: CalendarGenerateIn):
    """按县的模板（苍溪）为一个镇或全县各镇生成一年的日历：每月接待选民日、每季度学习、每半年政府工作通报、
    两次调研一次视察、十二月述职月，并加入已安排的人代会、主席团会议和监督计划活动；日期落在工作日。
    已生成的不再重复生成，调整或取消过的事项保持不变。"""
    made = services.generate(
        actor=request.user, region=_region(payload.region, "town", "county"), year=payload.year
    )
    names = dict(Region.objects.filter(pk__in=made).values_list("pk", "name"))
    return [{"town": pk, "town_name": names.get(pk, ""), "created": n} for pk, n in made.items()]


class CalendarExportFilters(Schema):
    year: YearArg = Field(None, description="年度；不填为今年")
    town: IdArg = Field(None, description="镇（街道）的编号；只管一个镇的可不填")
    kind: KindArg = Field(None, description=KIND_DOC)
    state: Annotated[str | None, Field(None, pattern="^(planned|cancelled)$", description=STATE_DOC)] = None


def _export_rows(request, filters: CalendarExportFilters):
    year = _year(filters.year)
    town = sel.town_for_export(request.user, filters.town)
    rows = sel.items(
        request.user, year=year, town=filters.town, kind=filters.kind or "", state=filters.state or ""
    )
    return town, year, rows


@router.get("/export.xlsx", response={200: None, **ERRORS}, summary="年度日历（Excel）")
def export_xlsx(request, filters: Query[CalendarExportFilters]):
    """一个镇（县人大办可不选镇，导出全县）年度日历的 Excel 台账：日期、星期、事项、类别、镇、状态、说明。"""
    town, year, rows = _export_rows(request, filters)
    return exports.xlsx(town, year, rows)


@router.get("/export.docx", response={200: None, **ERRORS}, summary="年度日历（Word）")
def export_docx(request, filters: Query[CalendarExportFilters]):
    """一个镇的年度人大工作日历，按党政机关公文格式（GB/T 9704）逐月列出各事项，落款为镇人大主席团。"""
    town, year, rows = _export_rows(request, filters)
    if town is None:
        raise field_error("town", _("请先选择一个镇（街道）"))
    return exports.docx(town, year, rows)


@router.get("/items/{plan_item_id}", response={200: PlanItemDetailOut, **ERRORS}, summary="日历事项详情")
def get_item(request, plan_item_id: int):
    item = sel.item_for(request.user, plan_item_id)
    item.steps = steps_out(item)
    return item


add_action_routes(
    router,
    path="/items/{plan_item_id}",
    id_param="plan_item_id",
    workflow=PLAN_ITEM_WORKFLOW,
    fetch=sel.item_for,
    act=services.act,
    out=PlanItemOut,
    noun="日历事项",
)


@router.get("/compliance", response={200: CalendarComplianceOut, **ERRORS}, summary="各镇履职进度")
def compliance(request, filters: Query[CalendarComplianceFilters]):
    """到期仍无相应记录的事项（如当月没有登记接待选民日），按镇统计；县人大办看全县，镇人大办看本镇。"""
    from apps.accounts import permissions as perms

    perms.require(request.user, perms.YEARPLAN_COMPLIANCE)
    year, today = _year(filters.year), timezone.localdate()
    behind = sel.behind_items(request.user, year=year, today=today, town=filters.town)
    return {
        "year": year,
        "townships": sel.township_compliance(request.user, year=year, today=today),
        "behind": list(behind[:500]),
    }


@router.get(
    "/compliance/deputies",
    response={200: Page[CalendarDeputyComplianceOut], **ERRORS},
    summary="代表履职进度",
)
def deputy_compliance(request, filters: Query[CalendarComplianceFilters]):
    """本镇（县）在任代表：已到期的学习、调研、视察事项中，本人没有相应履职记录的次数，落后的在前。"""
    from apps.accounts import permissions as perms

    perms.require(request.user, perms.YEARPLAN_COMPLIANCE)
    qs = sel.deputy_compliance(
        request.user, year=_year(filters.year), today=timezone.localdate(), town=filters.town
    )
    return paginate(qs, filters.page, filters.page_size)


@router.get("/feed", response={200: CalendarFeedOut, **ERRORS}, summary="我的日历订阅")
def feed_state(request):
    from apps.accounts import permissions as perms

    perms.require(request.user, perms.YEARPLAN_FEED)
    found = FeedToken.objects.filter(user=request.user).first()
    return {"active": found is not None, "created_at": found.created_at.isoformat() if found else ""}


@router.post("/feed", response={201: CalendarFeedIssuedOut, **ERRORS}, summary="生成（更换）日历订阅地址")
def feed_issue(request):
    """生成新的订阅密钥；原来的订阅地址随即失效。密钥只显示这一次。"""
    token = services.issue_feed_token(user=request.user)
    return Status(201, {"token": token, "url": request.build_absolute_uri(services.feed_path(token))})


@router.delete("/feed", response={204: None, **ERRORS}, summary="停用日历订阅")
def feed_revoke(request):
    services.revoke_feed_token(user=request.user)
    return Status(204, None)


@router.get("/feed.ics", auth=None, response={200: None, 404: ErrorOut}, summary="日历订阅（iCalendar）")
def feed_ics(request, token: Annotated[str, Field("", max_length=100, pattern=r"^[A-Za-z0-9_\-]*$")] = ""):
    """手机日历订阅的 iCalendar（RFC 5545）：本人可见的今明两年的日历事项。地址中的密钥即凭证。"""
    user = services.feed_user(token)
    if user is None:
        raise NotFound()
    response = HttpResponse(ical.feed(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# The county's template of the calendar (issue 20 part 4 follow-up).
from .api_template import router as _template_router  # noqa: E402

router.add_router("", _template_router)

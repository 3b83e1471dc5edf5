"""The public site as JSON (/api/v1/public/..., OpenAPI tag `public`): the same reads as the pages, from the
same selectors, with no login. Opinion tracking by code stays where it is (`GET /api/v1/public/opinions/
{code}`), the deputy's card too (`GET /api/v1/public/deputies/{public_code}`)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from apps.common.api import ErrorOut, Page, paginate
from apps.common.errors import NotFound
from apps.common.params import REGION_CODE, SEARCH, PageArg, PageSizeArg, YearArg

from . import lists, search, selectors
from .models import EntryKind

router = Router(tags=["public"], auth=None)
MISSING = {404: ErrorOut, 422: ErrorOut}


def _region(code: str):
    try:
        return selectors.region(code)
    except Http404:
        raise NotFound() from None


class SiteRegionOut(Schema):
    code: str
    name: str
    level: str
    is_street: bool = Field(..., description="街道（设人大工委）")
    county: str | None = Field(None, description="所属县的区划代码")

    @staticmethod
    def resolve_county(obj) -> str | None:
        return obj.parent.code if obj.level == "town" and obj.parent_id else None


class SitePageIn(Schema):
    page: PageArg = 1
    page_size: PageSizeArg = None


class SiteRegionsIn(SitePageIn):
    county: REGION_CODE.api() = Field(None, description="县的区划代码：列出它的镇（街道）；不填则列出各县")


@router.get("/regions", response={200: Page[SiteRegionOut], **MISSING}, summary="选择县、镇（街道）")
def regions(request, filters: Query[SiteRegionsIn]):
    """不填 `county` 时列出各县（市、区）；填写时列出该县的镇（街道）。"""
    if filters.county:
        county = _region(filters.county)
        if county.level != "county":
            raise NotFound()
        qs = selectors.towns(county)
    else:
        qs = selectors.counties().select_related("parent")
    return paginate(qs, filters.page, filters.page_size)


class SiteStationOut(Schema):
    id: int
    name: str
    level: str
    address: str = Field(..., description="联络站的地址（公共场所，不是任何人的住址）")
    opening_schedule: str = Field(..., description="开放时间")
    deputies: int = Field(..., alias="n_deputies", description="在挂牌名单上的在任代表人数")
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("public:station", args=[obj.pk])


@router.get("/regions/{region}/stations", response={200: list[SiteStationOut], **MISSING}, summary="联络站")
def stations(request, region: str):
    """县或镇（街道）的代表联络站：地址、开放时间和代表人数。"""
    return list(selectors.stations(_region(region)))


class SiteDeputyOut(Schema):
    name: str
    gender: str
    levels: list[str] = Field(..., description="在任的代表层级")
    station_id: int | None
    station: str | None
    contact_hours: str = Field(..., description="联系时间：所属联络站的开放时间")
    code: UUID = Field(..., description="代表码")
    card_url: str
    photo_url: str = Field(..., description="照片；没有照片时是占位图")

    @staticmethod
    def resolve_gender(obj) -> str:
        return obj.get_gender_display()

    @staticmethod
    def resolve_levels(obj) -> list[str]:
        return [str(m.get_level_display()) for m in obj.mandates.all()]

    @staticmethod
    def resolve_station(obj) -> str | None:
        return obj.station.name if obj.station_id else None

    @staticmethod
    def resolve_contact_hours(obj) -> str:
        return lists.contact_hours(obj)

    @staticmethod
    def resolve_code(obj) -> UUID:
        return obj.public_code

    @staticmethod
    def resolve_card_url(obj) -> str:
        return reverse("people:public_card", args=[obj.public_code])

    @staticmethod
    def resolve_photo_url(obj) -> str:
        return reverse("public:photo", args=[obj.public_code])


@router.get("/regions/{region}/deputies", response={200: Page[SiteDeputyOut], **MISSING}, summary="代表名单")
def deputies(request, region: str, filters: Query[SitePageIn]):
    """在任、在挂牌名单上的代表，按联络站排列；不含电话、住址、身份证号。"""
    return paginate(selectors.deputies(_region(region)), filters.page, filters.page_size)


class SiteReceptionDayOut(Schema):
    date: date
    hours: str
    on_duty: list[str] = Field(..., description="值班代表姓名")

    @staticmethod
    def resolve_on_duty(obj) -> list[str]:
        return [d.name for d in obj.on_duty]


class SiteStationDetailOut(Schema):
    station: SiteStationOut
    region: str
    reception_days: list[SiteReceptionDayOut] = Field(..., description="即将到来、已公布排班的接待选民日")
    deputies: list[SiteDeputyOut]
    qr_url: str


@router.get("/stations/{station_id}", response={200: SiteStationDetailOut, **MISSING}, summary="联络站详情")
def station(request, station_id: int):
    """一个联络站：地址、开放时间、接下来的接待选民日和值班代表、本站代表。"""
    try:
        item = selectors.station(station_id)
    except Http404:
        raise NotFound() from None
    rows = list(selectors.deputies(station=item))
    item.n_deputies = len(rows)
    return {
        "station": item,
        "region": item.region.name,
        "reception_days": selectors.reception_days(item),
        "deputies": rows,
        "qr_url": reverse("public:station_qr", args=[item.pk]),
    }


class SiteSuggestionOut(Schema):
    id: int
    number: str
    title: str
    lead: str = Field(..., description="领衔代表姓名")
    town: str
    unit: str | None
    category: str
    replied_on: date | None
    satisfied: int = Field(..., alias="r_satisfied", description="最近一轮答复：评价办理结果满意的代表人数")
    basic: int = Field(..., alias="r_basic", description="基本满意的人数")
    dissatisfied: int = Field(..., alias="r_dissatisfied", description="不满意的人数")
    url: str

    @staticmethod
    def resolve_lead(obj) -> str:
        return obj.lead.name

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.region.name

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_category(obj) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("public:suggestion", args=[obj.pk])


@router.get(
    "/regions/{region}/suggestions",
    response={200: Page[SiteSuggestionOut], **MISSING},
    summary="建议答复及评价",
)
def suggestions(request, region: str, filters: Query[SitePageIn]):
    """已答复且公开的代表建议，附代表对办理结果评价的人数（不显示谁评了什么）。"""
    return paginate(selectors.suggestions(_region(region)), filters.page, filters.page_size)


class SiteReportBackOut(Schema):
    meeting: str
    date: date
    deputy: str
    code: UUID = Field(..., description="代表码")
    satisfied: int
    basic: int
    dissatisfied: int
    rate: float | None = Field(None, description="满意率（满意与基本满意之和，百分比）")

    @staticmethod
    def resolve_meeting(obj) -> str:
        return obj.meeting.title

    @staticmethod
    def resolve_date(obj) -> date:
        return obj.meeting.date

    @staticmethod
    def resolve_deputy(obj) -> str:
        return obj.deputy.name

    @staticmethod
    def resolve_code(obj) -> UUID:
        return obj.deputy.public_code

    @staticmethod
    def resolve_rate(obj) -> float | None:
        return obj.satisfaction_rate


@router.get(
    "/regions/{region}/report-back",
    response={200: Page[SiteReportBackOut], **MISSING},
    summary="述职测评结果",
)
def report_back(request, region: str, filters: Query[SitePageIn]):
    """测评结束并存档的代表述职测评结果：选民代表的满意、基本满意、不满意票数。"""
    return paginate(selectors.report_back(_region(region)), filters.page, filters.page_size)


class SiteSearchIn(Schema):
    q: SEARCH.api() = Field(None, description="关键词（按 jieba 分词，每个词都要出现）")
    region: REGION_CODE.api() = Field(None, description="只搜这个县或镇（街道）")
    kind: Literal[tuple(EntryKind.values)] | None = Field(None, description="只搜这一类")  # type: ignore[valid-type]


class SiteSearchOut(Schema):
    kind: str
    title: str
    summary: str
    url: str


@router.get("/search", response={200: list[SiteSearchOut], **MISSING}, summary="搜索公开信息")
def find(request, filters: Query[SiteSearchIn]):
    """在公开的代表、联络站、建议答复、述职测评结果和监督事项中搜索，最多 50 条，新的在前。"""
    place = _region(filters.region) if filters.region else None
    return search.search(filters.q or "", region=place, kind=filters.kind or "")


class SiteSupervisionIn(SitePageIn):
    year: YearArg = Field(None, description="年度；不填则为最近一个经审定计划的年度")


class SiteFindingOut(Schema):
    text: str = Field(..., description="发现的问题")
    unit: str | None = Field(None, description="涉及单位")

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None


class SiteActivityOut(Schema):
    id: int
    year: int
    town: str
    kind: str = Field(..., description="监督形式")
    topic: str = Field(..., description="监督议题")
    starts_on: date
    ends_on: date
    unit: str | None = Field(None, description="监督对象")
    leads: list[str] = Field(..., description="牵头代表姓名（在任代表）")
    state: str = Field(..., description="状态：计划中、进行中、已完成、已取消")
    summary: str = Field(..., description="活动情况（仅已完成的活动）")
    findings: list[SiteFindingOut] = Field(..., description="发现的问题（仅已完成的活动）")

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.plan.year

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.region.name

    @staticmethod
    def resolve_kind(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_leads(obj) -> list[str]:
        return [m.deputy.name for m in obj.public_leads]

    @staticmethod
    def resolve_state(obj) -> str:
        return str(obj.state_label)

    @staticmethod
    def resolve_summary(obj) -> str:
        return obj.summary if obj.state == "done" else ""

    @staticmethod
    def resolve_findings(obj) -> list:
        return obj.public_findings


@router.get(
    "/regions/{region}/supervision",
    response={200: Page[SiteActivityOut], **MISSING},
    summary="监督工作公示",
)
def supervision(request, region: str, filters: Query[SiteSupervisionIn]):
    """经主席团审定的年度监督计划中的监督事项：形式、议题、日期、监督对象、牵头代表；已完成的附活动情况和发现的
    问题。草拟中或退回的计划不公开。整改进展见 `/api/v1/public/rectifications`。"""
    place = _region(region)
    years = selectors.supervision_years(place)
    year = filters.year or (years[0] if years else None)
    return paginate(selectors.supervision_items(place, year), filters.page, filters.page_size)


class SiteEvaluationResultOut(Schema):
    evaluation: str = Field(..., description="评议名称")
    year: int
    town: str
    unit: str = Field(..., description="被评议单位")
    filed: bool = Field(..., description="是否已有满意度测评结果")
    satisfied: int | None
    basic: int | None
    dissatisfied: int | None
    satisfied_share: float | None = Field(None, description="满意票占比（%）")
    basic_share: float | None = Field(None, description="基本满意票占比（%）")
    dissatisfied_share: float | None = Field(None, description="不满意票占比（%）")
    opinion: str = Field(..., description="书面评议意见")

    @staticmethod
    def resolve_evaluation(obj) -> str:
        return obj.evaluation_title

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.town_name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_satisfied_share(obj):
        return obj.shares["satisfied"]

    @staticmethod
    def resolve_basic_share(obj):
        return obj.shares["basic"]

    @staticmethod
    def resolve_dissatisfied_share(obj):
        return obj.shares["dissatisfied"]


@router.get(
    "/regions/{region}/evaluations",
    response={200: list[SiteEvaluationResultOut], **MISSING},
    summary="工作评议结果",
)
def evaluations(request, region: str):
    """已公布结果的工作评议：每个被评议单位的满意、基本满意、不满意票数和占比，以及书面评议意见。测评不记名，
    不含任何代表的选择或测评意见原文。"""
    return selectors.evaluation_results(_region(region))

"""Counts by town and by unit, and reception days (接待选民日)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Query, Schema

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny
from apps.common.api import ERRORS, ErrorOut, Page, Ref, paginate
from apps.common.params import REGION_CODE, YEAR, IdArg, PageArg, PageSizeArg, YearArg
from apps.places.models import Station
from apps.places.selectors import region_by_code

from .. import selectors, services
from .common import (
    router,
)

# --- counts -----------------------------------------------------------------------------------------------


class Figures(Schema):
    voters_received: int
    collected: int
    assigned: int
    replied: int
    on_time: int
    closed: int
    resolved: int
    visited: int
    satisfied: int
    open: int
    overdue: int
    on_time_rate: float | None = Field(None, description="按时答复率（%）")
    resolved_rate: float | None = Field(None, description="解决率（%）")
    satisfaction_rate: float | None = Field(None, description="满意率（满意+基本满意，%）")


class TownRow(Figures):
    town: int | None
    town_name: str | None = Field(None, alias="town__name")


class TownStatsOut(Schema):
    year: int
    rows: list[TownRow]
    totals: Figures


class UnitRow(Schema):
    unit: int
    unit_name: str = Field(..., alias="unit__name")
    load: int
    open: int
    overdue: int
    replied: int
    on_time: int
    on_time_rate: float | None


class UnitStatsOut(Schema):
    year: int
    rows: list[UnitRow]


class StatsFilters(Schema):
    year: YEAR.api() = None  # bounded like the page's (a year past 9999 would be a 500)
    region: REGION_CODE.api() = None


def _office_only(user):
    perms.require(user, perms.OPINION_STATS)


@router.get(
    "/opinions/stats/towns", response={200: TownStatsOut, 403: ErrorOut, 404: ErrorOut}, summary="分镇统计"
)
def town_stats(request, filters: Query[StatsFilters]):
    """本年度（或 `year`）各镇的接待人数、收集、交办、答复、按时答复、销号、解决、满意等数字及比率，
    以及合计。仅县、镇（街道）人大办可用。"""
    _office_only(request.user)
    year = filters.year or timezone.localdate().year
    region = region_by_code(request.user, filters.region) if filters.region else None
    rows = selectors.town_figures(request.user, year=year, region=region)
    return {"year": year, "rows": rows, "totals": selectors.totals(rows)}


@router.get(
    "/opinions/stats/units",
    response={200: UnitStatsOut, 403: ErrorOut, 404: ErrorOut},
    summary="承办单位统计",
)
def unit_stats(request, filters: Query[StatsFilters]):
    """本年度（或 `year`）交办给各承办单位的件数、在办、超期、答复和按时答复率。仅县、镇（街道）人大办
    可用。"""
    _office_only(request.user)
    year = filters.year or timezone.localdate().year
    region = region_by_code(request.user, filters.region) if filters.region else None
    return {"year": year, "rows": selectors.unit_figures(request.user, year=year, region=region)}


# --- reception days ---------------------------------------------------------------------------------------


class ReceptionDayOut(Schema):
    id: int
    station: Ref
    date: date
    hours: str
    rota_published_at: datetime | None
    recorded_at: datetime | None
    voters_received: int


class ReceptionDayDetailOut(ReceptionDayOut):
    rota: list[Ref]
    present: list[Ref]
    notes: str
    opinions: int

    @staticmethod
    def resolve_rota(obj):
        return list(obj.rota.all())

    @staticmethod
    def resolve_present(obj):
        return list(obj.present.all())

    @staticmethod
    def resolve_opinions(obj) -> int:
        return obj.opinions.count()


class ReceptionDayFilters(Schema):
    station: IdArg = None
    year: YearArg = None
    upcoming: bool = False
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/reception-days", response=Page[ReceptionDayOut], summary="接待选民日列表")
def list_reception_days(request, filters: Query[ReceptionDayFilters]):
    """当前用户可见的联络站接待选民日；`upcoming=true` 只列今天及以后的，按日期先后排列。"""
    qs = selectors.reception_days(
        request.user, station=filters.station, year=filters.year, upcoming=filters.upcoming
    )
    return paginate(qs, filters.page, filters.page_size)


@router.get(
    "/reception-days/{day_id}", response={200: ReceptionDayDetailOut, 404: ErrorOut}, summary="接待选民日详情"
)
def get_reception_day(request, day_id: int):
    """一个接待选民日的值班代表、到场代表、接待人数、接待情况和当天登记的意见件数。"""
    return selectors.reception_day_detail(request.user, day_id)


class PlanIn(Schema):
    year: int


class PlanOut(Schema):
    created: list[ReceptionDayOut]


@router.post(
    "/stations/{station_id}/reception-days/plan", response={200: PlanOut, **ERRORS}, summary="生成全年接待日"
)
def plan_reception_days(request, station_id: int, payload: PlanIn):
    """按本地规则（默认每月第一个星期二，遇节假日顺延到下一个工作日）生成联络站一年的接待选民日；
    已有的日子保留不变，只返回新建的。"""
    station = get_or_deny(request.user, Station, pk=station_id)
    year = YEAR.clean(payload.year, name="year")  # 400 beyond the years kept, not a 500
    return {"created": services.plan_year(actor=request.user, station=station, year=year)}


class RotaIn(Schema):
    deputies: list[int] = []
    publish: bool = False


@router.put(
    "/reception-days/{day_id}/rota", response={200: ReceptionDayDetailOut, **ERRORS}, summary="安排值班代表"
)
def set_rota(request, day_id: int, payload: RotaIn):
    """设定接待日的值班代表（只能选本镇（街道）代表）；`publish=true` 时公布排班并通知值班代表。"""
    day = selectors.reception_day_detail(request.user, day_id)
    return services.set_rota(
        actor=request.user, day=day, deputy_ids=payload.deputies, publish=payload.publish
    )


class ReceptionRecordIn(Schema):
    present: list[int] = []
    voters_received: int
    notes: str = ""


@router.put(
    "/reception-days/{day_id}/record", response={200: ReceptionDayDetailOut, **ERRORS}, summary="登记接待情况"
)
def record_day(request, day_id: int, payload: ReceptionRecordIn):
    """登记接待日到场代表、接待选民人数和接待情况；每位到场代表自动记入履职记录（接待选民）。"""
    day = selectors.reception_day_detail(request.user, day_id)
    return services.record_day(
        actor=request.user,
        day=day,
        present_ids=payload.present,
        voters_received=payload.voters_received,
        notes=payload.notes,
    )

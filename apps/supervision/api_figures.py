"""`GET /api/v1/supervision/figures` (tag supervision, issue 18 part 7): the county's supervision figures,
the same numbers as the page `/supervision/figures/` (`figures.figures`)."""

from __future__ import annotations

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from apps.common.api import ERRORS
from apps.common.params import IdArg, YearArg

from . import figures as fig
from .choices import ActivityKind

router = Router(tags=["supervision"])


class SupervisionFiguresFilters(Schema):
    year: YearArg = Field(None, description="年度（默认：今年）")
    region: IdArg = Field(None, description="镇或县的区划编号（默认：本人所在人大办的区划）")
    kind: ActivityKind | None = Field(None, description="只统计这一监督形式的监督活动（可选）")


class SupervisionFigureRowOut(Schema):
    town: int | None = Field(..., description="镇（街道）的区划编号；合计行为空")
    name: str = Field(..., description="镇（街道）名称；合计行为县名")
    activities_planned: int = Field(..., description="年度监督计划中的监督活动（不含已取消的）")
    activities_done: int = Field(..., description="已完成的监督活动")
    findings: int = Field(..., description="本年度记录的监督发现的问题")
    rectifications_opened: int = Field(..., description="本年度交办的整改事项")
    rectifications_accepted: int = Field(..., description="其中验收通过的")
    rectifications_overdue: int = Field(..., description="其中尚未办结且已过时限的")
    rectifications_on_time: int = Field(..., description="其中在整改时限内验收通过的")
    evaluations_held: int = Field(..., description="本年度已公布结果的工作评议")
    departments_evaluated: int = Field(..., description="本年度工作评议中已有测评结果的部门")
    departments_dissatisfied: int = Field(..., description="不满意比例超过本镇规定、须报送整改方案的部门")
    appointments_held: int = Field(..., description="本年度已答复或已办结的约见")
    inquiries_held: int = Field(..., description="本年度已答复或已办结的专题询问")


class SupervisionFiguresOut(Schema):
    year: int
    region: int = Field(..., description="统计的镇或县的区划编号")
    region_name: str
    kind: str = Field(..., description="监督形式筛选；空为全部")
    rows: list[SupervisionFigureRowOut] = Field(..., description="每个镇（街道）一行")
    total: SupervisionFigureRowOut | None = Field(..., description="全县合计；统计一个镇时为空")


def _row(row) -> dict:
    return {"town": row.town_id, "name": row.name, **row.numbers}


@router.get("/figures", response={200: SupervisionFiguresOut, **ERRORS}, summary="监督工作统计")
def supervision_figures(request, filters: Query[SupervisionFiguresFilters]):
    """一年中每个镇（街道）的监督工作数字：计划和已完成的监督活动（可按监督形式筛选）、发现的问题、
    整改事项（交办、验收通过、超期、按期验收）、工作评议（已公布、被评议部门、不满意超比例部门）、
    约见和专题询问。镇人大办只得本镇一行；县人大办得全县各镇和合计。仅县、镇（街道）人大办可用；
    其他县或镇的区划答复 404。"""
    year = filters.year or timezone.localdate().year
    kind = filters.kind.value if filters.kind else ""
    result = fig.figures(request.user, year=year, region_id=filters.region, kind=kind)
    return {
        "year": result.year,
        "region": result.region.pk,
        "region_name": result.region.name,
        "kind": result.kind,
        "rows": [_row(r) for r in result.rows],
        "total": _row(result.total) if result.total else None,
    }

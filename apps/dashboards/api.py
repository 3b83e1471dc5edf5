"""`/api/v1/dashboards/...` (tag dashboards, issue 20 parts 5-6): the dashboard's figures, its charts as
data, and the big screen's state (what its WebSocket sends). The pages draw from these same endpoints."""

from __future__ import annotations

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from apps.common.api import ERRORS
from apps.common.params import IdArg, YearArg

from . import charts
from . import providers as reg
from .figures import dashboard

router = Router(tags=["dashboards"])


class DashboardFilters(Schema):
    year: YearArg = Field(None, description="年度（默认：今年）")
    region: IdArg = Field(None, description="镇或县的区划编号（默认：本人所在人大办的区划）")


class FigureOut(Schema):
    key: str = Field(..., description="数字的键，即各行 numbers 中的键")
    label: str
    kind: str = Field(..., description="count 为计数（合计为各镇之和）；rate 为比率，由计数算出")
    part: str = Field(..., description="数字所属的部分（opinions、suggestions、supervision、deputies……）")


class RowOut(Schema):
    town: int | None = Field(..., description="镇（街道）的区划编号；合计行为空")
    name: str
    numbers: dict[str, int | float | None] = Field(..., description="每个数字的值；比率无分母时为空")


class DashboardOut(Schema):
    year: int
    region: int
    region_name: str
    figures: list[FigureOut]
    rows: list[RowOut] = Field(..., description="每个镇（街道）一行")
    total: RowOut = Field(..., description="县（或镇）的合计；县本级的事项只计入合计")


class SeriesOut(Schema):
    key: str
    name: str
    data: list[int | float | None] = Field(..., description="按 categories 的顺序，每个镇一个值")
    total: int | float | None


class ChartOut(Schema):
    key: str
    title: str
    style: str = Field(..., description="bar 或 line")
    categories: list[str] = Field(..., description="镇（街道）名称")
    series: list[SeriesOut]


class CounterOut(Schema):
    key: str
    label: str
    value: int | float | None


class TileOut(Schema):
    town: int
    name: str
    x: int = Field(..., description="示意图中的列（从 0 起）")
    y: int = Field(..., description="示意图中的行（从 0 起）")
    numbers: dict[str, int | float | None]


class TileMapOut(Schema):
    columns: int
    rows: int
    tiles: list[TileOut]


class ScreenOut(Schema):
    region: int
    region_name: str
    year: int
    title: str
    counters: list[CounterOut] = Field(..., description="实时计数（合计）")
    map: TileMapOut = Field(..., description="各镇方块示意图（按区划代码排列，不用边界数据）")
    charts: list[ChartOut]


def _board(request, filters):
    return dashboard(request.user, year=filters.year or timezone.localdate().year, region_id=filters.region)


def _row(row) -> dict:
    return {"town": row.town_id, "name": row.name, "numbers": row.numbers}


@router.get("/dashboards/figures", response={200: DashboardOut, **ERRORS}, summary="工作看板数字")
def figures(request, filters: Query[DashboardFilters]):
    """一年中每个镇（街道）和全县（或本镇）的工作数字：接待选民、社情民意（收集、交办、答复、解决、满意率）、
    代表建议（按时办复率、解决率、满意率）、监督工作、代表履职。仅县、镇（街道）人大办可用；其他县或镇的
    区划答复 404。"""
    board = _board(request, filters)
    part = {f.key: p.name for p in reg.providers() for f in p.figures}
    return {
        "year": board.year,
        "region": board.region.pk,
        "region_name": board.region.name,
        "figures": [
            {"key": f.key, "label": str(f.label), "kind": f.kind, "part": part[f.key]} for f in reg.figures()
        ],
        "rows": [_row(r) for r in board.rows],
        "total": _row(board.total),
    }


@router.get("/dashboards/charts", response={200: list[ChartOut], **ERRORS}, summary="工作看板图表数据")
def chart_list(request, filters: Query[DashboardFilters]):
    """看板上每张图的数据（ECharts 按此绘制；页面上每张图旁的表格与此相同）。"""
    return charts.chart_data(_board(request, filters))


@router.get("/dashboards/screen", response={200: ScreenOut, **ERRORS}, summary="大屏数据")
def screen(request, filters: Query[DashboardFilters]):
    """大屏的全部内容：实时计数、各镇方块示意图和轮播图表；与大屏 WebSocket
    （/ws/dashboards/{区划编号}/）推送的内容相同。"""
    return charts.screen_data(_board(request, filters))

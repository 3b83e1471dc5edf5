"""The dashboard page `/dashboards/?year=&region=` (each chart drawn by ECharts from
`/api/v1/dashboards/charts`, with the same numbers as a table under it for screen readers), its Excel export
(`?export=xlsx`, every figure; `&chart=<key>` one chart's table) and the big screen `/dashboards/screen/`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.accounts.scopes import office_regions
from apps.common.excel import ledger_cell, paper_ledger, workbook_response
from apps.common.params import ID, YEAR, read

from . import charts
from . import providers as reg
from .figures import dashboard, towns_of


def _title(board) -> str:
    return _("%(place)s人大工作看板（%(year)s年）") % {"place": board.region.name, "year": board.year}


def _value(value):
    return "—" if value is None else value


def excel(board, chart: dict | None):
    keys = [s["key"] for s in chart["series"]] if chart else [f.key for f in reg.figures()]
    title = f"{_title(board)} {chart['title']}" if chart else _title(board)
    headers = [(_("镇（街道）"), 16)] + [(reg.figure(k).label, 10) for k in keys]
    wb, ws = paper_ledger(title=title, sheet=_("工作看板"), headers_widths=headers)
    for row in [*board.rows, board.total]:
        name = row.name if row.town_id else _("合计")
        numbers = [ledger_cell(ws, _value(row.numbers[k])) for k in keys]
        ws.append([ledger_cell(ws, name, bold=not row.town_id), *numbers])
    return workbook_response(wb, title)


def _tables(board, chart_list: list[dict]) -> list[dict]:
    """Each chart as a table: a row per town, a column per series, and the total."""
    out = []
    for chart in chart_list:
        rows = [
            (name, [_value(s["data"][i]) for s in chart["series"]])
            for i, name in enumerate(chart["categories"])
        ]
        out.append({**chart, "rows": rows, "totals": [_value(s["total"]) for s in chart["series"]]})
    return out


def _region_choices(user) -> list:
    """The office's regions, each county followed by its towns (what the region select offers)."""
    out = []
    for region in office_regions(user):
        out.append(region)
        if region.level == "county":
            out += towns_of(region)
    return out


@login_required
def home(request):
    """工作看板: the office's county (each town and the total) or town, for a year."""
    year = read(request.GET, "year", YEAR, default=timezone.localdate().year)
    board = dashboard(request.user, year=year, region_id=read(request.GET, "region", ID))
    chart_list = charts.chart_data(board)
    if request.GET.get("export") == "xlsx":
        key = request.GET.get("chart")
        chart = next((c for c in chart_list if c["key"] == key), None)
        if key and chart is None:
            raise Http404
        return excel(board, chart)
    query = {"year": year, "region": board.region.pk}
    this_year = timezone.localdate().year
    return render(
        request,
        "dashboards/home.html",
        {
            "board": board,
            "title": _title(board),
            "tables": _tables(board, chart_list),
            "query": urlencode(query),
            "years": list(range(this_year, this_year - 6, -1)),
            "regions": _region_choices(request.user),
            "counters": charts.counters(board),
        },
    )


@login_required
def screen(request):
    """大屏: 1920×1080 for the office wall, live over `/ws/dashboards/<region>/`; `?figure=` colours
    the map."""
    board = dashboard(request.user, year=timezone.localdate().year, region_id=read(request.GET, "region", ID))
    choosable = [f for f in reg.figures()]
    figure = request.GET.get("figure")
    if reg.figure(figure or "") is None:
        figure = "opinions_collected"
    return render(
        request,
        "dashboards/screen.html",
        {
            "board": board,
            "data": charts.screen_data(board),
            "figure": figure,
            "figures": choosable,
        },
    )

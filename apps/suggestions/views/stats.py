"""The figures (solved rate beside satisfaction rate) and the year's awards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from apps.accounts import permissions as perms
from apps.accounts.scopes import office_regions
from apps.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.common.excel import HEAD_FILL as _HEAD_FILL
from apps.common.excel import ledger_cell as _cell
from apps.common.excel import sheet_title, text_cell
from apps.common.excel import workbook_response as _response
from apps.common.params import REGION_CODE, YEAR, ints, read
from apps.places import selectors as place_selectors

from .. import selectors, services
from .common import (
    _town_choices,
    _year_choices,
)

# --- figures and awards -------------------------------------------------------------------------------------

BY = {
    "town": gettext_lazy("按镇"),
    "unit": gettext_lazy("按承办单位"),
    "deputy": gettext_lazy("按领衔代表"),
    "session": gettext_lazy("按会议"),
}
BY_HEADER = {
    "town": gettext_lazy("镇（街道）"),
    "unit": gettext_lazy("承办单位"),
    "deputy": gettext_lazy("领衔代表"),
    "session": gettext_lazy("会议"),
}


def _pct(value):
    return None if value is None else value / 100


FIGURE_COLUMNS = [
    (gettext_lazy("件数"), 8, lambda r: r["total"], None),
    (gettext_lazy("已答复"), 8, lambda r: r["replied"], None),
    (gettext_lazy("按时答复率"), 10, lambda r: _pct(r["on_time_rate"]), "0.0%"),
    (gettext_lazy("A类占比"), 9, lambda r: _pct(r["a_share"]), "0.0%"),
    (gettext_lazy("B类占比"), 9, lambda r: _pct(r["b_share"]), "0.0%"),
    (gettext_lazy("C类占比"), 9, lambda r: _pct(r["c_share"]), "0.0%"),
    (gettext_lazy("D类占比"), 9, lambda r: _pct(r["d_share"]), "0.0%"),
    (gettext_lazy("解决率"), 9, lambda r: _pct(r["solved_rate"]), "0.0%"),
    (gettext_lazy("满意率"), 9, lambda r: _pct(r["satisfaction_rate"]), "0.0%"),
    (gettext_lazy("超期"), 7, lambda r: r["overdue"], None),
]


def _row_label(row, by: str) -> str:
    if by == "session" and not row["label"]:
        return str(_("（未填会议）"))
    return str(row["label"] or "—")


def figures_response(user, *, place: str, year: int, region) -> HttpResponse:
    """Every grouping on its own sheet, the rates as percentages."""
    wb = Workbook(write_only=True)
    title = _("%(place)s代表建议办理情况（%(year)s年）") % {"place": place, "year": year}
    for by, name in BY.items():
        ws = wb.create_sheet(title=sheet_title(name))
        ws.column_dimensions["A"].width = 22
        for i, (_h, width, _g, _f) in enumerate(FIGURE_COLUMNS, start=2):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "B3"
        ws.merged_cells.add(f"A1:{get_column_letter(len(FIGURE_COLUMNS) + 1)}1")
        head = text_cell(ws, str(title))
        head.font = Font(bold=True, size=14)
        head.alignment = Alignment(horizontal="center")
        ws.append([head])
        ws.append(
            [_cell(ws, BY_HEADER[by], bold=True, fill=_HEAD_FILL)]
            + [_cell(ws, h, bold=True, fill=_HEAD_FILL) for h, *_rest in FIGURE_COLUMNS]
        )
        for row in selectors.figures(user, by=by, year=year, region=region):
            cells = [_cell(ws, _row_label(row, by))]
            for _h, _w, get, fmt in FIGURE_COLUMNS:
                cell = _cell(ws, get(row))
                if fmt:
                    cell.number_format = fmt
                cells.append(cell)
            ws.append(cells)
    return _response(wb, title)


def _awards_town(user, region):
    """The town whose awards the page selects: the filtered town, or the town office's own."""
    if region is not None:
        return region if region.level == "town" else None
    towns = [r for r in office_regions(user) if r.level == "town"]
    return towns[0] if len(towns) == 1 else None


def _ticked(values) -> set[int]:
    """The ids a refused form had ticked, to tick them again (the service refused the form already)."""
    try:
        return set(ints(values))
    except ValidationFailed:
        return set()


def _render_stats(request, params, *, award_error: DomainError | None = None, posted=None):
    user = request.user
    perms.require(user, perms.SUGGESTION_STATS)
    by = params.get("by") if params.get("by") in BY else "town"
    year = read(params, "year", YEAR, default=timezone.localdate().year)
    code = read(params, "region", REGION_CODE)
    region = place_selectors.region_by_code(user, code) if code else None
    place = region.name if region else "、".join(r.name for r in office_regions(user)) or _("全部")
    if params.get("export") == "xlsx":
        return figures_response(user, place=place, year=year, region=region)
    rows = selectors.figures(user, by=by, year=year, region=region)
    for row in rows:
        row["name"] = _row_label(row, by)
    town = _awards_town(user, region)
    candidates, unit_rows, chosen = [], [], {"suggestion": set(), "unit": set()}
    if town is not None:
        candidates = list(
            selectors.suggestions(user, region=town, year=year)
            .filter(rounds__gt=0)
            .order_by("number", "pk")[:300]
        )
        unit_rows = selectors.figures(user, by="unit", year=year, region=town)
        for a in selectors.awards(user, year=year, town=town):
            chosen[a.kind].add(a.suggestion_id or a.unit_id)
        if posted is not None:
            chosen = {
                "suggestion": _ticked(posted.getlist("suggestions")),
                "unit": _ticked(posted.getlist("units")),
            }
    base = {"year": year, **({"region": region.code} if region else {})}
    return render(
        request,
        "suggestions/stats.html",
        {
            "by": by,
            "tabs": [(k, v, urlencode({**base, "by": k})) for k, v in BY.items()],
            "by_header": BY_HEADER[by],
            "year": year,
            "years": _year_choices(),
            "region": region,
            "place": place,
            "rows": rows,
            "town_choices": _town_choices(user),
            "query": urlencode({**base, "by": by}),
            "award_town": town,
            "candidates": candidates,
            "unit_rows": unit_rows,
            "chosen": chosen,
            "awards": list(selectors.awards(user, year=year)),
            "award_error": award_error,
        },
        status=award_error.status if award_error else 200,
    )


@login_required
def stats(request):
    return _render_stats(request, request.GET)


@login_required
@require_POST
def awards(request):
    user, p = request.user, request.POST
    town = place_selectors.region_by_code(user, read(p, "town", REGION_CODE, default=""))
    year = read(p, "year", YEAR, default=timezone.localdate().year)
    try:
        if town.level != "town":
            raise ValidationFailed(_("请选择镇"))
        services.select_awards(
            actor=user,
            town=town,
            year=year,
            suggestion_ids=ints(p.getlist("suggestions"), name="suggestions"),
            unit_ids=ints(p.getlist("units"), name="units"),
        )
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        params = {"year": str(year), "by": p.get("by") or "town"}
        if p.get("region"):
            params["region"] = p["region"]
        return _render_stats(request, params, award_error=exc, posted=p)
    messages.success(request, _("%(town)s%(year)s年评优结果已保存") % {"town": town.name, "year": year})
    query = {"year": year, **({"region": p["region"]} if p.get("region") else {})}
    return redirect(reverse("suggestions:stats") + "?" + urlencode(query))

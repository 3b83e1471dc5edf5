"""The county's supervision figures page (issue 18 part 7): `/supervision/figures/?year=&region=&kind=`, a
table per township with the county's total, each number linking to the list behind it where one exists;
`?export=xlsx` gives the same table as Excel (a paper ledger). The numbers come from `figures.figures`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.scopes import office_regions
from apps.common.excel import ledger_cell, paper_ledger, workbook_response
from apps.common.params import ID, YEAR, Choice, read

from . import figures as fig
from .choices import ActivityKind

KIND = Choice(ActivityKind, label=gettext_lazy("监督形式"))

# (key, heading, width in the Excel sheet)
COLUMNS = [
    ("activities_planned", gettext_lazy("计划监督活动"), 10),
    ("activities_done", gettext_lazy("已完成"), 8),
    ("findings", gettext_lazy("发现问题"), 8),
    ("rectifications_opened", gettext_lazy("交办整改"), 8),
    ("rectifications_accepted", gettext_lazy("验收通过"), 8),
    ("rectifications_overdue", gettext_lazy("超期未办结"), 9),
    ("rectifications_on_time", gettext_lazy("按期验收"), 8),
    ("evaluations_held", gettext_lazy("工作评议（已公布）"), 10),
    ("departments_evaluated", gettext_lazy("被评议部门"), 9),
    ("departments_dissatisfied", gettext_lazy("不满意超比例部门"), 10),
    ("appointments_held", gettext_lazy("约见"), 7),
    ("inquiries_held", gettext_lazy("专题询问"), 8),
]


def _links(row, year: int) -> dict:
    """The list behind each number of a town's row, where one exists: the town's plan of the year for its
    activities, the rectification list filtered by town (and state, or overdue), the evaluations of the
    year."""
    out = {}
    if row.plan_id:
        plan = reverse("supervision:plan", args=[row.plan_id])
        out["activities_planned"] = out["activities_done"] = plan
    if row.town_id:
        base = reverse("rectification:list")
        out["rectifications_opened"] = f"{base}?{urlencode({'town': row.town_id})}"
        out["rectifications_accepted"] = f"{base}?{urlencode({'town': row.town_id, 'state': 'accepted'})}"
        out["rectifications_overdue"] = f"{base}?{urlencode({'town': row.town_id, 'overdue': '1'})}"
    out["evaluations_held"] = f"{reverse('evaluations:home')}?{urlencode({'year': year})}"
    return out


def _cells(row, year: int) -> list[tuple]:
    links = _links(row, year)
    return [(h, row.numbers[key], links.get(key) if row.numbers[key] else None) for key, h, _w in COLUMNS]


def _title(result) -> str:
    return _("%(place)s人大监督工作统计（%(year)s年）") % {"place": result.region.name, "year": result.year}


def excel(result):
    headers = [(_("镇（街道）"), 16)] + [(h, w) for _k, h, w in COLUMNS]
    wb, ws = paper_ledger(title=_title(result), sheet=_("监督工作统计"), headers_widths=headers)
    for row in result.rows + ([result.total] if result.total else []):
        name = row.name if row.town_id else _("合计")
        numbers = [ledger_cell(ws, row.numbers[k]) for k, _h, _w in COLUMNS]
        ws.append([ledger_cell(ws, name, bold=not row.town_id), *numbers])
    return workbook_response(wb, _title(result))


@login_required
def figures_page(request):
    """监督工作统计: the office's towns for a year (by default this year, every kind of activity)."""
    year = read(request.GET, "year", YEAR, default=timezone.localdate().year)
    kind = read(request.GET, "kind", KIND) or ""
    result = fig.figures(request.user, year=year, region_id=read(request.GET, "region", ID), kind=kind)
    if request.GET.get("export") == "xlsx":
        return excel(result)
    this_year = timezone.localdate().year
    query = {"year": year, "region": result.region.pk, **({"kind": kind} if kind else {})}
    return render(
        request,
        "supervision/figures.html",
        {
            "result": result,
            "title": _title(result),
            "columns": COLUMNS,
            "rows": [(r, _cells(r, year)) for r in result.rows],
            "total": (result.total, _cells(result.total, year)) if result.total else None,
            "years": list(range(this_year + 1, this_year - 6, -1)),
            "regions": office_regions(request.user),
            "kinds": ActivityKind.choices,
            "export_query": urlencode({**query, "export": "xlsx"}),
        },
    )

"""Pages of the township assessment (issue 20 parts 1-3): the county's tables (made, copied from last year,
edited while a draft, moved through their steps), the ranking with its tie-break rules and the advanced
units, the Excel and Word outputs; a town's assessment, the records behind each computed figure, manual
scores with their evidence and review. Each view parses, calls one selector or service, and renders; the
same actions are under /api/v1/assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import office_regions
from apps.common.downloads import docx_response
from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.common.excel import workbook_response
from apps.common.pages import flash_error, paginate_page
from apps.common.params import ID, PAGE, YEAR, ints, read
from apps.workflow.api import steps_out
from apps.workflow.pages import action_forms, take_action
from apps.workflow.uploads import attachments_of, file_response

from . import metrics, selectors, services
from .choices import Source
from .exports import results_docx, title_of, workbook


def _attempt(request, fn, ok_message: str) -> bool:
    """Run one service for a form post: a refusal propagates (403/404 pages), a domain error is flashed."""
    try:
        fn()
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=True)
        return False
    messages.success(request, ok_message)
    return True


@login_required
def home(request):
    """The county: its tables and a form to make one (empty or copied); a town: its own assessments."""
    perms.require(request.user, perms.ASSESSMENT_BROWSE)
    manage = perms.holds(request.user, perms.ASSESSMENT_MANAGE)
    tables = list(selectors.tables(request.user)[:50]) if manage else []
    counties = [r for r in office_regions(request.user) if r.level == "county"]
    return render(
        request,
        "assessment/home.html",
        {
            "tables": tables,
            "towns": selectors.town_rows(request.user).order_by("-table__year", "region__code")[:100],
            "manage": manage,
            "counties": counties,
            "next_year": timezone.localdate().year,
        },
    )


@login_required
@require_POST
def create(request):
    p = request.POST
    found = {}

    def run():
        found["t"] = services.create_table(
            actor=request.user, region_id=read(p, "region", ID, default=0),
            year=read(p, "year", YEAR, default=0), title=p.get("title", ""),
            copy_from=read(p, "copy_from", ID),
        )  # fmt: skip

    if _attempt(request, run, _("考核表已建立")):
        return redirect(found["t"].get_absolute_url())
    return redirect("assessment:home")


def _render_table(request, table_id: int, *, failed: str = "", error=None, status=200):
    table = selectors.table_for(request.user, table_id)
    return render(
        request,
        "assessment/table.html",
        {
            "table": table,
            "aspects": list(table.aspects.prefetch_related("indicators")),
            "draft": table.state == "draft",
            "metrics": metrics.choices(),
            "sources": Source.choices,
            "steps": steps_out(table),
            "actions": action_forms(
                request, table, url_name="assessment:table_act", failed=failed, error=error
            ),
            "error": error,
        },
        status=status,
    )


@login_required
def table(request, table_id: int):
    return _render_table(request, table_id)


@login_required
@require_POST
def table_act(request, table_id: int, key: str):
    found = selectors.table_for(request.user, table_id)
    return take_action(request, found, key, act=services.act, render_failed=_render_table)


@login_required
@require_POST
def add_aspect(request, table_id: int):
    p = request.POST
    _attempt(
        request,
        lambda: services.add_aspect(
            actor=request.user, table_id=table_id, name=p.get("name", ""),
            order=read(p, "order", PAGE, default=1), is_bonus=p.get("is_bonus") == "1",
        ),
        _("考核方面已增加"),
    )  # fmt: skip
    return redirect("assessment:table", table_id)


def _indicator_data(p) -> dict:
    keys = ("name", "source", "metric", "target", "base_points", "increment_points", "cap", "deduction",
            "evidence_rule")  # fmt: skip
    return {k: p.get(k, "") for k in keys} | {
        "aspect": read(p, "aspect", ID),
        "order": read(p, "order", PAGE, default=1),
    }


@login_required
@require_POST
def add_indicator(request, table_id: int):
    data = _indicator_data(request.POST)
    _attempt(request, lambda: services.save_indicator(actor=request.user, table_id=table_id, data=data),
             _("考核指标已增加"))  # fmt: skip
    return redirect("assessment:table", table_id)


@login_required
def indicator(request, indicator_id: int):
    """Change one indicator of a draft table."""
    ind, table = services.indicator_table(request.user, indicator_id)
    if request.method == "POST":
        data = _indicator_data(request.POST)
        ok = _attempt(
            request,
            lambda: services.save_indicator(
                actor=request.user, table_id=table.pk, data=data, indicator_id=ind.pk
            ),
            _("考核指标已修改"),
        )
        if ok:
            return redirect(table.get_absolute_url())
    return render(
        request,
        "assessment/indicator.html",
        {"ind": ind, "table": table, "aspects": table.aspects.all(), "metrics": metrics.choices(),
         "sources": Source.choices},
    )  # fmt: skip


@login_required
@require_POST
def delete_indicator(request, indicator_id: int):
    _ind, table = services.indicator_table(request.user, indicator_id)
    _attempt(request, lambda: services.delete_indicator(actor=request.user, indicator_id=indicator_id),
             _("考核指标已删除"))  # fmt: skip
    return redirect(table.get_absolute_url())


@login_required
def ranking(request, table_id: int):
    """The ranking of every town, with the tie-break rule that placed tied towns, and the advanced units."""
    res = selectors.ranking(request.user, table_id)
    if request.GET.get("export") == "xlsx":
        return workbook_response(workbook(res), f"{res.table.year}年镇人大工作考核结果")
    return render(request, "assessment/ranking.html", {"res": res, "table": res.table})


@login_required
@require_POST
def advanced(request, table_id: int):
    ids = ints(request.POST.getlist("towns"), name="towns")
    _attempt(
        request,
        lambda: services.choose_advanced(actor=request.user, table_id=table_id, assessment_ids=ids,
                                         note=request.POST.get("note", "")),
        _("先进单位已保存"),
    )  # fmt: skip
    return redirect("assessment:ranking", table_id)


@login_required
def results_word(request, table_id: int):
    res = selectors.ranking(request.user, table_id)
    return docx_response(results_docx(res), f"{title_of(res.table)}.docx")


@login_required
def town(request, assessment_id: int):
    """One town's assessment: every indicator's figure (linked to its records), points, total and rank."""
    row, _res, result = selectors.town_result(request.user, assessment_id)
    can_score = row.table.state == "scoring" and perms.holds(request.user, perms.ASSESSMENT_MANAGE, row)
    scored = {ln.indicator.pk for ln in result.lines if ln.score} if result else set()
    manual = [ln.indicator for ln in result.lines if ln.indicator.source == Source.MANUAL] if result else []
    return render(
        request,
        "assessment/town.html",
        {"row": row, "result": result, "can_score": can_score,
         "to_score": [i for i in manual if i.pk not in scored]},
    )  # fmt: skip


@login_required
def records(request, assessment_id: int):
    """The records behind one computed figure of one town, each marked counted or not."""
    row, ind, metric, qs = selectors.drill(
        request.user, assessment_id, read(request.GET, "indicator", ID, default=0)
    )
    read(request.GET, "page", PAGE)
    page, query = paginate_page(request, qs, per_page=50)
    return render(request, "assessment/records.html", {"row": row, "ind": ind, "metric": metric, "page": page,
                                                        "query": query})  # fmt: skip


@login_required
@require_POST
def add_score(request, assessment_id: int):
    p = request.POST
    found = {}

    def run():
        found["s"] = services.score(
            actor=request.user, assessment_id=assessment_id, indicator_id=read(p, "indicator", ID, default=0),
            points=p.get("points", ""), note=p.get("note", ""),
        )  # fmt: skip

    if _attempt(request, run, _("评分已提交，待审核")):
        return redirect(found["s"].get_absolute_url())
    return redirect("assessment:town", assessment_id)


def _render_score(request, score_id: int, *, failed: str = "", error=None, status=200):
    item = selectors.score_for(request.user, score_id)
    return render(
        request,
        "assessment/score.html",
        {
            "item": item,
            "steps": steps_out(item),
            "files": list(attachments_of(item)),
            "can_upload": item.assessment.table.state == "scoring"
            and perms.holds(request.user, perms.ASSESSMENT_MANAGE, item),
            "actions": action_forms(
                request, item, url_name="assessment:score_act", failed=failed, error=error
            ),
            "error": error,
        },
        status=status,
    )


@login_required
def score(request, score_id: int):
    return _render_score(request, score_id)


@login_required
@require_POST
def score_act(request, score_id: int, key: str):
    found = selectors.score_for(request.user, score_id)
    return take_action(request, found, key, act=services.act, render_failed=_render_score)


@login_required
@require_POST
def score_upload(request, score_id: int):
    found = selectors.score_for(request.user, score_id)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, _("请选择要上传的文件"))
    else:
        _attempt(request, lambda: services.attach_file(actor=request.user, score_id=found.pk, upload=f),
                 _("材料已上传"))  # fmt: skip
    return redirect(found.get_absolute_url())


@login_required
def score_file(request, score_id: int, att: int):
    found = attachments_of(selectors.score_for(request.user, score_id)).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)


def public_results(request, region: str):
    """考核结果公示: a county's published ranking and advanced units (the latest year, or ?year=). A town's
    address shows its county's table, where the town stands among the others."""
    from apps.places.models import Region

    place = (
        Region.objects.filter(code=region[:32], level__in=("county", "town")).select_related("parent").first()
    )
    if place is None:
        raise NotFound()
    county = place if place.level == "county" else place.parent
    tables = selectors.published(county)
    years = list(tables.values_list("year", flat=True))
    year = read(request.GET, "year", YEAR) or (years[0] if years else None)
    table = tables.filter(year=year).first() if year else None
    rows = list(selectors.public_rows(table)) if table else []
    return render(
        request, "assessment/public.html", {"place": county, "table": table, "rows": rows, "years": years}
    )

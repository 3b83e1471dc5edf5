"""Pages of the year's calendar (issue 20 part 4): the list and the month of a township's (or a county's)
items, generating a year from the template, adding an item, an item with its actions (move, cancel), the
compliance view and the person's iCalendar feed link. Each view parses, calls one selector or service, and
renders; phone friendly (the list's rows fold into cards, the month is a grid that scrolls)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import office_regions
from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.common.pages import flash_error, paginate_page
from apps.common.params import ID, PAGE, YEAR, Choice, Day, Int, read
from apps.places.models import Region
from apps.workflow.api import steps_out
from apps.workflow.pages import action_forms, take_action

from . import exports, services
from . import selectors as sel
from .choices import ItemKind
from .models import FeedToken
from .workflow import PLAN_ITEM_WORKFLOW

KIND = Choice(ItemKind, label=gettext_lazy("类别"))
STATE = Choice(dict(PLAN_ITEM_WORKFLOW.choices()), label=gettext_lazy("状态"))
MONTH = Int(1, 12, label=gettext_lazy("月份"))
DATE = Day(label=gettext_lazy("日期"))


def _towns(user) -> list:
    towns = []
    for region in office_regions(user):
        if region.level == "town":
            towns.append(region)
        else:
            towns.extend(Region.objects.filter(county_id=region.pk, level="town").order_by("code"))
    return towns


def _filters(request) -> dict:
    read(request.GET, "page", PAGE)
    return {
        "year": read(request.GET, "year", YEAR, default=timezone.localdate().year),
        "town": read(request.GET, "town", ID),
        "kind": read(request.GET, "kind", KIND) or "",
        "state": read(request.GET, "state", STATE) or "",
    }


def _common(request, f: dict) -> dict:
    return {
        "f": f,
        "kinds": ItemKind.choices,
        "states": PLAN_ITEM_WORKFLOW.choices(),
        "towns": _towns(request.user),
        "counties": [r for r in office_regions(request.user) if r.level == "county"],
        "can_edit": perms.holds(request.user, perms.YEARPLAN_EDIT),
        "can_check": perms.holds(request.user, perms.YEARPLAN_COMPLIANCE),
        "can_template": perms.holds(request.user, perms.YEARPLAN_TEMPLATE),
    }


@login_required
def items(request):
    """年度工作日历（列表）."""
    perms.require(request.user, perms.YEARPLAN_BROWSE)
    f = _filters(request)
    qs = sel.items(request.user, year=f["year"], town=f["town"], kind=f["kind"], state=f["state"])
    export = request.GET.get("export")
    if export in ("xlsx", "docx"):
        return _export(request, export, f, qs)
    page, query = paginate_page(request, qs, per_page=50)
    return render(request, "yearplan/list.html", {**_common(request, f), "page": page, "query": query})


def _export(request, fmt: str, f: dict, qs):
    """The list as Excel (any list the user sees) or Word (one township's year: the one chosen, or the
    user's only one)."""
    town = sel.town_for_export(request.user, f["town"])
    if fmt == "xlsx":
        return exports.xlsx(town, f["year"], qs)
    if town is None:
        messages.error(request, _("请先选择一个镇（街道），再导出其年度日历"))
        return redirect(f"{reverse('yearplan:list')}?year={f['year']}")
    return exports.docx(town, f["year"], qs)


@login_required
def month(request):
    """年度工作日历（月视图）: one month as a grid of weeks."""
    perms.require(request.user, perms.YEARPLAN_BROWSE)
    f = _filters(request)
    today = timezone.localdate()
    m = read(request.GET, "month", MONTH, default=today.month if f["year"] == today.year else 1)
    rows = sel.items(request.user, year=f["year"], town=f["town"], kind=f["kind"], month=m, state=f["state"])
    prev_m = (f["year"], m - 1) if m > 1 else (f["year"] - 1, 12)
    next_m = (f["year"], m + 1) if m < 12 else (f["year"] + 1, 1)
    return render(
        request,
        "yearplan/month.html",
        {
            **_common(request, f),
            "month": m,
            "weeks": sel.month_weeks(f["year"], m, list(rows[:1000])),
            "prev": prev_m,
            "next": next_m,
            "today": today,
        },
    )


@login_required
@require_POST
def generate(request):
    """Generate a year for one town or the whole county the office covers."""
    perms.require(request.user, perms.YEARPLAN_EDIT)
    year = read(request.POST, "year", YEAR, default=timezone.localdate().year)
    region_id = read(request.POST, "region", ID, default=0)
    region = next((r for r in office_regions(request.user) if r.pk == region_id), None)
    region = region or next((t for t in _towns(request.user) if t.pk == region_id), None)
    if region is None:
        raise NotFound()
    try:
        made = services.generate(actor=request.user, region=region, year=year)
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=True)
    else:
        messages.success(request, _("已生成 %(n)s 项日历事项") % {"n": sum(made.values())})
    return redirect(f"{reverse('yearplan:list')}?year={year}")


@login_required
def new(request):
    """The office adds one item to a township's year."""
    perms.require(request.user, perms.YEARPLAN_EDIT)
    towns = _towns(request.user)
    error = None
    if request.method == "POST":
        p = request.POST
        town = next((t for t in towns if t.pk == read(p, "town", ID, default=0)), None)
        try:
            if town is None:
                raise NotFound()
            item = services.add_item(
                actor=request.user, region=town, kind=read(p, "kind", KIND) or "", title=p.get("title", ""),
                when=read(p, "date", DATE), note=p.get("note", ""),
            )  # fmt: skip
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            error = exc
            flash_error(request, exc, joined=True)
        else:
            messages.success(request, _("日历事项已添加"))
            return redirect(item.get_absolute_url())
    return render(
        request,
        "yearplan/new.html",
        {"towns": towns, "kinds": ItemKind.choices, "form": request.POST if error else {}, "error": error},
        status=400 if error else 200,
    )


def _render_item(request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200):
    item = sel.item_for(request.user, pk)
    return render(
        request,
        "yearplan/item.html",
        {
            "item": item,
            "steps": steps_out(item),
            "actions": action_forms(request, item, url_name="yearplan:act", failed=failed, error=error),
            "error": error,
        },
        status=status,
    )


@login_required
def item(request, plan_item_id: int):
    return _render_item(request, plan_item_id)


@login_required
@require_POST
def act(request, plan_item_id: int, key: str):
    found = sel.item_for(request.user, plan_item_id)
    return take_action(request, found, key, act=services.act, render_failed=_render_item)


@login_required
def compliance(request):
    """履职进度: townships and deputies behind (an item past its date with no matching record)."""
    perms.require(request.user, perms.YEARPLAN_COMPLIANCE)
    read(request.GET, "page", PAGE)
    year = read(request.GET, "year", YEAR, default=timezone.localdate().year)
    town = read(request.GET, "town", ID)
    today = timezone.localdate()
    deputies, query = paginate_page(
        request, sel.deputy_compliance(request.user, year=year, today=today, town=town), per_page=50
    )
    return render(
        request,
        "yearplan/compliance.html",
        {
            "f": {"year": year, "town": town},
            "towns": _towns(request.user),
            "townships": sel.township_compliance(request.user, year=year, today=today),
            "behind": list(sel.behind_items(request.user, year=year, today=today, town=town)[:200]),
            "page": deputies,
            "query": query,
        },
    )


@login_required
def feed(request):
    """我的日历订阅: issue (or replace) and revoke the secret link; the link is shown once."""
    perms.require(request.user, perms.YEARPLAN_FEED)
    url = ""
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            services.revoke_feed_token(user=request.user)
            messages.success(request, _("日历订阅已停用"))
            return redirect("yearplan:feed")
        url = request.build_absolute_uri(services.feed_path(services.issue_feed_token(user=request.user)))
    found = FeedToken.objects.filter(user=request.user).first()
    return render(request, "yearplan/feed.html", {"url": url, "token": found})

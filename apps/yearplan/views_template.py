"""Pages of the county's calendar template (issue 20 part 4): the county office's templates by year, starting
a year's (copied from last year, or Cangxi's), and a template's lines, each a small form (change, remove),
with a form to add one. Each view parses, calls one service of county_template, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import office_regions
from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.common.pages import flash_error
from apps.common.params import ID, YEAR, read

from . import county_template as ct
from .choices import ItemKind, LineRule
from .rules import CANGXI


def _counties(user) -> list:
    return [r for r in office_regions(user) if r.level == "county"]


@login_required
def templates(request):
    """县年度日历模板: the county's templates by year and the form that starts one."""
    perms.require(request.user, perms.YEARPLAN_TEMPLATE)
    if request.method == "POST":
        year = read(request.POST, "year", YEAR, default=timezone.localdate().year)
        county = next((c for c in _counties(request.user) if c.pk == read(request.POST, "county", ID)), None)
        if county is None:
            raise NotFound()
        try:
            template = ct.create(actor=request.user, county=county, year=year)
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            flash_error(request, exc, joined=True)
        else:
            messages.success(request, _("已建立 %(y)s 年模板") % {"y": year})
            return redirect(template.get_absolute_url())
    return render(
        request,
        "yearplan/templates.html",
        {
            "templates": ct.templates(request.user),
            "counties": _counties(request.user),
            "next_year": timezone.localdate().year,
            "cangxi_count": len(CANGXI),
        },
    )


def _line_data(post) -> dict:
    """The line's fields as the service takes them (it checks each; a number that is not one is left as
    text, so the service names the field)."""
    data = {k: post.get(k, "") for k in ("kind", "title", "rule")}
    for name in ct.BOUNDS:
        raw = (post.get(name) or "").strip()
        data[name] = int(raw) if raw.isdigit() and len(raw) < 4 else raw
    return data


@login_required
def template(request, calendar_template_id: int):
    found = ct.template_for(request.user, calendar_template_id)
    if request.method == "POST":
        try:
            ct.add_line(actor=request.user, template=found, data=_line_data(request.POST))
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            flash_error(request, exc, joined=True)
        else:
            messages.success(request, _("模板事项已添加"))
        return redirect(found.get_absolute_url())
    return render(
        request,
        "yearplan/template.html",
        {
            "template": found,
            "lines": found.lines.all(),
            "kinds": ItemKind.choices,
            "rules": LineRule.choices,
            "weekdays": list(enumerate(_("一二三四五六日"))),
        },
    )


@login_required
@require_POST
def template_line(request, calendar_template_id: int, template_line_id: int):
    """Change a line, or remove it (`do=remove`)."""
    found = ct.template_for(request.user, calendar_template_id)
    line = ct.line_for(found, template_line_id)
    try:
        if request.POST.get("do") == "remove":
            ct.remove_line(actor=request.user, line=line)
            messages.success(request, _("模板事项已删除"))
        else:
            ct.change_line(actor=request.user, line=line, data=_line_data(request.POST))
            messages.success(request, _("模板事项已保存"))
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=True)
    return redirect(found.get_absolute_url())

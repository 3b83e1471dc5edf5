"""The county office's page of [local] rules: what applies in the county and each town, and the edit form.
A town office sees the values that apply in its town, read-only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.accounts.permissions import LOCAL_RULE_SET, holds
from apps.common import conf
from apps.common.errors import NotFound, ValidationFailed
from apps.places.models import RegionLevel

from . import selectors, services


def _county_of(region):
    return region if region.level == RegionLevel.COUNTY else region.county


@login_required
def rule_list(request):
    region = selectors.region_for(request.user, request.GET.get("region"))
    can_edit = holds(request.user, LOCAL_RULE_SET, region)
    if region.level == RegionLevel.COUNTY:
        context = {"overview": selectors.county_overview(region), "towns": selectors.towns_of(region)}
    else:
        context = {"rules": selectors.local_values(region)}
    context.update(region=region, can_edit=can_edit)
    return render(request, "localrules/rule_list.html", context)


@login_required
def rule_edit(request, key: str):
    county = _county_of(selectors.region_for(request.user, request.GET.get("region")))
    try:
        setting = selectors._local(key)
    except KeyError:
        raise NotFound() from None
    if not holds(request.user, LOCAL_RULE_SET, county):
        return redirect("localrules:rule_list")
    towns = list(selectors.towns_of(county)) if setting.town_override else []
    places = {r.code: r for r in [county, *towns]}
    errors, form = {}, {"region": county.code, "value": "", "reason": ""}
    if request.method == "POST":
        p = request.POST
        form = {"region": p.get("region", ""), "value": p.get("value", ""), "reason": p.get("reason", "")}
        place = places.get(form["region"])
        try:
            if place is None:
                raise ValidationFailed(fields={"region": [_("请选择本县或本县的一个镇")]})
            clearing = p.get("action") == "clear"
            value = None if clearing else _posted_value(setting, p)
            services.set_value(actor=request.user, region=place, key=key, value=value, reason=form["reason"])
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            messages.success(request, _("已恢复为上级设置") if clearing else _("已保存"))
            return redirect(f"{request.path}?region={county.code}")
    rows = [selectors.effective(key, r) for r in [county, *towns]]
    return render(
        request,
        "localrules/rule_edit.html",
        {"setting": setting, "county": county, "rows": rows, "errors": errors, "form": form},
        status=400 if errors else 200,
    )


def _posted_value(setting: conf.Setting, post):
    if setting.kind == conf.BOOL:
        return post.get("value") == "1"
    return post.get("value", "")

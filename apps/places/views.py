from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts import permissions as perms
from apps.accounts.scopes import office_regions
from apps.common.errors import ValidationFailed
from apps.common.pages import list_page
from apps.people import selectors as people_selectors

from . import selectors, services
from .models import STATION_CHECKLIST, StationLevel, UnitLevel

STATION_EXPORT = [
    (gettext_lazy("名称"), lambda s: s.name),
    (gettext_lazy("层级"), lambda s: s.get_level_display()),
    (gettext_lazy("所在区划"), lambda s: s.region.name),
    (gettext_lazy("地址"), lambda s: s.address),
    (gettext_lazy("负责人"), lambda s: s.keeper_name),
    (gettext_lazy("联系电话"), lambda s: s.keeper_phone),
    (gettext_lazy("开放时间"), lambda s: s.opening_schedule),
    (gettext_lazy("建设清单完成项"), lambda s: s.checklist_done),
]


@login_required
def station_list(request):
    g = request.GET
    region = selectors.region_by_code(request.user, g["region"]) if g.get("region") else None
    qs = selectors.stations(request.user, region=region, level=g.get("level", ""), q=g.get("q", ""))
    return list_page(
        request,
        "places/station_list.html",
        qs,
        context={
            "levels": StationLevel.choices,
            "f": g,
            "region": region,
            "checklist_total": len(STATION_CHECKLIST),
        },
        export=(_("代表联络站"), STATION_EXPORT),
    )


@login_required
def station_detail(request, pk: int):
    station = selectors.station_detail(request.user, pk)
    errors = {}
    if request.method == "POST":
        p = request.POST
        data = {
            f: p.get(f, "") for f in ("name", "address", "keeper_name", "keeper_phone", "opening_schedule")
        }
        data["checklist"] = {key: key in p.getlist("checklist") for key, _label in STATION_CHECKLIST}
        try:
            services.update_station(actor=request.user, station_id=pk, data=data, reason=p.get("reason", ""))
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            messages.success(request, _("已保存"))
            return redirect("places:station_detail", pk=pk)
    deputies = station.deputies.select_related("region").order_by("name_pinyin")[:200]
    return render(
        request,
        "places/station_detail.html",
        {
            "s": station,
            "can_edit": perms.holds(request.user, perms.STATION_EDIT, station),
            "errors": errors,
            "deputies": deputies,
        },
        status=400 if errors else 200,
    )


@login_required
def region_list(request):
    """Start of the region tree: the user's county or town, or the towns they can see."""
    regions = office_regions(request.user)
    if len(regions) == 1:
        return redirect("places:region_detail", code=regions[0].code)
    return render(
        request, "places/region_list.html", {"regions": selectors.regions(request.user, level="town")}
    )


HOUSEHOLD_EXPORT = [
    (gettext_lazy("户主"), lambda h: h.head_name),
    (gettext_lazy("所在村/网格"), lambda h: h.region.name),
    (gettext_lazy("住址"), lambda h: h.address),
    (gettext_lazy("联系电话"), lambda h: h.phone),
    (gettext_lazy("家庭人口"), lambda h: h.member_count),
    (gettext_lazy("选民人数"), lambda h: h.voter_count),
    (gettext_lazy("联系代表"), lambda h: h.contact_deputy.name if h.contact_deputy else ""),
    (gettext_lazy("困难户"), lambda h: _("是") if h.is_poor else ""),
    (gettext_lazy("结对代表"), lambda h: h.paired_deputy.name if h.paired_deputy else ""),
]


@login_required
def region_detail(request, code: str):
    """A region: its children (towns, villages or grids) and, from village level down, its households."""
    region = selectors.region_by_code(request.user, code)
    children = selectors.regions(request.user, parent=region).prefetch_related("grid_roles__deputy")
    # Breadcrumbs only through regions this user may open: a town clerk's trail starts at the town.
    trail = region.path.strip("/").split("/")[:-1]
    ancestors = list(selectors.regions(request.user).filter(code__in=trail)) if trail else []
    qs = (
        people_selectors.households(request.user, region=region, q=request.GET.get("q", ""))
        if region.level in ("village", "grid")
        else people_selectors.households(request.user).none()
    )
    return list_page(
        request,
        "places/region_detail.html",
        qs,
        context={
            "region": region,
            "children": children,
            "ancestors": ancestors,
            "f": request.GET,
        },
        export=(_("选民户") + region.name, HOUSEHOLD_EXPORT),
    )


UNIT_EXPORT = [
    (gettext_lazy("名称"), lambda u: u.name),
    (gettext_lazy("层级"), lambda u: u.get_level_display()),
    (gettext_lazy("所属区划"), lambda u: u.region.name),
    (gettext_lazy("联系人"), lambda u: u.contact_person),
    (gettext_lazy("联系电话"), lambda u: u.contact_phone),
]


@login_required
def unit_list(request):
    g = request.GET
    region = selectors.region_by_code(request.user, g["region"]) if g.get("region") else None
    qs = selectors.units(request.user, region=region, level=g.get("level", ""), q=g.get("q", ""))
    return list_page(
        request,
        "places/unit_list.html",
        qs,
        context={"levels": UnitLevel.choices, "f": g},
        export=(_("承办单位"), UNIT_EXPORT),
    )

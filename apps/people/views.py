from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts import permissions as perms
from apps.accounts.scopes import office_regions
from apps.common.errors import ValidationFailed
from apps.common.pages import list_page
from apps.common.params import ID, read
from apps.common.qr import qr_svg_response
from apps.places.models import Station
from apps.places.selectors import region_by_code
from apps.places.terms import terms_for, terms_for_user

from . import selectors, services
from .models import DeputyGroup, DeputyLevel, Gender, MandateStatus

DEPUTY_EXPORT = [
    (gettext_lazy("姓名"), lambda d: d.name),
    (gettext_lazy("性别"), lambda d: d.get_gender_display()),
    (gettext_lazy("层级"), lambda d: d.get_top_level_display()),
    (gettext_lazy("所在镇"), lambda d: d.town.name if d.town else ""),
    (gettext_lazy("所在村/社区"), lambda d: d.region.name),
    (gettext_lazy("联络站"), lambda d: d.station.name if d.station else ""),
    (gettext_lazy("职业"), lambda d: d.occupation),
    (gettext_lazy("工作单位及职务"), lambda d: d.workplace),
    (gettext_lazy("手机号码"), lambda d: d.phone),
    (gettext_lazy("状态"), lambda d: d.get_status_display()),
]


@login_required
def deputy_list(request):
    g = request.GET
    region = region_by_code(request.user, g["region"]) if g.get("region") else None
    station_id, group_id = read(g, "station", ID), read(g, "group", ID)
    qs = selectors.deputies(
        request.user,
        q=g.get("q", ""),
        level=g.get("level", ""),
        region=region,
        station_id=station_id,
        group_id=group_id,
        status=g.get("status", ""),
    )
    from apps.accounts.scopes import visible_to

    ctx = {
        "levels": [
            (DeputyLevel.COUNTY, DeputyLevel.COUNTY.label),
            (DeputyLevel.TOWN, DeputyLevel.TOWN.label),
        ],
        "statuses": MandateStatus.choices,
        "stations": visible_to(request.user, Station).order_by("region__code", "name")[:300],
        "groups": visible_to(request.user, DeputyGroup).order_by("kind", "name")[:300],
        "region": region,
        "f": g,
    }
    template = "people/_deputy_rows.html" if request.htmx else "people/deputy_list.html"
    return list_page(request, template, qs, context=ctx, export=(_("人大代表名单"), DEPUTY_EXPORT))


@login_required
def deputy_detail(request, pk: int):
    deputy = selectors.deputy_detail(request.user, pk)
    return render(
        request,
        "people/deputy_detail.html",
        {
            "d": deputy,
            "can_edit": perms.holds(request.user, perms.PEOPLE_EDIT, deputy),
            "activity": selectors.activity_counts(deputy),
            "households": deputy.contact_households.select_related("region").order_by(
                "region__code", "head_name"
            )[:60],
            "paired": deputy.paired_households.select_related("region")[:20],
            "offices": list(deputy.offices.all()),
        },
    )


@login_required
def deputy_edit(request, pk: int):
    deputy = selectors.deputy_detail(request.user, pk)
    errors = {}
    if request.method == "POST":
        p = request.POST
        data = {
            f: p.get(f, "").strip()
            for f in ("name", "gender", "party", "occupation", "workplace", "phone", "address", "status")
        }
        try:
            data["station_id"] = read(p, "station_id", ID)
            services.update_deputy(
                actor=request.user, deputy_id=deputy.pk, data=data, reason=p.get("reason", "")
            )
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            from django.contrib import messages

            messages.success(request, _("已保存"))
            return redirect("people:deputy_detail", pk=deputy.pk)
    stations = Station.objects.filter(town=deputy.town_id).order_by("level", "name") if deputy.town_id else []
    return render(
        request,
        "people/deputy_edit.html",
        {
            "d": deputy,
            "errors": errors,
            "genders": Gender.choices,
            "statuses": MandateStatus.choices,
            "stations": stations,
            "posted": request.POST,
        },
        status=400 if errors else 200,
    )


def public_card(request, code):
    """The page behind the 代表码: public fields and activity counts only."""
    deputy = selectors.public_card(code)
    if deputy is None:
        raise Http404
    return render(
        request, "people/public_card.html", {"d": deputy, "activity": selectors.activity_counts(deputy)}
    )


def public_card_qr(request, code):
    if selectors.public_card(code) is None:
        raise Http404
    return qr_svg_response(request.build_absolute_uri(reverse("people:public_card", args=[code])))


@login_required
def quota(request):
    g = request.GET
    region = region_by_code(request.user, g["region"]) if g.get("region") else None
    only_off = g.get("all") != "1"
    rows = selectors.quota_rows(request.user, region=region, only_off=only_off)
    who = terms_for(region) if region else terms_for_user(request.user)  # 主席团 / 街道工委
    export = (
        _("联系配额"),
        [
            (_("代表"), lambda r: r["deputy"].name),
            (_("所在镇"), lambda r: r["deputy"].town.name if r["deputy"].town else ""),
            (_("联系户数"), lambda r: r["households"]),
            (_("应联系户数"), lambda r: r["households_quota"]),
            (_("联系代表数"), lambda r: r["member_deputies"]),
            (_("联系户数（%(who)s/常委）") % {"who": who.presidium}, lambda r: r["member_households"]),
        ],
    )
    return list_page(
        request,
        "people/quota.html",
        rows,
        context={"only_off": only_off, "regions": office_regions(request.user), "terms": who},
        export=export,
    )

"""Reception days (接待选民日): the rota, the day's record, the station's QR code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Case, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import scope_q, visible_to
from apps.common.errors import ValidationFailed
from apps.common.pages import paginate_page
from apps.common.params import PAGE, YEAR, ints, read
from apps.people import selectors as people_selectors
from apps.places import selectors as place_selectors
from apps.places.models import Station

from .. import selectors, services
from ..models import Opinion
from .common import (
    STATION_ID,
)
from .items import (
    _can_register,
)

# --- reception days ------------------------------------------------------------------------------------


def _may_manage(user, station) -> bool:
    """Whether to show the planning and record forms (services check again): the office over the
    station's town, or its keeper."""
    return perms.holds(user, perms.RECEPTION_MANAGE, station)


def _with_manage(user, stations):
    """Each station with `manage`: whether the user holds `reception.manage` over it (the office over its
    town, its keeper), read in the list's own query."""
    q = scope_q(user, Station, perms.RECEPTION_MANAGE)
    if q is None:  # an administrator
        return stations.annotate(manage=Value(True))
    return stations.annotate(manage=Case(When(q, then=True), default=False, output_field=BooleanField()))


def _ticked(values) -> set[int]:
    """The ids a refused form had ticked, to tick them again (the service refused the form already)."""
    try:
        return set(ints(values))
    except ValidationFailed:
        return set()


@login_required
def reception_list(request):
    user = request.user
    today = timezone.localdate()
    station_id = read(request.GET, "station", STATION_ID)
    read(request.GET, "page", PAGE)  # a page number that is no number is refused, not silently the first
    days = selectors.reception_days(user, station=station_id)
    upcoming = list(days.filter(date__gte=today).order_by("date").prefetch_related("rota")[:24])
    past, query = paginate_page(request, days.filter(date__lt=today).order_by("-date"), per_page=30)
    stations = list(
        _with_manage(user, visible_to(user, Station))
        .select_related("region")
        .order_by("region__code", "name")[:100]
    )
    return render(
        request,
        "opinions/reception_list.html",
        {
            "upcoming": upcoming,
            "page": past,
            "query": query,
            "stations": [(s, s.manage) for s in stations],
            "station_id": station_id,
            "plan_years": [today.year, today.year + 1],
        },
    )


@login_required
@require_POST
def reception_plan(request, station: int):
    st = place_selectors.station_detail(request.user, station)
    year = read(request.POST, "year", YEAR, default=timezone.localdate().year)
    if abs(year - timezone.localdate().year) > 1:
        raise ValidationFailed(_("只能生成今年或明年的接待日"))
    created = services.plan_year(actor=request.user, station=st, year=year)
    messages.success(
        request,
        _("%(station)s：已生成%(year)s年接待日 %(n)s 个")
        % {"station": st.name, "year": year, "n": len(created)},
    )
    return redirect(reverse("opinions:reception_list") + f"?station={st.pk}")


def _save_day(user, day, action: str, p) -> str:
    if action in ("rota", "publish"):
        services.set_rota(actor=user, day=day, deputy_ids=p.getlist("rota"), publish=action == "publish")
        return _("排班已公布") if action == "publish" else _("排班已保存")
    if action == "record":
        services.record_day(
            actor=user,
            day=day,
            present_ids=p.getlist("present"),
            voters_received=p.get("voters_received"),
            notes=p.get("notes", ""),
        )
        return _("接待情况已登记")
    raise Http404


@login_required
def reception_day(request, pk: int):
    user = request.user
    day = selectors.reception_day_detail(user, pk)
    manage = _may_manage(user, day.station)
    errors, error_message, failed, posted = {}, "", "", None
    if request.method == "POST":
        p, action = request.POST, request.POST.get("action", "")
        try:
            done = _save_day(user, day, action, p)
        except ValidationFailed as exc:
            errors, error_message = exc.fields or {"_": [exc.message]}, exc.message
            failed, posted = action, p
        else:
            messages.success(request, done)
            return redirect(day)
    rota_ids = {d.pk for d in day.rota.all()}
    present_ids = {d.pk for d in day.present.all()}
    if failed in ("rota", "publish"):
        rota_ids = _ticked(posted.getlist("rota"))
    elif failed == "record":
        present_ids = _ticked(posted.getlist("present"))
    deputies = (
        list(people_selectors.deputies(user, region=day.town).order_by("name_pinyin")[:300]) if manage else []
    )
    known = {d.pk for d in deputies}
    deputies += [d for d in day.rota.all() if d.pk not in known]
    return render(
        request,
        "opinions/reception_day.html",
        {
            "day": day,
            "manage": manage,
            "deputies": deputies,
            "rota": [d for d in day.rota.all()],
            "rota_ids": rota_ids,
            "present": [d for d in day.present.all()],
            "present_ids": present_ids,
            "can_record": manage and day.date <= timezone.localdate(),
            "can_register": _can_register(user),
            "opinions": visible_to(user, Opinion).filter(reception_day=day).select_related("unit"),
            "errors": errors,
            "error_message": error_message,
            "failed": failed,
            "posted": posted or {},
            "public_url": request.build_absolute_uri(
                reverse("opinions:public_new") + f"?station={day.station_id}"
            ),
        },
        status=400 if errors else 200,
    )

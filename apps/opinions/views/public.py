"""The public pages (no login): the online form from a station's or a deputy's QR code, tracking by code."""

from __future__ import annotations

import uuid

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.audit.middleware import client_ip
from apps.common.errors import NotFound, Throttled, ValidationFailed
from apps.common.pages import form_errors
from apps.common.params import read
from apps.common.qr import qr_svg_response
from apps.people import selectors as people_selectors
from apps.places.models import Station
from apps.workflow.uploads import attachments_of

from .. import selectors, services
from ..forms import PublicForm
from .common import (
    _MOBILE,
    STATION_ID,
)
from .items import (
    _file_response,
)

# --- public pages (no login) -------------------------------------------------------------------------------


def _public_target(request):
    """The station (QR code at the station) or the deputy (代表码) the voter came through."""
    # The form posts back to its own address, so the query string names the target on POST too.
    station_id, code = read(request.GET, "station", STATION_ID), request.GET.get("deputy")
    if station_id:
        station = Station.objects.select_related("region").filter(pk=station_id).first()
        if station is None:
            raise Http404
        return station, None
    if code:
        try:
            uuid.UUID(str(code))
        except ValueError as e:
            raise Http404 from e
        deputy = people_selectors.public_card(code)
        if deputy is None:
            raise Http404
        return None, deputy
    raise Http404


def public_new(request):
    """A voter's own submission: phone first, no login, throttled by the service."""
    station, deputy = _public_target(request)
    status = 200
    if request.method == "POST":
        form = PublicForm(request.POST, request.FILES)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "photo"}
            data.update({"station": station.pk} if station else {"deputy_code": str(deputy.public_code)})
            photo = form.cleaned_data.get("photo")
            try:
                item = services.submit_public(
                    data=data,
                    uploads=[photo] if photo else [],
                    ip=client_ip(request),
                    user=request.user,
                )
            except Throttled as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
            except ValidationFailed as exc:
                form_errors(form, exc, {"file": "photo"})
            else:
                return redirect(
                    reverse("opinions:public_thanks") + "?" + urlencode({"code": item.tracking_code})
                )
        if form.errors and status == 200:
            status = 400
    else:
        form = PublicForm()
    return render(
        request,
        "opinions/public_new.html",
        {
            "form": form,
            "station": station,
            "deputy": deputy,
            "anonymous": not request.user.is_authenticated,
            "rota_days": selectors.public_rota(station) if station else [],
        },
        status=status,
    )


def public_thanks(request):
    item = selectors.by_tracking_code(request.GET.get("code", ""))
    if item is None:
        raise Http404
    return render(request, "opinions/public_thanks.html", {"code": item.tracking_code})


def _public_view(item) -> dict:
    """What the tracking page may show: never a name or a phone number. A merged item shows the progress
    of the item it was merged into, but not that item's code (the code is each voter's own key)."""
    handled = item.merged_into if item.state == "merged" and item.merged_into_id else item
    outcome = ""
    if item.state == "merged":
        outcome = _("已与反映同一问题的事项合并办理，以下为合并办理的进度。")
    elif item.state in ("not_accepted", "converted"):
        outcome = item.outcome_note
    return {
        "code": item.tracking_code,
        "title": _MOBILE.sub(lambda m: m.group()[:3] + "********", item.title),
        "topic": item.get_topic_display(),
        "state": handled.state_label,
        "final": handled.is_final,
        "received_on": item.received_on,
        "assigned_on": handled.assigned_on,
        "replied_on": handled.replied_on,
        "closed_on": handled.closed_on,
        "unit": handled.unit.name if handled.unit_id else "",
        "reply": handled.reply if handled.replied_on else "",
        "outcome": outcome,
        "attachments": list(attachments_of(item, public_only=True)),
    }


def track(request):
    code = request.GET.get("code", "").strip().upper()
    ctx, status = {"code": code}, 200
    if code:
        try:
            ctx["item"] = _public_view(services.opinion_for_public(code))
        except NotFound as exc:
            ctx["error"], status = exc.message, 404
    return render(request, "opinions/track.html", ctx, status=status)


def public_attachment(request, code: str, att: int):
    item = selectors.by_tracking_code(code)
    found = attachments_of(item, public_only=True).filter(pk=att).first() if item else None
    if found is None:
        raise Http404
    return _file_response(found)


def station_qr(request, pk: int):
    """The QR code to print at a station: it opens the public form for that station."""
    if not Station.objects.filter(pk=pk).exists():
        raise Http404
    return qr_svg_response(request.build_absolute_uri(reverse("opinions:public_new") + f"?station={pk}"))

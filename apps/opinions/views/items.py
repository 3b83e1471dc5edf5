"""The ledger (台账) and its Excel, intake by staff, one item with its actions and attachments, figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.models import Role
from apps.accounts.permissions import roles_over
from apps.accounts.scopes import deny, grants_of, is_staff_role, office_regions, roles_of, visible_to
from apps.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.common.idempotency import key_of_form, once
from apps.common.pages import EXPORT_MAX_ROWS, form_errors, paginate_page, query_without
from apps.common.params import PAGE, REGION_CODE, SEARCH, YEAR, Choice, read, year_choices
from apps.places import selectors as place_selectors
from apps.places.models import HandlingUnit, Station
from apps.workflow.pages import action_forms, take_action
from apps.workflow.uploads import attachments_of, file_response, validate

from .. import selectors, services
from ..forms import IntakeForm, IntakePlaces
from ..ledger import figures_response, ledger_response, ledger_title
from ..models import Opinion, OpinionSource, Topic
from ..workflow import OPEN_INTAKE, OPINION_WORKFLOW
from .common import (
    DAY_ID,
    MAIN_STEPS,
    STATION_ID,
    UNIT_ID,
)

# --- the ledger ------------------------------------------------------------------------------------------


SOURCE = Choice(OpinionSource, label=gettext_lazy("来源"))
TOPIC = Choice(Topic, label=gettext_lazy("类别"))


def _states() -> list[tuple[str, str]]:
    return [("open", _("未办结")), *OPINION_WORKFLOW.choices()]


def _place_name(user, region, station_id, stations) -> str:
    """What the ledger's title names: the filtered town or station, else where the user works."""
    if region is not None:
        return region.name
    chosen = next((s.name for s in stations if s.pk == station_id), None)
    if chosen:
        return chosen
    regions = office_regions(user)
    if len(regions) == 1:
        return regions[0].name
    for g in grants_of(user):
        if g.role == Role.STATION_KEEPER:
            return g.station.name
        if g.role == Role.UNIT_STAFF:
            return g.unit.name
        if g.role == Role.DEPUTY:
            return _("%(name)s代表") % {"name": g.deputy.name}
    return ""


def _town_choices(user) -> list:
    """Towns to filter by, for those who work above one town (county office, admin)."""
    if "admin" in roles_of(user) or any(r.level != "town" for r in office_regions(user)):
        return list(place_selectors.regions(user, level="town")[:300])
    return []


@login_required
def opinion_list(request):
    g, user = request.GET, request.user
    code = read(g, "region", REGION_CODE)
    region = place_selectors.region_by_code(user, code) if code else None
    station_id, unit_id = read(g, "station", STATION_ID), read(g, "unit", UNIT_ID)
    # A ledger is kept per year: the first visit shows this year; "全部年份" sends an empty year.
    year = read(g, "year", YEAR) if "year" in g else timezone.localdate().year
    states = _states()
    qs = selectors.opinions(
        user,
        region=region,
        station=station_id,
        unit=unit_id,
        state=read(g, "state", Choice(dict(states), label=_("状态")), default=""),
        source=read(g, "source", SOURCE, default=""),
        topic=read(g, "topic", TOPIC, default=""),
        q=read(g, "q", SEARCH, default=""),
        overdue=g.get("overdue") == "1",
        year=year,
    )
    stations = list(visible_to(user, Station).order_by("region__code", "name")[:300])
    if g.get("export") == "xlsx":
        title = ledger_title(_place_name(user, region, station_id, stations), year)
        return ledger_response(qs[:EXPORT_MAX_ROWS].iterator(chunk_size=2000), title=title)
    ctx = {
        "f": g,
        "year": year,
        "years": year_choices(timezone.localdate().year),
        "towns": _town_choices(user),
        "stations": stations,
        "units": list(visible_to(user, HandlingUnit).order_by("level", "name")[:300]),
        "states": states,
        "sources": OpinionSource.choices,
        "topics": Topic.choices,
        "can_register": _can_register(user),
        "today": timezone.localdate(),
    }
    read(g, "page", PAGE)  # a page number that is no number is refused, not silently the first
    page, _query = paginate_page(request, qs)
    # The pager keeps the year shown, also when it is the first visit's default.
    params = g.copy()
    params["year"] = year or ""
    ctx.update(page=page, query=query_without(params, "page", "export"))
    template = "opinions/_rows.html" if request.htmx else "opinions/list.html"
    return render(request, template, ctx)


def _can_register(user) -> bool:
    return IntakePlaces(user).any


# --- intake ------------------------------------------------------------------------------------------------


def _intake_initial(user, places: IntakePlaces, day) -> dict:
    initial = {"received_on": timezone.localdate()}
    if day is not None:
        initial.update(
            reception_day=day.pk,
            source=OpinionSource.RECEPTION,
            station=day.station_id,
            region=day.station.region.code,
            received_on=min(day.date, timezone.localdate()),
        )
    for g in grants_of(user):
        if g.role == Role.STATION_KEEPER:
            initial.setdefault("station", g.station_id)
            initial.setdefault("source", OpinionSource.RECEPTION)
            initial.setdefault("region", g.station.region.code)
        elif g.role == Role.DEPUTY:
            initial.setdefault("deputy", g.deputy_id)
            initial.setdefault("source", OpinionSource.VISIT)
            initial.setdefault("region", g.deputy.region.code)
    return initial


@login_required
def new(request):
    """Staff intake: a keeper on reception day, a deputy after a visit, the office for letters and orders."""
    user = request.user
    places = IntakePlaces(user)
    if not places.any:
        deny(
            user,
            perms.OPINION_REGISTER,
            object_type="opinions.opinion",
            message=_("只有人大办、联络站和代表可以登记社情民意"),
        )
    day_id = read(request.POST, "reception_day", DAY_ID) or read(request.GET, "reception_day", DAY_ID)
    day = selectors.reception_day_detail(user, day_id) if day_id else None
    initial = _intake_initial(user, places, day)
    if request.GET.get("source") in OpinionSource.values:
        initial["source"] = request.GET["source"]
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, places=places, initial=initial)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "files"}
            try:
                item, created = once(
                    user=user,
                    key=key_of_form(request.POST),
                    model=Opinion,
                    create=lambda: services.register(
                        actor=user, data=data, uploads=form.cleaned_data["files"]
                    ),
                )
            except ValidationFailed as exc:
                form_errors(form, exc, {"file": "files"})
            else:
                done = (
                    _("已登记，查询码 %(code)s")
                    if created
                    else _("这条意见已经登记过（查询码 %(code)s），没有重复登记")
                )
                messages.success(request, done % {"code": item.tracking_code})
                return redirect(item)
    else:
        form = IntakeForm(places=places, initial=initial)
    return render(
        request,
        "opinions/new.html",
        {"form": form, "day": day},
        status=400 if form.errors else 200,
    )


# --- one item --------------------------------------------------------------------------------------------


def _step_rows(item):
    labels = {t.key: t.label for t in OPINION_WORKFLOW.transitions}
    labels["create"] = _("登记")
    return [
        {
            "step": s,
            "label": labels.get(s.transition, s.transition),
            "state": OPINION_WORKFLOW.state(s.to_state),
        }
        for s in selectors.steps(item)
    ]


def _render_detail(request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200):
    user = request.user
    item = selectors.opinion_detail(user, pk)
    actions = action_forms(
        request,
        item,
        url_name="opinions:act",
        failed=failed,
        error=error,
        open_keys=MAIN_STEPS,
        # only enterprise orders are taken by a deputy; on any other item a blocked "take" is noise
        skip=lambda t, blocked: blocked and t.key == "take",
    )
    keys = {a["key"] for a in actions}
    staff = is_staff_role(user)
    intake = item.state in OPEN_INTAKE
    similar = selectors.similar_open(item) if staff and intake else []
    suggested = selectors.suggested_units(item) if staff and intake else []
    ctx = {
        "o": item,
        "actions": actions,
        "failed": failed,
        "error": error,
        "steps": _step_rows(item),
        "attachments": attachments_of(item).select_related("uploaded_by"),
        "can_attach": bool(roles_over(user, item)),
        "similar": [(o, round(score * 100)) for o, score in similar],
        "suggested": [(u, round(score * 100)) for u, score in suggested],
        "can_merge": "merge" in keys,
        "merged_items": item.merged.all() if item.state != "merged" else [],
        "today": timezone.localdate(),
    }
    return render(request, "opinions/detail.html", ctx, status=status)


@login_required
def detail(request, pk: int):
    return _render_detail(request, pk)


@login_required
@require_POST
def act(request, pk: int, key: str):
    """One workflow step from one of the detail page's forms; a stale form gets the Conflict message."""
    item = selectors.opinion_detail(request.user, pk)
    return take_action(
        request,
        item,
        key,
        act=services.act,
        render_failed=_render_detail,
        still_visible=lambda fresh: visible_to(request.user, Opinion).filter(pk=fresh.pk).exists(),
        gone_to="opinions:list",
    )


@login_required
@require_POST
def attach(request, pk: int):
    item = selectors.opinion_detail(request.user, pk)
    uploads = request.FILES.getlist("files")
    try:
        if not uploads:
            raise ValidationFailed(_("请选择文件"), fields={"file": [_("请选择文件")]})
        for up in uploads:  # all or nothing: check every file before storing any
            validate(up)
        with transaction.atomic():
            for up in uploads:
                services.add_attachment(
                    actor=request.user, item=item, upload=up, public=request.POST.get("public") == "1"
                )
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        return _render_detail(request, pk, failed="attach", error=exc, status=exc.status)
    messages.success(request, _("已上传 %(n)s 个文件") % {"n": len(uploads)})
    return redirect("opinions:detail", pk=pk)


def _file_response(att):
    return file_response(att)


@login_required
def attachment(request, pk: int, att: int):
    item = selectors.opinion_detail(request.user, pk)
    found = attachments_of(item).filter(pk=att).first()
    if found is None:
        raise Http404
    return _file_response(found)


# --- figures ---------------------------------------------------------------------------------------------


@login_required
def stats(request):
    user, g = request.user, request.GET
    perms.require(user, perms.OPINION_STATS)
    year = read(g, "year", YEAR, default=timezone.localdate().year)
    code = read(g, "region", REGION_CODE)
    region = place_selectors.region_by_code(user, code) if code else None
    towns = selectors.town_figures(user, year=year, region=region)
    total = selectors.totals(towns)
    units = selectors.unit_figures(user, year=year, region=region)
    place = region.name if region else "、".join(r.name for r in office_regions(user)) or _("全部")
    if g.get("export") == "xlsx":
        return figures_response(place=place, year=year, towns=towns, total=total, units=units)
    return render(
        request,
        "opinions/stats.html",
        {
            "year": year,
            "years": year_choices(timezone.localdate().year),
            "region": region,
            "place": place,
            "towns": towns,
            "total": total,
            "units": units,
            "town_choices": _town_choices(user),
            "query": urlencode({"year": year, **({"region": region.code} if region else {})}),
        },
    )

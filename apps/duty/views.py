"""Pages of the duty ledger (DOMAIN §8): the deputy's phone page and entry form, one record, the office's
review queue, scores and ranks, the points table editor, the name-plate scheme and five-good candidates.
Views parse, call one selector or service, and render; the rules live there."""

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
from apps.accounts.scopes import deny, visible_to
from apps.common.errors import NotFound, ValidationFailed
from apps.common.idempotency import key_of_form, once
from apps.common.pages import flash_error, form_errors, list_page
from apps.common.params import ID, QUARTER, YEAR, Choice, read
from apps.people.models import Deputy
from apps.places.terms import terms_for
from apps.workflow.uploads import attachments_of, file_response

from . import selectors, services
from .forms import PlateForm, RecordForm
from .models import SELF_REPORTABLE, ActivityKind, Band, DutyRecord, PlateKind, ReviewState, Source

STATE = Choice(ReviewState, label=gettext_lazy("审核状态"))
KIND = Choice(ActivityKind, label=gettext_lazy("履职类别"))
BAND = Choice(Band, label=gettext_lazy("档次"))


def _year(request) -> int:
    return read(request.GET, "year", YEAR, default=timezone.localdate().year)


# --- the deputy's page -----------------------------------------------------------------------------


@login_required
def mine(request):
    """My duty this year (phone first): live points against the table, the last published score and rank,
    and my records with their review state."""
    deputy = selectors.own_deputy(request.user)
    if deputy is None:
        return redirect("duty:review")
    year = _year(request)
    live = selectors.live_score(request.user, deputy, year)
    table = selectors.table(deputy.county, year)
    qs = selectors.records(request.user, deputy=deputy.pk, year=year)
    return list_page(
        request,
        "duty/mine.html",
        qs,
        per_page=30,
        context={
            "deputy": deputy,
            "year": year,
            "live": live,
            "lines": selectors.table_lines(table, live.breakdown if live else {}),
            "table": table,
            "published": selectors.published_score(deputy, year),
            "pending": qs.filter(review_state=ReviewState.PENDING).count(),
        },
    )


def _entry_context(request, deputy):
    office_deputies = None
    if deputy is None:  # an office enters for a deputy of its region
        entering_for = visible_to(request.user, Deputy, perms.DUTY_ENTER)
        office_deputies = list(entering_for.order_by("name_pinyin")[:500])
    households = selectors.own_households(deputy) if deputy else []
    return office_deputies, households


@login_required
def new(request):
    deputy = selectors.own_deputy(request.user)
    perms.require(request.user, perms.DUTY_ENTER)
    office_deputies, households = _entry_context(request, deputy)
    form = RecordForm(request.POST or None, deputies=office_deputies, households=households)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "household_id": form.cleaned_data.get("household")}
        deputy_id = deputy.pk if deputy else form.cleaned_data["deputy"]
        try:
            rec, created = once(
                user=request.user,
                key=key_of_form(request.POST),
                model=DutyRecord,
                create=lambda: services.create_record(
                    actor=request.user,
                    deputy_id=deputy_id,
                    data=data,
                    uploads=request.FILES.getlist("photos"),
                ),
            )
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            if created:
                office = terms_for(rec.deputy.town if rec.deputy.town_id else None).office
                messages.success(request, _("已登记，待%(office)s审核后计分") % {"office": office})
            else:
                messages.info(request, _("这条履职已经登记过，没有重复登记"))
            return redirect("duty:mine" if deputy else "duty:detail", **({} if deputy else {"pk": rec.pk}))
    return render(request, "duty/form.html", {"form": form, "title": _("登记履职")})


@login_required
def detail(request, pk: int):
    rec = selectors.record_detail(request.user, pk)
    is_office = perms.holds(request.user, perms.DUTY_REVIEW, rec)
    own = services.own_deputy_id(request.user) == rec.deputy_id
    entered = rec.source != Source.PLATFORM
    return render(
        request,
        "duty/detail.html",
        {
            "rec": rec,
            "photos": attachments_of(rec),
            "can_review": is_office and entered and rec.review_state == ReviewState.PENDING,
            "can_edit": entered and (is_office or (own and rec.review_state != ReviewState.APPROVED)),
            "can_withdraw": entered and (is_office or own) and rec.review_state != ReviewState.APPROVED,
        },
    )


@login_required
def edit(request, pk: int):
    rec = selectors.record_detail(request.user, pk)
    households = selectors.own_households(rec.deputy)
    initial = {f: getattr(rec, f) for f in ("kind", "date", "title", "detail", "place", "hours")}
    initial["household"] = rec.household_id
    form = RecordForm(request.POST or None, initial=initial, households=households)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "household_id": form.cleaned_data.get("household")}
        try:
            services.update_record(
                actor=request.user, pk=rec.pk, data=data, uploads=request.FILES.getlist("photos")
            )
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已修改，重新等待审核"))
            return redirect("duty:detail", pk=rec.pk)
    return render(request, "duty/form.html", {"form": form, "title": _("修改履职记录"), "rec": rec})


@login_required
@require_POST
def withdraw(request, pk: int):
    try:
        services.withdraw_record(actor=request.user, pk=pk)
    except ValidationFailed as exc:
        flash_error(request, exc)
        return redirect("duty:detail", pk=pk)
    messages.success(request, _("已撤回"))
    return redirect("duty:mine")


@login_required
@require_POST
def review(request, pk: int):
    approve = request.POST.get("approve") == "1"
    try:
        services.review_record(
            actor=request.user, pk=pk, approve=approve, reason=request.POST.get("reason", "")
        )
    except ValidationFailed as exc:
        flash_error(request, exc, joined=True)
    else:
        messages.success(request, _("已通过，计入得分") if approve else _("已退回，并通知代表"))
    return redirect(request.POST.get("next") or reverse("duty:review"))


@login_required
@require_POST
def approve_many(request):
    """Bulk approval from the review queue (issue 16 item 8): each ticked record through the engine."""
    perms.require(request.user, perms.DUTY_REVIEW)
    back = request.POST.get("next") or reverse("duty:review")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("duty:review")
    try:
        ids = [ID.clean(v, name="ids") for v in request.POST.getlist("ids")[: services.records.BULK_MAX + 1]]
        done, refused = services.approve_many(actor=request.user, pks=ids)
    except ValidationFailed as exc:
        flash_error(request, exc, joined=True)
        return redirect(back)
    if done:
        messages.success(request, _("已通过 %(n)s 条记录，计入得分") % {"n": len(done)})
    for pk, why in refused:
        messages.error(request, _("记录 %(pk)s 未通过：%(why)s") % {"pk": pk, "why": why})
    return redirect(back)


@login_required
def attachment(request, pk: int, att: int):
    rec = selectors.record_detail(request.user, pk)
    found = attachments_of(rec).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)


# --- the office ---------------------------------------------------------------------------------------


@login_required
def review_queue(request):
    perms.require(request.user, perms.DUTY_REVIEW)
    g = request.GET
    state = read(g, "state", STATE, default="") if "state" in g else ReviewState.PENDING
    qs = selectors.records(
        request.user,
        state=state,
        kind=read(g, "kind", KIND, default=""),
        deputy=read(g, "deputy", ID),
        year=read(g, "year", YEAR),
    )
    return list_page(
        request,
        "duty/review.html",
        qs,
        context={
            "states": ReviewState.choices,
            "kinds": ActivityKind.choices,
            "state": state,
            "kind": g.get("kind", ""),
            "deputy": g.get("deputy", ""),
            "self_kinds": [k.value for k in SELF_REPORTABLE],
        },
    )


BY = {
    "deputy": gettext_lazy("代表"),
    "group": gettext_lazy("代表小组"),
    "station": gettext_lazy("联络站"),
    "town": gettext_lazy("镇"),
}


@login_required
def scores(request):
    perms.require(request.user, perms.DUTY_SCORES)
    g, year = request.GET, _year(request)
    by = g.get("by", "deputy") if g.get("by") in BY else "deputy"
    band = read(g, "band", BAND, default="")
    county = selectors.county_of(request.user)
    ctx = {
        "year": year,
        "by": by,
        "by_choices": BY.items(),
        "by_label": BY[by],
        "band": band,
        "bands": Band.choices,
        "order": g.get("order", "rank"),
        "can_publish": perms.holds(request.user, perms.DUTY_SCORES_PUBLISH) and county is not None,
        "publication": selectors.last_publication(county.pk, year) if county else None,
        "quarters": [1, 2, 3, 4],
    }
    if by != "deputy":
        ctx["groups"] = selectors.score_groups(request.user, year=year, by=by)
        return render(request, "duty/scores.html", {**ctx, "page": None})
    qs = selectors.scores(request.user, year=year, band=band, town=read(g, "town", ID), order=ctx["order"])
    return list_page(request, "duty/scores.html", qs, context=ctx)


@login_required
@require_POST
def publish(request):
    county = selectors.county_of(request.user)
    try:
        if county is None:
            deny(request.user, perms.DUTY_SCORES_PUBLISH, object_type="duty.scorepublication")
        pub = services.publish_quarter(
            actor=request.user,
            county=county,
            year=read(request.POST, "year", YEAR, default=0),
            quarter=read(request.POST, "quarter", QUARTER, default=0),
        )
    except ValidationFailed as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("已公布%(year)s年第%(q)s季度得分") % {"year": pub.year, "q": pub.quarter})
    return redirect(f"{reverse('duty:scores')}?year={request.POST.get('year', '')}")


@login_required
def table(request, year: int):
    county = selectors.county_of(request.user)
    if county is None:
        raise NotFound()
    editable = perms.holds(request.user, perms.DUTY_TABLE_EDIT)
    tbl = selectors.table(county, year)
    errors = {}
    if request.method == "POST" and editable:
        p = request.POST
        try:
            if p.get("copy"):
                services.copy_table(actor=request.user, county=county, from_year=year - 1, to_year=year)
            else:
                rows = {
                    kind: (p.get(f"{kind}.first"), p.get(f"{kind}.further"), p.get(f"{kind}.cap"))
                    for kind in ActivityKind.values
                    if p.get(f"{kind}.first", "").strip() != ""
                }
                services.save_table(
                    actor=request.user,
                    county=county,
                    year=year,
                    base_score=p.get("base_score", "0"),
                    five_good_min_score=p.get("five_good_min_score", "90"),
                    five_good_min_suggestions=p.get("five_good_min_suggestions", "1"),
                    rows=rows,
                )
        except ValidationFailed as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.fields.items()}
            flash_error(request, exc)
        else:
            messages.success(request, _("积分标准已保存，得分将重新计算"))
            return redirect("duty:table", year=year)
    rows = {r.kind: r for r in tbl.rules.all()} if tbl else {}
    lines = [
        {
            "kind": k,
            "label": label,
            "rule": rows.get(k),
            "errors": errors.get(f"{k}.first", [])
            + errors.get(f"{k}.further", [])
            + errors.get(f"{k}.cap", []),
        }
        for k, label in ActivityKind.choices
    ]
    return render(
        request,
        "duty/table.html",
        {"county": county, "year": year, "tbl": tbl, "lines": lines, "editable": editable, "errors": errors},
    )


@login_required
def plate(request):
    perms.require(request.user, perms.DUTY_PLATE)
    year = _year(request)
    form = PlateForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.plate_action(
                actor=request.user,
                deputy_id=d["deputy"],
                kind=d["kind"],
                reason=d["reason"],
                notes=d["notes"],
                year=d["year"],
            )
        except ValidationFailed as exc:
            flash_error(request, exc, joined=True)
        else:
            messages.success(request, _("已记录"))
            return redirect(f"{reverse('duty:plate')}?year={year}")
    elif request.method == "POST":
        messages.error(request, _("请填写理由"))
    return render(
        request,
        "duty/plate.html",
        {
            "year": year,
            "warn": selectors.warning_candidates(request.user, year=year)[:200],
            "proposals": selectors.removal_proposals(request.user, year=year),
            "actions": selectors.plate_actions(request.user, year=year)[:200],
            "kinds": PlateKind.choices,
        },
    )


@login_required
def five_good(request):
    perms.require(request.user, perms.DUTY_SCORES)
    year = _year(request)
    return render(
        request,
        "duty/five_good.html",
        {"year": year, "candidates": selectors.five_good_candidates(request.user, year=year)},
    )

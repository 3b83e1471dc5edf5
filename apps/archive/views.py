"""Pages of the archive app: the deputy's own (phone first), the office's, and the public rating page.
Each parses input and calls one selector or service; scoping lives there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, office_regions, visible_to
from apps.common.choices import Satisfaction
from apps.common.downloads import docx_response
from apps.common.errors import DomainError, ValidationFailed
from apps.common.pages import flash_error, list_page
from apps.common.params import ID, YEAR, read
from apps.common.qr import qr_svg_response
from apps.people.models import Deputy
from apps.places.models import Region, Station
from apps.places.selectors import region_by_code
from apps.places.terms import terms_for

from . import ballots, registers, selectors, services, steps
from .models import (
    Commitment,
    CommitmentRating,
    CommitmentState,
    ReportBackSpeaker,
    ReportBackState,
)
from .report import annual_report


def _year(request) -> int:
    return read(request.GET, "year", YEAR, default=timezone.localdate().year)


def _region(request):
    code = request.GET.get("region", "")
    return region_by_code(request.user, code) if code else None


# --- the deputy's own page ----------


@login_required
def mine(request):
    deputy = services.own_deputy(request.user)
    if deputy is None:
        return redirect("archive:commitments")
    year = timezone.localdate().year
    return render(
        request,
        "archive/mine.html",
        {
            "d": deputy,
            "year": year,
            "commitments": Commitment.objects.filter(deputy=deputy, year=year).order_by("id"),
            "speakers": selectors.my_speakers(deputy)[:10],
            "counts": selectors.labelled_year_counts(deputy, year),
        },
    )


# --- commitments ----------

COMMITMENT_EXPORT = [
    (gettext_lazy("年度"), lambda c: c.year),
    (gettext_lazy("代表"), lambda c: c.deputy.name),
    (gettext_lazy("所在镇"), lambda c: c.town.name if c.town else ""),
    (gettext_lazy("承诺事项"), lambda c: c.title),
    (gettext_lazy("计划完成日期"), lambda c: c.target_date),
    (gettext_lazy("状态"), lambda c: c.get_state_display()),
    (gettext_lazy("年终评定"), lambda c: c.get_rating_display() if c.rating else ""),
    (gettext_lazy("评定说明"), lambda c: c.rating_reason),
]


@login_required
def commitments(request):
    g = request.GET
    own = services.own_deputy(request.user)
    errors, posted = {}, {}
    if request.method == "POST":
        posted = request.POST
        try:
            deputy_id = read(posted, "deputy", ID) or (own.pk if own else None)
            item = services.create_commitment(
                actor=request.user,
                deputy_id=deputy_id or 0,
                data={k: posted.get(k, "") for k in ("title", "detail", "target_date")},
            )
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            messages.success(request, _("已登记承诺"))
            return redirect("archive:commitment", pk=item.pk)
    year = _year(request)
    qs = selectors.commitments(
        request.user,
        year=year,
        region=_region(request),
        deputy_id=read(g, "deputy", ID),
        state=g.get("state", ""),
    )
    response = list_page(
        request,
        "archive/commitments.html",
        qs,
        context={
            "year": year,
            "own": own,
            "errors": errors,
            "posted": posted,
            "states": CommitmentState.choices,
            "regions": office_regions(request.user),
            "deputies": visible_to(request.user, Deputy).order_by("name_pinyin")[:500] if not own else [],
            "f": g,
        },
        export=(_("实事承诺"), COMMITMENT_EXPORT),
    )
    if errors:
        response.status_code = 400
    return response


@login_required
def commitment(request, pk: int):
    item = selectors.commitment(request.user, pk)
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "progress":
                services.add_progress(
                    actor=request.user,
                    commitment_id=item.pk,
                    data={"note": request.POST.get("note", ""), "date": request.POST.get("date") or None},
                    photo=request.FILES.get("photo"),
                )
            elif action == "rate":
                services.rate_commitment(
                    actor=request.user,
                    commitment_id=item.pk,
                    rating=request.POST.get("rating", ""),
                    reason=request.POST.get("reason", ""),
                )
            elif action == "withdraw":
                services.withdraw_commitment(
                    actor=request.user, commitment_id=item.pk, reason=request.POST.get("reason", "")
                )
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            messages.success(request, _("已保存"))
            return redirect("archive:commitment", pk=item.pk)
    from apps.workflow.uploads import attachments_of

    progress = [(p, attachments_of(p)) for p in item.progress.all()]
    return render(
        request,
        "archive/commitment.html",
        {
            "c": item,
            "progress": progress,
            "errors": errors,
            "is_office": perms.holds(request.user, perms.COMMITMENT_RATE, item),
            "ratings": CommitmentRating.choices,
        },
        status=400 if errors else 200,
    )


# --- report-back meetings ----------


@login_required
def meetings(request):
    errors, posted = {}, {}
    regions = office_regions(request.user)
    if request.method == "POST":
        posted = request.POST
        try:
            item = services.plan_meeting(
                actor=request.user,
                region_id=read(posted, "region", ID, default=0),
                data={k: posted.get(k, "") for k in ("title", "date", "place", "expected_voters")},
                deputy_ids=posted.getlist("deputies"),
            )
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            messages.success(request, _("已安排述职会议"))
            return redirect("archive:meeting", pk=item.pk)
    towns = [r for r in regions if r.level == "town"] or list(
        Region.objects.filter(level="town", county__in=[r.pk for r in regions if r.level == "county"])
    )
    deputies = (
        visible_to(request.user, Deputy, perms.REPORT_BACK_MANAGE)
        .select_related("town")
        .order_by("town__code", "name_pinyin")[:800]
        if regions
        else []
    )
    response = list_page(
        request,
        "archive/meetings.html",
        selectors.meetings(request.user, year=read(request.GET, "year", YEAR), region=_region(request)),
        context={
            "errors": errors,
            "posted": posted,
            "towns": towns,
            "deputies": deputies,
            "can_plan": perms.holds(request.user, perms.REPORT_BACK_MANAGE) and bool(regions),
            "default_date": _default_date(towns[0] if towns else None),
        },
    )
    if errors:
        response.status_code = 400
    return response


def _default_date(town):
    """The form's suggested date: the first day of the report-back month of the (first) town [local]."""
    from apps.localrules.selectors import local_value

    from .rules import default_report_back_date

    return default_report_back_date(timezone.localdate(), local_value("REPORT_BACK_MONTH", town))


@login_required
def meeting(request, pk: int):
    item = selectors.meeting(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "prepare":
                services.prepare_rating(
                    actor=request.user,
                    meeting_id=item.pk,
                    second_teller=request.POST.get("second_teller", ""),
                )
            elif action == "open":
                services.open_rating(actor=request.user, meeting_id=item.pk)
            elif action == "close":
                services.close_rating(actor=request.user, meeting_id=item.pk)
            elif action == "close_anyway":
                services.close_rating_anyway(
                    actor=request.user, meeting_id=item.pk, reason=request.POST.get("reason", "")
                )
        except DomainError as exc:
            flash_error(request, exc)
        return redirect("archive:meeting", pk=item.pk)
    rate_url = request.build_absolute_uri(reverse("archive:rate", args=[item.rating_token]))
    is_office = perms.holds(request.user, perms.REPORT_BACK_MANAGE, item)
    box = ballots.rating_box(item)
    return render(
        request,
        "archive/meeting.html",
        {
            "m": item,
            "speakers": selectors.speakers_of(item),
            "is_office": is_office,
            "rate_url": rate_url,
            "progress": selectors.rating_progress(item),
            "box": box,
            "tellers": ballots.tellers(item, box),
            "second_tellers": selectors.second_teller_choices(request.user, item.pk)
            if is_office and item.state == ReportBackState.PLANNED
            else [],
            "keys_missing": steps.keys_made(item, request.user, None)
            if item.state == ReportBackState.PREPARED
            else None,
        },
    )


@login_required
def meeting_qr(request, pk: int):
    item = selectors.meeting(request.user, pk)
    url = request.build_absolute_uri(reverse("archive:rate", args=[item.rating_token]))
    return qr_svg_response(url, cache_seconds=0)


@login_required
def hall(request, pk: int):
    """The hall screen: big type; the result once the rating is closed and filed."""
    item = selectors.meeting(request.user, pk)
    return render(
        request,
        "archive/hall.html",
        {
            "m": item,
            "speakers": selectors.speakers_of(item),
            "voted": item.participations.count()
            if item.state == ReportBackState.RATING
            else item.participants,
        },
    )


@login_required
def speaker_report(request, pk: int):
    """The deputy's written report: drafted from the year's records, edited, submitted."""
    found = get_or_deny(request.user, ReportBackSpeaker, pk=pk)
    speaker = ReportBackSpeaker.objects.select_related("meeting", "deputy").get(pk=found.pk)
    errors = {}
    if request.method == "POST":
        try:
            services.save_report(
                actor=request.user,
                speaker_id=speaker.pk,
                text=request.POST.get("report", ""),
                submit=request.POST.get("action") == "submit",
            )
        except DomainError as exc:
            errors = exc.fields or {"report": [str(exc.message)]}
        else:
            messages.success(request, _("已保存"))
            return redirect("archive:speaker_report", pk=speaker.pk)
    text = request.POST.get("report") if errors else None
    text = text or speaker.report or selectors.draft_report(speaker.deputy, speaker.meeting.date.year)
    return render(
        request,
        "archive/speaker_report.html",
        {"s": speaker, "text": text, "errors": errors, "drafted": not speaker.report},
        status=400 if errors else 200,
    )


@login_required
def not_reported(request):
    today = timezone.localdate()
    rows = selectors.not_reported_back(request.user, region=_region(request), today=today)
    return list_page(
        request,
        "archive/not_reported.html",
        rows,
        context={"today": today},
        export=(
            _("本届未述职代表"),
            [
                (_("代表"), lambda r: r["deputy"].name),
                (_("所在镇"), lambda r: r["deputy"].town.name if r["deputy"].town else ""),
                (_("代表资格"), _mandate_label),
                (_("任期结束"), lambda r: r["term_end"]),
            ],
        ),
    )


def _mandate_label(row) -> str:
    """王五 · 议事员 第18届: the mandate in its town's (or street's) words."""
    m, deputy = row["mandate"], row["deputy"]
    return f"{deputy.name} · {terms_for(deputy.town).relabel(m.get_level_display())} 第{m.term}届"


def rate(request, token: str):
    """The public rating page (QR code or the hall): phone number, then one choice per deputy."""
    try:
        item = services.rating_meeting(token)
    except DomainError:
        raise Http404 from None
    speakers = selectors.speakers_of(item)
    errors, done, posted, receipt = {}, False, {}, ""
    if request.method == "POST":
        posted = request.POST
        choices = {s.deputy_id: posted.get(f"deputy_{s.deputy_id}", "") for s in speakers}
        try:
            receipt = services.cast_rating(token=token, phone=posted.get("phone", ""), choices=choices)
        except DomainError as exc:
            errors = exc.fields or {"__all__": [str(exc.message)]}
        else:
            done = True
    return render(
        request,
        "archive/rate.html",
        {
            "m": item,
            "speakers": speakers,
            "choices": Satisfaction.rated(),
            "errors": errors,
            "done": done,
            "posted": posted,
            "receipt": receipt,
            "receipt_url": selectors.receipt_url(receipt) if receipt else "",
        },
        status=400 if errors else 200,
    )


# --- the archive ----------


@login_required
def deputy_archive(request, pk: int):
    today = timezone.localdate()
    ctx = selectors.deputy_archive(request.user, pk, term=request.GET.get("term"), today=today)
    year = min(today.year, ctx["window"].end.year)
    ctx["households"] = selectors.household_help(ctx["deputy"], year)
    ctx["year"] = year
    ctx["years"] = list(range(ctx["window"].start.year, min(ctx["window"].end.year, today.year) + 1))
    return render(request, "archive/deputy.html", ctx)


@login_required
def annual(request, pk: int, year: int):
    ctx = selectors.deputy_archive(request.user, pk, today=timezone.localdate())
    deputy = ctx["deputy"]
    data = annual_report(deputy, year, today=timezone.localdate())
    return docx_response(data, f"{deputy.name}{year}年度履职报告.docx")


def _register_filters(request) -> registers.Filters:
    return registers.Filters(
        year=_year(request),
        region=_region(request),
        station_id=read(request.GET, "station", ID),
        deputy_id=read(request.GET, "deputy", ID),
    )


@login_required
def register_index(request):
    return render(
        request, "archive/registers.html", {"registers": registers.REGISTERS, "year": _year(request)}
    )


@login_required
def register(request, key: str):
    reg = registers.BY_KEY.get(key)
    if reg is None:
        raise Http404
    f = _register_filters(request)
    if request.GET.get("export") == "xlsx":
        return registers.export(request.user, reg, f)
    rows = registers.table_rows(request.user, f) if reg.summary else registers.records(request.user, reg, f)
    ctx = {
        "reg": reg,
        "year": f.year,
        "f": request.GET,
        "headers": registers.table_headers() if reg.summary else [c.title for c in reg.columns],
        "regions": office_regions(request.user),
        "stations": visible_to(request.user, Station).order_by("region__code", "name")[:300],
    }
    return list_page(request, "archive/register.html", rows, context=ctx)


@login_required
def behind(request):
    today = timezone.localdate()
    data = selectors.behind(request.user, region=_region(request), today=today)
    unvisited = data["unvisited"]
    return list_page(
        request,
        "archive/behind.html",
        data["slow"],
        context={
            **data,
            "today": today,
            "unvisited": unvisited[:100],
            "unvisited_count": unvisited.count(),
            "regions": office_regions(request.user),
        },
        export=(
            _("走访进度落后的代表"),
            [
                (_("代表"), lambda r: r["deputy"].name),
                (_("所在镇"), lambda r: r["deputy"].town.name if r["deputy"].town else ""),
                (_("今年走访"), lambda r: r["visits"]),
                (_("联系户数"), lambda r: r["assigned"]),
            ],
        ),
    )

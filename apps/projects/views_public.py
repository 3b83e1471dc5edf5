"""The livelihood projects on the public site (issue 19 part 7), no login: each town's projects by year with
their progress, photos and the deputies' filed year-end rating (its totals only), the public's proposal form
(the town's QR code points here) and its tracking by code. Only what `selectors.public_projects` and the
proposal's tracking say is shown: never a phone."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from apps.common.errors import DomainError
from apps.common.params import REGION_CODE, YEAR, read
from apps.places.models import Region
from apps.workflow.models import Attachment
from apps.workflow.uploads import file_response

from . import selectors as sel
from . import services
from .models import Category, Inspection, Progress


def _town(request, data) -> Region | None:
    code = read(data, "town", REGION_CODE)
    if not code:
        return None
    town = Region.objects.filter(code=code, level="town").first()
    if town is None:
        raise Http404
    return town


def _photos(projects) -> dict:
    """The public photos of the projects shown (progress and inspections), three per project, in two
    queries whatever the page holds."""
    from django.contrib.contenttypes.models import ContentType

    ids = [p.pk for p in projects]
    reports = dict(
        Progress.objects.filter(milestone__project_id__in=ids).values_list("pk", "milestone__project_id")
    )
    inspections = dict(Inspection.objects.filter(project_id__in=ids).values_list("pk", "project_id"))
    ct_r, ct_i = (ContentType.objects.get_for_model(m) for m in (Progress, Inspection))
    found: dict[int, list] = {}
    rows = (
        Attachment.objects.filter(public=True, kind__in=("jpeg", "png", "gif", "webp"))
        .filter(content_type__in=(ct_r, ct_i), object_id__in=[*reports, *inspections])
        .order_by("-uploaded_at")[:300]
    )
    for att in rows:
        owner = (reports if att.content_type_id == ct_r.pk else inspections).get(att.object_id)
        if owner is not None and len(found.setdefault(owner, [])) < 3:
            found[owner].append(att)
    return found


@require_safe
def towns(request):
    """A town's projects by year (progress, photos), or the list of towns to choose from."""
    town = _town(request, request.GET)
    if town is None:
        towns = Region.objects.filter(level="town").order_by("code")[:500]
        return render(request, "projects/public_towns.html", {"towns": towns})
    years = sel.public_years(town)
    year = read(request.GET, "year", YEAR) or (years[0] if years else timezone.localdate().year)
    projects = sel.with_public_ratings(
        list(sel.public_projects(town=town, year=year).prefetch_related("unit")[:200])
    )
    photos = _photos(projects)
    for p in projects:
        p.photos = photos.get(p.pk, [])
    return render(
        request,
        "projects/public_town.html",
        {
            "place": town,
            "town": town,
            "years": years,
            "year": year,
            "projects": projects,
        },
    )


def propose(request):
    """群众建议: the form (a town's QR code opens it with the town filled in) and its tracking code."""
    town = _town(request, request.GET if request.method != "POST" else request.POST)
    made, error = None, None
    if request.method == "POST":
        data = {
            k: request.POST.get(k, "")
            for k in ("title", "detail", "category", "estimated_budget", "proposer_name", "proposer_phone")
        }
        try:
            if town is None:
                raise Http404
            made = services.propose_public(town_code=town.code, data=data, ip=request.META.get("REMOTE_ADDR"))
        except DomainError as exc:
            error = exc
    return render(
        request,
        "projects/public_propose.html",
        {
            "town": town,
            "place": town,
            "made": made,
            "error": error,
            "categories": Category.choices,
            "form": request.POST if error else {},
            "towns": Region.objects.filter(level="town").order_by("code")[:500],
        },
        status=error.status if error else 200,
    )


@require_safe
def track(request):
    code = str(request.GET.get("code", ""))[:16]
    item = sel.by_tracking_code(code) if code else None
    return render(request, "projects/public_track.html", {"item": item, "code": code, "asked": bool(code)})


@require_safe
def photo(request, pk: int):
    found = Attachment.objects.filter(pk=pk, public=True).select_related("content_type").first()
    if found is None or found.content_type.app_label != "projects":
        raise Http404
    return file_response(found)

"""The public site's pages (上墙公示, online): no login, nothing that is not published (selectors.py).

Every list page also answers `?format=csv` and `?format=json` with the same columns (opendata.py)."""

from __future__ import annotations

import mimetypes

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from apps.common.pages import paginate_page
from apps.common.params import PAGE, REGION_CODE, SEARCH, YEAR, Choice, read
from apps.common.qr import qr_svg_response
from apps.people.selectors import public_card
from apps.places.terms import terms_for

from . import lists, opendata, search, selectors
from .models import EntryKind

KIND = Choice(EntryKind, label=_("类别"))


def _download(request, name: str, columns, rows) -> HttpResponse | None:
    fmt = read(request.GET, "format", opendata.FORMAT)
    return opendata.download(fmt, name, columns, rows) if fmt else None


@require_safe
def home(request):
    """Choose a township (or search); the county's towns at once where there is one county."""
    counties = list(selectors.counties())
    towns = list(selectors.towns(counties[0])) if len(counties) == 1 else []
    return render(request, "public/home.html", {"counties": counties, "towns": towns})


@require_safe
def region(request, region: str):
    place = selectors.region(region)
    if place.level == "county":
        return render(request, "public/county.html", {"place": place, "towns": selectors.towns(place)})
    stations = selectors.stations(place)
    found = _download(request, f"{place.name}-联络站", lists.STATIONS, stations)
    ctx = {"place": place, "stations": stations, "terms": terms_for(place)}
    return found or render(request, "public/town.html", ctx)


@require_safe
def deputies(request, region: str):
    place = selectors.region(region)
    rows = selectors.deputies(place)
    found = _download(request, f"{place.name}-人大代表", lists.DEPUTIES, rows)
    if found:
        return found
    read(request.GET, "page", PAGE)
    page, query = paginate_page(request, rows, per_page=100)
    ctx = {"place": place, "page": page, "query": query, "terms": terms_for(place)}
    return render(request, "public/deputies.html", ctx)


@require_safe
def station(request, pk: int):
    item = selectors.station(pk)
    rows = selectors.deputies(station=item)
    found = _download(request, f"{item.name}-人大代表", lists.DEPUTIES, rows)
    if found:
        return found
    ctx = {"s": item, "deputies": rows, "days": selectors.reception_days(item)}
    return render(request, "public/station.html", ctx)


@require_safe
def station_qr(request, pk: int):
    """The code printed at the station: it opens the station's public page."""
    item = selectors.station(pk)
    return qr_svg_response(request.build_absolute_uri(reverse("public:station", args=[item.pk])))


@require_safe
def photo(request, code):
    """A serving deputy's photo, or the placeholder; a recalled deputy's code is a missing one."""
    deputy = public_card(code)
    if deputy is None:
        raise Http404
    if not deputy.photo:
        with open(finders.find("public/deputy.svg"), "rb") as placeholder:
            response = HttpResponse(placeholder.read(), content_type="image/svg+xml")
        response["Cache-Control"] = "public, max-age=3600"
        return response
    try:
        handle = deputy.photo.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    kind = mimetypes.guess_type(deputy.photo.name)[0] or "application/octet-stream"
    if not kind.startswith("image/") or kind == "image/svg+xml":
        kind = "application/octet-stream"
    response = FileResponse(handle, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def suggestions(request, region: str):
    place = selectors.region(region)
    rows = selectors.suggestions(place)
    found = _download(request, f"{place.name}-建议答复", lists.SUGGESTIONS, rows)
    if found:
        return found
    read(request.GET, "page", PAGE)
    page, query = paginate_page(request, rows, per_page=30)
    return render(request, "public/suggestions.html", {"place": place, "page": page, "query": query})


@require_safe
def rectifications(request, region: str):
    """整改公示: the town's rectification items and their progress; accepted ones with the unit's report."""
    place = selectors.region(region)
    rows = selectors.rectifications(place)
    found = _download(request, f"{place.name}-整改事项", lists.RECTIFICATIONS, rows)
    if found:
        return found
    read(request.GET, "page", PAGE)
    page, query = paginate_page(request, rows, per_page=30)
    return render(request, "public/rectifications.html", {"place": place, "page": page, "query": query})


@require_safe
def supervision(request, region: str):
    """监督结果公示: the approved plan of a year (the latest approved when none is asked), the activities done
    with their summary and findings, and the published department evaluations."""
    place = selectors.region(region)
    years = selectors.supervision_years(place)
    year = read(request.GET, "year", YEAR) or (years[0] if years else None)
    rows = selectors.supervision_items(place, year)
    found = _download(request, f"{place.name}-{year or ''}监督工作", lists.SUPERVISION, rows)
    if found:
        return found
    ctx = {
        "place": place,
        "year": year,
        "years": years,
        "items": rows,
        "evaluations": selectors.published_evaluations(place)[:20],
    }
    return render(request, "public/supervision.html", ctx)


@require_safe
def evaluations(request, region: str):
    """工作评议结果: each department of the published evaluations with counts, shares and the opinion."""
    place = selectors.region(region)
    rows = selectors.evaluation_results(place)
    found = _download(request, f"{place.name}-工作评议结果", lists.EVALUATIONS, rows)
    if found:
        return found
    return render(request, "public/evaluations.html", {"place": place, "rows": rows})


@require_safe
def suggestion(request, pk: int):
    item = selectors.suggestion(pk)
    rated = lists.rate(item.r_satisfied, item.r_basic, item.r_dissatisfied)
    return render(request, "public/suggestion.html", {"s": item, "rate": rated})


@require_safe
def report_back(request, region: str):
    place = selectors.region(region)
    rows = selectors.report_back(place)
    found = _download(request, f"{place.name}-述职测评结果", lists.REPORT_BACK, rows)
    if found:
        return found
    read(request.GET, "page", PAGE)
    page, query = paginate_page(request, rows, per_page=50)
    return render(request, "public/report_back.html", {"place": place, "page": page, "query": query})


@require_safe
def find(request):
    q = read(request.GET, "q", SEARCH, "") or ""
    kind = read(request.GET, "kind", KIND, "") or ""
    code = read(request.GET, "region", REGION_CODE, "")
    place = selectors.region(code) if code else None
    results = search.search(q, region=place, kind=kind) if q.strip() else []
    ctx = {"q": q, "kind": kind, "place": place, "results": results, "kinds": EntryKind.choices}
    return render(request, "public/search.html", ctx)

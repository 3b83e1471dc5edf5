"""What every list page does the same way: paginate, keep the filters in links, export to .xlsx."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from .excel import Column, xlsx_response

EXPORT_MAX_ROWS = 100_000


def page_size(request, default: int) -> int:
    """The page's own size, or `?page_size=` within 1..RENDA_MAX_PAGE_SIZE (as the API's lists allow)."""
    try:
        asked = int(request.GET.get("page_size", ""))
    except ValueError:
        return default
    return max(1, min(asked, settings.RENDA_MAX_PAGE_SIZE))


def list_page(
    request,
    template: str,
    qs,
    *,
    context: dict,
    export: tuple[str, list[Column]] | None = None,
    per_page: int = 50,
):
    """Render one page of `qs`; with `?export=xlsx` return the whole (already scoped) list as Excel."""
    if export and request.GET.get("export") == "xlsx":
        name, columns = export
        rows = qs[:EXPORT_MAX_ROWS]
        rows = rows.iterator(2000) if hasattr(rows, "iterator") else rows
        return xlsx_response(filename=name, sheet=name, columns=columns, rows=rows)
    page = Paginator(qs, page_size(request, per_page)).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return render(request, template, {**context, "page": page, "query": params.urlencode()})

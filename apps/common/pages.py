"""What every page does the same way: one page of a list with the filters kept in its links, the export to
.xlsx, and a service's errors shown beside a form's fields.

Templates: `_pager.html` (previous / page n of m / next, and the export button unless `no_export`),
`_form_errors.html` (the form's errors that belong to no field, one `errorlist` line each).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render

from .errors import DomainError, NotFound, PermissionDenied
from .excel import Column, xlsx_response

EXPORT_MAX_ROWS = 100_000
PER_PAGE = 50


def query_without(params, *names: str) -> str:
    """The query string of `params` (a QueryDict or dict) without `names`: what pager links carry on."""
    if hasattr(params, "copy") and hasattr(params, "urlencode"):
        kept = params.copy()
        for name in names:
            kept.pop(name, None)
        return kept.urlencode()
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if k not in names and v not in (None, "")})


def paginate_page(request, qs, *, per_page: int = PER_PAGE) -> tuple[Page, str]:
    """One page of `qs` (the `page` parameter; past the end gives the last page, nonsense the first) and
    the query string the pager's links keep: every filter, without `page` and `export`."""
    page = Paginator(qs, page_size(request, per_page)).get_page(request.GET.get("page"))
    return page, query_without(request.GET, "page", "export")


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
    per_page: int = PER_PAGE,
):
    """Render one page of `qs`; with `?export=xlsx` return the whole (already scoped) list as Excel."""
    if export and request.GET.get("export") == "xlsx":
        name, columns = export
        rows = qs[:EXPORT_MAX_ROWS]
        rows = rows.iterator(2000) if hasattr(rows, "iterator") else rows
        return xlsx_response(filename=name, sheet=name, columns=columns, rows=rows)
    page, query = paginate_page(request, qs, per_page=per_page)
    return render(request, template, {**context, "page": page, "query": query})


def error_lines(exc: DomainError) -> list[str]:
    """Every message of a domain error: each field's, else its own."""
    lines = [str(m) for msgs in (exc.fields or {}).values() for m in _as_list(msgs)]
    return lines or [str(exc.message)]


def form_errors(form, exc: DomainError, rename: dict | None = None) -> None:
    """A service's per-field messages beside the form's fields (`rename` maps a service field to the form's);
    a message of a field the form does not have, or of no field, goes on top of the form."""
    rename = rename or {}
    for field, msgs in (exc.fields or {}).items():
        name = rename.get(field, field)
        name = name if name in form.fields else None
        for m in _as_list(msgs):
            form.add_error(name, str(m))
    if not exc.fields:
        form.add_error(None, str(exc.message))


def flash_error(request, exc: DomainError, *, joined: bool = False) -> None:
    """A domain error as a message on the next page (pages without a form): its own message, or with
    `joined` every field's message in one line."""
    text = "；".join(error_lines(exc)) if joined else str(exc.message)
    messages.error(request, text)


def run_then_redirect(request, work, ok: str, to, *, joined: bool = False):
    """A page's small POST (no form to show again): run `work`, then back to `to` with `ok`, or with the
    domain error as the message (`flash_error`); a refusal stays a refusal (403/404)."""
    try:
        work()
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=joined)
    else:
        messages.success(request, ok)
    return redirect(to)


def _as_list(msgs) -> list:
    return list(msgs) if isinstance(msgs, list | tuple) else [msgs]

"""The published replies (no login): names, never contact details."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from apps.common.pages import paginate_page
from apps.common.params import PAGE, read

from .. import selectors

# --- published replies (no login) ---------------------------------------------------------------------------


def public_list(request):
    read(request.GET, "page", PAGE)  # a page number that is no number is refused, not silently the first
    page, query = paginate_page(request, selectors.published(), per_page=30)
    return render(request, "suggestions/public_list.html", {"page": page, "query": query})


def public_detail(request, pk: int):
    item = selectors.published().filter(pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "suggestions/public_detail.html", {"s": item})

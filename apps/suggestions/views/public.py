"""The published replies (no login): names, never contact details."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .. import selectors

# --- published replies (no login) ---------------------------------------------------------------------------


def public_list(request):
    page = Paginator(selectors.published(), 30).get_page(request.GET.get("page"))
    return render(request, "suggestions/public_list.html", {"page": page, "query": ""})


def public_detail(request, pk: int):
    item = selectors.published().filter(pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "suggestions/public_detail.html", {"s": item})

"""联名邀请: one page where a deputy sees every invitation to co-sign and agrees or declines (issue 16, 9).
The answers post to the item's own sign view (`suggestions:sign`, `suggestions:motion_sign`), which come
back here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apps.accounts import permissions as perms
from apps.common.pages import paginate_page
from apps.common.params import PAGE, read

from .. import selectors


@login_required
def invitations(request):
    perms.require(request.user, perms.COSIGN_ANSWER)
    read(request.GET, "page", PAGE)
    page, query = paginate_page(request, selectors.invitations(request.user))
    return render(request, "suggestions/invitations.html", {"page": page, "query": query})

"""Pages of 候选人与代表见面会 (DOMAIN §5, issue 16 item 5): the office plans it from the post page, enters
each candidate's statement and photo (or the candidate does, on their phone), and the deputies read the
candidates on their phones (`meet`); attendance is the meeting's own check-in page."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import own_deputy_id
from apps.common.errors import DomainError
from apps.common.pages import flash_error
from apps.workflow.uploads import file_response

from . import meet, selectors


def _dt(value) -> datetime | None:
    """A datetime-local field; None (the service names the field) when empty or not a time."""
    try:
        parsed = datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@login_required
@require_POST
def plan(request, pk: int):
    try:
        meet.plan_candidates_meeting(
            actor=request.user,
            post_id=pk,
            starts_at=_dt(request.POST.get("starts_at")),
            place=request.POST.get("place", "")[:200],
            chair=request.POST.get("chair", "")[:50],
        )
    except DomainError as e:
        flash_error(request, e)
    else:
        messages.success(request, _("已安排候选人与代表见面会"))
    return redirect("elections:post", pk)


@login_required
def candidates(request, pk: int):
    """The deputies' phone page: every candidate of the post with their photo and statement."""
    post = selectors.post_detail(request.user, pk)
    rows = meet.candidates_with_statements(post)
    mine = own_deputy_id(request.user)
    manage = perms.holds(request.user, perms.ELECTION_MANAGE, post)
    for c in rows:
        c.editable = manage or (mine is not None and c.deputy_id == mine)
    return render(
        request,
        "elections/meet.html",
        {"post": post, "candidates": rows, "attendance": meet.attendance(post), "manage": manage},
    )


@login_required
def statement(request, candidate_id: int):
    candidate = meet.candidate_for(request.user, candidate_id)
    meet.may_state(request.user, candidate)  # the form only to who may fill it (403 page otherwise)
    if request.method == "POST":
        try:
            meet.set_statement(
                actor=request.user, candidate_id=candidate_id, statement=request.POST.get("statement", "")
            )
            if request.FILES.get("file"):
                meet.set_photo(actor=request.user, candidate_id=candidate_id, upload=request.FILES["file"])
        except DomainError as e:
            flash_error(request, e)
        else:
            messages.success(request, _("已保存候选人介绍"))
            return redirect("elections:meet", candidate.post_id)
    return render(
        request,
        "elections/statement.html",
        {"candidate": candidate, "photo": meet.photo_of(candidate), "limit": meet.STATEMENT_MAX},
    )


@login_required
def photo(request, candidate_id: int):
    found = meet.photo_of(meet.candidate_for(request.user, candidate_id))
    if found is None:
        raise Http404
    return file_response(found)

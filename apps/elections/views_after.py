"""Pages after the election (issue 21 part 4): the elected of a post with their oath (宪法宣誓) and
appointment papers (任命书), the sitting's result announcement (公告) and a round's tally as Word."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny
from apps.common.downloads import docx_response
from apps.common.params import Day, read
from apps.meetings.models import Meeting

from . import aftermath, selectors
from .models import Outcome
from .views import _try
from .word import announcement_docx, appointment_docx, tally_docx

TAKEN_ON = Day(label=gettext_lazy("宣誓日期"))


@login_required
def elected(request, pk: int):
    post = selectors.post_detail(request.user, pk)
    return render(
        request,
        "elections/elected.html",
        {
            "post": post,
            "elected": aftermath.elected(post),
            "manage": perms.holds(request.user, perms.ELECTION_MANAGE, post),
        },
    )


@login_required
@require_POST
def oath(request, outcome_id: int):
    outcome = get_or_deny(request.user, Outcome, pk=outcome_id)
    _try(
        request,
        lambda: aftermath.record_oath(
            actor=request.user,
            outcome_id=outcome_id,
            taken_on=read(request.POST, "taken_on", TAKEN_ON),
            before=request.POST.get("before", ""),
            place=request.POST.get("place", ""),
        ),
        _("已记录宪法宣誓"),
    )
    return redirect("elections:elected", outcome.round.post_id)


@login_required
def appointment(request, outcome_id: int):
    outcome = aftermath.elected_outcome(request.user, outcome_id)
    return docx_response(appointment_docx(outcome), f"{outcome.name}任命书.docx")


@login_required
def announcement(request, pk: int):
    meeting = get_or_deny(request.user, Meeting, pk=pk)
    return docx_response(announcement_docx(meeting), f"{meeting.title}选举结果公告.docx")


@login_required
def tally_word(request, pk: int):
    round_ = selectors.round_detail(request.user, pk)
    return docx_response(tally_docx(round_, selectors.tally(round_)), f"计票报告-{round_.pk}.docx")

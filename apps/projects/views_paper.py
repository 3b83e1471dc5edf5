"""The list page's paper-ballot forms (issue 19 part 3, as the elections' paper totals): the office hands a
deputy without a phone a paper ballot; one teller (监票人) of the sitting enters the counted totals, another
teller confirms them, and only confirmed totals are counted."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.common.params import ID, Int, read

from . import selectors as sel
from . import services
from .views import _posted

COUNT = Int(0, 100_000, label=gettext_lazy("票数"))


@_posted
def hand(request, candidate_list_id: int):
    services.hand_paper_ballot(
        actor=request.user, list_id=candidate_list_id, deputy_id=read(request.POST, "deputy", ID, default=0)
    )
    messages.success(request, _("已发放纸质选票"))
    return redirect("projects:list", candidate_list_id)


@_posted
def totals(request, candidate_list_id: int):
    cl = sel.list_for(request.user, candidate_list_id)
    current = sel.current_round(cl)
    post = request.POST
    lines = {}
    for ln in current.lines.all() if current else ():
        lines[ln.candidate_id] = read(post, f"c{ln.candidate_id}", COUNT, 0)
    services.enter_paper_totals(
        actor=request.user,
        list_id=cl.pk,
        returned=read(post, "returned", COUNT, 0),
        void=read(post, "void", COUNT, 0),
        lines=lines,
    )
    messages.success(request, _("纸质选票统计已录入，待另一名监票人复核"))
    return redirect("projects:list", candidate_list_id)


@_posted
def confirm(request, candidate_list_id: int):
    services.confirm_paper_totals(actor=request.user, list_id=candidate_list_id)
    messages.success(request, _("纸质选票统计已复核"))
    return redirect("projects:list", candidate_list_id)

"""The round page's paper-ballot forms of an electronic round (issue 16 item 2, `paper.py`): the office
hands named deputies a paper ballot; the tellers enter and confirm the counted paper totals."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.common.params import Int, Text, ints, read

from . import paper, selectors
from .views import _try

COUNT = Int(0, 100_000, label=gettext_lazy("票数"))
NAME = Text(50, label=gettext_lazy("另选他人的姓名"))


def _totals_from(request, pk: int) -> dict:
    round_ = selectors.round_detail(request.user, pk)
    post = request.POST
    totals = {k: read(post, k, COUNT, 0) for k in paper.COUNT_FIELDS}
    totals["lines"] = {
        ln.candidate_id: [read(post, f"{p}{ln.candidate_id}", COUNT, 0) for p in ("pf", "pa", "px")]
        for ln in round_.lines.all()
    }
    names, counts = post.getlist("write_in_name"), post.getlist("write_in_count")
    write_ins: dict[str, int] = {}
    for raw_name, raw_count in zip(names, counts, strict=False):
        name = NAME.clean(raw_name, name="write_ins") if raw_name.strip() else ""
        if name:
            n = COUNT.clean(raw_count or "0", name="write_ins")
            write_ins[name] = write_ins.get(name, 0) + n
    totals["write_ins"] = write_ins
    return totals


@login_required
@require_POST
def paper_action(request, pk: int, action: str):
    calls = {
        "issue": lambda: paper.issue_paper_ballots(
            actor=request.user, round_id=pk, deputy_ids=ints(request.POST.getlist("deputy"), name="deputies")
        ),
        "totals": lambda: paper.enter_paper_totals(
            actor=request.user, round_id=pk, totals=_totals_from(request, pk)
        ),
        "confirm": lambda: paper.confirm_paper_totals(actor=request.user, round_id=pk),
    }
    done = {
        "issue": _("已发放纸质选票"),
        "totals": _("纸质选票统计已录入，待另一名监票人复核"),
        "confirm": _("纸质选票统计已复核"),
    }
    if action in calls:
        _try(request, calls[action], done[action])
    return redirect("elections:round", pk)

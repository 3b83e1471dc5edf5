"""Pages of elections: the office's setup (posts, candidates, nominations with signatures), the chair's
count page, the deputy's phone ballot (works without JavaScript) and the tally report for the hall.

Views parse the form, call one selector or service, and render or redirect; a refused action comes back
as a message on the page it came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.common.downloads import docx_response
from apps.common.errors import DomainError
from apps.common.pages import flash_error
from apps.common.params import ID, Int, read
from apps.meetings.models import Choice

from . import export, meet, paper, selectors, services
from .models import PostKind
from .word import candidates_docx

# The numbers the forms send; the services check the rules ([law] seats, margins), these only the form.
HEADCOUNT = Int(0, 1000, label=gettext_lazy("人数"))
STROKES = Int(1, 99, label=gettext_lazy("姓氏笔画"))
BALLOTS = Int(0, 100_000, label=gettext_lazy("发出选票数"))


def _try(request, call, ok_message: str = "") -> bool:
    try:
        call()
    except DomainError as e:
        flash_error(request, e)
        return False
    if ok_message:
        messages.success(request, ok_message)
    return True


@login_required
def post_list(request):
    meeting_id = read(request.GET, "meeting", ID)
    rows = selectors.posts(request.user, meeting_id=meeting_id)
    meetings = list(selectors.election_meetings(request.user)[:50])
    if request.method == "POST":
        post_holder = {}

        def create():
            post_holder["post"] = services.create_post(
                actor=request.user,
                meeting_id=read(request.POST, "meeting", ID, default=0),
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                seats=read(request.POST, "seats", HEADCOUNT, default=0),
                margin=read(request.POST, "margin", HEADCOUNT, default=0),
            )

        if _try(request, create, _("已设立选举职务")):
            return redirect("elections:post", post_holder["post"].pk)
    return render(
        request,
        "elections/list.html",
        {
            "posts": rows[:200],
            "open_rounds": list(selectors.open_rounds(request.user)[:20]),
            "meetings": meetings,
            "kinds": PostKind.choices,
            "meeting_id": meeting_id,
        },
    )


@login_required
def candidates_list(request, pk: int):
    post = selectors.post_detail(request.user, pk)
    return docx_response(candidates_docx(post), f"{post.title}候选人名单.docx")


@login_required
def post_detail(request, pk: int):
    post = selectors.post_detail(request.user, pk)
    manage = perms.holds(request.user, perms.ELECTION_MANAGE, post)
    check = services.check_competitive(post)
    return render(
        request,
        "elections/post.html",
        {
            "post": post,
            "manage": manage,
            "candidates": selectors.candidates(post),
            "rounds": selectors.rounds(post),
            "check": check,
            "deputies": selectors.congress_deputies(post) if manage else [],
            "started": post.rounds.exists(),
            "attendance": meet.attendance(post),
        },
    )


@login_required
@require_POST
def nominate(request, pk: int):
    _try(
        request,
        lambda: services.nominate(
            actor=request.user,
            post_id=pk,
            by=request.POST.get("by", ""),
            name=request.POST.get("name", ""),
            signers=request.POST.getlist("signers"),
            surname_strokes=read(request.POST, "surname_strokes", STROKES),
            note=request.POST.get("note", ""),
        ),
        _("已录入提名"),
    )
    return redirect("elections:post", pk)


@login_required
@require_POST
def withdraw(request, pk: int, candidate_id: int):
    _try(request, lambda: services.withdraw(actor=request.user, candidate_id=candidate_id), _("已撤回提名"))
    return redirect("elections:post", pk)


@login_required
@require_POST
def start(request, pk: int):
    holder = {}

    def go():
        holder["round"] = services.start(
            actor=request.user, post_id=pk, paper=request.POST.get("paper") == "1"
        )

    if _try(request, go):
        return redirect("elections:round", holder["round"].pk)
    return redirect("elections:post", pk)


@login_required
def round_detail(request, pk: int):
    """The chair's count page."""
    round_ = selectors.round_detail(request.user, pk)
    return render(
        request,
        "elections/round.html",
        {
            "round": round_,
            "post": round_.post,
            "manage": perms.holds(request.user, perms.ELECTION_MANAGE, round_),
            "tally": selectors.tally(round_),
            "ballot": selectors.ballot_state(request.user, round_),
            "lines": round_.lines.select_related("candidate").order_by("order"),
            "choices": Choice.choices,
            "write_in_slots": range(round_.seats),
            "box": selectors.box_steps(round_),
            "desk": selectors.paper_desk(request.user, round_),
        },
    )


@login_required
@require_POST
def round_action(request, pk: int, action: str):
    calls = {
        "open": lambda: services.open_ballot(
            actor=request.user, round_id=pk, issued=read(request.POST, "issued", BALLOTS)
        ),
        "close": lambda: services.close_and_count(actor=request.user, round_id=pk),
        "paper": lambda: services.record_paper_ballot(
            actor=request.user, round_id=pk, **_ballot_from(request, pk)
        ),
    }
    done = {"open": _("投票已开始"), "close": _("已计票"), "paper": _("已录入一张选票")}
    if action in calls:
        _try(request, calls[action], done[action])
    return redirect("elections:tally" if action == "close" else "elections:round", pk)


def _ballot_from(request, pk) -> dict:
    round_ = selectors.round_detail(request.user, pk)
    choices = {}
    for line in round_.lines.all():
        value = request.POST.get(f"c{line.candidate_id}", "")
        if value:
            choices[line.candidate_id] = value
    write_ins = [w for w in request.POST.getlist("write_in") if w.strip()]
    return {"choices": choices, "write_ins": write_ins}


@login_required
def ballot(request, pk: int):
    """The deputy's phone ballot: one row per candidate with 赞成/反对/弃权 and write-in fields."""
    round_ = selectors.round_detail(request.user, pk)
    receipt = ""
    if request.method == "POST":
        holder = {}

        def cast():
            holder["receipt"] = services.cast_ballot(
                actor=request.user, round_id=pk, **_ballot_from(request, pk)
            )

        # The receipt is shown once, on this answer (no redirect: it is kept nowhere beside the deputy).
        if _try(request, cast):
            receipt = holder["receipt"]
            round_ = selectors.round_detail(request.user, pk)
    state = selectors.ballot_state(request.user, round_)
    return render(
        request,
        "elections/ballot.html",
        {
            "round": round_,
            "post": round_.post,
            "state": state,
            "lines": round_.lines.select_related("candidate").order_by("order"),
            "write_in_slots": range(round_.seats) if round_.paper else (),
            "choices": Choice.choices,
            "receipt": receipt,
        },
    )


@login_required
def tally(request, pk: int):
    round_ = selectors.round_detail(request.user, pk)
    data = selectors.tally(round_)
    if request.GET.get("export") == "xlsx":
        return export.tally_workbook(round_, data)
    return render(
        request,
        "elections/tally.html",
        {"round": round_, "post": round_.post, "tally": data, "sources": paper.sources(round_)},
    )

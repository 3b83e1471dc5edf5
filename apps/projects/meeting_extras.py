"""The project vote on its sitting's hall screen and in its minutes (issue 19 part 3: "the result is on the
hall screen at once"), through the hooks of apps/meetings/extras.py (registered in apps.py; meetings never
imports projects). The block shows the live count state (ballots in, of how many deputies) and, once
counted, each round's stored result; it refreshes itself from the list's live fragment."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import visible_to

from . import selectors as sel
from .models import CandidateList, Result, RoundState, VoteRound

SECTION = "民生实事项目票决结果"


def screen_blocks(request, meeting) -> list[dict]:
    out = []
    for cl in (
        visible_to(request.user, CandidateList, perms.PROJECT_BROWSE).filter(meeting=meeting).order_by("id")
    ):
        html = render_to_string(
            "projects/_hall_block.html",
            {"cl": cl, "rounds": sel.rounds_of(cl), "current": sel.current_round(cl)},
            request=request,
        )
        link = (_("%(title)s：票决结果") % {"title": cl.title}, reverse("projects:list", args=[cl.pk]))
        out.append({"html": html, "link": link})
    return out


def minutes_sections(meeting) -> list[tuple[str, list[str]]]:
    """Each counted round of the sitting's lists: the ballots and every candidate's votes and result."""
    out = []
    rounds = (
        VoteRound.objects.filter(candidate_list__meeting=meeting, state=RoundState.COUNTED)
        .select_related("candidate_list")
        .prefetch_related("lines__candidate")
        .order_by("candidate_list_id", "number")
    )
    for r in rounds:
        head = (
            f"{r.candidate_list.title}第{r.number}轮：全体代表{r.total_deputies or 0}名，"
            f"收回选票{r.ballots_cast}张，无效{r.ballots_void}张，通过须得{r.needed or 0}票。{r.result_note}"
        )
        ordered = sorted(r.lines.all(), key=lambda ln: (-ln.votes, ln.order))
        lines = [
            f"{n}. {ln.candidate.title}：{ln.votes}票，{Result(ln.result).label}"
            for n, ln in enumerate(ordered, start=1)
        ]
        out.append((SECTION, [head, *lines]))
    return out

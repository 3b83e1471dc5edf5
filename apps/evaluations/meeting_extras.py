"""The vice-mayors' rating result in its meeting's minutes and on its hall screen (issue 18 part 6), through
the hooks of apps/meetings/extras.py (registered in apps.py; meetings never imports evaluations)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import visible_to

from .models import OfficialRating, SurveyState
from .selectors import official_results

SECTION = "副镇长述职测评结果"


def _line(r: dict) -> str:
    s = r["shares"]
    return (
        f"{r['post']}{r['name']}：满意{r['satisfied']}票（{s['satisfied']}%），基本满意{r['basic']}票"
        f"（{s['basic']}%），不满意{r['dissatisfied']}票（{s['dissatisfied']}%）。"
    )


def minutes_sections(meeting) -> list[tuple[str, list[str]]]:
    """副镇长述职测评结果 for each tallied rating of the meeting: each official's counts and shares."""
    out = []
    for item in OfficialRating.objects.filter(meeting=meeting, state=SurveyState.CLOSED).order_by("id"):
        rows = [r for r in official_results(item) if r["filed"]]
        if rows:
            head = f"{item.title}（参评代表{item.participants or 0}人，无记名测评）"
            out.append((SECTION, [head, *(f"{n}. {_line(r)}" for n, r in enumerate(rows, start=1))]))
    return out


def screen_blocks(request, meeting) -> list[dict]:
    """For the hall and chair screens: the result of each tallied rating the viewer may see (totals only,
    never a voter), and a link to the rating's own hall page."""
    ratings = visible_to(request.user, OfficialRating, perms.EVALUATION_BROWSE).filter(meeting=meeting)
    out = []
    for item in ratings.order_by("id"):
        html = ""
        if item.state == SurveyState.CLOSED:
            html = render_to_string(
                "evaluations/_official_hall_block.html",
                {"item": item, "rows": official_results(item)},
                request=request,
            )
        label = _("%(title)s：大屏结果") % {"title": item.title}
        link = (label, reverse("evaluations:official_hall", args=[item.pk]))
        out.append({"html": html, "link": link})
    return out

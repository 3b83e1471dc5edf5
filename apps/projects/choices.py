"""What the steps of the projects' tables may choose among (deputies, units, a proposal to merge into), and
the checks of a chosen value: always the item's own town (or county, for units)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.common.errors import field_error as _fail
from apps.people.models import Deputy
from apps.places.models import HandlingUnit

from .models import CandidateList, Proposal

SIMILAR_MIN = 0.2


def draft_list(town_id: int, year: int) -> CandidateList | None:
    return CandidateList.objects.filter(town_id=town_id, year=year, state="draft").first()


def list_open_for(item, actor, today):
    """A proposal goes onto the town's candidate list of its year, which must exist and still be drafted."""
    if draft_list(item.town_id, item.year) is None:
        return _("本镇%(y)d年度的候选项目清单尚未建立或已提请票决") % {"y": item.year}
    return None


def similar(item, k: int = 5) -> list[tuple[Proposal, float]]:
    """The proposals of the same town and year most like this one (the opinions' similarity mechanism)."""
    from apps.opinions.similarity import similar as rank

    others = (
        Proposal.objects.filter(town_id=item.town_id, year=item.year, merged_into__isnull=True)
        .exclude(pk=item.pk)
        .exclude(state="not_listed")
        .only("id", "title", "detail", "state")
    )
    by_id = {p.pk: p for p in others[:2000]}
    ranked = rank(
        f"{item.title} {item.detail}",
        ((pk, f"{p.title} {p.detail}") for pk, p in by_id.items()),
        k=k,
        min_score=SIMILAR_MIN,
    )
    return [(by_id[pk], score) for pk, score in ranked]


def similar_choices(item, actor) -> list[tuple[int, str]]:
    return [
        (p.pk, f"{p.title}（{round(score * 100)}%）") for p, score in similar(item) if p.state == "submitted"
    ]


def merge_target(item, into: int) -> Proposal:
    target = (
        Proposal.objects.filter(town_id=item.town_id, year=item.year, state="submitted", pk=into)
        .exclude(pk=item.pk)
        .first()
    )
    if target is None:
        raise _fail("into", _("请选择本镇同一年度待筛选的另一项建议"))
    return target


def town_deputy(item, pk: int, field: str) -> Deputy:
    found = Deputy.objects.filter(town_id=item.town_id, pk=pk).first()
    if found is None:
        raise _fail(field, _("请选择本镇的代表"))
    return found


def units_of(item):
    return HandlingUnit.objects.filter(region_id__in=[item.town_id, item.county_id], is_active=True).order_by(
        "name"
    )


def town_unit(item, pk: int) -> HandlingUnit:
    found = units_of(item).filter(pk=pk).first()
    if found is None:
        raise _fail("unit", _("请选择本镇或本县的承办单位"))
    return found


def deputy_choices(item, actor) -> list[tuple[int, str]]:
    return list(Deputy.objects.filter(town_id=item.town_id).order_by("name").values_list("pk", "name"))


def unit_choices(item, actor) -> list[tuple[int, str]]:
    return list(units_of(item).values_list("pk", "name"))

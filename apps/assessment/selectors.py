"""Every read of the township assessment, starting from what the user may see.

The county office reads its county's tables, every town's assessment and the ranking; a town office only
its own town's assessments (its score details, its rank and the rule that placed it), never a table, nor
another town's row; anything else answers 404 like a missing id.
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, visible_to
from apps.common.errors import NotFound

from . import metrics
from .models import IndicatorTable, ManualScore, TownAssessment
from .results import Results, results_of


def tables(user) -> QuerySet:
    perms.require(user, perms.ASSESSMENT_BROWSE)
    return visible_to(user, IndicatorTable, perms.ASSESSMENT_MANAGE).select_related("region")


def table_for(user, table_id: int) -> IndicatorTable:
    return get_or_deny(user, IndicatorTable, perms.ASSESSMENT_MANAGE, pk=table_id)


def town_rows(user, *, year: int | None = None) -> QuerySet:
    """The town assessments the user sees: a town office its own, a county office its county's."""
    perms.require(user, perms.ASSESSMENT_BROWSE)
    qs = visible_to(user, TownAssessment, perms.ASSESSMENT_BROWSE).select_related("region", "table")
    return qs.filter(table__year=year) if year else qs


def town_for(user, assessment_id: int) -> TownAssessment:
    return get_or_deny(user, TownAssessment, perms.ASSESSMENT_BROWSE, pk=assessment_id)


def ranking(user, table_id: int) -> Results:
    """The whole ranking: the county office of the table's county."""
    return results_of(table_for(user, table_id))


def town_result(user, assessment_id: int):
    """One town's assessment as its office (or the county's) sees it: every indicator with its figure and
    points, its total and its rank among the county's towns."""
    row = town_for(user, assessment_id)
    res = results_of(row.table, town_ids=[row.region_id])
    return row, res, res.towns[0] if res.towns else None


def drill(user, assessment_id: int, indicator_id: int):
    """The records behind one computed figure of one town (each marked counted or not)."""
    row = town_for(user, assessment_id)
    indicator = row.table.indicators.filter(pk=indicator_id).select_related("aspect").first()
    metric = metrics.REGISTRY.get(getattr(indicator, "metric", "") or "")
    if indicator is None or metric is None:
        raise NotFound()
    return row, indicator, metric, metrics.records(metric, row.region_id, row.table.year)


def scores(user, assessment_id: int) -> QuerySet:
    row = town_for(user, assessment_id)
    return (
        visible_to(user, ManualScore, perms.ASSESSMENT_BROWSE)
        .filter(assessment=row)
        .select_related("indicator")
    )


def score_for(user, score_id: int) -> ManualScore:
    return get_or_deny(user, ManualScore, perms.ASSESSMENT_BROWSE, pk=score_id)


def published(county) -> QuerySet:
    """The published tables of a county (public site): their kept ranking."""
    return IndicatorTable.objects.filter(county=county, state="published").order_by("-year")


def public_rows(table) -> QuerySet:
    return (
        TownAssessment.objects.filter(table=table).select_related("region").order_by("rank", "region__code")
    )

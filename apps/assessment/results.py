"""A table's results (issue 20 parts 2, 3 and 7): every town's points on every indicator, its total and its
place in the ranking, computed in the database.

The statements do not grow with the towns: one for the indicators, one for the towns, one grouped statement
per metric the table uses (`metrics.values`: all the county's towns at once) and one for the reviewed manual
scores. Python then applies the table's rules (`rules.computed_points`) to those few hundred numbers and ranks
them (`rules.ranking`). Nothing here is scoped: callers pass a table the user may read (selectors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from apps.places.models import Region

from . import metrics, rules
from .choices import Source
from .models import Indicator, IndicatorTable, ManualScore, TownAssessment


@dataclass
class Line:
    indicator: Indicator
    value: Decimal | None = None  # the computed figure (a count or a percentage), None for manual
    part: int | None = None
    whole: int | None = None
    points: Decimal = Decimal(0)
    deducted: Decimal = Decimal(0)
    score: ManualScore | None = None  # the manual score, reviewed or not (only reviewed counts)


@dataclass
class TownResult:
    town_id: int
    name: str
    code: str
    assessment_id: int | None = None
    advanced: bool = False
    advanced_note: str = ""
    lines: list[Line] = field(default_factory=list)
    total: Decimal = Decimal(0)
    computed: Decimal = Decimal(0)
    deducted: Decimal = Decimal(0)
    rank: int = 0
    tie_rule: str = ""

    def by_aspect(self) -> list[tuple[object, list[Line]]]:
        out: dict = {}
        for line in self.lines:
            out.setdefault(line.indicator.aspect, []).append(line)
        return list(out.items())


@dataclass
class Results:
    table: IndicatorTable
    indicators: list[Indicator]
    towns: list[TownResult]


def _towns(tables: list[IndicatorTable]) -> dict[int, list[TownResult]]:
    """{table id: its towns}: the rows made when scoring opened, else every town of the county."""
    out: dict[int, list[TownResult]] = {t.pk: [] for t in tables}
    rows = TownAssessment.objects.filter(table__in=tables).order_by("region__code")
    for tid, *row in rows.values_list(
        "table_id", "region_id", "region__name", "region__code", "pk", "advanced", "advanced_note"
    ):
        out[tid].append(TownResult(*row))
    bare = {t.county_id: t.pk for t in tables if not out[t.pk]}
    if bare:
        towns = Region.objects.filter(level="town", county_id__in=list(bare)).order_by("code")
        for county, t, n, c in towns.values_list("county_id", "id", "name", "code"):
            out[bare[county]].append(TownResult(t, n, c))
    return out


def _scores(tables: list[IndicatorTable]) -> dict[tuple[int, int], ManualScore]:
    qs = ManualScore.objects.filter(assessment__table__in=tables).only(
        "pk", "town_id", "indicator_id", "points", "state", "assessment_id"
    )
    return {(s.town_id, s.indicator_id): s for s in qs}


def _line(ind: Indicator, town_id: int, figures: dict, scores: dict) -> Line:
    if ind.source == Source.COMPUTED:
        row = figures.get(ind.metric, {}).get(town_id)
        metric = metrics.REGISTRY.get(ind.metric)
        value = row["value"] if row else (metrics.value_of(metric, None) if metric else None)
        points, deducted = rules.computed_points(
            value, target=ind.target, base=ind.base_points, increment=ind.increment_points, cap=ind.cap,
            deduction=ind.deduction,
        )  # fmt: skip
        return Line(ind, value, row and row["part"], row and row.get("whole"), points, deducted)
    score = scores.get((town_id, ind.pk))
    points = score.points if score is not None and score.state == "reviewed" else Decimal(0)
    return Line(ind, points=points, deducted=-points if points < 0 else Decimal(0), score=score)


def _ranked(towns: list[TownResult], indicators, figures, scores) -> list[TownResult]:
    for town in towns:
        town.lines = [_line(ind, town.town_id, figures, scores) for ind in indicators]
        town.total = sum((ln.points for ln in town.lines), Decimal(0))
        town.computed = sum(
            (ln.points for ln in town.lines if ln.indicator.source == Source.COMPUTED), Decimal(0)
        )
        town.deducted = sum((ln.deducted for ln in town.lines), Decimal(0))
    ranked = rules.ranking(
        [{"key": t.town_id, "total": t.total, "deducted": t.deducted, "computed": t.computed} for t in towns]
    )
    by_id = {t.town_id: t for t in towns}
    ordered = []
    for r in ranked:
        town = by_id[r.key]
        town.rank, town.tie_rule = r.rank, r.tie_rule
        ordered.append(town)
    return ordered


def results_of_many(tables: list[IndicatorTable]) -> list[Results]:
    """The results of several tables of one year (a province's counties) with the same few statements as
    one table: the indicators, the towns, one grouped statement per metric over all their counties, the
    manual scores."""
    if not tables:
        return []
    years = {t.year for t in tables}
    if len(years) != 1:
        raise ValueError("tables of one year at a time")
    indicators: dict[int, list[Indicator]] = {t.pk: [] for t in tables}
    for ind in Indicator.objects.filter(table__in=tables).select_related("aspect"):
        indicators[ind.table_id].append(ind)
    towns = _towns(tables)
    keys = [i.metric for inds in indicators.values() for i in inds if i.source == Source.COMPUTED]
    figures = metrics.values(keys, [t.county_id for t in tables], years.pop())
    manual = any(i.source == Source.MANUAL for inds in indicators.values() for i in inds)
    scores = _scores(tables) if manual else {}
    return [
        Results(
            table=t,
            indicators=indicators[t.pk],
            towns=_ranked(towns[t.pk], indicators[t.pk], figures, scores),
        )
        for t in tables
    ]


def results_of(table: IndicatorTable, *, town_ids=None) -> Results:
    """Every town of the table's county ranked (the ranking needs them all); `town_ids` keeps only those
    rows in the answer (a town office's own)."""
    res = results_of_many([table])[0]
    if town_ids is not None:
        res.towns = [t for t in res.towns if t.town_id in set(town_ids)]
    return res

"""Scores and ranks: the year's points table applied to each deputy's approved records, ranked by town,
station and group; recomputed after every counted change."""

from __future__ import annotations

import json
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from apps.localrules.selectors import local_value
from apps.people.models import Deputy, MandateStatus

from .. import rules, selectors
from ..models import (
    PointsTable,
    Score,
)


def _rescore_after_commit(deputy_id: int, year: int):
    transaction.on_commit(lambda: recompute(year=year, deputy_ids=[deputy_id]), robust=True)


class _Scorer:
    """One county's table applied to counts, with the points of each (kind, count) and the band of each
    total worked out once: at province scale the same few hundred pairs recur 900,000 times."""

    def __init__(self, base, table: dict, limits: tuple = (None, None)):
        self.base, self.table = Decimal(base), table
        self.good, self.fair = limits  # the county's band limits [local]
        self._points: dict[tuple[str, int], tuple[Decimal, str]] = {}
        self._bands: dict[Decimal, str] = {}

    def band(self, total: Decimal) -> str:
        hit = self._bands.get(total)
        if hit is None:
            hit = self._bands[total] = rules.band(total, self.good, self.fair)
        return hit

    def part(self, kind: str, n: int) -> tuple[Decimal, str]:
        key = (kind, n)
        hit = self._points.get(key)
        if hit is None:
            row = self.table.get(kind)
            p = rules.points(*row, n) if row else Decimal(0)
            hit = self._points[key] = (p, f'"{kind}": {{"n": {n}, "points": "{p}"}}')
        return hit

    def score(self, counts: dict) -> tuple[Decimal, str]:
        """The total and the breakdown as JSON text ({kind: {"n", "points"}}, as `rules.score` builds it)."""
        total, parts = self.base, []
        for kind, n in counts.items():
            p, text = self.part(kind, n)
            total += p
            parts.append(text)
        return total, "{" + ", ".join(parts) + "}"


def _band_limits(table) -> tuple:
    """The county's 'good' and 'fair' limits (a table carries its county's id, which is all local_value
    needs for a county-wide rule)."""
    return local_value("DUTY_BAND_GOOD", table), local_value("DUTY_BAND_FAIR", table)


# Row layout while recomputing: the Score columns in this order.
COLS = (
    "deputy_id",
    "year",
    "county_id",
    "town_id",
    "station_id",
    "group_id",
    "total",
    "band",
    "breakdown",
    "computed_at",
    "rank_in_town",
    "rank_in_station",
    "rank_in_group",
)
_TOWN, _STATION, _GROUP, _TOTAL = 3, 4, 5, 6


def recompute(*, year: int, deputy_ids=None, county_ids=None) -> int:
    """Recompute and store the year's scores of the given deputies (or counties, or everyone) and their
    ranks by town, station and group. Returns the number of scores written."""
    deputies = Deputy.objects.filter(status=MandateStatus.IN_OFFICE)
    if deputy_ids is not None:
        deputies = deputies.filter(pk__in=deputy_ids)
    elif county_ids is not None:
        deputies = deputies.filter(county_id__in=county_ids)
    people = list(deputies.values_list("pk", "county_id", "town_id", "station_id").order_by())
    if not people:
        return 0
    scorers = {
        t.county_id: _Scorer(t.base_score, selectors.table_rows(t), _band_limits(t))
        for t in PointsTable.objects.filter(year=year, county_id__in={p[1] for p in people}).prefetch_related(
            "rules"
        )
    }
    groups = _primary_groups(deputies)
    counts = selectors.counts_by_deputy(year=year, deputy_ids=deputy_ids, county_ids=county_ids)
    now = timezone.now()
    rows = []
    for pk, county_id, town_id, station_id in people:
        scorer = scorers.get(county_id)
        if scorer is None:
            continue
        total, breakdown = scorer.score(counts.get(pk, {}))
        band = scorer.band(total)
        rows.append(
            [
                pk,
                year,
                county_id,
                town_id,
                station_id,
                groups.get(pk),
                total,
                band,
                breakdown,
                now,
                None,
                None,
                None,
            ]
        )
    whole_towns = deputy_ids is None
    if whole_towns:
        _rank_rows(rows)
    _store(rows, with_ranks=whole_towns)
    if not whole_towns:
        rerank_towns(year=year, town_ids={r[_TOWN] for r in rows if r[_TOWN]})
    return len(rows)


def _rank_rows(rows: list[list]):
    """Competition ranks by town, station and group, written into each row's last three places."""
    for place, key in ((10, _TOWN), (11, _STATION), (12, _GROUP)):
        buckets: dict[int, list] = {}
        for i, r in enumerate(rows):
            if r[key] is not None:
                buckets.setdefault(r[key], []).append((i, r[_TOTAL]))
        for items in buckets.values():
            for i, rank in rules.ranks(items).items():
                rows[i][place] = rank


def _store(rows: list[list], *, with_ranks: bool):
    """Upsert the rows into Score. On PostgreSQL: COPY into a temporary table and one INSERT … ON CONFLICT
    (Django's bulk_create spends ten times longer quoting 90,000 JSON values into arrays)."""
    update = [c for c in COLS[2:] if with_ranks or not c.startswith("rank_")]
    if connection.vendor != "postgresql":
        objs = []
        for r in rows:
            values = dict(zip(COLS, r, strict=True))
            values["breakdown"] = json.loads(values["breakdown"])
            objs.append(Score(**values))
        Score.objects.bulk_create(
            objs,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["deputy", "year"],
            update_fields=update,
        )
        return
    cols = ", ".join(COLS)
    with transaction.atomic(), connection.cursor() as cur:
        # the Score columns with their exact types; dropped at the commit, so nothing stays in the session
        cur.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS duty_score_load ON COMMIT DROP AS "
            f"SELECT {cols} FROM duty_score WITH NO DATA"
        )
        cur.execute("TRUNCATE duty_score_load")  # rows of an earlier call in the same transaction
        with cur.copy(f"COPY duty_score_load ({cols}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in update)
        # A score that did not change is not rewritten (no new row version, no index entries, same time).
        same = [c for c in update if c != "computed_at"]
        cur.execute(
            f"INSERT INTO duty_score ({cols}) SELECT {cols} FROM duty_score_load "
            f"ON CONFLICT (deputy_id, year) DO UPDATE SET {sets} "
            f"WHERE ({', '.join(f'duty_score.{c}' for c in same)}) "
            f"IS DISTINCT FROM ({', '.join(f'EXCLUDED.{c}' for c in same)})"
        )


def _primary_groups(deputies) -> dict[int, int]:
    """Each deputy's deputy group (代表小组) for ranking: the first area group they belong to."""
    through = Deputy.groups.through
    qs = through.objects.filter(deputygroup__kind="area")
    if deputies.query.where:
        qs = qs.filter(deputy__in=deputies)
    return dict(
        qs.values("deputy_id").annotate(g=Min("deputygroup_id")).values_list("deputy_id", "g").order_by()
    )


def _rank_in_memory(scores: list[Score]):
    for attr, key in (
        ("rank_in_town", "town_id"),
        ("rank_in_station", "station_id"),
        ("rank_in_group", "group_id"),
    ):
        buckets: dict[int, list] = {}
        for s in scores:
            k = getattr(s, key)
            if k is not None:
                buckets.setdefault(k, []).append((s.pk, s.total))
        by_pk = {s.pk: s for s in scores}
        for items in buckets.values():
            for pk, r in rules.ranks(items).items():
                setattr(by_pk[pk], attr, r)
        for s in scores:
            if getattr(s, key) is None:
                setattr(s, attr, None)


def rerank_towns(*, year: int, town_ids) -> None:
    """Ranks of every score in the given towns, from the stored totals (cheap: one town's deputies)."""
    for town_id in town_ids:
        scores = list(
            Score.objects.filter(year=year, town_id=town_id).only(
                "pk",
                "total",
                "station_id",
                "group_id",
                "town_id",
                "rank_in_town",
                "rank_in_station",
                "rank_in_group",
            )
        )
        old = {s.pk: (s.rank_in_town, s.rank_in_station, s.rank_in_group) for s in scores}
        _rank_in_memory(scores)
        changed = [s for s in scores if old[s.pk] != (s.rank_in_town, s.rank_in_station, s.rank_in_group)]
        Score.objects.bulk_update(
            changed, ["rank_in_town", "rank_in_station", "rank_in_group"], batch_size=1000
        )

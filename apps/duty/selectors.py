"""Every read of the duty ledger, points and plate scheme, starting from what the user may see."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet, Sum

from apps.accounts.scopes import get_or_deny, office_regions, own_deputy_id, visible_to
from apps.localrules.selectors import local_value
from apps.people.models import Deputy, Household

from . import rules
from .models import (
    ActivityKind,
    Band,
    DutyRecord,
    PlateAction,
    PointsTable,
    PublishedScore,
    ReviewState,
    Score,
    ScorePublication,
)


def own_deputy(user) -> Deputy | None:
    """The deputy a deputy's login belongs to."""
    deputy_id = own_deputy_id(user)
    return Deputy.objects.select_related("station").get(pk=deputy_id) if deputy_id else None


def county_of(user):
    """The county whose table and scores the user works with: an office's county, or the deputy's."""
    regions = office_regions(user)
    if regions:
        r = regions[0]
        return r if r.level == "county" else r.county
    deputy = own_deputy(user)
    return deputy.county if deputy else None


def records(user, *, state="", kind="", deputy=None, year=None, town=None) -> QuerySet:
    qs = visible_to(user, DutyRecord).select_related("deputy", "household")
    if state:
        qs = qs.filter(review_state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if deputy:
        qs = qs.filter(deputy_id=deputy)
    if year:
        qs = qs.filter(date__year=year)
    if town:
        qs = qs.filter(town_id=town)
    return qs


def record_detail(user, pk: int) -> DutyRecord:
    return get_or_deny(user, DutyRecord, pk=pk)


def own_households(deputy: Deputy):
    return Household.objects.filter(Q(contact_deputy=deputy) | Q(paired_deputy=deputy)).order_by("head_name")[
        :200
    ]


def table(county, year: int) -> PointsTable | None:
    return PointsTable.objects.filter(county=county, year=year).prefetch_related("rules").first()


def table_lines(tbl: PointsTable | None, breakdown: dict | None = None) -> list[dict]:
    """The table's rows with a deputy's count and points beside each (for the breakdown)."""
    breakdown = breakdown or {}
    rows = {r.kind: r for r in tbl.rules.all()} if tbl else {}
    out = []
    for kind, label in ActivityKind.choices:
        r, got = rows.get(kind), breakdown.get(kind, {})
        if r is None and not got:
            continue
        out.append(
            {
                "kind": kind,
                "label": label,
                "first": r.first_points if r else None,
                "further": r.further_points if r else None,
                "cap": r.cap if r else None,
                "n": got.get("n", 0),
                "points": got.get("points", "0"),
            }
        )
    return out


def live_score(user, deputy: Deputy, year: int) -> Score | None:
    """The live score: for the office over the deputy, and for the deputy's own view of their points."""
    return visible_to(user, Score).filter(deputy=deputy, year=year).first()


def last_publication(county_id, year=None) -> ScorePublication | None:
    qs = ScorePublication.objects.filter(county_id=county_id)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-quarter").first()


def published_score(deputy: Deputy, year=None) -> PublishedScore | None:
    """The deputy's score at the county's last publication (what deputies and the public see)."""
    pub = last_publication(deputy.county_id, year)
    if pub is None:
        return None
    return PublishedScore.objects.filter(publication=pub, deputy=deputy).select_related("publication").first()


def public_counts(deputy: Deputy) -> dict:
    """Activity counts per kind of the last published quarter, for the public card: no points, no ranks,
    nothing private. {"year", "quarter", "counts": {kind: n}, "labels": {kind: label}}."""
    ps = published_score(deputy)
    if ps is None:
        return {"year": None, "quarter": None, "counts": {}, "labels": {}}
    counts = {k: v.get("n", 0) for k, v in ps.breakdown.items() if v.get("n", 0) > 0}
    labels = dict(ActivityKind.choices)
    return {
        "year": ps.publication.year,
        "quarter": ps.publication.quarter,
        "counts": counts,
        "labels": {k: str(labels.get(k, k)) for k in counts},
    }


def scores(user, *, year: int, town=None, station=None, band="", order="rank") -> QuerySet:
    qs = visible_to(user, Score).filter(year=year).select_related("deputy", "town")
    if town:
        qs = qs.filter(town_id=town)
    if station:
        qs = qs.filter(station_id=station)
    if band:
        qs = qs.filter(band=band)
    return (
        qs.order_by("total", "deputy__name_pinyin")
        if order == "low"
        else qs.order_by("-total", "deputy__name_pinyin")
    )


GROUP_BY = {"town": "town_id", "station": "station_id", "group": "group_id"}


def score_groups(user, *, year: int, by: str) -> list[dict]:
    """Average score, count and the number in each band per town, station or deputy group (one query)."""
    from apps.people.models import DeputyGroup
    from apps.places.models import Region, Station

    key = GROUP_BY.get(by, "town_id")
    rows = list(
        visible_to(user, Score)
        .filter(year=year)
        .values(key)
        .annotate(
            n=Count("id"),
            avg=Avg("total"),
            good=Count("id", filter=Q(band=Band.GOOD)),
            fair=Count("id", filter=Q(band=Band.FAIR)),
            poor=Count("id", filter=Q(band=Band.POOR)),
        )
        .order_by("-avg")
    )
    model = {"town_id": Region, "station_id": Station, "group_id": DeputyGroup}[key]
    names = dict(model.objects.filter(pk__in=[r[key] for r in rows if r[key]]).values_list("pk", "name"))
    for r in rows:
        r["name"] = names.get(r[key], "—")
        r["avg"] = round(r["avg"] or 0, 1)
    return rows


def five_good_candidates(user, *, year: int) -> list[tuple[Score, list[str]]]:
    """五好代表 candidates from the figures: scores in the top band that meet the county table's tests."""
    tables = {t.county_id: t for t in PointsTable.objects.filter(year=year)}
    out = []
    for s in scores(user, year=year, band=Band.GOOD)[:500]:
        t = tables.get(s.county_id)
        if t is None:
            continue
        missing = rules.five_good(
            s.total,
            s.breakdown,
            min_score=t.five_good_min_score,
            min_suggestions=t.five_good_min_suggestions,
            good=local_value("DUTY_BAND_GOOD", t),  # the county's limit (a table has the county's id)
        )
        if not missing:
            out.append(s)
    return out


def removal_proposals(user, *, year: int) -> list[Score]:
    """Deputies still on the plate list with a poor band this year and last year: the system proposes
    removal (摘牌); the office confirms it as a plate action."""
    poor_last = Score.objects.filter(year=year - 1, band=Band.POOR).values("deputy_id")
    return list(
        visible_to(user, Score)
        .filter(year=year, band=Band.POOR, deputy__on_plate=True, deputy_id__in=poor_last)
        .select_related("deputy", "town")
        .order_by("total")[:500]
    )


def warning_candidates(user, *, year: int) -> QuerySet:
    """Poor-band deputies of the year without a warning for that year yet."""
    warned = PlateAction.objects.filter(year=year, kind="warning").values("deputy_id")
    return (
        visible_to(user, Score)
        .filter(year=year, band=Band.POOR, deputy__on_plate=True)
        .exclude(deputy_id__in=warned)
        .select_related("deputy", "town")
        .order_by("total")
    )


def plate_actions(user, *, year=None, deputy=None) -> QuerySet:
    qs = visible_to(user, PlateAction).select_related("deputy", "by", "town")
    if year:
        qs = qs.filter(year=year)
    if deputy:
        qs = qs.filter(deputy_id=deputy)
    return qs


def table_rows(table: PointsTable) -> dict:
    return {r.kind: (r.first_points, r.further_points, r.cap) for r in table.rules.all()}


def counts_by_deputy(*, year: int, deputy_ids=None, county_ids=None) -> dict[int, dict[str, int]]:
    """ONE aggregate: the approved records' units per deputy and kind in the year. The ORM writes the SQL;
    the rows are fetched as plain tuples (at province scale, ~900,000 of them)."""
    qs = DutyRecord.objects.filter(
        review_state=ReviewState.APPROVED,
        date__gte=datetime.date(year, 1, 1),
        date__lte=datetime.date(year, 12, 31),
    )
    if deputy_ids is not None:
        qs = qs.filter(deputy_id__in=deputy_ids)
    elif county_ids is not None:
        qs = qs.filter(county_id__in=county_ids)
    sql, params = (
        qs.values_list("deputy_id", "kind")
        .annotate(Count("id"), Sum("units"))
        .order_by()
        .query.sql_with_params()
    )
    out: dict[int, dict[str, int]] = {}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for dep, kind, _n, units in cur.fetchall():
            out.setdefault(dep, {})[kind] = int(units)
    return out

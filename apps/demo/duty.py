"""Demo and benchmark data for the duty app (DOMAIN §8).

`seed_demo_duty` runs last in seed_demo: this year's points table for 汉阴县 (the default table of
duty/rules.py), a year of self-reported records for every in-office deputy with a spread (some diligent, most
average, some poor), most approved, some pending, a few rejected with reasons, then the scores and ranks, the
last quarter published, and a couple of name-plate warnings. Deterministic for a given date; bulk inserts, no
audit events (the audit chain records what people did).

`bench_duty_records` writes ~30 approved records per deputy for the benchmark sets with COPY (PostgreSQL)."""

from __future__ import annotations

import datetime
import io
import random
import time

from django.db import connection
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant
from apps.duty import rules, services
from apps.duty.models import (
    ActivityKind,
    DutyRecord,
    PlateAction,
    PlateKind,
    PointsRule,
    PointsTable,
    ReviewState,
    Score,
    Source,
)
from apps.people.models import Deputy, Household, MandateStatus
from apps.places.models import Region

from .county import CountyBuilder

K = ActivityKind
# Records per year by profile: kind -> (low, high).
PROFILES = {
    "diligent": {
        K.STUDY: (4, 6),
        K.HOUSEHOLD_VISIT: (8, 14),
        K.INSPECTION: (2, 4),
        K.POVERTY_HELP: (4, 7),
        K.DIARY: (6, 12),
        K.OTHER: (2, 4),
    },
    "average": {
        K.STUDY: (2, 4),
        K.HOUSEHOLD_VISIT: (3, 8),
        K.INSPECTION: (1, 2),
        K.POVERTY_HELP: (1, 3),
        K.DIARY: (2, 5),
        K.OTHER: (0, 2),
    },
    "poor": {K.STUDY: (0, 1), K.HOUSEHOLD_VISIT: (0, 2), K.DIARY: (0, 1)},
}
TITLES = {
    K.STUDY: ["参加县人大代表履职培训", "学习《代表法》", "学习地方组织法修正案", "参加镇人大主席团学习会"],
    K.HOUSEHOLD_VISIT: ["走访联系户{h}", "入户走访{h}，了解生产生活情况", "走访{h}，听取对村道修缮的意见"],
    K.INSPECTION: [
        "视察农村饮水安全工程",
        "调研茶园产业发展",
        "参加道路交通安全执法检查",
        "视察义务教育学校建设",
    ],
    K.POVERTY_HELP: ["结对帮扶{h}：协调产业奖补", "看望结对户{h}", "帮助{h}联系务工岗位"],
    K.DIARY: [
        "民情日记：群众反映灌溉渠淤塞",
        "民情日记：村卫生室药品不全",
        "民情日记：路灯损坏",
        "民情日记：学生上学路远",
    ],
    K.OTHER: ["参加乡村振兴座谈会", "参与矛盾纠纷调解", "参加防汛值班"],
}
PLACES = ["镇人大代表联络站", "村委会", "镇政府会议室", "田间地头", "农户家中", "县人大常委会"]
DEMO_BASE_SCORE = 30
REJECT_REASONS = [
    "缺少活动照片，请补充",
    "内容过于简略，请补充走访情况",
    "与已登记的活动重复",
    "日期有误，请核实",
]


def _default_table(county_id: int, year: int, base_score: int = 0) -> PointsTable:
    table, created = PointsTable.objects.get_or_create(
        county_id=county_id, year=year, defaults={"base_score": base_score}
    )
    if created:
        PointsRule.objects.bulk_create(
            PointsRule(table=table, kind=k, first_points=f, further_points=fu, cap=c)
            for k, (f, fu, c) in rules.DEFAULT_ROWS.items()
        )
    return table


def _town_reviewers(county_id: int) -> dict[int, int]:
    grants = RoleGrant.objects.filter(role=Role.TOWN_OFFICE, region__county_id=county_id)
    return dict(grants.values_list("region_id", "user_id"))


def seed_demo_duty(builder: CountyBuilder) -> dict:
    rng = random.Random("demo-duty")
    today = timezone.localdate()
    year = today.year
    start = datetime.date(year, 1, 1)
    span = max(1, (today - start).days)
    share = min(1.0, (span + 30) / 365)  # the part of the year's activity done by today
    county_id = builder.county.id
    # 汉阴县's choice: a base of 30, so a deputy who attends and does the usual work reaches "fair".
    _default_table(county_id, year, base_score=DEMO_BASE_SCORE)
    reviewers = _town_reviewers(county_id)
    deputies = list(
        Deputy.objects.filter(county_id=county_id, status=MandateStatus.IN_OFFICE)
        .order_by("pk")
        .values_list("pk", "town_id", "user_id")
    )
    households: dict[int, list[tuple[int, str]]] = {}
    for pk, dep, head in Household.objects.filter(
        county_id=county_id, contact_deputy__isnull=False
    ).values_list("pk", "contact_deputy_id", "head_name"):
        households.setdefault(dep, []).append((pk, head))
    rows, profiles = [], {}
    for pk, town_id, user_id in deputies:
        roll = rng.random()
        profile = "diligent" if roll < 0.15 else "poor" if roll > 0.85 else "average"
        if user_id:  # the demo deputy login is average: points to gain on the phone page
            profile = "average"
        profiles[pk] = profile
        own = households.get(pk, [])
        for kind, (lo, hi) in PROFILES[profile].items():
            for _ in range(round(rng.randint(lo, hi) * share)):
                day = start + datetime.timedelta(days=rng.randrange(span + 1))
                hh = rng.choice(own) if own and kind in (K.HOUSEHOLD_VISIT, K.POVERTY_HELP) else None
                title = rng.choice(TITLES[kind]).format(h=hh[1] if hh else "群众")
                age = (today - day).days
                roll = rng.random()
                if age < 20 and roll < 0.5:
                    state, reason = ReviewState.PENDING, ""
                elif roll < 0.04:
                    state, reason = ReviewState.REJECTED, rng.choice(REJECT_REASONS)
                else:
                    state, reason = ReviewState.APPROVED, ""
                rows.append(
                    DutyRecord(
                        deputy_id=pk,
                        county_id=county_id,
                        town_id=town_id,
                        kind=kind,
                        date=day,
                        title=title[:200],
                        detail="",
                        place=rng.choice(PLACES),
                        hours=rng.choice([1, 2, 2, 3, 4]),
                        household_id=hh[0] if hh else None,
                        source=Source.SELF if rng.random() < 0.8 else Source.STAFF,
                        review_state=state,
                        review_reason=reason,
                        reviewed_by_id=reviewers.get(town_id) if state != ReviewState.PENDING else None,
                        created_by_id=user_id,
                    )
                )
    DutyRecord.objects.bulk_create(rows, batch_size=2000)
    scored = services.recompute(year=year, county_ids=[county_id])
    county = Region.objects.get(pk=county_id)
    quarter = max(1, rules.quarter_of(today) - 1)
    services.snapshot_scores(county=county, year=year, quarter=quarter)
    warned = _warnings(county_id, year, reviewers)
    return {
        "duty_records_entered": len(rows),
        "duty_records_pending": sum(r.review_state == ReviewState.PENDING for r in rows),
        "duty_scores": scored,
        "duty_published_quarter": quarter,
        "plate_warnings": warned,
    }


def _warnings(county_id: int, year: int, reviewers: dict[int, int]) -> int:
    """Two of the lowest scorers warned, one of them also talked to: the scheme's first steps."""
    lowest = list(
        Score.objects.filter(county_id=county_id, year=year, band="poor").order_by("total", "pk")[:2]
    )
    actions = []
    for i, s in enumerate(lowest):
        by = reviewers.get(s.town_id)
        day = timezone.localdate() - datetime.timedelta(days=10 - i)
        actions.append(
            PlateAction(
                deputy_id=s.deputy_id,
                county_id=county_id,
                town_id=s.town_id,
                kind=PlateKind.WARNING,
                year=year,
                date=day,
                reason="本年度履职积分偏低，予以警示",
                by_id=by,
            )
        )
        if i == 0:
            actions.append(
                PlateAction(
                    deputy_id=s.deputy_id,
                    county_id=county_id,
                    town_id=s.town_id,
                    kind=PlateKind.TALK,
                    year=year,
                    date=day,
                    reason="履职积分偏低，主席团约谈",
                    notes="代表表示今后按时参加活动，每月走访联系户。",
                    by_id=by,
                )
            )
    PlateAction.objects.bulk_create(actions)
    return len(lowest)


# --- benchmark ------------------------------------------------------------------------------------------

BENCH_KINDS = [
    K.STUDY,
    K.HOUSEHOLD_VISIT,
    K.INSPECTION,
    K.POVERTY_HELP,
    K.DIARY,
    K.OTHER,
    K.RECEPTION,
    K.SUGGESTION,
    K.CO_SIGNATURE,
    K.MEETING_ATTENDANCE,
]
COLUMNS = [
    "deputy_id",
    "county_id",
    "town_id",
    "kind",
    "date",
    "title",
    "detail",
    "place",
    "units",
    "source",
    "review_state",
    "review_reason",
    "source_id",
    "created_at",
]


def bench_duty_records(*, year: int, per_deputy: int = 30, county_ids=None, log=None) -> int:
    """Write `per_deputy` approved self-reported records per in-office deputy (a few absences among them)
    for the benchmark, with COPY on PostgreSQL (bulk_create elsewhere), and the default points table of each
    county. Deterministic. Returns the rows written."""
    rng = random.Random(f"bench-duty-{year}")
    deputies = Deputy.objects.filter(status=MandateStatus.IN_OFFICE)
    if county_ids is not None:
        deputies = deputies.filter(county_id__in=county_ids)
    counties = set()
    started, written = time.monotonic(), 0
    now = timezone.now().isoformat()
    buf = io.StringIO()

    def flush():
        nonlocal buf
        if connection.vendor == "postgresql":
            buf.seek(0)
            with (
                connection.cursor() as cur,
                cur.copy(f"COPY duty_dutyrecord ({', '.join(COLUMNS)}) FROM STDIN") as copy,
            ):
                copy.write(buf.getvalue())
        buf = io.StringIO()

    pending_objs = []
    for pk, county_id, town_id in (
        deputies.values_list("pk", "county_id", "town_id").order_by("pk").iterator(chunk_size=5000)
    ):
        counties.add(county_id)
        n = max(1, per_deputy + rng.randint(-per_deputy // 2, per_deputy // 2))
        for _ in range(n):
            kind = K.ABSENCE if rng.random() < 0.02 else rng.choice(BENCH_KINDS)
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            if connection.vendor == "postgresql":
                town = town_id if town_id else "\\N"
                buf.write(
                    f"{pk}\t{county_id}\t{town}\t{kind}\t{day}\t基准履职\t\t\t1\tself\tapproved\t\t\t{now}\n"
                )
            else:
                pending_objs.append(
                    DutyRecord(
                        deputy_id=pk,
                        county_id=county_id,
                        town_id=town_id,
                        kind=kind,
                        date=day,
                        title="基准履职",
                        source=Source.SELF,
                        review_state=ReviewState.APPROVED,
                    )
                )
            written += 1
        if written and written % 200_000 < n:
            flush()
            if log:
                log(f"  duty records: {written:,} ({time.monotonic() - started:.0f} s)")
    flush()
    if pending_objs:
        DutyRecord.objects.bulk_create(pending_objs, batch_size=5000)
    for county_id in counties:
        _default_table(county_id, year)
    return written

"""Every computed indicator against a hand-counted fixture: 城关镇 (town A) holds the records below, 涧池镇
(town B) a few that must not be counted for A, and records of other years that count for nobody."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.assessment import metrics
from apps.people.tests.factories import DeputyFactory

from .conftest import YEAR, day

LAST = YEAR - 1


def _at(d, hour=9):
    return timezone.make_aware(datetime.datetime.combine(d, datetime.time(hour)))


@pytest.fixture
def records(world):
    from apps.archive.models import ReportBackMeeting, ReportBackSpeaker
    from apps.duty.models import DutyRecord
    from apps.meetings.models import Meeting, Session
    from apps.opinions.models import Opinion, ReceptionDay
    from apps.places.tests.factories import HandlingUnitFactory
    from apps.rectification.models import RectificationItem
    from apps.suggestions.models import Feedback, Suggestion
    from apps.supervision.models import Activity, SupervisionPlan

    a, b = world.town_a, world.town_b
    today = timezone.localdate()
    # sessions: A two begun this year (one today at the latest), one last year; B one
    for town, starts in (
        (a, day(1, 5)),
        (a, min(today, day(12, 1))),
        (a, datetime.date(LAST, 3, 1)),
        (b, day(1, 6)),
    ):
        Session.objects.create(region=town, term=19, number=starts.month, title="人代会", starts_on=starts)
    # presidium meetings: A closed in Q1 (twice), Q3; one planned in Q4 (not held); B one in Q2
    for town, d, state in ((a, day(1, 8), "closed"), (a, day(2, 8), "closed"), (a, day(8, 8), "closed"),
                           (a, day(11, 8), "planned"), (b, day(5, 8), "closed")):  # fmt: skip
        Meeting.objects.create(
            region=town, kind="presidium", title="主席团会议", starts_at=_at(d), state=state
        )
    # reception days: A three recorded and one not; B one
    for town, station, m, recorded in ((a, world.station_a, 1, True), (a, world.station_a, 2, True),
                                       (a, world.station_a, 3, True), (a, world.station_a, 4, False),
                                       (b, world.station_b, 1, True)):  # fmt: skip
        ReceptionDay.objects.create(
            station=station, region=town, date=day(m, 15), recorded_at=timezone.now() if recorded else None
        )
    # opinions of A: 4 replied (3 on time), 3 visited (2 solved), satisfaction 2 happy of 3; last year's
    # opinion on time does not count; B's late one does not count for A.
    rows = [
        (a, day(), True, True, "satisfied"), (a, day(), True, True, "basic"),
        (a, day(), True, False, "dissatisfied"), (a, day(), False, None, ""), (a, day(), None, None, ""),
        (a, datetime.date(LAST, 5, 1), True, True, "satisfied"),
        (b, day(), False, False, "dissatisfied"),
    ]  # fmt: skip
    for town, received, on_time, solved, sat in rows:
        Opinion.objects.create(
            source="visit", title="路灯不亮", content="内容", region=town, received_on=received,
            state="closed", reply_on_time=on_time, solved=solved, satisfaction=sat,
        )  # fmt: skip
    # suggestions of A: 3 submitted this year (2 replied on time of 3 replied; categories A, B solved, C);
    # a draft and a declined one do not count.
    sugg = []
    for cat, on_time, solved_on, state in (("A", True, None, "closed"), ("B", True, day(6, 1), "closed"),
                                           ("C", False, None, "closed"), ("", None, None, "draft"),
                                           ("A", True, None, "declined")):  # fmt: skip
        sugg.append(
            Suggestion.objects.create(
                title="修路",
                content="内容",
                region=a,
                lead=world.deputy_a,
                submitted_on=day(2, 1),
                state=state,
                category=cat,
                reply_on_time=on_time,
                solved_on=solved_on,
            )
        )
    # feedback on A's suggestions: 2 happy of 3 rated, one no opinion (not rated); one on the draft
    da, da2 = world.deputy_a, world.deputy_a2
    for s, dep, result in ((sugg[0], da, "satisfied"), (sugg[1], da, "basic"), (sugg[2], da, "dissatisfied"),
                           (sugg[2], da2, "no_opinion"), (sugg[3], da, "satisfied")):  # fmt: skip
        Feedback.objects.create(suggestion=s, deputy=dep, round=1, handling=result, result=result)
    # deputies of A: 张三, 赵六 and a third (3 in office), one resigned; 张三 reported back at a closed
    # meeting, 赵六 at one still rating (does not count)
    third = DeputyFactory(name="王五", region=world.village_a, station=world.station_a)
    DeputyFactory(name="钱七", region=world.village_a, station=world.station_a, status="resigned")
    closed = ReportBackMeeting.objects.create(region=a, title="述职会", date=day(12, 1), state="closed")
    rating = ReportBackMeeting.objects.create(region=a, title="述职会", date=day(12, 2), state="rating")
    ReportBackSpeaker.objects.create(meeting=closed, deputy=world.deputy_a)
    ReportBackSpeaker.objects.create(meeting=rating, deputy=world.deputy_a2)
    # duty records: 张三 and 王五 approved this year (张三 twice), 赵六 only pending
    for dep, state in ((world.deputy_a, "approved"), (world.deputy_a, "approved"), (third, "approved"),
                       (world.deputy_a2, "pending")):  # fmt: skip
        DutyRecord.objects.create(
            deputy=dep, county=world.county, town=a, kind="study", date=day(), title="学习", source="self",
            review_state=state,
        )  # fmt: skip
    # supervision: A's plan of the year with 3 activities done, 1 under way; last year's done one
    for year, states in ((YEAR, ("done", "done", "done", "under_way")), (LAST, ("done",))):
        plan = SupervisionPlan.objects.create(region=a, year=year, title="监督计划", state="approved")
        for st in states:
            Activity.objects.create(plan=plan, region=a, kind="inspection", topic="饮水", state=st,
                                    starts_on=day(), ends_on=day())  # fmt: skip
    # rectification items of A this year: 2 accepted of 4
    unit = HandlingUnitFactory(name="城关镇水利站", region=a)
    for st in ("accepted", "accepted", "assigned", "reported"):
        RectificationItem.objects.create(
            region=a, unit=unit, title="整改", opened_on=day(), deadline=day(5, 1), state=st
        )
    return world


EXPECTED_A = {
    "sessions_held": Decimal(2),
    "presidium_quarters": Decimal(2),
    "reception_days_held": Decimal(3),
    "opinion_reply_on_time": Decimal("75.0"),  # 3 of 4
    "opinion_solved": Decimal("66.7"),  # 2 of 3
    "opinion_satisfaction": Decimal("66.7"),  # 2 of 3
    "suggestion_reply_on_time": Decimal("66.7"),  # 2 of 3
    "suggestion_solved": Decimal("66.7"),  # A, solved B, of A/B/C
    "suggestion_satisfaction": Decimal("66.7"),  # 2 happy of 3 rated
    "report_back_coverage": Decimal("33.3"),  # 1 of 3 serving
    "supervision_done": Decimal(3),
    "rectification_accepted": Decimal("50.0"),  # 2 of 4
    "duty_record_coverage": Decimal("66.7"),  # 2 of 3 serving
}


def test_every_computed_indicator_matches_the_hand_count(records):
    got = metrics.values(list(metrics.REGISTRY), records.county.pk, YEAR)
    assert set(EXPECTED_A) <= set(metrics.REGISTRY)
    for key, want in EXPECTED_A.items():
        assert got[key][records.town_a.pk]["value"] == want, key


def test_town_b_counts_only_its_own_records(records):
    got = metrics.values(list(EXPECTED_A), records.county.pk, YEAR)
    b = records.town_b.pk
    assert got["sessions_held"][b]["value"] == 1
    assert got["presidium_quarters"][b]["value"] == 1
    assert got["reception_days_held"][b]["value"] == 1
    assert got["opinion_reply_on_time"][b]["value"] == 0
    assert b not in got["supervision_done"]


def test_one_statement_per_indicator_whatever_the_towns(records):
    with CaptureQueriesContext(connection) as ctx:
        metrics.values(list(EXPECTED_A), records.county.pk, YEAR)
    assert len(ctx.captured_queries) == len(EXPECTED_A)


def test_drill_down_lists_the_records_behind_a_figure(records):
    metric = metrics.REGISTRY["opinion_reply_on_time"]
    rows = list(metrics.records(metric, records.town_a.pk, YEAR))
    assert len(rows) == 4 and sum(r.counted for r in rows) == 3
    coverage = list(metrics.records(metrics.REGISTRY["report_back_coverage"], records.town_a.pk, YEAR))
    assert {d.name for d in coverage if d.counted} == {"张三"} and len(coverage) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark's raw statement is PostgreSQL's")
def test_the_benchmarks_one_raw_statement_gives_the_same_counts(records):
    from bench.assessment import raw_sql, run_raw

    sql, params = raw_sql(YEAR)
    raw = run_raw(connection, sql, params, [records.county.pk])
    got = metrics.values(list(metrics.REGISTRY), records.county.pk, YEAR)
    for key, towns in got.items():
        for town, row in towns.items():
            assert raw[(key, town)] == (row["part"], row.get("whole")), key

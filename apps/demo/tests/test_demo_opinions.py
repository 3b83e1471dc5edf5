"""The demo year of opinions (apps/demo/opinions.py): every state, steps the engine would have written, dates
in order, deadlines from the calendar, reception days, duty records, and the Yangdong shape of the counts."""

import io
import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from apps.accounts.models import User
from apps.duty.models import ActivityKind, DutyRecord
from apps.opinions import selectors
from apps.opinions.models import Opinion, ReceptionDay
from apps.opinions.tests.factories import opinion as register
from apps.opinions.workflow import OPINION_WORKFLOW as WF
from apps.places.models import HandlingUnit, Region
from apps.workflow.models import Step

from ..bench import bench_county_spec
from ..bulk import BulkWriter
from ..names import People
from ..opinion_texts import TOPICS
from ..opinions import DemoOpinions, routing_hit_rate_on_demo, seed_demo_opinions
from ..seed import MODELS, build_county

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)  # a Friday; holidays of 2025 and 2026 are in the calendar table
ALL_STATES = {s.key for s in WF.states}
FINAL = {s.key for s in WF.states if s.final}


def small_county(seed: str = "small"):
    rng = random.Random(seed)
    w = BulkWriter(MODELS)
    spec = bench_county_spec(
        rng,
        code="980101",
        name="测试县",
        towns=2,
        villages=6,
        county_per_town=8,
        town_per_town=30,
        with_voters=False,
    )
    builder = build_county(w, rng, spec, None, People())
    w.finish()
    return builder


@pytest.fixture
def seeded():
    builder = small_county()
    counts = seed_demo_opinions(builder, today=TODAY, per_town=200)
    return builder, counts


def steps_by_item() -> dict[int, list[Step]]:
    out = defaultdict(list)
    ct = ContentType.objects.get_for_model(Opinion)
    for step in Step.objects.filter(content_type=ct).order_by("at", "pk"):
        out[step.object_id].append(step)
    return out


def test_items_in_every_state_in_each_town(seeded):
    _builder, counts = seeded
    assert counts["opinions"] == Opinion.objects.count() >= 400
    for town in Region.objects.filter(level="town"):
        states = set(Opinion.objects.filter(town=town).values_list("state", flat=True))
        assert states == ALL_STATES, town.name
    sources = Counter(Opinion.objects.values_list("source", flat=True))
    total = sum(sources.values())
    assert 0.38 < sources["reception"] / total < 0.52
    assert 0.18 < sources["visit"] / total < 0.32
    assert all(sources[s] for s in ("letter", "online", "enterprise", "deliberation"))


def test_steps_follow_the_workflow_to_the_state_of_each_item(seeded):
    steps = steps_by_item()
    for item in Opinion.objects.all():
        chain = steps[item.pk]
        assert (
            chain[0].transition == "create"
            and chain[0].from_state == ""
            and chain[0].to_state == "registered"
        )
        for before, after in pairwise(chain):
            t = WF.transition(after.transition)
            assert after.from_state == before.to_state and after.from_state in t.sources
            assert after.to_state == t.target and after.at >= before.at
        assert chain[-1].to_state == item.state and item.version == len(chain) - 1
        assert chain[-1].due_date == item.due_date and chain[-1].at == item.state_since
        keys = [s.transition for s in chain]
        if item.state == "closed":
            assert keys[-1] == "close" and timezone.localtime(chain[-1].at).date() == item.closed_on
        if item.assigned_on:
            assert "assign" in keys
        if item.state == "merged":
            target = item.merged_into
            assert target.town_id == item.town_id and target.received_on <= item.received_on
            closed = [s for s in steps[target.pk] if s.to_state in FINAL]
            assert not closed or closed[0].at > chain[-1].at  # merged into an item still open then


def test_dates_are_in_order_and_within_the_year(seeded):
    items = Opinion.objects.all()
    assert not items.filter(received_on__gt=TODAY).exists()
    assert not items.filter(received_on__lt=TODAY - timedelta(days=365)).exists()
    for a, b in (
        ("received_on", "assigned_on"),
        ("assigned_on", "replied_on"),
        ("received_on", "replied_on"),
        ("replied_on", "visited_on"),
        ("visited_on", "closed_on"),
    ):
        assert not items.filter(**{f"{b}__lt": F(a)}).exists(), (a, b)
    assert not items.filter(state="closed", closed_on__isnull=True).exists()
    assert not items.filter(state="closed", satisfaction="").exists()
    assert not items.exclude(state__in=["closed", "visited"]).exclude(satisfaction="").exists()
    assert not Step.objects.filter(at__date__gt=TODAY).exists()
    steps = steps_by_item()
    fields = {
        "assigned_on": ("assign", "reassign"),
        "replied_on": ("reply", "answer_on_spot"),
        "visited_on": ("visit",),
        "closed_on": ("close",),
    }
    for item in items:
        chain = steps[item.pk]
        assert timezone.localtime(chain[0].at).date() == item.received_on
        for name, keys in fields.items():
            taken = [s for s in chain if s.transition in keys]
            if getattr(item, name):
                assert timezone.localtime(taken[-1].at).date() == getattr(item, name), (item.pk, name)


def test_reply_on_time_and_due_dates_follow_the_calendar(seeded):
    steps = steps_by_item()
    for item in Opinion.objects.filter(replied_on__isnull=False):
        if item.on_spot:
            assert item.reply_on_time is True
            continue
        assign = [s for s in steps[item.pk] if s.transition in ("assign", "reassign")][-1]
        assert item.reply_on_time == (item.replied_on <= assign.due_date)
    for item in Opinion.objects.filter(state__in=WF.timed_states()):
        expected = WF.state(item.state).due.resolve(timezone.localtime(item.state_since).date()).due
        assert item.due_date == expected, item.tracking_code
    assert not Opinion.objects.filter(state__in=FINAL | {"visited"}, due_date__isnull=False).exists()
    on_time = Opinion.objects.filter(reply_on_time=True).count()
    replied = Opinion.objects.filter(replied_on__isnull=False).count()
    assert 0.85 < on_time / replied < 0.99


def test_reception_days_are_linked_and_add_up(seeded):
    builder, _counts = seeded
    for town in builder.towns:
        days = ReceptionDay.objects.filter(station_id=town.station_id)
        held = days.filter(recorded_at__isnull=False)
        assert held.count() == 12 and days.count() == 13
        assert not held.filter(date__gt=TODAY).exists() and days.exclude(pk__in=held).get().date > TODAY
        assert 900 <= held.aggregate(n=Sum("voters_received"))["n"] <= 1210
        assert not held.annotate(n=Count("present")).filter(n=0).exists()
        assert not days.exclude(rota__town_id=town.node.id).exists()
    reception = Opinion.objects.filter(source="reception")
    assert not reception.filter(reception_day__isnull=True).exists()
    assert not reception.exclude(received_on=F("reception_day__date")).exists()
    assert not reception.exclude(station=F("reception_day__station")).exists()
    per_day = reception.values("reception_day").annotate(n=Count("pk"))
    voters = dict(ReceptionDay.objects.values_list("pk", "voters_received"))
    assert all(voters[row["reception_day"]] >= row["n"] for row in per_day)


def test_duty_records_as_the_platform_appends_them(seeded):
    ct_day = ContentType.objects.get_for_model(ReceptionDay)
    ct_item = ContentType.objects.get_for_model(Opinion)
    presence = ReceptionDay.present.through.objects.count()
    records = DutyRecord.objects.all()
    assert records.filter(kind=ActivityKind.RECEPTION, source_type=ct_day).count() == presence
    visits = Opinion.objects.filter(source="visit")
    assert records.filter(kind=ActivityKind.HOUSEHOLD_VISIT, source_type=ct_item).count() == visits.count()
    assert records.filter(source_type=ContentType.objects.get_for_model(Step)).exists()  # return visits
    assert not records.exclude(source="platform").exists()
    assert not records.exclude(review_state="approved").exists()
    assert not records.exclude(town=F("deputy__town")).exists()
    assert not visits.exclude(deputy__town=F("town")).exists()


def test_counts_have_the_yangdong_shape(seeded):
    items = Opinion.objects.all()
    total = items.count()
    assert items.filter(assigned_on__isnull=False).count() / total > 0.9
    old = items.filter(received_on__lt=TODAY - timedelta(days=90))
    resolved = old.filter(state="closed", solved=True).count() / old.count()
    assert 0.88 <= resolved <= 0.97
    assigned = items.filter(assigned_on__isnull=False).count()
    overdue = items.filter(state__in=WF.timed_states(), due_date__lt=TODAY)
    assert 0.015 <= overdue.count() / assigned <= 0.06
    assert set(overdue.values_list("town", flat=True)) == set(
        Region.objects.filter(level="town").values_list("pk", flat=True)
    )
    satisfaction = Counter(items.exclude(satisfaction="").values_list("satisfaction", flat=True))
    assert satisfaction["satisfied"] > satisfaction["basic"] > satisfaction["dissatisfied"] > 0


def test_every_unit_the_texts_name_exists_and_takes_items_of_its_town(seeded):
    builder, _counts = seeded
    names = {(u.town_id, u.name) for u in HandlingUnit.objects.all()}
    for town in builder.towns:
        for topic in TOPICS:
            for template in topic.units:
                town_id = town.node.id if "{town}" in template else None
                assert (town_id, template.format(town=town.node.name)) in names
    assert not Opinion.objects.filter(unit__town__isnull=False).exclude(unit__town=F("town")).exists()
    assert not Opinion.objects.filter(assigned_on__isnull=False, unit__isnull=True).exists()


def test_missing_units_are_created_in_the_county():
    builder = small_county()
    HandlingUnit.objects.filter(name="县水利局").delete()
    counts = seed_demo_opinions(builder, today=TODAY, per_town=40)
    assert counts["units_added"] == 1
    unit = HandlingUnit.objects.get(name="县水利局")
    assert unit.level == "county" and unit.county_id == builder.county.id and unit.town_id is None


def test_the_seed_writes_what_the_engine_writes(world):
    """A closed item replayed by the seed carries the same step fields as one taken through the engine."""
    item = register(world)
    from apps.opinions import services

    for key, data, actor in (
        ("accept", {}, world.town_user),
        ("assign", {"unit": world.unit_a.pk, "responsible_person": "王五"}, world.town_user),
        ("reply", {"reply": "已安排施工"}, world.unit_user),
        (
            "visit",
            {"visit_method": "phone", "satisfaction": "satisfied", "solved": True, "visit_note": "满意"},
            world.town_user,
        ),
        ("close", {}, world.town_user),
    ):
        item = services.act(actor=actor, item=item, key=key, data=data)
    engine_keys = {
        s.transition: set(s.summary) - {"due_date"} for s in Step.objects.filter(object_id=item.pk)
    }
    Opinion.objects.all().delete()
    Step.objects.all().delete()
    builder = small_county()
    seed_demo_opinions(builder, today=TODAY, per_town=60)
    steps = steps_by_item()
    plain = next(
        chain
        for chain in steps.values()
        if [s.transition for s in chain] == ["create", "accept", "assign", "reply", "visit", "close"]
    )
    seeded_keys = {s.transition: set(s.summary) - {"due_date"} for s in plain}
    assert seeded_keys == engine_keys


def test_the_same_date_gives_the_same_year():
    def snapshot():
        sid = transaction.savepoint()
        builder = small_county()
        seed_demo_opinions(builder, today=TODAY, per_town=30)
        rows = list(
            Opinion.objects.order_by("pk").values_list("tracking_code", "state", "title", "received_on")
        )
        transaction.savepoint_rollback(sid)
        return rows

    first = snapshot()
    assert first and snapshot() == first


def test_routing_hit_rate_on_a_county(seeded):
    r = routing_hit_rate_on_demo("980101")
    assert r["items"] == Opinion.objects.filter(unit__isnull=False).count()
    assert 0.6 < r["within_town"] <= 1 and 0.4 < r["county_pool"] <= 1
    assert len(r["per_town"]) == 2


def test_demo_logins_each_see_items_in_several_states():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "opinions" in out.getvalue()

    def states(username):
        qs = selectors.opinions(User.objects.get(username=username))
        return set(qs.values_list("state", flat=True)), selectors.opinions(
            User.objects.get(username=username), overdue=True
        ).count()

    for username in ("town", "station", "deputy", "unit", "county"):
        seen, overdue = states(username)
        assert len(seen) >= 4, (username, seen)
        assert seen & {"registered", "accepted", "assigned", "replied", "visited"}, username
        if username != "station":
            assert overdue >= 1, username
    days = ReceptionDay.objects.filter(station__keeper__username="station")
    assert days.filter(rota__user__username="deputy").exists()
    before = Opinion.objects.count()
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    assert Opinion.objects.count() == before


def test_runner_refuses_an_illegal_step():
    builder = small_county()
    runner = DemoOpinions(builder, rng=random.Random(1), today=TODAY)
    item = Opinion(state="registered", due_date=None, version=0)
    from ..opinions.shape import PUBLIC, Event

    with pytest.raises(AssertionError):
        runner._move(item, Event("close", TODAY, PUBLIC), None, ["state"])


# --- benchmark scale ---------------------------------------------------------------------------------------


def seed_bench(*extra):
    call_command("seed_bench", "--scale", "county", "--towns", "2", *extra, stdout=io.StringIO())


def test_seed_bench_writes_a_year_of_opinions_per_town():
    seed_bench("--opinions-per-town", "600")
    items = Opinion.objects.all()
    assert items.count() == 1200
    assert set(items.values_list("state", flat=True)) == ALL_STATES
    assert all(
        code.startswith("MB") and len(code) == 12 for code in items.values_list("tracking_code", flat=True)
    )
    assert items.values("tracking_code").distinct().count() == 1200
    assert not items.filter(topic_key="").exists()  # as intake would give them (issue 18 roll-up)
    today = timezone.localdate()
    assert not items.filter(received_on__gt=today).exists()
    assert not items.filter(received_on__lt=today - timedelta(days=365)).exists()
    for a, b in (("received_on", "assigned_on"), ("assigned_on", "replied_on"), ("replied_on", "visited_on")):
        assert not items.filter(**{f"{b}__lt": F(a)}).exists()
    assigned = items.filter(assigned_on__isnull=False).count()
    assert assigned / 1200 > 0.9
    overdue = items.filter(state__in=WF.timed_states(), due_date__lt=today).count()
    assert 0.01 < overdue / assigned < 0.06
    for item in items.filter(state__in=WF.timed_states())[:200]:
        assert (
            item.due_date == WF.state(item.state).due.resolve(timezone.localtime(item.state_since).date()).due
        )
    late = items.filter(replied_on__isnull=False, on_spot=False, reply_on_time=False).count()
    assert 0 < late < 0.15 * assigned
    reception = items.filter(source="reception")
    assert not reception.exclude(received_on=F("reception_day__date")).exists()
    assert not items.exclude(town=F("region__town")).exists()
    assert not items.filter(unit__town__isnull=False).exclude(unit__town=F("town")).exists()
    per_station = ReceptionDay.objects.values("station").annotate(n=Count("pk"))
    assert {row["n"] for row in per_station} == {13} and len(per_station) == 2


def test_bench_codes_are_unique_and_short():
    from ..opinions import bench_code

    codes = {bench_code(n) for n in range(1, 5000)} | {bench_code(2_000_000), bench_code(32**10 - 1)}
    assert len(codes) == 5001 and all(len(c) == 12 for c in codes)


@pytest.mark.postgres
def test_a_large_bench_load_drops_and_restores_the_indexes(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("indexes are dropped for the load on PostgreSQL only")
    from ..opinions import BenchOpinions

    def indexes():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'opinions_opinion' UNION ALL "
                "SELECT conname FROM pg_constraint WHERE conrelid = 'opinions_opinion'::regclass"
            )
            return sorted(row[0] for row in cur.fetchall())

    before = indexes()
    monkeypatch.setattr(BenchOpinions, "BULK_ROWS", 100)
    seed_bench("--opinions-per-town", "100")
    assert Opinion.objects.count() == 200
    assert indexes() == before

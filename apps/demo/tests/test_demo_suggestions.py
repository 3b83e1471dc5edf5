"""The last session's suggestions and motions of the demo (apps/demo/suggestions.py): every state, steps the
engine would have written, signers and their feedback, numbers, duty records as the services append them,
and the figures' shape (DOMAIN §4: resolution next to satisfaction)."""

import io
import re
from collections import Counter, defaultdict
from datetime import date
from itertools import pairwise

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.duty.models import ActivityKind, DutyRecord
from apps.opinions.models import Opinion
from apps.people.models import Deputy
from apps.suggestions import selectors, services
from apps.suggestions.models import (
    CoHandling,
    Feedback,
    Motion,
    Signature,
    SignatureStatus,
    Suggestion,
    SupervisionVisit,
)
from apps.suggestions.rules import conclusion
from apps.suggestions.workflow import COHANDLING_WORKFLOW, MOTION_WORKFLOW, SUGGESTION_WORKFLOW
from apps.workflow.models import Step

from ..logins import create_demo_logins
from ..opinions import seed_demo_opinions
from ..suggestions import seed_demo_suggestions, session_day
from .test_demo_opinions import TODAY, small_county

pytestmark = pytest.mark.django_db

WF = SUGGESTION_WORKFLOW
ALL_STATES = {s.key for s in WF.states}
NUMBER = re.compile(r"^\w+建〔(\d{4})〕(\d+)号$")  # 城关建〔2026〕12号: the town's short name first


def seed(total=120, seed_name="small"):
    builder = small_county(seed_name)
    create_demo_logins(builder)
    seed_demo_opinions(builder, today=TODAY, per_town=60)
    counts = seed_demo_suggestions(builder, today=TODAY, total=total)
    return builder, counts


@pytest.fixture
def seeded():
    return seed()


def chains(model) -> dict[int, list[Step]]:
    out = defaultdict(list)
    ct = ContentType.objects.get_for_model(model)
    for step in Step.objects.filter(content_type=ct).order_by("at", "pk"):
        out[step.object_id].append(step)
    return out


def check_chain(wf, item, chain):
    assert chain[0].transition == "create" and chain[0].from_state == "" and chain[0].to_state == wf.initial
    for before, after in pairwise(chain):
        t = wf.transition(after.transition)
        assert after.from_state == before.to_state and after.from_state in t.sources, (item.pk, after)
        assert after.to_state == t.target and after.at >= before.at
    assert chain[-1].to_state == item.state and item.version == len(chain) - 1, item.pk
    assert chain[-1].due_date == item.due_date and chain[-1].at == item.state_since, item.pk


def day_of(step) -> date:
    return timezone.localtime(step.at).date()


# --- states and shares --------------------------------------------------------------------------------------


def test_every_state_and_the_shape_of_a_session(seeded):
    _builder, counts = seeded
    assert counts["suggestions"] == Suggestion.objects.count() == 120
    states = Counter(Suggestion.objects.values_list("state", flat=True))
    assert set(states) == ALL_STATES, states
    assert states["closed"] > 0.5 * sum(states.values())
    replied = Suggestion.objects.filter(rounds__gt=0)
    cats = Counter(replied.values_list("category", flat=True))
    n = sum(cats.values())
    assert 0.35 < cats["A"] / n < 0.55 and 0.25 < cats["B"] / n < 0.45
    assert 0.07 < cats["C"] / n < 0.23 and cats["D"] / n < 0.1
    # B items partly solved later; tracked ones are B or C, replied to again when solved.
    assert replied.filter(category="B", solved_on__isnull=False, state="closed").exists()
    assert replied.filter(category="B", state="tracking").exists()
    assert not Suggestion.objects.filter(state="tracking").exclude(category__in="BC").exists()
    assert not Suggestion.objects.filter(solved_on__isnull=False).exclude(category__in="BC").exists()
    periods = Counter(Suggestion.objects.values_list("period", flat=True))
    assert 0.1 < periods["between"] / 120 < 0.35
    # Joint ones with 2-6 confirmed co-signers, co-handling for about a fifth of the assigned.
    confirmed = Suggestion.objects.annotate(
        n=Count("signatures", filter=Q(signatures__status="confirmed", signatures__is_lead=False))
    )
    joint = confirmed.filter(n__gt=0)
    assert joint.count() > 25 and not joint.filter(n__gt=6).exclude(from_motion__isnull=False).exists()
    assigned = Suggestion.objects.filter(unit__isnull=False)
    with_co = assigned.filter(cohandlings__isnull=False).distinct().count()
    assert 0.08 < with_co / assigned.count() < 0.35
    assert Suggestion.objects.filter(extended=True).count() == 1
    assert Suggestion.objects.filter(publish=False).exists()
    assert Suggestion.objects.filter(publish=True).count() > 100
    overdue = selectors.suggestions(User.objects.get(username="county"), overdue=True, today=TODAY)
    assert 1 <= overdue.count() <= 8 and set(overdue.values_list("state", flat=True)) <= {"assigned"}


def test_session_labels_and_dates(seeded):
    builder, _counts = seeded
    for index, town in enumerate(builder.towns):
        items = Suggestion.objects.filter(town_id=town.node.id, period="session")
        labels = set(items.values_list("session_label", flat=True))
        assert labels == {f"测试县{town.node.name}第十八届人民代表大会第五次会议"}
        opening = session_day(2026, index)
        for s in items:
            assert 0 <= (timezone.localtime(s.created_at).date() - opening).days <= 4
    assert not Suggestion.objects.filter(created_at__date__gt=TODAY).exists()
    assert not Step.objects.filter(at__date__gt=TODAY).exists()


def test_key_suggestions_followed_by_a_presidium_member_of_the_town(seeded):
    keys = Suggestion.objects.filter(is_key=True).select_related("key_member")
    assert 5 <= keys.count() <= 25
    for item in keys:
        assert item.key_member.town_id == item.town_id and item.key_member.is_presidium_member
    visits = Counter(SupervisionVisit.objects.values_list("suggestion_id", flat=True))
    assert set(visits) <= set(keys.values_list("pk", flat=True))
    assert visits and max(visits.values()) <= 3
    for v in SupervisionVisit.objects.select_related("suggestion"):
        assert v.suggestion.assigned_on <= v.date <= TODAY


# --- steps --------------------------------------------------------------------------------------------------


def test_steps_follow_the_workflow_to_the_state_of_each_item(seeded):
    steps = chains(Suggestion)
    for item in Suggestion.objects.all():
        chain = steps[item.pk]
        check_chain(WF, item, chain)
        keys = [s.transition for s in chain]
        assert keys.count("reply") == item.rounds
        assert (item.number != "") == ("register" in keys)
        if item.state == "closed":
            assert day_of(chain[-1]) == item.closed_on and keys[-1] in ("close", "solved")
        if item.solved_on:
            assert keys[-1] == "solved" and day_of(chain[-1]) == item.solved_on
        if item.assigned_on:
            assert day_of([s for s in chain if s.transition == "assign"][-1]) == item.assigned_on
        if item.rounds:
            reply = [s for s in chain if s.transition == "reply"][-1]
            assert day_of(reply) == item.replied_on and item.consult_method
            assert item.reply_on_time == reply.on_time
        if item.state == "merged":
            target = item.merged_into
            assert target.town_id == item.town_id and target.number in item.outcome_note
            register = next(s for s in steps[target.pk] if s.transition == "register")
            assert register.at < chain[-1].at
        for step in chain:
            if step.transition in ("track", "close", "rehandle"):
                assert step.actor_id is None and step.actor_label == "系统"
    parts = chains(CoHandling)
    for part in CoHandling.objects.select_related("suggestion"):
        check_chain(COHANDLING_WORKFLOW, part, parts[part.pk])
        assign = [s for s in steps[part.suggestion_id] if s.transition == "assign"][-1]
        assert parts[part.pk][0].at == assign.at
        if part.input_on and part.suggestion.replied_on:
            assert part.input_on <= part.suggestion.replied_on


def test_deadlines_come_from_the_workflow(seeded):
    """Reply within 3 months of assignment (to a working day), 6 with the one extension; the due date of
    every step is what the state's Due gives on that day."""
    from apps.calendar.services import deadline

    for item in Suggestion.objects.filter(state="assigned"):
        months = 6 if item.extended else 3
        assert item.due_date == deadline(item.assigned_on, months=months).due
    for step in Step.objects.filter(content_type=ContentType.objects.get_for_model(Suggestion)):
        due = WF.state(step.to_state).due
        if step.transition == "extend" or due is None:
            continue
        assert step.due_date == due.resolve(day_of(step)).due, step


def test_motions_by_the_presidium_and_by_five_or_more_deputies(seeded):
    motions = {m.state: m for m in Motion.objects.all()}
    assert Motion.objects.count() == 3
    agenda = Motion.objects.filter(state="on_agenda")
    assert agenda.filter(by_presidium=True, lead__isnull=True).count() == 1
    deputies = agenda.get(by_presidium=False)
    assert deputies.signatures.filter(status="confirmed").count() >= 5
    turned = motions["to_suggestion"]
    assert turned.signatures.filter(status="confirmed").count() >= 5
    item = turned.suggestion
    assert item.title == turned.title and item.lead_id == turned.lead_id and item.period == "session"
    assert set(item.signatures.values_list("deputy_id", flat=True)) == set(
        turned.signatures.values_list("deputy_id", flat=True)
    )
    steps = chains(Motion)
    for m in Motion.objects.all():
        check_chain(MOTION_WORKFLOW, m, steps[m.pk])
    first = chains(Suggestion)[item.pk][:2]
    assert [s.transition for s in first] == ["create", "submit"] and first[1].actor_label == "系统"


# --- signers and feedback -----------------------------------------------------------------------------------


def test_every_signer_of_a_replied_and_rated_item_has_rated_each_round(seeded):
    feedback = defaultdict(list)
    for fb in Feedback.objects.order_by("at", "pk"):
        feedback[(fb.suggestion_id, fb.round)].append(fb)
    for item in Suggestion.objects.filter(rounds__gt=0):
        signers = set(item.signers().values_list("pk", flat=True))
        assert Signature.objects.filter(suggestion=item, is_lead=True, deputy=item.lead).exists()
        for rnd in range(1, item.rounds + 1):
            rows = feedback[(item.pk, rnd)]
            raters = {fb.deputy_id for fb in rows}
            assert raters <= signers and len(raters) == len(rows)
            if rnd == item.rounds and item.state == "replied":
                assert raters < signers  # awaiting ratings
                continue
            assert raters == signers, (item.pk, item.state, rnd)
            # What the engine did after the last rating (at once on a "dissatisfied" one).
            pairs = [(fb.handling, fb.result) for fb in rows]
            if rnd < item.rounds or item.state == "rehandling":
                expected = "rehandle"
            else:
                expected = "track" if item.category in ("B", "C") else "close"
            assert conclusion(pairs, item.category, len(signers)) == expected, item.pk
            assert conclusion(pairs[:-1], item.category, len(signers)) is None
    # Declined or invited deputies are no signers and never rate.
    outsiders = Signature.objects.exclude(status=SignatureStatus.CONFIRMED)
    assert outsiders.filter(status="declined").exists()
    for sig in outsiders:
        assert not Feedback.objects.filter(suggestion_id=sig.suggestion_id, deputy_id=sig.deputy_id).exists()
    assert Signature.objects.filter(status="invited", suggestion__state="draft").exists()
    assert not Signature.objects.filter(status="invited").exclude(suggestion__state="draft").exists()


def test_dissatisfied_ratings_lead_to_rehandling(seeded):
    again = Suggestion.objects.filter(Q(rounds=2) | Q(state="rehandling"))
    assert again.exists()
    for item in again:
        first = Feedback.objects.filter(suggestion=item, round=1)
        assert first.filter(Q(handling="dissatisfied") | Q(result="dissatisfied")).exists()
        assert not Feedback.objects.filter(suggestion=item, round=2, result="dissatisfied").exists()
    once = Suggestion.objects.filter(rounds=1).exclude(state__in=["rehandling", "replied"])
    assert not Feedback.objects.filter(suggestion__in=once, result="dissatisfied").exists()


def test_numbers_are_unique_and_running_per_town_and_year(seeded):
    steps = chains(Suggestion)
    by_town = defaultdict(list)
    for item in Suggestion.objects.exclude(number=""):
        m = NUMBER.match(item.number)
        assert m, item.number
        register = next(s for s in steps[item.pk] if s.transition == "register")
        by_town[(item.town_id, int(m.group(1)))].append((register.at, int(m.group(2))))
    assert by_town
    for rows in by_town.values():
        assert [n for _at, n in sorted(rows)] == list(range(1, len(rows) + 1))
    dup = Suggestion.objects.exclude(number="").values("town", "number").annotate(n=Count("pk"))
    assert not dup.filter(n__gt=1).exists()


# --- duty records -------------------------------------------------------------------------------------------


def test_duty_records_as_the_services_append_them(seeded):
    ct_s = ContentType.objects.get_for_model(Suggestion)
    ct_step = ContentType.objects.get_for_model(Step)
    ct_m = ContentType.objects.get_for_model(Motion)
    steps = chains(Suggestion)
    want = set()
    for item in Suggestion.objects.all():
        keys = [s.transition for s in steps[item.pk]]
        from_motion = Motion.objects.filter(suggestion=item).exists()
        if "submit" in keys and not from_motion:
            want.add((item.lead_id, ActivityKind.SUGGESTION, ct_s.pk, str(item.pk)))
        if not from_motion:
            for sig in item.signatures.filter(is_lead=False, status="confirmed"):
                want.add((sig.deputy_id, ActivityKind.CO_SIGNATURE, ct_s.pk, str(item.pk)))
        # registering (立案) adds no record: a suggestion counts once (issue 14, item 7)
    for m in Motion.objects.all():
        if m.lead_id:
            want.add((m.lead_id, ActivityKind.MOTION, ct_m.pk, str(m.pk)))
        for sig in m.signatures.filter(is_lead=False):
            want.add((sig.deputy_id, ActivityKind.CO_SIGNATURE, ct_m.pk, str(m.pk)))
    ours = DutyRecord.objects.filter(source_type__in=[ct_s, ct_m])
    got = list(ours.values_list("deputy_id", "kind", "source_type_id", "source_id"))
    assert len(got) == len(set(got)) and set(got) == want
    assert not DutyRecord.objects.filter(source_type=ct_step, kind=ActivityKind.SUGGESTION).exists()
    # one 提出建议 per submitted suggestion of a deputy (not from a motion), one 联名附议 per confirmation
    by_kind = Counter(ours.filter(source_type=ct_s).values_list("kind", flat=True))
    assert by_kind[ActivityKind.SUGGESTION] == len({w for w in want if w[1] == ActivityKind.SUGGESTION}) > 50
    for rec in ours.select_related("deputy"):
        assert rec.source == "platform" and rec.review_state == "approved"
        assert rec.county_id == rec.deputy.county_id and rec.town_id == rec.deputy.town_id


# --- figures ------------------------------------------------------------------------------------------------


def test_figures_show_resolution_below_satisfaction(seeded):
    user = User.objects.get(username="county")
    rows = selectors.figures(user, by="town", year=2026)
    assert len(rows) == 2
    keys = {"total", "replied", "on_time", "a", "b", "c", "d", "solved", "overdue", "rated"}
    assert keys | {"on_time_rate", "solved_rate", "satisfaction_rate", "a_share"} <= set(rows[0])
    replied = sum(r["replied"] for r in rows)
    a = sum(r["a"] for r in rows)
    assert 0.35 < a / replied < 0.55
    assert sum(r["on_time"] for r in rows) / replied > 0.85
    solved = sum(r["solved"] for r in rows) / replied
    happy = Feedback.objects.filter(result__in=["satisfied", "basic"]).count()
    rated = Feedback.objects.exclude(result="no_opinion").count()
    assert solved < happy / rated and happy / rated > 0.85 and 0.5 < solved < 0.9
    for r in rows:
        assert r["solved_rate"] < r["satisfaction_rate"]
    units = selectors.figures(user, by="unit", year=2026)
    assert (
        sum(r["total"] for r in units)
        == Suggestion.objects.filter(unit__isnull=False, created_at__year=2026)
        .exclude(state__in=["draft", "declined", "merged"])
        .count()
    )


# --- the demo logins, determinism, the engine ---------------------------------------------------------------


def test_converted_opinions_become_linked_suggestions_of_their_deputy(seeded):
    converted = Opinion.objects.filter(state="converted")
    assert converted.exists()
    for op in converted:
        linked = list(op.suggestions.all())
        assert len(linked) == 1
        item = linked[0]
        assert item.period == "between" and item.town_id == op.town_id and item.title == op.title[:100]
        if op.deputy_id:
            assert item.lead_id == op.deputy_id
        convert = next(s for s in chains(Opinion)[op.pk] if s.transition == "convert")
        create = chains(Suggestion)[item.pk][0]
        assert create.at > convert.at and create.actor_label == convert.actor_label


def test_the_same_date_gives_the_same_session():
    def snapshot():
        sid = transaction.savepoint()
        seed(total=60, seed_name="again")
        rows = list(
            Suggestion.objects.order_by("pk").values_list("number", "state", "title", "category", "due_date")
        )
        transaction.savepoint_rollback(sid)
        return rows

    first = snapshot()
    assert first and snapshot() == first


def test_the_seed_writes_what_the_engine_writes(world):
    """A suggestion taken through the services carries the same step fields as a seeded one."""
    from apps.suggestions.tests.factories import deputy_a2_user, draft

    item = draft(world)
    services.respond(actor=deputy_a2_user(world), item=item, accept=True)
    item = services.act(actor=world.deputy_user, item=item, key="submit")
    item = services.act(actor=world.town_user, item=item, key="register")
    assign = {"unit": world.unit_a.pk, "responsible_person": "王五"}
    item = services.act(actor=world.town_user, item=item, key="assign", data=assign)
    services.record_consultation(actor=world.unit_user, item=item, method="phone", on="2026-11-20")
    item.refresh_from_db()
    reply = {
        "category": "A",
        "doc_number": "城政函〔2026〕5号",
        "signer": "王镇长",
        "done_text": "已硬化。",
        "reply_text": "已完成。",
    }
    item = services.act(actor=world.unit_user, item=item, key="reply", data=reply)
    services.rate(actor=world.deputy_user, item=item, handling="satisfied", result="satisfied")
    item.refresh_from_db()
    services.rate(actor=deputy_a2_user(world), item=item, handling="basic", result="satisfied")
    due = {"due_date", "due_provisional"}  # whether a deadline is provisional depends on the day
    engine = {s.transition: set(s.summary) - due for s in Step.objects.filter(object_id=item.pk)}
    assert Suggestion.objects.get(pk=item.pk).state == "closed"
    duty = Counter(DutyRecord.objects.values_list("kind", flat=True))
    Step.objects.all().delete()
    DutyRecord.objects.all().delete()
    Suggestion.objects.all().delete()

    seed(total=80)
    for chain in chains(Suggestion).values():
        keys = [s.transition for s in chain]
        if keys == ["create", "submit", "register", "assign", "reply", "close"]:
            item = Suggestion.objects.get(pk=chain[0].object_id)
            cosigners = item.signatures.filter(is_lead=False, status="confirmed").count()
            if cosigners and not item.merged.exists():
                break
    else:
        pytest.fail("no plain joint suggestion in the seed")
    assert {s.transition: set(s.summary) - due for s in chain} == engine
    # Engine: one co-signer, so one CO_SIGNATURE; one SUGGESTION for the lead on submit, none on register.
    assert duty == {"co_signature": 1, "suggestion": 1}
    duty = {"co_signature": cosigners, "suggestion": 1}
    seeded_duty = DutyRecord.objects.filter(
        Q(source_id=str(item.pk), kind__in=["suggestion", "co_signature"])
        | Q(source_id__in=[str(s.pk) for s in chain if s.transition == "register"], kind="suggestion")
    )
    assert Counter(seeded_duty.values_list("kind", flat=True)) == duty


def test_demo_logins_find_suggestions_in_several_states():
    call_command("seed_demo", stdout=io.StringIO())
    deputy = User.objects.get(username="deputy")
    me = Deputy.objects.get(user=deputy)
    assert me.name == "田飞忠"
    mine = selectors.suggestions(deputy)
    assert len(set(mine.values_list("state", flat=True))) >= 5
    assert mine.filter(lead=me).count() >= 3 and mine.exclude(lead=me).count() >= 2
    waiting = mine.get(state="replied", lead=me)
    assert not Feedback.objects.filter(suggestion=waiting, deputy=me).exists()
    assert Feedback.objects.filter(suggestion=waiting).exists()  # the co-signers have rated
    unit = User.objects.get(username="unit")
    theirs = selectors.suggestions(unit)
    assert theirs.count() >= 5 and len(set(theirs.values_list("state", flat=True))) >= 3
    assert theirs.filter(state="assigned", consult_method="").exists()
    assert theirs.filter(state="assigned", extended=True).exists()
    assert selectors.suggestions(unit, overdue=True).exists()
    assert CoHandling.objects.filter(unit__in=unit.grants.values("unit"), state="requested").exists()
    town = User.objects.get(username="town")
    assert selectors.motions(town).count() == 3
    assert Suggestion.objects.count() == 212 and Suggestion.objects.values("town").distinct().count() == 11


def test_seed_bench_writes_suggestions_with_signatures_and_feedback():
    call_command(
        "seed_bench",
        "--scale",
        "county",
        "--towns",
        "2",
        "--opinions-per-town",
        "20",
        "--suggestions-per-town",
        "40",
        stdout=io.StringIO(),
    )
    assert Suggestion.objects.count() == 80
    assert Signature.objects.filter(is_lead=True).count() == 80
    assert Feedback.objects.exists() and CoHandling.objects.exists()
    states = set(Suggestion.objects.values_list("state", flat=True))
    assert {"closed", "tracking", "declined", "merged", "assigned"} <= states
    dup = Suggestion.objects.exclude(number="").values("town", "number").annotate(n=Count("pk"))
    assert not dup.filter(n__gt=1).exists()
    assert not Step.objects.filter(content_type=ContentType.objects.get_for_model(Suggestion)).exists()
    for item in Suggestion.objects.filter(state="closed", rounds=1):
        signers = set(item.signers().values_list("pk", flat=True))
        assert set(Feedback.objects.filter(suggestion=item).values_list("deputy_id", flat=True)) == signers

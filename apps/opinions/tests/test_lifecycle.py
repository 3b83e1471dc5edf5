"""Every opinion transition, for every role: who may take it, and that a refusal changes nothing."""

from datetime import date

import pytest

from apps.accounts.scopes import visible_to
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.opinions import services
from apps.opinions.models import Opinion
from apps.workflow import services as engine
from apps.workflow.errors import Conflict, IllegalTransition

from .factories import opinion

pytestmark = pytest.mark.django_db

VISIT = {"visit_method": "phone", "satisfaction": "satisfied", "solved": True}
PATH = {  # the steps (and data) that bring a new item to each state
    "registered": [],
    "accepted": [("accept", {})],
    "assigned": [("accept", {}), ("assign", "UNIT")],
    "replied": [("accept", {}), ("assign", "UNIT"), ("reply", {"reply": "已安排施工"})],
    "visited": [("accept", {}), ("assign", "UNIT"), ("reply", {"reply": "已安排施工"}), ("visit", VISIT)],
}


def walk(world, item, state):
    for key, data in PATH[state]:
        if data == "UNIT":
            data = {"unit": world.unit_a.pk}
        actor = world.unit_user if key == "reply" else world.town_user
        item = services.act(actor=actor, item=item, key=key, data=data)
    return item


def new_item(world, **extra):
    return opinion(world, station=world.station_a.pk, deputy=world.deputy_a.pk, **extra)


# transition -> (state it starts from, data, reason, the roles that may take it)
MATRIX = {
    "accept": ("registered", {}, "", {"county", "town"}),
    "take": ("registered", {}, "", {"county", "town", "deputy"}),
    "not_accept": ("registered", {}, "不属于人大工作范围", {"county", "town"}),
    "answer_on_spot": ("accepted", {"reply": "当场说明政策"}, "", {"county", "town", "keeper", "deputy"}),
    "assign": ("accepted", "UNIT", "", {"county", "town"}),
    "send_back": ("assigned", {}, "不属于本单位职责", {"unit"}),
    "reply": ("assigned", {"reply": "已列入明年计划"}, "", {"county", "town", "unit"}),
    "visit": ("replied", VISIT, "", {"county", "town", "keeper", "deputy"}),
    "reassign": ("visited", {}, "群众不满意，重新办理", {"county", "town"}),
    "close": ("visited", {}, "", {"county", "town"}),
    "merge": ("accepted", "DUPLICATE", "", {"county", "town"}),
    "convert": ("accepted", {}, "", {"county", "town", "deputy"}),
}
USERS = {
    "county": "county_user",
    "town": "town_user",
    "town_b": "town_b_user",
    "keeper": "keeper_user",
    "deputy": "deputy_user",
    "unit": "unit_user",
}


@pytest.mark.parametrize("role", list(USERS))
@pytest.mark.parametrize("key", list(MATRIX))
def test_each_transition_is_open_to_exactly_its_roles(world, key, role):
    start, data, reason, allowed = MATRIX[key]
    item = walk(
        world,
        new_item(
            world, **({"source": "enterprise", "enterprise_name": "汉阴富硒茶业"} if key == "take" else {})
        ),
        start,
    )
    if data == "UNIT":
        data = {"unit": world.unit_a.pk}
    elif data == "DUPLICATE":
        data = {"into": new_item(world).tracking_code}
    actor = getattr(world, USERS[role])
    steps_before = engine.steps_of(item).count()
    if role in allowed:
        done = services.act(actor=actor, item=item, key=key, data=data, reason=reason)
        assert done.state == Opinion.workflow.transition(key).target
        assert engine.steps_of(done).count() == steps_before + 1
    else:
        # one who sees the item but may not take the step is refused (403); one who cannot even see it is
        # answered exactly as for a missing item (404)
        seen = visible_to(actor, Opinion).filter(pk=item.pk).exists()
        with pytest.raises(PermissionDenied if seen else NotFound):
            services.act(actor=actor, item=item, key=key, data=data, reason=reason)
        fresh = Opinion.objects.get(pk=item.pk)
        assert (fresh.state, fresh.version) == (item.state, item.version)
        assert engine.steps_of(fresh).count() == steps_before


def test_the_whole_path_sets_each_fact_once(world):
    item = walk(world, new_item(world), "visited")
    item = services.act(actor=world.town_user, item=item, key="close")
    assert item.state == "closed" and item.is_final
    assert item.unit == world.unit_a and item.assigned_on and item.replied_on and item.closed_on
    assert item.reply_on_time is True and item.solved is True and item.satisfaction == "satisfied"
    assert item.due_date is None
    assert [s.transition for s in engine.steps_of(item)] == [
        "create",
        "accept",
        "assign",
        "reply",
        "visit",
        "close",
    ]


def test_an_illegal_transition_is_refused_and_changes_nothing(world):
    item = new_item(world)
    with pytest.raises(IllegalTransition) as caught:
        services.act(actor=world.town_user, item=item, key="close")
    assert "已登记" in str(caught.value.message)
    fresh = Opinion.objects.get(pk=item.pk)
    assert (fresh.state, fresh.version) == ("registered", 0)
    assert engine.steps_of(fresh).count() == 1


def test_an_unknown_transition_is_refused(world):
    with pytest.raises(IllegalTransition):
        services.act(actor=world.town_user, item=new_item(world), key="teleport")


def test_refusing_without_a_reason_is_a_field_error(world):
    with pytest.raises(ValidationFailed) as caught:
        services.act(actor=world.town_user, item=new_item(world), key="not_accept", reason="  ")
    assert "reason" in caught.value.fields


def test_assigning_to_a_unit_of_another_town_is_refused(world):
    from apps.places.tests.factories import HandlingUnitFactory

    other = HandlingUnitFactory(name="涧池镇人民政府", region=world.town_b)
    item = walk(world, new_item(world), "accepted")
    with pytest.raises(ValidationFailed) as caught:
        services.act(actor=world.town_user, item=item, key="assign", data={"unit": other.pk})
    assert "unit" in caught.value.fields
    assert Opinion.objects.get(pk=item.pk).state == "accepted"


def test_a_stale_form_loses_to_the_first_writer(world):
    item = walk(world, new_item(world), "accepted")
    seen = item.version
    services.act(
        actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk}, expected_version=seen
    )
    with pytest.raises(Conflict):
        services.act(actor=world.county_user, item=item, key="not_accept", reason="x", expected_version=seen)


def test_two_clerks_acting_one_after_the_other_cannot_both_succeed(world):
    first = walk(world, new_item(world), "accepted")
    second = Opinion.objects.get(pk=first.pk)  # loaded before the first clerk saved
    services.act(actor=world.town_user, item=first, key="assign", data={"unit": world.unit_a.pk})
    with pytest.raises(IllegalTransition):
        services.act(actor=world.county_user, item=second, key="assign", data={"unit": world.unit_a.pk})
    assert engine.steps_of(first).filter(transition="assign").count() == 1


def test_assignment_deadline_is_fifteen_working_days_across_national_day(world):
    item = walk(world, new_item(world), "accepted")
    item = engine.transition(
        item, "assign", actor=world.town_user, data={"unit": world.unit_a.pk}, today=date(2025, 9, 30)
    )
    assert item.due_date == date(2025, 10, 28)
    assert item.due_provisional is False


def test_deadline_across_spring_festival_2026(world, settings):
    settings.RENDA = {**settings.RENDA, "OPINION_REPLY_WORKING_DAYS": 10}
    item = walk(world, new_item(world), "accepted")
    item = engine.transition(
        item, "assign", actor=world.town_user, data={"unit": world.unit_a.pk}, today=date(2026, 2, 13)
    )
    assert item.due_date == date(2026, 3, 5)


def test_deadline_into_an_unannounced_year_is_provisional(world):
    item = walk(world, new_item(world), "accepted")
    item = engine.transition(
        item, "assign", actor=world.town_user, data={"unit": world.unit_a.pk}, today=date(2026, 12, 21)
    )
    assert item.due_date.year == 2027 and item.due_provisional is True


def test_a_late_reply_is_recorded_as_late(world):
    item = walk(world, new_item(world), "accepted")
    item = engine.transition(
        item, "assign", actor=world.town_user, data={"unit": world.unit_a.pk}, today=date(2025, 9, 30)
    )
    item = engine.transition(
        item, "reply", actor=world.unit_user, data={"reply": "迟到的答复"}, today=date(2025, 10, 29)
    )
    assert item.reply_on_time is False
    assert engine.steps_of(item).get(transition="reply").on_time is False


def test_unit_may_send_back_only_within_the_set_working_days(world):
    item = walk(world, new_item(world), "accepted")
    item = engine.transition(
        item, "assign", actor=world.town_user, data={"unit": world.unit_a.pk}, today=date(2025, 9, 29)
    )
    # 3 working days after Mon 09-29: Tue 09-30, then the National Day holiday, Thu 10-09, Fri 10-10.
    with pytest.raises(IllegalTransition):
        engine.transition(
            item, "send_back", actor=world.unit_user, reason="非本单位职责", today=date(2025, 10, 11)
        )
    back = engine.transition(
        item, "send_back", actor=world.unit_user, reason="非本单位职责", today=date(2025, 10, 10)
    )
    assert back.state == "accepted" and back.unit is None


def test_dissatisfied_visit_can_be_assigned_again(world):
    item = walk(world, new_item(world), "replied")
    item = services.act(
        actor=world.town_user,
        item=item,
        key="visit",
        data={"visit_method": "in_person", "satisfaction": "dissatisfied", "solved": False},
    )
    assert item.solved is False
    item = services.act(actor=world.town_user, item=item, key="reassign", reason="群众不满意")
    assert item.state == "assigned" and item.unit == world.unit_a and item.satisfaction == ""


def test_visit_needs_satisfaction_and_solved_separately(world):
    item = walk(world, new_item(world), "replied")
    with pytest.raises(ValidationFailed) as caught:
        services.act(
            actor=world.town_user,
            item=item,
            key="visit",
            data={"visit_method": "phone", "satisfaction": "satisfied"},
        )
    assert "solved" in caught.value.fields


def test_merge_points_at_an_open_item_of_the_same_town(world):
    keep = new_item(world)
    dup = new_item(world)
    merged = services.act(actor=world.town_user, item=dup, key="merge", data={"into": keep.tracking_code})
    assert merged.state == "merged" and merged.merged_into == keep
    other = new_item(world)
    with pytest.raises(ValidationFailed):
        services.act(actor=world.town_user, item=other, key="merge", data={"into": merged.tracking_code})


def test_every_transition_is_in_the_audit_log_with_actor_and_reason(world):
    from apps.audit.models import AuditEvent

    item = new_item(world)
    services.act(actor=world.town_user, item=item, key="not_accept", reason="属于司法程序")
    event = AuditEvent.objects.filter(action="opinion.not_accept", object_id=str(item.pk)).get()
    assert event.actor == world.town_user and event.reason == "属于司法程序"
    assert event.summary["from"] == "registered" and event.summary["to"] == "not_accepted"


def test_a_deputys_return_visit_counts_in_the_duty_record(world):
    from apps.duty.models import DutyRecord

    item = walk(world, new_item(world), "replied")
    services.act(actor=world.deputy_user, item=item, key="visit", data=VISIT)
    assert DutyRecord.objects.filter(deputy=world.deputy_a, kind="household_visit").count() == 1


def test_turning_an_item_into_a_suggestion_drafts_it_for_the_deputy_linked_both_ways(world):
    item = walk(world, new_item(world), "accepted")
    done = services.act(actor=world.deputy_user, item=item, key="convert")
    suggestion = done.suggestions.get()
    assert suggestion.state == "draft" and suggestion.lead == world.deputy_a
    assert list(suggestion.opinions.all()) == [done]


def test_the_office_converts_in_the_name_of_the_receiving_deputy_or_must_name_one(world):
    item = walk(world, opinion(world), "accepted")  # a letter: no deputy received it
    with pytest.raises(ValidationFailed) as caught:
        services.act(actor=world.town_user, item=item, key="convert")
    assert "deputy" in caught.value.fields
    done = services.act(actor=world.town_user, item=item, key="convert", data={"deputy": world.deputy_a2.pk})
    assert done.suggestions.get().lead == world.deputy_a2

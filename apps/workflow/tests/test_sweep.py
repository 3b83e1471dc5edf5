"""Reminders before a deadline and escalation after it; running the sweep again sends nothing twice."""

from datetime import date

import pytest

from apps.audit.models import AuditEvent
from apps.notifications.models import Notification
from apps.opinions import services
from apps.opinions.models import Opinion
from apps.opinions.tests.factories import opinion
from apps.workflow import services as engine
from apps.workflow.sweep import sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(world):
    """An item assigned on Mon 2025-11-03: 15 working days give Mon 2025-11-24."""
    item = services.act(actor=world.town_user, item=opinion(world), key="accept")
    item = engine.transition(
        item, "assign", actor=world.town_user, data={"unit": world.unit_a.pk}, today=date(2025, 11, 3)
    )
    assert item.due_date == date(2025, 11, 24)
    return item


def test_the_unit_is_reminded_once_before_the_deadline(world, assigned, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep(today=date(2025, 11, 20))  # 2 working days before: Thu 20 → Mon 24
        again = sweep(today=date(2025, 11, 20))
        next_day = sweep(today=date(2025, 11, 21))
    assert (first.reminded, again.reminded, next_day.reminded) == (1, 0, 0)
    reminders = Notification.objects.filter(kind="workflow.reminder")
    assert [n.recipient for n in reminders] == [world.unit_user]


def test_no_reminder_while_the_deadline_is_far(world, assigned):
    assert sweep(today=date(2025, 11, 10)).reminded == 0


def test_an_overdue_item_escalates_to_the_town_office_once(
    world, assigned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep(today=date(2025, 11, 25))
        again = sweep(today=date(2025, 11, 26))
    assert (first.escalated, again.escalated) == (1, 0)
    assert Opinion.objects.get(pk=assigned.pk).escalated_at is not None
    assert AuditEvent.objects.filter(action="opinion.escalated", object_id=str(assigned.pk)).count() == 1
    escalations = Notification.objects.filter(kind="workflow.escalated")
    assert [n.recipient for n in escalations] == [world.town_user]


def test_a_new_deadline_can_escalate_again(world, assigned, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sweep(today=date(2025, 11, 25))
        item = engine.transition(
            Opinion.objects.get(pk=assigned.pk),
            "reply",
            actor=world.unit_user,
            data={"reply": "已答复"},
            today=date(2025, 11, 26),
        )
        assert item.escalated_at is None  # a transition starts the next deadline afresh
        assert sweep(today=date(2025, 12, 31)).escalated == 1  # the visit deadline passed too


def test_final_items_are_never_swept(world, django_capture_on_commit_callbacks):
    item = opinion(world)
    services.act(actor=world.town_user, item=item, key="not_accept", reason="重复反映")
    assert sweep(today=date(2030, 1, 1)).escalated == 0


def test_a_transition_tells_the_unit_and_sms_reaches_an_anonymous_citizen(
    world, outbox, django_capture_on_commit_callbacks
):
    world.unit_user.phone = "13900000009"
    world.unit_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.act(actor=world.town_user, item=opinion(world), key="accept")
        services.act(actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk})
    assert Notification.objects.filter(recipient=world.unit_user, kind="opinion.assign").count() == 1
    phones = sorted(m.address for m in outbox)
    assert phones == ["13900000001", "13900000009"]  # the citizen (accepted) and the unit (assigned)
    citizen = next(m for m in outbox if m.address == "13900000001")
    assert item.tracking_code in citizen.text

"""The one deadline sweep covers suggestions and co-handling parts too."""

from datetime import date

import pytest

from apps.notifications.models import Notification
from apps.places.tests.factories import HandlingUnitFactory
from apps.suggestions import services
from apps.suggestions.models import CoHandling, Suggestion
from apps.workflow import services as engine
from apps.workflow.sweep import sweep

from .factories import deputy_a2_user, draft

pytestmark = pytest.mark.django_db


def registered(world):
    item = draft(world)
    services.respond(actor=deputy_a2_user(world), item=item, accept=True)
    item = services.act(actor=world.deputy_user, item=item, key="submit")
    return services.act(actor=world.town_user, item=item, key="register")


def test_the_lead_unit_is_reminded_before_the_three_months_and_the_office_told_after(
    world, django_capture_on_commit_callbacks
):
    item = engine.transition(
        registered(world),
        "assign",
        actor=world.town_user,
        data={"unit": world.unit_a.pk},
        today=date(2025, 9, 1),
    )
    assert item.due_date == date(2025, 12, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(today=date(2025, 11, 27)).reminded == 1
        assert sweep(today=date(2025, 12, 2)).escalated == 1
        assert sweep(today=date(2025, 12, 3)).escalated == 0
    assert Notification.objects.filter(recipient=world.unit_user, kind="workflow.reminder").count() == 1
    assert Notification.objects.filter(recipient=world.town_user, kind="workflow.escalated").count() == 1
    assert Suggestion.objects.get(pk=item.pk).escalated_at is not None


def test_a_co_handler_late_with_its_input_escalates_once(world, django_capture_on_commit_callbacks):
    co_unit = HandlingUnitFactory(name="城关镇社会事务办", region=world.town_a)
    item = services.act(
        actor=world.town_user,
        item=registered(world),
        key="assign",
        data={"unit": world.unit_a.pk, "co_units": [co_unit.pk]},
    )
    part = CoHandling.objects.get(suggestion=item)
    late = date.fromordinal(part.due_date.toordinal() + 1)
    with django_capture_on_commit_callbacks(execute=True):
        first, again = sweep(today=late), sweep(today=late)
    assert (first.escalated, again.escalated) == (1, 0)
    assert CoHandling.objects.get(pk=part.pk).escalated_at is not None

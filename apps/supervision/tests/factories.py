"""Supervision for tests: a plan of town A with one activity and the deputies needed for an appointment."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from apps.meetings.tests.factories import add_deputies, ready
from apps.supervision import services


def year() -> int:
    return timezone.localdate().year


def plan(world, *, town=None, user=None):
    town = town or world.town_a
    user = user or (world.town_user if town == world.town_a else world.town_b_user)
    return services.create_plan(actor=user, region_id=town.pk, year=year())


def activity(world, the_plan=None, *, kind="inspection", leads=None, members=None, unit=None):
    the_plan = the_plan or plan(world)
    ready(world)
    return services.add_activity(
        actor=world.town_user if the_plan.town_id == world.town_a.pk else world.town_b_user,
        plan_id=the_plan.pk,
        kind=kind,
        topic="农村饮水安全",
        starts_on=date(year(), 3, 1),
        ends_on=date(year(), 3, 31),
        unit_id=(unit or world.unit_a).pk if the_plan.town_id == world.town_a.pk else None,
        lead_ids=[d.pk for d in (leads if leads is not None else [world.deputy_a])],
        member_ids=[d.pk for d in (members if members is not None else [world.deputy_a2])],
    )


def three_deputies(world) -> list:
    """Town A's two deputies and one more, each with a login (an appointment needs three by default)."""
    return ready(world) + add_deputies(world, 1)

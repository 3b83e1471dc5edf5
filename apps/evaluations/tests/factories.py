"""Helpers for evaluation tests: an evaluation of two departments of 城关镇, its survey with the town office
and the county office as tellers, the tellers' keys and shares."""

from datetime import date, timedelta

from django.utils import timezone

from apps.ballotbox import services as ballotbox
from apps.evaluations import services
from apps.places.tests.factories import HandlingUnitFactory

CODES: dict[int, dict] = {}


def evaluation(world, *, units=None, actor=None):
    units = units or [world.unit_a, HandlingUnitFactory(name="城关镇农业综合服务站", region=world.town_a)]
    return services.create_evaluation(
        actor=actor or world.town_user,
        region_id=world.town_a.pk,
        year=2026,
        title="2026年度城关镇部门工作评议",
        unit_ids=[u.pk for u in units],
    )


def step(world, item, key, on=date(2026, 3, 1), note=""):
    return services.act_on_evaluation(
        actor=world.town_user, item=item, key=key, data={"date": on.isoformat(), "reason": note}
    )


def survey(world, item, *, public=False):
    now = timezone.now()
    return services.create_survey(
        actor=world.town_user,
        evaluation_id=item.pk,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        public=public,
    )


def open_survey(world, item):
    s = survey(world, item)
    s = services.act_on_survey(
        actor=world.town_user, item=s, key="prepare", data={"second_teller": world.county_user.pk}
    )
    codes = CODES.setdefault(s.pk, {})
    for user in (world.town_user, world.county_user):
        codes[user], _n = ballotbox.make_teller_keys(actor=user)
    return services.act_on_survey(actor=world.town_user, item=s, key="open", data={})


def close_and_tally(world, s):
    services.act_on_survey(actor=world.town_user, item=s, key="close", data={})
    for user, code in CODES[s.pk].items():
        ballotbox.submit_shares(actor=user, code=code)
    return type(s).objects.get(pk=s.pk)

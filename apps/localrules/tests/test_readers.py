"""The apps read their [local] rules through local_value with the town (or county) at hand: a county's
value or a town's override changes what that town's deputies, meetings and scores get, and no other's."""

import datetime

import pytest
from django.utils import timezone

from apps.archive import services as archive_services
from apps.archive.tests.factories import ballot, commitment, open_meeting
from apps.common.errors import ValidationFailed
from apps.duty import services as duty_services
from apps.duty.models import Score
from apps.duty.tests.factories import YEAR, default_table, entered
from apps.localrules.services import set_value
from apps.people.tests.factories import DeputyFactory, MandateFactory

pytestmark = pytest.mark.django_db


def _set(world, region, key, value):
    set_value(actor=world.county_user, region=region, key=key, value=value)


def test_a_towns_commitment_limit_applies_to_its_deputies_only(world):
    _set(world, world.town_a, "COMMITMENTS_MAX", 1)
    commitment(world)
    with pytest.raises(ValidationFailed) as exc:
        commitment(world, title="第二件")
    assert "1 至 1" in str(exc.value.fields["title"][0])
    commitment(world, deputy=world.deputy_b, actor=world.town_b_user, title="涧池镇第一件")
    commitment(world, deputy=world.deputy_b, actor=world.town_b_user, title="涧池镇第二件")


def test_a_towns_report_back_month_sets_the_default_meeting_date(world):
    _set(world, world.town_a, "REPORT_BACK_MONTH", 11)
    item = archive_services.plan_meeting(
        actor=world.town_user,
        region_id=world.town_a.pk,
        data={"place": "镇会议室"},
        deputy_ids=[world.deputy_a.pk],
    )
    assert item.date.month == 11 and item.date.day == 1
    today = timezone.localdate()
    assert item.date.year == (today.year if today.month <= 11 else today.year + 1)


def test_the_voters_only_rule_of_the_meetings_town_applies(world):
    m = open_meeting(world)
    with pytest.raises(ValidationFailed):
        archive_services.cast_rating(token=m.rating_token, phone="13912345678", choices=ballot(world))
    _set(world, world.county, "REPORT_BACK_VOTERS_ONLY", False)
    archive_services.cast_rating(token=m.rating_token, phone="13912345678", choices=ballot(world))


def test_the_quota_page_checks_each_deputy_against_the_towns_quota(world, api_get):
    _set(world, world.town_a, "QUOTA_HOUSEHOLDS_PER_DEPUTY", 1)
    body = api_get(world.county_user, "/api/v1/quotas", only_off=False).json()
    rows = {r["deputy"]["name"]: r for r in body["items"]}
    assert rows["张三"]["households_quota"] == 1 and not rows["张三"]["off"]
    assert rows["李四"]["households_quota"] == 20 and rows["李四"]["off"]


def test_the_countys_band_limits_decide_the_band(world):
    default_table(world.county)
    entered(world.deputy_a, kind="session_attendance", state="approved")
    duty_services.recompute(year=YEAR, county_ids=[world.county.pk])
    total = int(Score.objects.get(deputy=world.deputy_a, year=YEAR).total)
    _set(world, world.county, "DUTY_BAND_FAIR", 0)
    _set(world, world.county, "DUTY_BAND_GOOD", total)
    duty_services.recompute(year=YEAR, county_ids=[world.county.pk])
    assert Score.objects.get(deputy=world.deputy_a, year=YEAR).band == "good"
    _set(world, world.county, "DUTY_BAND_GOOD", total + 1)
    duty_services.recompute(year=YEAR, county_ids=[world.county.pk])
    assert Score.objects.get(deputy=world.deputy_a, year=YEAR).band == "fair"


def test_scores_are_published_automatically_only_where_the_county_says_so(world):
    from apps.places.tests.factories import county, town

    other = county("610922", "石泉县")
    other_town = town(other, "610922100", "城关镇")
    d = DeputyFactory(name="王五", region=other_town)
    MandateFactory(deputy=d, congress_region=other_town)
    default_table(world.county)
    default_table(other)
    first_of_july = datetime.date(YEAR, 7, 1)
    assert duty_services.publish_due(today=first_of_july, automatic=True) == 0
    _set(world, world.county, "DUTY_AUTO_PUBLISH", True)
    assert duty_services.publish_due(today=first_of_july, automatic=True) == 1
    assert duty_services.publish_due(today=first_of_july) == 2  # by hand: every county with a table

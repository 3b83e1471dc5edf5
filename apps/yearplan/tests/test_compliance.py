from datetime import date, datetime

import pytest
from django.utils import timezone

from apps.duty.tests.factories import entered
from apps.opinions.models import ReceptionDay
from apps.yearplan import selectors as sel
from apps.yearplan import services

pytestmark = pytest.mark.django_db

APRIL = date(2031, 4, 1)  # past: receptions Jan-Mar, study in March, the first session, a presidium meeting


@pytest.fixture
def year(world):
    services.generate(actor=world.county_user, region=world.county, year=2031)
    # 城关镇 held January's reception day; a reception day planned but never recorded does not count.
    ReceptionDay.objects.create(
        station=world.station_a, region=world.town_a, date=date(2031, 1, 20),
        recorded_at=timezone.make_aware(datetime(2031, 1, 20, 12)),
    )  # fmt: skip
    ReceptionDay.objects.create(station=world.station_a, region=world.town_a, date=date(2031, 2, 18))


def test_the_county_sees_every_township_behind(world, year):
    rows = {r["town_name"]: (r["due"], r["behind"]) for r in sel.township_compliance(
        world.county_user, year=2031, today=APRIL)}  # fmt: skip
    assert rows == {"城关镇": (6, 5), "涧池镇": (6, 6)}
    behind = sel.behind_items(world.county_user, year=2031, today=APRIL, town=world.town_a.pk)
    assert sorted(i.date.month for i in behind if i.kind == "reception") == [2, 3]


def test_a_township_sees_its_own_only(world, year):
    rows = sel.township_compliance(world.town_user, year=2031, today=APRIL)
    assert [r["town_name"] for r in rows] == ["城关镇"]
    assert not sel.behind_items(world.town_user, year=2031, today=APRIL, town=world.town_b.pk).exists()


def test_a_deputy_without_a_study_record_in_the_quarter_is_behind(world, year):
    entered(world.deputy_a, kind="study", date=date(2031, 3, 11))
    entered(world.deputy_a2, kind="study", date=date(2031, 4, 2))  # the next quarter: does not count
    rows = {
        d.name: (d.due, d.missed) for d in sel.deputy_compliance(world.county_user, year=2031, today=APRIL)
    }
    assert rows == {"张三": (1, 0), "赵六": (1, 1), "李四": (1, 1)}
    assert {d.name for d in sel.deputy_compliance(world.town_user, year=2031, today=APRIL)} == {
        "张三",
        "赵六",
    }


def test_the_compliance_view_is_a_fixed_number_of_queries(world, year, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        sel.township_compliance(world.county_user, year=2031, today=APRIL)
        list(sel.deputy_compliance(world.county_user, year=2031, today=APRIL))

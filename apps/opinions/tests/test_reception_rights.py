"""Who manages a station's reception days: the office over the station's town (or county) and the station's
own keeper, asked of the vocabulary as `reception.manage`; a keeper of another station, a deputy, a unit
and another town's office are refused (403, audited) exactly as before."""

from datetime import date

import pytest
from django.urls import reverse

from apps.accounts import permissions as perms
from apps.accounts.tests.factories import user_with
from apps.audit.models import AuditEvent
from apps.common.errors import PermissionDenied
from apps.opinions import services
from apps.opinions.models import ReceptionDay
from apps.places.tests.factories import StationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper_b(world):
    world.station_b_keeper = user_with("station_keeper", "keeperb", station=world.station_b)
    return world.station_b_keeper


@pytest.fixture
def day(world):
    return ReceptionDay.objects.create(station=world.station_a, region=world.town_a, date=date(2099, 3, 3))


@pytest.mark.parametrize("who", ["keeper_user", "town_user", "county_user"])
def test_the_keeper_and_the_offices_over_the_station_manage_its_days(world, day, who):
    user = getattr(world, who)
    assert perms.holds(user, perms.RECEPTION_MANAGE, world.station_a)
    services.set_rota(actor=user, day=day, deputy_ids=[world.deputy_a.pk])
    assert list(day.rota.all()) == [world.deputy_a]


@pytest.mark.parametrize("who", ["town_b_user", "deputy_user", "unit_user", "keeper_b"])
def test_everyone_else_is_refused_with_403_and_an_audit_event(world, day, keeper_b, who):
    user = keeper_b if who == "keeper_b" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.plan_year(actor=user, station=world.station_a, year=2099)
    with pytest.raises(PermissionDenied):
        services.set_rota(actor=user, day=day, deputy_ids=[world.deputy_a.pk])
    with pytest.raises(PermissionDenied):
        services.record_day(actor=user, day=day, present_ids=[], voters_received=3)
    assert not day.rota.exists()
    assert list(ReceptionDay.objects.all()) == [day]  # nothing planned
    events = AuditEvent.objects.filter(action="access.denied", actor=user)
    assert events.count() == 3
    assert {e.summary["attempted"] for e in events} == {"reception.manage"}


def test_a_keeper_of_another_station_in_the_same_town_is_refused(world, day):
    other = StationFactory(name="月河村代表联络室", region=world.village_a)
    keeper = user_with("station_keeper", "keeper2", station=other)
    assert not perms.holds(keeper, perms.RECEPTION_MANAGE, world.station_a)
    with pytest.raises(PermissionDenied):
        services.set_rota(actor=keeper, day=day, deputy_ids=[])
    assert perms.holds(keeper, perms.RECEPTION_MANAGE, other)


@pytest.mark.parametrize(
    ("who", "managed"),
    [
        ("town_user", {"城关镇代表联络站"}),
        ("county_user", {"城关镇代表联络站", "涧池镇代表联络站"}),
        ("keeper_user", {"城关镇代表联络站"}),
        ("keeper_b", {"涧池镇代表联络站"}),
        ("deputy_user", set()),
    ],
)
def test_the_list_offers_planning_only_where_the_user_manages(world, client, keeper_b, who, managed):
    client.force_login(keeper_b if who == "keeper_b" else getattr(world, who))
    resp = client.get(reverse("opinions:reception_list"))
    assert resp.status_code == 200
    assert {s.name for s, manage in resp.context["stations"] if manage} == managed
    body = resp.content.decode()
    for station in (world.station_a, world.station_b):
        plan = reverse("opinions:reception_plan", args=[station.pk])
        assert (plan in body) == (station.name in managed)


def test_the_day_page_shows_the_forms_only_to_those_who_manage(world, client, day):
    url = reverse("opinions:reception_day", args=[day.pk])
    for user, manage in ((world.keeper_user, True), (world.town_user, True), (world.deputy_user, False)):
        day.rota.set([world.deputy_a])  # the deputy on duty sees the day
        client.force_login(user)
        resp = client.get(url)
        assert resp.status_code == 200 and resp.context["manage"] is manage

"""Reads of places, each already scoped to the user."""

import pytest

from apps.audit.models import AuditEvent
from apps.common.errors import NotFound
from apps.people.tests.factories import HouseholdFactory
from apps.places import selectors
from apps.places.tests.factories import HandlingUnitFactory, StationFactory


def test_an_office_gets_its_own_region_by_code_without_a_query(world, django_assert_num_queries):
    from apps.accounts.scopes import grants_of

    grants_of(world.town_user)  # the grants are read once per request
    with django_assert_num_queries(0):
        assert selectors.region_by_code(world.town_user, "610921100") == world.town_a


def test_a_region_below_the_office_is_found_and_one_of_another_town_is_not(world):
    assert selectors.region_by_code(world.town_user, world.village_a.code) == world.village_a
    with pytest.raises(NotFound):
        selectors.region_by_code(world.town_user, world.village_b.code)
    assert AuditEvent.objects.filter(action="access.denied", actor=world.town_user).count() == 1


def test_a_missing_code_is_not_found_and_not_logged(world):
    with pytest.raises(NotFound):
        selectors.region_by_code(world.town_user, "999999")
    assert not AuditEvent.objects.filter(action="access.denied").exists()


def test_regions_by_parent_and_level(world):
    assert list(selectors.regions(world.county_user, parent=world.county)) == [world.town_a, world.town_b]
    assert list(selectors.regions(world.county_user, level="village")) == [world.village_a, world.village_b]
    assert list(selectors.regions(world.town_user, level="village")) == [world.village_a]
    assert not selectors.regions(world.deputy_user).exists()


def test_towns_are_counted_in_sql(world, django_assert_num_queries):
    from apps.accounts.scopes import grants_of

    HouseholdFactory(region=world.grid_a)
    grants_of(world.county_user)
    with django_assert_num_queries(1):
        towns = {t.code: t for t in selectors.towns_with_counts(world.county_user, world.county)}
    a, b = towns["610921100"], towns["610921101"]
    assert (a.n_deputies, a.n_households, a.n_stations, a.n_villages) == (2, 2, 1, 1)
    assert (b.n_deputies, b.n_households, b.n_stations, b.n_villages) == (1, 1, 1, 1)


def test_stations_are_scoped_and_filtered(world):
    village_room = StationFactory(name="月河村代表联络室", level="village", region=world.village_a)
    assert set(selectors.stations(world.county_user)) == {world.station_a, world.station_b, village_room}
    assert set(selectors.stations(world.town_user)) == {world.station_a, village_room}
    assert list(selectors.stations(world.keeper_user)) == [world.station_a]
    assert list(selectors.stations(world.town_user, level="village")) == [village_room]
    assert list(selectors.stations(world.town_user, q="月河")) == [village_room]
    assert list(selectors.stations(world.county_user, region=world.town_b)) == [world.station_b]
    assert not selectors.stations(world.unit_user).exists()


def test_a_station_of_another_town_is_not_found(world):
    assert selectors.station_detail(world.town_user, world.station_a.pk) == world.station_a
    with pytest.raises(NotFound):
        selectors.station_detail(world.town_user, world.station_b.pk)


def test_units_are_scoped_and_filtered(world):
    unit_b = HandlingUnitFactory(name="涧池镇派出所", region=world.town_b)
    county_unit = HandlingUnitFactory(name="县交通运输局", level="county", region=world.county)
    assert set(selectors.units(world.county_user)) == {world.unit_a, unit_b, county_unit}
    assert list(selectors.units(world.town_user)) == [world.unit_a]
    assert list(selectors.units(world.unit_user)) == [world.unit_a]
    assert list(selectors.units(world.county_user, level="county")) == [county_unit]
    assert list(selectors.units(world.county_user, q="派出所")) == [unit_b]
    assert list(selectors.units(world.county_user, region=world.town_b)) == [unit_b]
    assert not selectors.units(world.deputy_user).exists()

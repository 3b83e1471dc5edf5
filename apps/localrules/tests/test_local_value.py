"""local_value walks from the region to its town, then its county, then the declared default."""

import pytest

from apps.common import conf
from apps.localrules.models import LocalRule
from apps.localrules.selectors import local_value, local_values
from apps.places.tests.factories import county, town

KEY = "OPINION_REPLY_WORKING_DAYS"


def test_without_any_value_the_declared_default_applies(world):
    assert local_value(KEY, world.town_a) == 15
    assert local_value(KEY, None) == 15


def test_a_settings_override_is_the_default_when_nothing_is_stored(world, settings):
    settings.RENDA = {**settings.RENDA, KEY: 10}
    assert local_value(KEY, world.village_a) == 10


def test_the_county_value_applies_in_every_town_and_village(world, django_assert_max_num_queries):
    LocalRule.objects.create(region=world.county, key=KEY, value=12)
    assert local_value(KEY, world.county) == 12
    assert local_value(KEY, world.town_b) == 12
    assert local_value(KEY, world.grid_a) == 12
    with django_assert_max_num_queries(0):  # cached
        assert local_value(KEY, world.village_a) == 12


def test_a_town_override_beats_the_county_value_only_in_that_town(world):
    LocalRule.objects.create(region=world.county, key=KEY, value=12)
    LocalRule.objects.create(region=world.town_a, key=KEY, value=8)
    assert local_value(KEY, world.village_a) == 8
    assert local_value(KEY, world.town_a) == 8
    assert local_value(KEY, world.town_b) == 12
    assert local_value(KEY, world.county) == 12


def test_another_county_keeps_its_own_values(world):
    other = county("610922", "石泉县")
    other_town = town(other, "610922100", "城关镇")
    LocalRule.objects.create(region=world.county, key=KEY, value=12)
    assert local_value(KEY, other_town) == 15


def test_a_county_wide_rule_ignores_a_town_row(world):
    LocalRule.objects.create(region=world.county, key="DUTY_BAND_GOOD", value=85)
    LocalRule.objects.create(
        region=world.town_a, key="DUTY_BAND_GOOD", value=90
    )  # not allowed by the service
    assert local_value("DUTY_BAND_GOOD", world.town_a) == 85


def test_an_item_with_town_and_county_ids_can_stand_for_its_region(world):
    LocalRule.objects.create(region=world.town_a, key=KEY, value=9)

    class Item:
        town_id, county_id = world.town_a.pk, world.county.pk

    assert local_value(KEY, Item()) == 9


def test_false_is_a_value_not_a_missing_one(world):
    LocalRule.objects.create(region=world.county, key="REPORT_BACK_VOTERS_ONLY", value=False)
    assert local_value("REPORT_BACK_VOTERS_ONLY", world.town_a) is False


def test_an_operational_setting_is_not_a_local_rule(world):
    with pytest.raises(KeyError):
        local_value("UPLOAD_MAX_BYTES", world.town_a)


def test_local_values_lists_every_local_rule_with_its_source(world):
    LocalRule.objects.create(region=world.county, key=KEY, value=12)
    rows = {e.key: e for e in local_values(world.town_a)}
    assert set(rows) == {s.key for s in conf.local_settings()}
    assert (rows[KEY].value, rows[KEY].source, rows[KEY].county_value) == (12, "county", 12)
    assert rows["RECEPTION_DAY_NTH"].source == "default"

"""The places pages: stations (list, export, edit), the region tree with its households, units."""

import io

import openpyxl
import pytest
from django.urls import reverse

from apps.people.tests.factories import HouseholdFactory


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_station_list_shows_own_stations_and_exports_them(world, as_user):
    c = as_user(world.town_user)
    page = c.get(reverse("places:station_list")).content.decode()
    assert "城关镇代表联络站" in page and "涧池镇代表联络站" not in page
    export = c.get(reverse("places:station_list"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["城关镇代表联络站"]


def test_the_office_edits_a_station_on_its_page(world, as_user):
    c = as_user(world.town_user)
    url = reverse("places:station_detail", args=[world.station_a.pk])
    response = c.post(
        url,
        {"name": "城关镇联络站", "address": "新街1号", "checklist": ["room", "sign"], "reason": "更名"},
    )
    assert response.status_code == 302
    world.station_a.refresh_from_db()
    assert world.station_a.name == "城关镇联络站" and world.station_a.checklist_done == 2


def test_an_empty_name_is_shown_beside_the_field(world, as_user):
    c = as_user(world.town_user)
    response = c.post(reverse("places:station_detail", args=[world.station_a.pk]), {"name": ""})
    assert response.status_code == 400 and "名称不能为空" in response.content.decode()


def test_the_keeper_sees_the_station_without_the_edit_form(world, as_user):
    c = as_user(world.keeper_user)
    page = c.get(reverse("places:station_detail", args=[world.station_a.pk]))
    assert page.status_code == 200 and "张三" in page.content.decode()
    assert not page.context["can_edit"]


def test_a_station_of_another_town_is_a_missing_page(world, as_user):
    c = as_user(world.town_user)
    assert c.get(reverse("places:station_detail", args=[world.station_b.pk])).status_code == 404
    assert c.get(reverse("places:station_detail", args=[987654])).status_code == 404


def test_the_region_tree_starts_at_the_office_and_lists_households_from_village_level(world, as_user):
    HouseholdFactory(head_name="李大山", region=world.village_a, contact_deputy=world.deputy_a)
    c = as_user(world.town_user)
    start = c.get(reverse("places:region_list"))
    assert start.status_code == 302 and start["Location"].endswith("/regions/610921100/")
    town = c.get(start["Location"]).content.decode()
    assert "月河村" in town and "东坝村" not in town
    village = c.get(reverse("places:region_detail", args=[world.village_a.code])).content.decode()
    assert "李大山" in village
    assert c.get(reverse("places:region_detail", args=[world.village_b.code])).status_code == 404


def test_the_county_office_chooses_among_its_towns(world, as_user):
    page = as_user(world.county_user).get(reverse("places:region_detail", args=["610921"]))
    body = page.content.decode()
    assert page.status_code == 200 and "城关镇" in body and "涧池镇" in body


def test_unit_list_is_scoped(world, as_user):
    from apps.places.tests.factories import HandlingUnitFactory

    HandlingUnitFactory(name="涧池镇派出所", region=world.town_b)
    page = as_user(world.town_user).get(reverse("places:unit_list")).content.decode()
    assert "城关镇人民政府" in page and "涧池镇派出所" not in page


def test_pages_need_a_login(client, world):
    for name in ("places:station_list", "places:unit_list", "places:region_list"):
        assert client.get(reverse(name)).status_code == 302

"""The places API: regions, stations, units, each scoped; a station edited through PATCH."""

import pytest

from apps.places.tests.factories import StationFactory


@pytest.fixture
def api(client):
    def call(user, method, path, body=None):
        client.force_login(user)
        if body is None:
            return getattr(client, method)(path)
        return getattr(client, method)(path, body, content_type="application/json")

    return call


def names(response):
    return [item["name"] for item in response.json()["items"]]


def test_regions_by_parent_and_level(world, api):
    assert names(api(world.county_user, "get", "/api/v1/regions?parent=610921")) == ["城关镇", "涧池镇"]
    assert names(api(world.town_user, "get", "/api/v1/regions?level=village")) == ["月河村"]
    body = api(world.town_user, "get", f"/api/v1/regions/{world.grid_a.code}").json()
    assert body["grid_level"] == 1 and body["parent"] == {"code": world.village_a.code, "name": "月河村"}


def test_a_region_of_another_town_answers_like_a_missing_one(world, api):
    other = api(world.town_user, "get", f"/api/v1/regions/{world.village_b.code}")
    missing = api(world.town_user, "get", "/api/v1/regions/999999999")
    assert other.status_code == missing.status_code == 404
    assert other.json()["code"] == missing.json()["code"]
    assert api(world.town_user, "get", f"/api/v1/stations?region={world.town_b.code}").status_code == 404


def test_stations_are_filtered_and_paged(world, api):
    for i in range(3):
        StationFactory(name=f"月河村联络室{i}", level="village", region=world.village_a)
    body = api(world.town_user, "get", "/api/v1/stations?level=village&page_size=2").json()
    assert body["count"] == 3 and len(body["items"]) == 2 and body["page_size"] == 2
    assert names(api(world.county_user, "get", "/api/v1/stations?region=610921101")) == ["涧池镇代表联络站"]
    station = api(world.keeper_user, "get", f"/api/v1/stations/{world.station_a.pk}").json()
    assert station["checklist_done"] == 0 and station["region"]["code"] == "610921100"


def test_the_office_patches_a_station_and_others_cannot(world, api):
    url = f"/api/v1/stations/{world.station_a.pk}"
    response = api(
        world.town_user, "patch", url, {"keeper_phone": "13900001111", "checklist": {"room": True}}
    )
    assert response.status_code == 200
    assert response.json()["keeper_phone"] == "13900001111" and response.json()["checklist_done"] == 1
    assert api(world.keeper_user, "patch", url, {"name": "x"}).status_code == 403
    assert api(world.town_b_user, "patch", url, {"name": "x"}).status_code in (403, 404)
    bad = api(world.town_user, "patch", url, {"checklist": {"pool": True}})
    assert bad.status_code == 400 and "checklist" in bad.json()["fields"]


def test_units_are_scoped(world, api):
    assert names(api(world.town_user, "get", "/api/v1/units")) == ["城关镇人民政府"]
    assert names(api(world.town_b_user, "get", "/api/v1/units")) == []
    assert names(api(world.deputy_user, "get", "/api/v1/units")) == []


def test_list_endpoints_run_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for i in range(10):
        StationFactory(name=f"月河村联络室{i}", level="village", region=world.village_a)
    client.force_login(world.county_user)
    for path in ("/api/v1/regions", "/api/v1/stations", "/api/v1/units"):
        # session, user, grants, page, count; and the session's last-seen write (savepoint, update, release)
        with django_assert_max_num_queries(8):
            assert client.get(path).status_code == 200


def test_the_units_filters_refuse_control_characters_with_the_field_named(world, client):
    client.force_login(world.county_user)
    for name in ("region", "level", "q"):
        r = client.get("/api/v1/units", {name: "61\x0092"})
        assert r.status_code in (400, 422) and name in r.content.decode(), (name, r.content)

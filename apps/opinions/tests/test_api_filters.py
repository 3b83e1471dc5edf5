"""The list and figure endpoints refuse what the pages refuse (common.params through `param.api()`): a year
out of bounds, NUL in a search, a region code or a state; 422 naming the field, never a 500 (PostgreSQL
cannot compare text holding NUL)."""

import json

import pytest

pytestmark = pytest.mark.django_db

BAD = [
    ("/api/v1/opinions", {"q": "\x00"}),
    ("/api/v1/opinions", {"region": "\x00"}),
    ("/api/v1/opinions", {"state": "\x00"}),
    ("/api/v1/opinions", {"year": "99999"}),
    ("/api/v1/opinions/stats/towns", {"year": "99999"}),
    ("/api/v1/opinions/stats/units", {"region": "\x00"}),
    ("/api/v1/suggestions", {"q": "\x00"}),
    ("/api/v1/suggestions", {"topic": "\x00"}),
    ("/api/v1/suggestions", {"year": "1999"}),
    ("/api/v1/suggestions/stats", {"year": "99999"}),
]


@pytest.mark.parametrize(("path", "params"), BAD)
def test_a_bad_filter_is_refused_naming_the_field(world, client, path, params):
    client.force_login(world.county_user)
    resp = client.get(path, params)
    assert resp.status_code == 422, resp.content[:300]
    assert next(iter(params)) in json.dumps(resp.json(), ensure_ascii=False)


def test_good_filters_still_list(world, client):
    client.force_login(world.town_user)
    resp = client.get("/api/v1/opinions", {"q": " 路灯 ", "year": "2026", "state": "open"})
    assert resp.status_code == 200 and resp.json()["count"] == 0


@pytest.mark.parametrize("year", [99999, 99999999999999999999, 1999])
def test_planning_a_year_out_of_bounds_is_refused(world, client, year):
    client.force_login(world.town_user)
    resp = client.post(
        f"/api/v1/stations/{world.station_a.pk}/reception-days/plan",
        json.dumps({"year": year}),
        content_type="application/json",
    )
    assert resp.status_code == 400 and resp.json()["fields"] == {"year": ["年度应为2000到2100之间的整数"]}

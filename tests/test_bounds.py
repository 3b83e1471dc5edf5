"""Bounds (issue 14, item 3): every numeric or date query parameter of every API operation has a range, and a
value outside it is a 422 naming the field (never a database error); a PATCH with null in a required text
field or a value longer than its column is a 422 with field errors."""

from __future__ import annotations

import pytest
from django.test import Client

from . import routes as R

pytestmark = pytest.mark.django_db


def _kinds(schema: dict) -> set[str]:
    options = schema.get("anyOf") or [schema]
    return {(o.get("type"), o.get("format")) for o in options if o.get("type") != "null"}


def _bounded(schema: dict) -> bool:
    options = [o for o in schema.get("anyOf") or [schema] if o.get("type") != "null"]
    return all("minimum" in o and "maximum" in o for o in options)


def _query_params():
    for route in R.api_routes(2026):
        for param in (route.operation or {}).get("parameters", []):
            if param.get("in") == "query":
                yield route, param


def test_every_numeric_query_parameter_declares_its_range():
    unbounded = [
        f"{route.template} {param['name']}"
        for route, param in _query_params()
        if ("integer", None) in _kinds(param.get("schema", {})) and not _bounded(param["schema"])
    ]
    assert not unbounded, unbounded


def test_a_number_or_date_out_of_range_is_a_422_naming_the_field(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.county_user)
    failures, checked = [], 0
    for route, param in _query_params():
        kinds = _kinds(param.get("schema", {}))
        if ("integer", None) in kinds:
            values = ["99999999999999", "-1" if param["name"] != "issued" else "-5"]
        elif ("string", "date") in kinds:
            values = ["1066-10-14", "9999-12-31"]
        else:
            continue
        path = route.fill({p.name: 1 for p in route.object_params})
        for value in values:
            checked += 1
            response = client.generic(route.methods[0], f"{path}?{param['name']}={value}")
            body = response.json() if "json" in response.get("Content-Type", "") else {}
            if response.status_code != 422 or param["name"] not in body.get("fields", {}):
                failures.append(f"{route.methods[0]} {path}?{param['name']}={value}: {response.status_code}")
    assert checked > 40
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "path, field, value",
    [
        ("/api/v1/deputies/{deputy}", "name", None),
        ("/api/v1/deputies/{deputy}", "name", "长" * 10_000),
        ("/api/v1/deputies/{deputy}", "address", None),
        ("/api/v1/deputies/{deputy}", "phone", "1" * 21),
        ("/api/v1/deputies/{deputy}", "birth_date", "1066-10-14"),
        ("/api/v1/stations/{station}", "name", None),
        ("/api/v1/stations/{station}", "name", "站" * 10_000),
        ("/api/v1/stations/{station}", "keeper_name", None),
        ("/api/v1/stations/{station}", "checklist", None),
    ],
)
def test_a_patch_with_null_or_too_long_text_is_a_422_with_the_field(world, path, field, value):
    client = Client(raise_request_exception=False)
    client.force_login(world.county_user)
    url = path.format(deputy=world.deputy_a.pk, station=world.station_a.pk)
    response = client.patch(url, {field: value}, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]
    world.deputy_a.refresh_from_db()
    world.station_a.refresh_from_db()
    assert world.deputy_a.name == "张三" and world.station_a.name == "城关镇代表联络站"


def test_a_patch_within_the_columns_still_changes_the_record(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.county_user)
    url = f"/api/v1/deputies/{world.deputy_a.pk}"
    response = client.patch(url, {"name": "张三丰", "address": "月河村一组"}, content_type="application/json")
    assert response.status_code == 200, response.content
    world.deputy_a.refresh_from_db()
    assert (world.deputy_a.name, world.deputy_a.address) == ("张三丰", "月河村一组")

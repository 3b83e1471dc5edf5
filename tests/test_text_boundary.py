"""Text at the boundary, on every page and every API operation (found from the URL resolver and the OpenAPI
document, tests/routes.py): a NUL or a lone surrogate in a query parameter or in any string field of a body
is refused with 400 or 422 and a message, anonymous or logged in, never a 500 and never stored."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client

from . import routes as R

pytestmark = pytest.mark.django_db
YEAR = 2026
NUL = "\x00"
SURROGATE_QUERY = "%ED%A0%80"  # U+D800 as a client encodes it (surrogatepass): not UTF-8


def _path(route: R.Route) -> str:
    return route.fill({p.name: 1 for p in route.object_params})


def _string_fields(schema: dict, components: dict, depth: int = 0, prefix: tuple = ()) -> list[tuple]:
    """The paths of every string field of a body schema (nested objects too)."""
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            out = []
            for option in schema[key]:
                out += [p for p in _string_fields(option, components, depth, prefix) if p not in out]
            return out
    if schema.get("type") == "string" and schema.get("format") not in ("binary", "date", "date-time"):
        return [prefix]
    if (schema.get("type") == "object" or "properties" in schema) and depth < 4:
        out = []
        for name, inner in schema.get("properties", {}).items():
            out += _string_fields(inner, components, depth + 1, (*prefix, name))
        return out
    return []


def _put(body: dict, path: tuple, value) -> dict:
    body = copy.deepcopy(body)
    here = body
    for key in path[:-1]:
        here = here.setdefault(key, {})
        if not isinstance(here, dict):
            return body
    here[path[-1]] = value
    return body


def _clients(django_user_model):
    anonymous = Client(raise_request_exception=False)
    office = Client(raise_request_exception=False)
    office.force_login(django_user_model.objects.create_user(username="office-text", password="x"))
    return {"anonymous": anonymous, "logged in": office}


def _refused(response) -> bool:
    return response.status_code in (400, 422) and (
        "json" not in response.get("Content-Type", "") or response.json().get("message")
    )


def test_a_nul_or_a_surrogate_in_the_query_is_refused_on_every_page_and_operation(django_user_model):
    failures = []
    for who, client in _clients(django_user_model).items():
        for route in R.all_routes(YEAR):
            for method in route.methods:
                for query in ("q=%00", "page=a%01b", f"q={SURROGATE_QUERY}"):
                    url = f"{_path(route)}?{query}"
                    response = client.generic(method, url)
                    if not _refused(response):
                        failures.append(f"{who} {method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures[:40])


def test_a_nul_or_a_surrogate_in_any_string_field_of_an_api_body_is_refused():
    components = R.openapi_components()
    client = Client(raise_request_exception=False)
    failures, checked = [], 0
    for route in R.api_routes(YEAR):
        ctype, body = R.minimal_body(route.operation, components)
        if ctype is None:
            continue
        schema = route.operation["requestBody"]["content"][ctype].get("schema", {})
        for field in _string_fields(schema, components) or [("_any",)]:
            for bad in (NUL, "\ud800", "a\x1bb"):
                checked += 1
                data = _put(body if isinstance(body, dict) else {}, field, bad)
                if ctype == "application/json":
                    payload = json.dumps(data)  # ASCII: the surrogate travels as the escape \ud800
                    response = client.generic(route.methods[0], _path(route), payload, ctype)
                else:
                    if bad == "\ud800":
                        continue  # a form cannot carry it: its bytes are not UTF-8 (tested below)
                    flat = {k: v for k, v in data.items() if not isinstance(v, dict | list | bytes)}
                    response = client.generic(
                        route.methods[0], _path(route), _multipart(flat), "multipart/form-data; boundary=BB"
                    )
                if not _refused(response):
                    failures.append(
                        f"{route.methods[0]} {route.template} {field} {bad!r}: {response.status_code}"
                    )
    assert checked > 100
    assert not failures, "\n".join(failures[:40])


def _multipart(fields: dict) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--BB\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    return b"".join(parts) + b"--BB--\r\n"


def test_a_nul_or_bytes_that_are_not_utf8_in_any_page_form_are_refused(django_user_model):
    failures = []
    for who, client in _clients(django_user_model).items():
        for route in R.url_routes(YEAR):
            for body in ("content=a%00b", "content=%ED%A0%80", "title=x%0Cy"):
                response = client.post(_path(route), body, content_type="application/x-www-form-urlencoded")
                if response.status_code != 400:
                    failures.append(f"{who} POST {route.template} {body}: {response.status_code}")
            response = client.post(_path(route), {"content": "a\x00b"})  # multipart
            if response.status_code != 400:
                failures.append(f"{who} POST multipart {route.template}: {response.status_code}")
    assert not failures, "\n".join(failures[:40])

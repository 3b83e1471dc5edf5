"""The role × endpoint leak test: every page and every API operation, as every role, against the objects of
another township and another county (tests/leakworld.py).

For an object outside the caller's scope the answer must be exactly what a missing id gets (404 for a
logged-in user; the login redirect or 401 for anonymous), never 200, 403 or 500; a refusal that the code
logs through `scopes.deny` must leave its `access.denied` event; no list, page without ids or export shows a
foreign row. Routes are found from the URL resolver and the OpenAPI document (tests/routes.py), so a new
endpoint is covered the day it is added. Each test walks everything and reports every failure at once.
"""

from __future__ import annotations

import io
import zipfile
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from apps.audit.models import AuditEvent

from . import routes as R
from .leakworld import PNG, build

ROLES = ["county_office", "town_office", "station_keeper", "deputy", "unit_staff", "anonymous"]
MISSING = 987654
pytestmark = pytest.mark.django_db

# Public doors, open to anyone by design (DOMAIN §3, §8): a deputy's public card and QR code, the public
# opinion form, tracking, a station's QR code, published suggestion replies, the voters' rating page, the
# login page and the audit log's latest checkpoint (apps/audit/tests). They are tested in
# tests/test_public_doors.py instead (a recalled deputy is gone from them).
PUBLIC_TEMPLATES = {
    "",
    "accounts/login/",
    "accounts/logout/",
    "d/{code}/",
    "d/{code}/qr.svg",
    "o/new/",
    "o/thanks/",
    "o/track/",
    "o/track/{code}/files/{att}/",
    "o/qr/station/{pk}.svg",
    "s/replies/",
    "s/replies/{pk}/",
    "archive/rate/{token}/",
    "supervision/evaluations/rate/{token}/",  # a public survey, by its link (apps/evaluations/tests)
    "accounts/link/{token}/",  # a one-time sign-in link: its secret is the key (apps/accounts/tests)
    "api/v1/auth/token",
    "api/v1/audit/checkpoint",  # the audit log's latest signed checkpoint: no person, no object (issue 22)
}
# The public site (apps/public, issue 17): pages under p/ and their JSON under api/v1/public/; what they may
# show is tested in apps/public/tests/test_public_site.py (nothing unpublished, no personal data).
PUBLIC_PREFIXES = ("api/v1/public/", "p/")


def is_public(route: R.Route) -> bool:
    return route.template in PUBLIC_TEMPLATES or route.template.startswith(PUBLIC_PREFIXES)


@pytest.fixture(scope="module")
def leak_world(django_db_setup, django_db_blocker):
    """The world once per module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def clients(world) -> dict[str, Client]:
    out = {}
    for role in ROLES:
        c = Client(raise_request_exception=False)
        if world.users[role] is not None:
            c.force_login(world.users[role])
        out[role] = c
    return out


def value_of(place, kind):
    obj = place.objs[kind]
    return getattr(obj, R.BY_CODE.get(kind, "pk"))


def missing_value(kind):
    return "999999999999" if kind in R.BY_CODE else MISSING


def request(client: Client, route: R.Route, method: str, path: str, components):
    if not route.api or method in ("GET", "DELETE"):
        return getattr(client, method.lower())(path)
    ctype, body = R.minimal_body(route.operation, components)
    if ctype and ctype.startswith("multipart"):
        data = {k: (_upload() if v == b"" else v) for k, v in (body or {}).items() if not isinstance(v, dict)}
        return client.generic(method, path, **_multipart(client, data))
    return getattr(client, method.lower())(path, body or {}, content_type="application/json")


def _upload():
    f = io.BytesIO(PNG)
    f.name = "photo.png"
    return f


def _multipart(client, data):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart(BOUNDARY, data), "content_type": MULTIPART_CONTENT}


@contextmanager
def denials():
    """Counts `access.denied` events asked for (by `scopes.deny`) and those still stored afterwards."""
    from apps.audit import services

    real = services.record
    seen = {"asked": 0}

    def spy(*args, **kwargs):
        if kwargs.get("action") == "access.denied":
            seen["asked"] += 1
        return real(*args, **kwargs)

    before = AuditEvent.objects.filter(action="access.denied").count()
    with mock.patch.object(services, "record", spy):
        yield seen
    seen["stored"] = AuditEvent.objects.filter(action="access.denied").count() - before


def _variants(route: R.Route, world, role):
    """(label, values, missing values): all-foreign objects, and, for nested routes, the caller's own parent
    with a foreign child."""
    objs = route.object_params
    for place in world.foreign_for(role):
        if not all(p.kind in place.objs for p in objs):
            raise AssertionError(f"leak world has no {[p.kind for p in objs]} for {route.template}")
        foreign = {p.name: value_of(place, p.kind) for p in objs}
        missing = {p.name: missing_value(p.kind) for p in objs}
        yield place.marker, foreign, missing
        if len(objs) > 1:
            home = {p.name: value_of(world.home, p.kind) for p in objs[:-1]}
            last = objs[-1]
            yield (
                f"HOME+{place.marker}",
                {**home, last.name: value_of(place, last.kind)},
                {**home, last.name: missing_value(last.kind)},
            )


def _same_refusal(role, got, want) -> bool:
    if got.status_code != want.status_code:
        return False
    if role == "anonymous" and got.status_code == 302:
        return got["Location"].split("?")[0] == want["Location"].split("?")[0]
    return True


@pytest.fixture(scope="module")
def walk(leak_world):
    """Every id route × method × role × foreign object, once: the failures."""
    world = leak_world
    components = R.openapi_components()
    by_role = clients(world)
    failures = []
    id_routes = [r for r in R.all_routes(timezone.localdate().year) if r.object_params and not is_public(r)]
    assert len(id_routes) > 100
    for route in id_routes:
        for method in route.methods:
            for role in ROLES:
                client = by_role[role]
                for label, foreign, missing in _variants(route, world, role):
                    want = request(client, route, method, route.fill(missing), components)
                    with denials() as seen:
                        got = request(client, route, method, route.fill(foreign), components)
                    where = f"{role} {method} /{route.template} [{label}]"
                    if got.status_code in (200, 201, 204, 500) or not _same_refusal(role, got, want):
                        failures.append(f"{where}: {got.status_code}, a missing id gets {want.status_code}")
                    elif seen["asked"] and seen["stored"] < seen["asked"]:
                        failures.append(
                            f"{where}: the refusal was logged but its access.denied event was lost"
                        )
    return failures


def test_no_role_reaches_an_object_of_another_town_or_county(walk):
    failures = walk
    assert not failures, "\n".join(sorted(set(failures)))


def _text_of(response) -> str:
    body = response.content
    if body[:2] == b"PK":  # xlsx, docx: the text is in the zip's XML parts
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return body.decode("utf-8", "replace")


def list_routes(year):
    """GET routes without objects in their path (lists, pages, exports), the public ones aside."""
    return [r for r in R.all_routes(year) if not r.object_params and "GET" in r.methods and not is_public(r)]


def test_no_list_page_or_export_shows_a_row_of_another_town_or_county(leak_world):
    world = leak_world
    by_role = clients(world)
    failures, own_rows_seen = [], 0
    routes = list_routes(timezone.localdate().year)
    assert len(routes) > 40
    for route in routes:
        path = route.fill({})
        for role in ROLES:
            markers = [p.marker for p in world.foreign_for(role)]
            for suffix in ("", "?export=xlsx") if not route.api else ("", "?page_size=100"):
                response = by_role[role].get(path + suffix)
                if response.status_code >= 500:
                    failures.append(f"{role} GET {path}{suffix}: {response.status_code}")
                    continue
                text = _text_of(response) if response.status_code == 200 else ""
                own_rows_seen += role == "town_office" and world.home.marker in text
                for marker in markers:
                    if marker in text:
                        at = text.index(marker)
                        failures.append(
                            f"{role} GET {path}{suffix}: shows {text[max(0, at - 60) : at + 40]!r}"
                        )
    assert not failures, "\n".join(failures)
    assert own_rows_seen > 30, "the town office should see its own rows in most lists: is the test blind?"


def test_every_path_parameter_is_known_to_the_leak_world():
    """A new URL or operation whose parameter tests/routes.py cannot fill fails here, by name."""
    for route in R.all_routes(2026):
        assert {p.kind for p in route.object_params} <= R.KINDS, route.template

"""Every list page and list endpoint runs a number of queries that does not grow with the rows it shows.

Found, not listed: every GET route without an object in its path (tests/routes.py), as each office role and
the deputy. Each is asked twice in a town with 30 rows of every kind (page_size=5 and page_size=25, for pages
and endpoints that take it) and once, as the same role, in a town or county with one row of each kind: the
three counts must agree within `SLACK` (a page may add a query when a list turns out to be empty).
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from . import routes as R
from .leakworld import build

pytestmark = pytest.mark.django_db

ROWS = 30
SLACK = 1
# Not lists: the login and logout pages, the language switch, and the public form and tracking doors.
NOT_LISTS = {"accounts/login/", "accounts/logout/", "o/new/", "o/thanks/", "api/v1/auth/token"}


@pytest.fixture(scope="module")
def big_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build(n_home=ROWS)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _caches_kept_for_the_run(monkeypatch):
    """The per-process caches a page reads (the working-day table, the township rules) are kept for the whole
    run: on a busy machine this module takes minutes, and one of them expiring between a route's warm-up and
    its count would show as a query that grows."""
    from apps.calendar import table
    from apps.localrules import selectors

    monkeypatch.setattr(table, "MAX_AGE", float("inf"))
    monkeypatch.setattr(selectors, "CACHE_SECONDS", None)


def _pairs(world):
    """(role, the user of the town or county with many rows, the same role where there is one row of each)."""
    return [
        ("county_office", world.county_user, world.county_x_user),
        ("town_office", world.home.office, world.townb.office),
        ("deputy", world.home.deputy_user, world.townb.deputy_user),
    ]


def _count(client, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    return response.status_code, len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_page_size_or_rows(big_world):
    world = big_world
    routes = [
        r
        for r in R.all_routes(timezone.localdate().year)
        if not r.object_params and "GET" in r.methods and r.template not in NOT_LISTS
    ]
    assert len(routes) > 40
    problems = []
    for role, big_user, small_user in _pairs(world):
        big, small = Client(raise_request_exception=False), Client(raise_request_exception=False)
        big.force_login(big_user)
        small.force_login(small_user)
        for route in routes:
            path = route.fill({})
            sep = "&" if "?" in path else "?"
            big.get(path)  # warm the per-process caches (content types, calendar, translations)
            small.get(path)
            status, n5 = _count(big, f"{path}{sep}page_size=5")
            _s, n25 = _count(big, f"{path}{sep}page_size=25")
            _s, n_small = _count(small, f"{path}{sep}page_size=25")
            if status >= 500:
                problems.append(f"{role} GET {path}: {status}")
            elif max(n5, n25, n_small) - min(n5, n25, n_small) > SLACK:
                problems.append(
                    f"{role} GET {path}: {n5} queries (5 a page), {n25} (25), {n_small} (one row)"
                )
    assert not problems, "\n".join(problems)

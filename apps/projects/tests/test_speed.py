"""Issue 19 "Speed": the county's figures and the public project list cost a number of queries that does not
grow with the page size or the rows (the benchmark's data, apps/demo/bench_projects.py, on the test world)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.demo.bench_projects import seed_bench_projects
from apps.projects import selectors

pytestmark = pytest.mark.django_db


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_figures_and_public_list_queries_are_constant(world, client):
    seed_bench_projects()
    year = timezone.localdate().year - 1
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.figures(world.county_user, year=year)
    assert len(ctx.captured_queries) <= 6
    assert rows and all(r["adopted"] == 6 and r["satisfaction"] for r in rows)
    town = world.town_a.code
    api = f"/api/v1/public/projects?town={town}&year={year}"
    _queries(client, api)  # warm the per-process caches
    assert _queries(client, api + "&page_size=2") == _queries(client, api + "&page_size=6")
    page = f"/p/projects/?town={town}&year={year}"
    _queries(client, page)
    assert _queries(client, page) <= 8, "the public page reads its projects and their photos in a few queries"

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


def test_figures_follow_each_users_scope(world):
    """The figures' statements are kept per user scope: a town office, then the county, then the other town
    each get their own towns, whatever was compiled before."""
    seed_bench_projects()
    year = timezone.localdate().year - 1
    for user, towns in (
        (world.town_user, {world.town_a.pk}),
        (world.county_user, {world.town_a.pk, world.town_b.pk}),
        (world.town_b_user, {world.town_b.pk}),
        (world.town_user, {world.town_a.pk}),
    ):
        assert {r["town_id"] for r in selectors.figures(user, year=year)} == towns


def test_the_public_page_is_the_public_list(world, client):
    """`public_page` gives the rows, order and total of `public_projects` paginated, by town and year, and a
    page past the end is empty with the total."""
    from apps.common.api import paginate

    seed_bench_projects()
    year = timezone.localdate().year - 1
    for town, y in ((world.town_a, year), (None, None), (world.town_b, None)):
        for page, size in ((1, 4), (2, 4), (9, 4), (1, 50)):
            want = paginate(selectors.public_projects(town=town, year=y), page, size)
            got = selectors.public_page(town=town, year=y, page=page, page_size=size)
            assert got["count"] == want["count"] and got["page"] == page
            assert [(p.pk, p.region.name, p.spent, p.percent) for p in want["items"]] == [
                (r["id"], r["town"], r["spent"], r["percent"]) for r in got["items"]
            ]
            assert [str(p.state_label) for p in want["items"]] == [r["state_label"] for r in got["items"]]
    body = client.get(f"/api/v1/public/projects?town={world.town_a.code}&year={year}&page_size=2").json()
    assert body["count"] == 6 and len(body["items"]) == 2
    assert body["items"][0]["town"] == world.town_a.name and body["items"][0]["state_label"]
    assert body["items"][0]["category_label"] not in ("", body["items"][0]["category"])
    # last year's ratings are filed (the bench data): each project carries its totals, as the page shows them
    shown = selectors.with_public_ratings(list(selectors.public_projects(town=world.town_a, year=year)))
    by_id = {p.pk: p.rating for p in shown}
    assert all(item["rating"] and item["rating"] == by_id[item["id"]] for item in body["items"])
    assert body["items"][0]["rating"]["satisfaction"] is not None
    this_year = client.get(f"/api/v1/public/projects?town={world.town_a.code}&year={year + 1}").json()
    assert this_year["items"] and all(item["rating"] is None for item in this_year["items"])


def test_converters_give_what_values_gives(world):
    """A JSON column comes back decoded and a decimal as a Decimal, as `values()` returns them."""
    from decimal import Decimal

    from apps.common.statements import Statement
    from apps.projects.models import Project, ProjectRating

    seed_bench_projects()
    statement = Statement("test.converters")
    qs = lambda: ProjectRating.objects.order_by("pk").values("pk", "results")  # noqa: E731
    assert statement(("r",), qs) == list(qs())
    assert all(isinstance(r["results"], dict) for r in statement(("r",), qs))
    money = lambda: Project.objects.order_by("pk").values("pk", "budget")  # noqa: E731
    rows = statement(("m",), money)
    assert rows == list(money()) and isinstance(rows[0]["budget"], Decimal)

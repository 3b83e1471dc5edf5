"""The dashboard page, its Excel file, the API and the big screen give the same numbers, to offices only,
within their region; the big screen's socket refuses another's region and receives the figures after a
change."""

from __future__ import annotations

import io
import json
import time
from datetime import date

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone
from openpyxl import load_workbook

from apps.dashboards import charts, consumers, live
from apps.dashboards.figures import dashboard_of
from apps.opinions.models import Opinion, ReceptionDay

pytestmark = pytest.mark.django_db

Y = timezone.localdate().year


@pytest.fixture
def some(world):
    for _i in range(3):
        Opinion.objects.create(
            source="letter", title="路", content="路", region=world.village_a, received_on=date(Y, 2, 1)
        )
    ReceptionDay.objects.create(
        region=world.town_b, station=world.station_b, date=date(Y, 1, 5), voters_received=7
    )
    return world


def test_the_page_shows_each_chart_with_its_table(some, client):
    client.force_login(some.county_user)
    page = client.get("/dashboards/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count('data-chart="') == len(charts.chart_data(dashboard_of(some.county, Y)))
    assert "<caption" in text and "城关镇" in text and "涧池镇" in text
    assert "/api/v1/dashboards/charts?" in text
    assert "<script>" not in text and "style=" not in text


def test_the_excel_file_and_the_api_give_the_page_numbers(some, client, api_get):
    client.force_login(some.county_user)
    response = client.get("/dashboards/", {"export": "xlsx", "chart": "voters"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert ["城关镇", 0, 3] in rows and ["涧池镇", 7, 0] in rows and ["合计", 7, 3] in rows
    assert client.get("/dashboards/", {"export": "xlsx", "chart": "nope"}).status_code == 404
    got = api_get(some.county_user, "/api/v1/dashboards/figures").json()
    assert got["total"]["numbers"]["opinions_collected"] == 3
    assert got["total"]["numbers"]["voters_received"] == 7
    chart = next(
        c for c in api_get(some.county_user, "/api/v1/dashboards/charts").json() if c["key"] == "voters"
    )
    assert chart["categories"] == ["城关镇", "涧池镇"]
    assert chart["series"][0]["data"] == [0, 7]
    screen = api_get(some.county_user, "/api/v1/dashboards/screen").json()
    assert {(t["name"], t["x"], t["y"]) for t in screen["map"]["tiles"]} == {
        ("城关镇", 0, 0),
        ("涧池镇", 1, 0),
    }


def test_only_offices_of_the_region_see_it(some, client, api_get):
    assert api_get(some.town_user, "/api/v1/dashboards/figures", region=some.town_b.pk).status_code == 404
    assert api_get(some.town_user, "/api/v1/dashboards/figures", region=some.county.pk).status_code == 404
    own = api_get(some.town_user, "/api/v1/dashboards/figures").json()
    assert [r["name"] for r in own["rows"]] == ["城关镇"]
    assert api_get(some.deputy_user, "/api/v1/dashboards/figures", region=some.town_a.pk).status_code in (
        403,
        404,
    )
    client.force_login(some.unit_user)
    assert client.get("/dashboards/screen/").status_code in (403, 404)
    client.force_login(some.town_user)
    assert client.get(f"/dashboards/screen/?region={some.town_b.pk}").status_code == 404
    page = client.get("/dashboards/screen/?figure=voters_received")
    assert page.status_code == 200 and b'data-screen-figure="voters_received"' in page.content


def test_the_tile_grid_is_wider_than_tall_and_holds_every_town():
    for n in (1, 2, 9, 17, 30):
        columns, rows = charts.grid(n)
        assert columns * rows >= n and columns >= rows and (rows - 1) * columns < n


def _screen(user, region_id):
    comm = WebsocketCommunicator(consumers.DashboardConsumer.as_asgi(), f"/ws/dashboards/{region_id}/")
    comm.scope.update(user=user, url_route={"kwargs": {"region_id": region_id}})
    return comm


def _counter(state: dict, key: str):
    return next(c for c in state["counters"] if c["key"] == key)["value"]


def test_a_saved_record_publishes_its_town_and_county_after_commit(world, django_capture_on_commit_callbacks):
    from unittest import mock

    with mock.patch.object(live, "publish") as publish:
        with django_capture_on_commit_callbacks(execute=True):
            Opinion.objects.create(source="letter", title="路", content="路", region=world.village_a)
    assert sorted(c.args[0] for c in publish.call_args_list) == sorted([world.county.pk, world.town_a.pk])


def test_the_big_screen_receives_the_figures_after_a_change(world, settings):
    settings.RENDA = {**settings.RENDA, "LIVE_THROTTLE_MS": 50}

    async def scenario():
        refused = _screen(world.town_user, world.town_b.pk)
        await refused.connect()
        closed = (await refused.receive_output(timeout=5))["type"] == "websocket.close"
        screen = _screen(world.county_user, world.county.pk)
        assert (await screen.connect(timeout=5))[0]
        first = json.loads(await screen.receive_from(timeout=5))
        await sync_to_async(Opinion.objects.create)(
            source="letter",
            title="路",
            content="路",
            region=world.village_a,
            received_on=timezone.localdate(),
        )
        # the on-commit hook's call (a test's transaction never commits), from the server's side
        started = time.monotonic()
        await sync_to_async(live.publish)(world.county.pk)
        after = json.loads(await screen.receive_from(timeout=1))
        took = time.monotonic() - started
        await screen.disconnect()
        return closed, first, after, took

    closed, first, after, took = async_to_sync(scenario)()
    assert closed
    assert (_counter(first, "opinions_collected"), _counter(after, "opinions_collected")) == (0, 1)
    assert took < 1

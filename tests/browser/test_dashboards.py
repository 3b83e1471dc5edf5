"""The county dashboard and the big screen (issue 20 parts 5-6) in Debian's chromium: the dashboard draws
every chart with ECharts from its JSON endpoint and keeps a table under each; the big screen fits a
1920x1080 wall with no scroll bars, its tile map drawn and its counters showing the county's figures.
Screenshots are written to $RENDA_SCREENSHOTS (default: the test's tmp dir) to look at."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.opinions.models import Opinion, ReceptionDay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Y = timezone.localdate().year


def login(browser, base, username, width, height):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def shoot(page, tmp_path, name):
    folder = Path(os.environ.get("RENDA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"dashboards-{name}.png"))


@pytest.fixture
def figures(world):
    for _i in range(4):
        Opinion.objects.create(
            source="letter", title="路", content="路", region=world.village_a, received_on=date(Y, 2, 1)
        )
    ReceptionDay.objects.create(
        region=world.town_b, station=world.station_b, date=date(Y, 1, 5), voters_received=37
    )
    return world


def test_the_county_dashboard_draws_every_chart_and_keeps_its_table(
    figures, live_server, browser_page, tmp_path
):
    page = login(browser_page.context.browser, live_server.url, "county", 1366, 900)
    page.goto(f"{live_server.url}/dashboards/")
    charts = page.locator("[data-chart]")
    count = charts.count()
    assert count >= 5
    expect(page.locator("[data-dashboard-charts]")).to_have_attribute("data-charts-drawn", str(count))
    for i in range(count):
        assert charts.nth(i).locator("canvas").count() == 1  # ECharts drew it
    table = page.locator("section.db-chart").first.locator("table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tfoot")).to_contain_text("37")
    shoot(page, tmp_path, "county-1366")
    page.context.close()


def test_the_big_screen_fits_1920x1080_without_scroll_bars(figures, live_server, browser_page, tmp_path):
    page = login(browser_page.context.browser, live_server.url, "county", 1920, 1080)
    page.goto(f"{live_server.url}/dashboards/screen/?figure=voters_received")
    expect(page.locator(".topbar")).to_have_count(0)
    # the first figures are in (a slow machine may already have polled again: at least one update)
    expect(page.locator("[data-screen-region]")).to_have_attribute(
        "data-screen-updates", re.compile(r"^[1-9]\d*$")
    )
    assert page.locator("[data-screen-map] canvas").count() == 1
    expect(page.locator('[data-counter="voters_received"]')).to_have_text("37")
    expect(page.locator('[data-counter="opinions_collected"]')).to_have_text("4")
    size = page.evaluate(
        """() => ({sh: document.documentElement.scrollHeight, sw: document.documentElement.scrollWidth,
                 bh: document.body.scrollHeight, bw: document.body.scrollWidth,
                 ih: window.innerHeight, iw: window.innerWidth})"""
    )
    assert (size["iw"], size["ih"]) == (1920, 1080)
    assert max(size["sh"], size["bh"]) <= 1080 and max(size["sw"], size["bw"]) <= 1920, size
    boxes = page.eval_on_selector_all(
        ".ds-head, .ds-counters li, .ds-map, .ds-panels",
        """els => els.map(e => {
            const r = e.getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom];
        })""",
    )
    assert boxes and all(b[0] >= 0 and b[1] >= 0 and b[2] <= 1920 and b[3] <= 1080 for b in boxes), boxes
    shoot(page, tmp_path, "screen-1920x1080")
    page.context.close()

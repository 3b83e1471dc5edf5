"""The year's calendar (issue 20 part 4) in Debian's chromium as a town office: the month view draws the
month's items in their day cells (another township's are not there), and the list shows the year with its
Excel and Word links. Screenshots are written to $RENDA_SCREENSHOTS (default: the test's tmp dir)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from apps.yearplan import services

from .test_dashboards import login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Y = 2031


@pytest.fixture
def calendars(world):
    services.generate(actor=world.county_user, region=world.county, year=Y)
    services.add_item(
        actor=world.town_b_user,
        region=world.town_b,
        kind="study",
        title="涧池镇专题学习",
        when=date(Y, 3, 12),
    )
    return world


def test_the_month_view_and_the_list_show_the_towns_items(calendars, live_server, browser_page, tmp_path):
    world = calendars
    page = login(browser_page.context.browser, live_server.url, "town", 1366, 900)
    page.goto(f"{live_server.url}/yearplan/month/?year={Y}&month=3")
    grid = page.locator("table.yp-month")
    expect(grid.locator("tbody tr")).to_have_count(6)  # March 2031: from Monday 24 February to 6 April
    # Cangxi's March lines: the reception day (Saturday 15th moves to Monday 17th) and the quarter's study.
    cell = grid.locator("td", has=page.locator(".yp-day", has_text="17")).first
    expect(cell.locator("a.yp-item")).to_contain_text("代表接待选民日")
    expect(grid.locator("a.yp-item")).to_have_count(2)
    expect(grid).not_to_contain_text("涧池镇专题学习")
    shoot(page, tmp_path, "yearplan-month-1366")

    page.goto(f"{live_server.url}/yearplan/?year={Y}")
    rows = page.locator("table.list tbody tr")
    count = rows.count()
    assert count > 20
    expect(rows.first).to_contain_text(f"{Y}-01")
    expect(rows.first).to_contain_text(world.town_a.name)
    expect(page.get_by_role("link", name="导出 Excel")).to_be_visible()
    expect(page.get_by_role("link", name="导出 Word")).to_be_visible()
    expect(page.locator("table.list")).not_to_contain_text("涧池镇专题学习")
    shoot(page, tmp_path, "yearplan-list-1366")
    page.context.close()

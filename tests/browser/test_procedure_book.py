"""The procedure book in a browser (issue 21): three procedure pages draw their charts (states, steps, who,
deadlines), print on A4, and a rectification item's page shows its chart with the path it took."""

import pytest

from apps.rectification import services as rect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_three_procedures_and_an_item_with_its_path(world, live_server, browser_page, tmp_path):
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, base, "town")
    page.goto(f"{base}/procedures/")
    for key, state, step in (
        ("opinion", "已受理", "交办"),
        ("suggestion", "办理中", "批准延期"),
        ("vote", "计票中", "开始表决"),
    ):
        page.click(f'a[href="/procedures/{key}/"]')
        chart = page.locator(f'[data-procedure="{key}"] svg')
        assert chart.is_visible()
        assert chart.locator("g.state", has_text=state).count() >= 1
        assert chart.locator("g.step", has_text=step).count() >= 1
        box = chart.bounding_box()
        assert box["width"] > 200 and box["height"] > 200
        page.screenshot(path=str(tmp_path / f"procedure-{key}.png"), full_page=True)
        page.emulate_media(media="print")
        assert not page.locator("a.btn", has_text="下载 Word").is_visible()  # the wall copy: chart and table
        page.emulate_media(media="screen")
        page.goto(f"{base}/procedures/")

    item = rect.open_item(
        actor=world.town_user,
        region=world.town_a,
        unit=world.unit_a,
        title="月河村护栏缺失",
        reviewers=[world.deputy_a],
    )
    rect.act(actor=world.unit_user, item=item, key="plan", data={"plan_text": "增设护栏300米"})
    page.goto(f"{base}/supervision/rectifications/{item.pk}/")
    chart = page.locator('[data-procedure="rectification"] svg')
    chart.scroll_into_view_if_needed()
    current = chart.locator("g.state.current")
    assert current.count() == 1 and "已报送整改方案" in current.text_content()
    # the path drawn in red: the state it left and the step it took
    assert chart.locator('g.state.on[data-state="assigned"]').count() == 1
    assert chart.locator('g.step.on[data-steps="plan"]').count() == 1
    stroke = current.locator("rect.box").evaluate("r => getComputedStyle(r).stroke")
    assert stroke.replace(" ", "") == "rgb(200,30,30)"
    page.screenshot(path=str(tmp_path / "rectification-path.png"), full_page=True)
    print(tmp_path)

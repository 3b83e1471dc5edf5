import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_town_clerk_logs_in_and_finds_deputy_by_pinyin_initials(world, live_server, browser_page, tmp_path):
    screenshot_dir = tmp_path
    page = browser_page
    page.goto(f"{live_server.url}/")  # the public site (issue 17): staff sign in from its top bar
    page.click("header a.signin")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "town")
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.locator("nav.mainnav summary", has_text="代表与联络站").click()  # the menu's group opens beneath
    page.get_by_role("link", name="代表", exact=True).first.click()
    page.fill("input[name=q]", "zs")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**q=zs**")
    page.wait_for_load_state("load")
    page.wait_for_selector("#rows tbody tr td a")
    page.screenshot(path=str(screenshot_dir / "deputy-search.png"), full_page=True)
    rows = page.locator("#rows tbody tr")
    assert rows.count() == 1
    assert "张三" in rows.first.inner_text()
    page.click("#rows >> text=张三")
    assert page.locator("h1").inner_text().startswith("张三")

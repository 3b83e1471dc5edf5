"""One opinion's whole path on a phone: a voter scans the station's QR code and writes, the town office
accepts and assigns, the unit replies, the office visits and closes out, and the voter sees it by the code."""

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def step(page, key):
    """Submit the detail page's form of one transition and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(f"form[action$='/act/{key}/'] button[type=submit]")
    assert page.locator(".msg.error").count() == 0, page.locator(".msg.error").inner_text()


def test_opinion_from_public_form_to_close_out(world, live_server, browser_page):
    page, base = browser_page, live_server.url

    # A voter at the station scans the QR code: no login, a phone number is enough.
    page.goto(f"{base}/o/new/?station={world.station_a.pk}")
    page.fill("textarea[name=content]", "月河村三组的路灯坏了三个月，晚上出行很不方便，希望尽快修好。")
    page.fill("input[name=submitter_phone]", "13900000009")
    with page.expect_navigation():
        page.click("button[type=submit]")
    code = page.inner_text("#tracking-code").strip()
    assert code.startswith("MY") and len(code) == 12

    # The town office finds it in the ledger by its code, accepts it and assigns it.
    login(page, base, "town")
    page.goto(f"{base}/opinions/?q={code}&year=")
    page.click(f"#rows >> text={code}")
    page.wait_for_selector("h1.op-title")
    detail_url = page.url
    assert "已登记" in page.inner_text(".op-status")
    step(page, "accept")
    assert "已受理" in page.inner_text(".op-status")
    page.select_option("form[action$='/act/assign/'] select[name=unit]", str(world.unit_a.pk))
    page.fill("form[action$='/act/assign/'] input[name=responsible_person]", "李主任")
    step(page, "assign")
    assert "已交办" in page.inner_text(".op-status")

    # The unit replies, on a phone.
    login(page, base, "unit")
    page.goto(detail_url)
    page.fill("form[action$='/act/reply/'] textarea[name=reply]", "已更换路灯三盏，恢复照明。")
    step(page, "reply")
    assert "已答复" in page.inner_text(".op-status")

    # The town office calls the voter back, then closes the item out.
    login(page, base, "town")
    page.goto(detail_url)
    page.set_viewport_size({"width": 375, "height": 812})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "opinion-detail-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    page.check("input[name=visit_method][value=phone]")
    page.check("input[name=satisfaction][value=satisfied]")
    page.check("input[name=solved][value=yes]")
    step(page, "visit")
    step(page, "close")
    assert "已销号" in page.inner_text(".op-status")

    # The voter looks it up by the code: the state and the reply, and no phone number.
    page.context.clear_cookies()
    page.goto(f"{base}/o/track/?code={code}")
    text = page.inner_text("main")
    assert "已销号" in text and "已更换路灯三盏" in text and "城关镇人民政府" in text
    assert "13900000009" not in page.content()

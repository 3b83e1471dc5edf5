"""A deputy's duty record on a phone: the deputy enters a household visit with a photo, the town office
approves it in the review queue, and the deputy's page shows the changed score."""

from pathlib import Path

import pytest
from django.utils import timezone

from apps.duty.models import DutyRecord
from apps.duty.tests.factories import default_table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def live_total(page) -> str:
    return page.inner_text("#live-total").strip()


def test_deputy_entry_on_a_phone_through_approval_to_the_changed_score(
    world, live_server, browser_page, tmp_path
):
    page, base = browser_page, live_server.url
    page.set_viewport_size(PHONE)
    today = timezone.localdate()
    default_table(world.county, year=today.year)
    photo = Path(tmp_path) / "visit.png"
    photo.write_bytes(PNG)

    # 张三 records a household visit on his phone, with a photo.
    login(page, base, "deputy")
    page.goto(f"{base}/duty/")
    before = live_total(page)
    page.click("text=登记履职")
    page.select_option("select[name=kind]", "household_visit")
    page.fill("input[name=date]", today.isoformat())
    page.fill("input[name=title]", "走访月河村三组联系户")
    page.fill("input[name=place]", "月河村三组")
    page.select_option("select[name=household]", str(world.household_a.pk))
    page.set_input_files("input[name=photos]", str(photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_navigation():
        page.click("form.duty-form button[type=submit]")
    assert "待审核" in page.inner_text("main")
    assert live_total(page) == before
    rec = DutyRecord.objects.get(deputy=world.deputy_a)
    assert rec.review_state == "pending"

    # The town office approves it from the review queue.
    login(page, base, "town")
    page.goto(f"{base}/duty/review/")
    row = page.locator("tr", has_text="走访月河村三组联系户")
    with page.expect_navigation():
        row.locator("button", has_text="通过").click()
    assert "已通过" in page.inner_text(".messages")

    # 张三 sees the points on his page.
    login(page, base, "deputy")
    page.goto(f"{base}/duty/")
    assert live_total(page) == "2.0"  # a household visit: 2 points for the first
    assert "已通过" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

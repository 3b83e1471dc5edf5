"""The deputy's phone (issue 17 parts 8-9): the main pages at 360×640 without sideways scrolling and with
tap targets a finger can hit (44 px), and a duty record written with no signal that waits in the phone and
is recorded once when the signal is back. Screenshots go to $RENDA_SCREENSHOTS (default: the test's tmp)."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from apps.duty.models import DutyRecord
from apps.duty.tests.factories import default_table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}
PAGES = {
    "home": "/",
    "duty": "/duty/",
    "duty-new": "/duty/new/",
    "opinion-new": "/opinions/new/",
    "opinions": "/opinions/",
    "meetings": "/meetings/",
    "archive": "/archive/me/",
    "notifications": "/notifications/",
    "offline": "/offline/",
}
# What a finger taps: the menu, the top bar's links and buttons, and every button and button-like link.
TAPPABLE = (
    ".topbar summary, .topbar a, .topbar button, .topbar select, .navgroup[open] li a, "
    "main button, main .btn, main input[type=submit]"
)
SMALL_TAPS = """(sel) => Array.from(document.querySelectorAll(sel))
  .filter((e) => e.checkVisibility())
  .map((e) => [e.getBoundingClientRect().height, (e.textContent || e.name || e.tagName).trim().slice(0, 20)])
  .filter(([h]) => h < 44)"""


def login(page, base, username="deputy"):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def shots(tmp_path) -> Path:
    where = Path(os.environ.get("RENDA_SCREENSHOTS") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    return where


def test_the_deputys_pages_fit_360_wide_with_44px_tap_targets(world, live_server, browser_page, tmp_path):
    page, base, out = browser_page, live_server.url, shots(tmp_path)
    page.set_viewport_size(PHONE)
    default_table(world.county, year=timezone.localdate().year)
    login(page, base)
    problems = {}
    for name, path in PAGES.items():
        response = page.goto(base + path)
        assert response.status == 200, (path, response.status)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        small = page.evaluate(SMALL_TAPS, TAPPABLE)
        page.screenshot(path=str(out / f"{name}.png"), full_page=True)
        if width > PHONE["width"] or small:
            problems[path] = {"scrollWidth": width, "small taps": small}
    # The menu opened: its links are tappable too.
    page.goto(base + "/")
    page.click(".navgroup summary >> nth=0")
    small = page.evaluate(SMALL_TAPS, ".navgroup[open] li a")
    page.screenshot(path=str(out / "menu-open.png"))
    if small:
        problems["menu"] = small
    assert not problems, problems


def test_a_duty_record_written_offline_waits_in_the_phone_and_is_recorded_once(
    world, live_server, browser_page
):
    page, base = browser_page, live_server.url
    page.set_viewport_size(PHONE)
    today = timezone.localdate().isoformat()
    login(page, base)
    page.goto(f"{base}/duty/new/")
    key = page.input_value("input[name=idempotency_key]")
    assert len(key) == 36

    page.context.set_offline(True)
    page.select_option("select[name=kind]", "study")
    page.fill("input[name=date]", today)
    page.fill("input[name=title]", "学习代表法（离线）")
    page.click("form.duty-form button[type=submit]")
    page.wait_for_selector("[data-draft-saved]:not([hidden])")
    assert "已保存在手机上，联网后自动发送" in page.inner_text("main")
    assert "学习代表法（离线）" in page.inner_text("[data-drafts-list]")
    assert page.input_value("input[name=idempotency_key]") not in ("", key)  # the next entry: a new draft
    assert DutyRecord.objects.count() == 0

    # The signal comes back: the draft goes, once, and leaves the phone.
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("text=已发送 1 条草稿")
    rec = DutyRecord.objects.get()
    assert rec.title == "学习代表法（离线）" and rec.deputy == world.deputy_a
    # Sent again (a lost answer, a second tab): the key makes it the same record.
    page.evaluate(
        """async ([key, date]) => {
          const body = new FormData();
          for (const [k, v] of [["kind", "study"], ["date", date], ["title", "学习代表法（离线）"],
                                ["idempotency_key", key]]) body.append(k, v);
          const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
          await fetch("/duty/new/", {method: "POST", body, headers: {"X-CSRFToken": token}});
        }""",
        [_key_of(rec), today],
    )
    assert DutyRecord.objects.count() == 1
    page.reload()
    assert page.locator("[data-drafts-panel]:not([hidden])").count() == 0


def _key_of(rec) -> str:
    from apps.common.models import IdempotencyKey

    return str(IdempotencyKey.objects.get(object_id=rec.pk, kind="duty.dutyrecord").key)

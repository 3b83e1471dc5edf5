"""One suggestion's whole path on a phone: a deputy drafts it with a co-signer, the co-signer confirms, the
deputy submits, the town office registers and assigns it, the unit records the consultation and replies,
both deputies rate the reply, and the item is closed."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from apps.suggestions.models import Suggestion
from apps.suggestions.tests.factories import deputy_a2_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 375, "height": 812}


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def submit(page, form):
    """Submit one form of the item page and wait for the page it leads to; no error may show."""
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")
    assert page.locator(".msg.error").count() == 0, page.locator(".msg.error").inner_text()


def step(page, key):
    submit(page, f"form[action$='/act/{key}/']")


def status(page) -> str:
    return page.inner_text(".op-status")


def test_suggestion_from_draft_to_closed_on_a_phone(world, live_server, browser_page):
    page, base = browser_page, live_server.url
    page.set_viewport_size(PHONE)
    deputy_a2_user(world)  # 赵六's login

    # 张三 drafts on his phone and invites 赵六 to co-sign.
    login(page, base, "deputy")
    page.goto(f"{base}/suggestions/new/")
    page.fill("input[name=title]", "关于硬化月河村三组通组路的建议")
    page.fill(
        "textarea[name=content]",
        "月河村三组至四组通组路约2公里，雨天泥泞，群众出行困难，建议列入明年硬化计划。",
    )
    page.select_option("select[name=topic]", "road")
    page.check(f"input[name=co_signers][value='{world.deputy_a2.pk}']")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_navigation():
        page.click("form.sg-form button[type=submit]")
    page.wait_for_selector("h1.op-title")
    detail_url = page.url
    assert "草稿" in status(page) and "待确认" in page.inner_text(".sg-signers")
    assert "还有联名代表未确认" in page.inner_text(".op-actions")

    # 赵六 confirms.
    login(page, base, "deputy2")
    page.goto(detail_url)
    submit(page, "form[action$='/sign/']:has(input[value='1'])")
    assert "已确认" in page.inner_text(".sg-signers")

    # 张三 submits.
    login(page, base, "deputy")
    page.goto(detail_url)
    step(page, "submit")
    assert "已提交" in status(page)

    # The town office registers it and assigns it to the town government.
    login(page, base, "town")
    page.goto(detail_url)
    step(page, "register")
    assert "已立案" in status(page)
    page.select_option("form[action$='/act/assign/'] select[name=unit]", str(world.unit_a.pk))
    page.fill("form[action$='/act/assign/'] input[name=responsible_person]", "李主任")
    step(page, "assign")
    assert "办理中" in status(page)

    # The unit talks with the deputies first, then replies with category A.
    login(page, base, "unit")
    page.goto(detail_url)
    assert "面商" in page.inner_text(".op-blocked")
    page.check("form[action$='/consult/'] input[name=consult_method][value=visit]")
    page.fill("form[action$='/consult/'] input[name=consult_on]", date.today().isoformat())
    page.fill("form[action$='/consult/'] textarea[name=consult_note]", "到月河村三组现场与两位代表座谈")
    submit(page, "form[action$='/consult/']")
    form = "form[action$='/act/reply/']"
    page.fill(f"{form} input[name=doc_number]", "城政函〔2026〕5号")
    page.fill(f"{form} input[name=signer]", "王镇长")
    page.fill(f"{form} textarea[name=done_text]", "已完成三组至四组通组路硬化2公里。")
    page.check(f"{form} input[name=category][value=A]")
    page.fill(
        f"{form} textarea[name=reply_text]",
        "经镇政府研究，该路段已列入今年计划并于11月完成硬化，群众出行已改善。",
    )
    step(page, "reply")
    assert "已答复" in status(page)
    assert page.locator("#letter-link").count() == 1

    # Both deputies rate the handling and the result.
    for username in ("deputy", "deputy2"):
        login(page, base, username)
        page.goto(detail_url)
        page.check("form[action$='/rate/'] input[name=handling][value=satisfied]")
        page.check("form[action$='/rate/'] input[name=result][value=satisfied]")
        submit(page, "form[action$='/rate/']")
    assert "已办结" in status(page)

    item = Suggestion.objects.get()
    assert item.state == "closed" and item.category == "A" and item.solved
    assert item.feedback.count() == 2

    # The town office sees it closed; the page fits the phone.
    login(page, base, "town")
    page.goto(detail_url)
    assert "已办结" in status(page) and "满意" in page.inner_text(".sg-feedback")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "suggestion-detail-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

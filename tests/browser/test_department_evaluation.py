"""A department evaluation from advance notice to published results (issue 18 part 3): the town office
creates it and takes the steps on its page, sets up the satisfaction survey, the deputy rates on a phone,
the office closes the survey, the two tellers decrypt the totals, and the office takes the remaining steps
up to publishing the results, which the page then shows per department."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.ballotbox import services as ballotbox
from apps.evaluations.models import DepartmentEvaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def take_step(page, label, day):
    box = page.locator("details.op-act", has=page.locator("summary", has_text=label))
    box.locator("summary").click()
    box.locator("input[name=date]").fill(day)
    with page.expect_navigation():
        box.locator("button[type=submit]").click()
    assert "已完成" in page.inner_text(".messages")


def test_an_evaluation_from_advance_notice_to_published_results(world, live_server, browser_page):
    page, base = browser_page, live_server.url
    page.on("dialog", lambda d: d.accept())
    login(page, base, "town")
    page.goto(f"{base}/supervision/evaluations/new/")
    page.fill("input[name=title]", "城关镇政府工作评议")
    page.check(f"input[name=units][value='{world.unit_a.pk}']")
    with page.expect_navigation():
        page.click("form.op-form button")
    item = DepartmentEvaluation.objects.get()
    take_step(page, "预先通知", "2026-03-01")
    take_step(page, "提前调研", "2026-03-10")
    take_step(page, "召开评议会议", "2026-03-20")
    assert page.inner_text("#evaluation-state") == "评议会议与满意度测评"

    # The survey: a window, the second teller named, both tellers' keys, opened.
    now = timezone.localtime()
    page.fill("input[name=opens_at]", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=closes_at]", (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.click("text=设立满意度测评")
    prepare = page.locator("details.op-act", has=page.locator("summary", has_text="准备测评"))
    prepare.locator("summary").click()
    prepare.locator("select[name=second_teller]").select_option(str(world.county_user.pk))
    with page.expect_navigation():
        prepare.locator("button[type=submit]").click()
    codes = {u: ballotbox.make_teller_keys(actor=u)[0] for u in (world.town_user, world.county_user)}
    page.reload()
    with page.expect_navigation():
        page.click("button:has-text('开启测评')")
    assert page.inner_text("#survey-state") == "测评中"

    # The deputy rates on a phone.
    login(page, base, "deputy")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/supervision/evaluations/")
    assert "待参加的满意度测评" in page.inner_text("main")
    with page.expect_navigation():
        page.click(f"text={item.title}")  # the first link: the survey to answer
    page.check(f"input[name=unit_{world.unit_a.pk}][value=dissatisfied]")
    page.fill(f"textarea[name=comment_{world.unit_a.pk}]", "办事要跑好几趟")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_navigation():
        page.click("#rate-form button")
    assert page.locator("#rate-done").is_visible()

    # The office closes the survey; the two tellers decrypt the totals.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, base, "town")
    page.goto(f"{base}{item.get_absolute_url()}")
    with page.expect_navigation():
        page.click("button:has-text('结束测评')")
    for user, code in codes.items():
        ballotbox.submit_shares(actor=user, code=code)
    page.reload()
    assert page.inner_text("#survey-state") == "测评结束"
    take_step(page, "提出书面评议意见", "2026-04-01")
    take_step(page, "督促整改", "2026-04-10")
    take_step(page, "整改验收", "2026-05-10")
    take_step(page, "公布评议结果", "2026-05-20")
    main = page.inner_text("main")
    assert page.inner_text("#evaluation-state") == "已公布结果"
    assert "1（100.0%）" in main and "提交整改方案" in main and "办事要跑好几趟" in main
    assert world.deputy_a.name not in main

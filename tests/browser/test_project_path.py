"""A livelihood project's first steps in a browser (issue 19): a resident proposes it on the public site by
the town's QR link, the town office screens it onto next year's candidate list, it stands on the list page,
and the resident reads the screening by the tracking code."""

import pytest
from django.utils import timezone

from apps.projects import services
from apps.projects.models import Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_public_proposal_to_the_candidate_list(world, live_server, browser_page):
    page, base = browser_page, live_server.url
    year = timezone.localdate().year + 1
    cl = services.create_list(actor=world.town_user, town_id=world.town_a.pk, year=year, places=2)

    # A resident opens the town's QR link: no login, a phone number is enough.
    page.goto(f"{base}/p/projects/propose/?town={world.town_a.code}")
    page.fill("input[name=title]", "月河村三组安装太阳能路灯")
    page.fill("textarea[name=detail]", "三组到村委会的路段没有路灯，晚上出行不便。")
    page.fill("input[name=proposer_phone]", "13900000019")
    with page.expect_navigation():
        page.click("form.op-form button")
    code = page.inner_text(".big strong").strip()
    proposal = Proposal.objects.get(tracking_code=code)
    assert proposal.year == year and proposal.state == "submitted"

    # The town office screens it onto next year's candidate list, with budget and schedule.
    login(page, base, "town")
    page.goto(f"{base}/projects/proposals/{proposal.pk}/")
    form = "form[action$='/do/list/']"
    page.locator("details.op-act", has=page.locator(form)).locator("summary").click()
    page.fill(f"{form} input[name=budget]", "36")
    page.fill(f"{form} input[name=schedule]", f"{year}年3月至6月")
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")
    assert page.locator(".msg.error").count() == 0, page.locator(".msg.error").inner_text()
    assert "列入候选项目" in page.inner_text("main")

    # It stands on the candidate list page with its budget.
    page.goto(f"{base}/projects/lists/{cl.pk}/")
    row = page.locator("table tr", has_text="月河村三组安装太阳能路灯")
    assert row.count() == 1 and "36" in row.inner_text()

    # The resident reads the screening by the code; no phone number shown.
    page.context.clear_cookies()
    page.goto(f"{base}/p/projects/track/?code={code}")
    text = page.inner_text("main")
    assert "列入候选项目" in text and "13900000019" not in text

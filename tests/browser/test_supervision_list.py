"""民情清单 → 监督清单 in a browser (issue 18): the town office sees what people raised grouped by topic,
lists the top topic into this year's plan with one button, and the plan's item links back to the opinions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.opinions import services as opinions
from apps.opinions.models import Opinion
from apps.supervision import services
from apps.supervision.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_the_office_lists_a_raised_topic_into_the_plan(world, live_server, browser_page, tmp_path):
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    for title in ("月河村供水管道老化", "月河村二组供水管道爆裂"):
        item = opinions.register(
            actor=world.town_user,
            data={"source": "letter", "title": title, "content": title, "region": world.village_a.code,
                  "topic": "water", "submitter_name": "群众", "submitter_phone": "13900000001"},
        )  # fmt: skip
        Opinion.objects.filter(pk=item.pk).update(received_on=timezone.localdate() - timedelta(days=3))
    plan = services.create_plan(
        actor=world.town_user, region_id=world.town_a.pk, year=timezone.localdate().year
    )

    login(page, base, "town")
    page.goto(f"{base}/supervision/")
    row = page.locator("tr", has_text="饮水安全")
    assert "2" in row.inner_text()
    page.screenshot(path=str(tmp_path / "supervision-home.png"), full_page=True)
    row.locator("button", has_text="列入监督清单").click()
    page.wait_for_url(f"{base}/supervision/activities/*/")
    assert "来源社情民意" in page.content() and "月河村供水管道老化" in page.content()
    item = Activity.objects.get(plan=plan)
    assert item.opinions.count() == 2
    page.goto(f"{base}/supervision/")
    assert page.locator("tr", has_text="饮水安全").locator(".badge").inner_text() == "已列入监督清单"

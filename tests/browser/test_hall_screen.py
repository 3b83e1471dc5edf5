"""The projected hall screen (issue 16): no menu, and at a projector's 1920x1080 and a small 1280x720 the
whole tally (all deputies, present, for, against, abstain, not voted, the result) is on the screen without
scrolling, as are the check-in figures, a secret vote's 计票中 and an election's result per candidate.
Screenshots are written to $RENDA_SCREENSHOTS (default: the test's tmp dir) to look at."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.elections.tests.factories import Hall
from apps.meetings import services
from apps.meetings.tests.factories import add_deputies, check_in_all, plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 30_000
SIZES = ((1920, 1080), (1280, 720))


def login(browser, base, username, width, height):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def fully_visible(page, selector):
    """Every element matching `selector` that is shown lies inside the viewport, and the page does not
    scroll."""
    boxes = page.eval_on_selector_all(
        selector,
        """els => els.filter(e => e.offsetParent !== null).map(e => {
            const r = e.getBoundingClientRect();
            return [e.textContent.trim(), r.left, r.top, r.right, r.bottom];
        })""",
    )
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    assert boxes, f"nothing shown for {selector}"
    outside = [b for b in boxes if b[1] < 0 or b[2] < 0 or b[3] > width + 0.5 or b[4] > height + 0.5]
    assert not outside, f"{selector} outside the {width}x{height} screen: {outside}"
    scroll = page.evaluate("[document.documentElement.scrollHeight, document.documentElement.scrollWidth]")
    assert scroll[0] <= height and scroll[1] <= width, f"the page scrolls: {scroll}"
    return boxes


def shoot(page, tmp_path, name):
    folder = Path(os.environ.get("RENDA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    w, h = page.viewport_size["width"], page.viewport_size["height"]
    page.screenshot(path=str(folder / f"hall-{name}-{w}x{h}.png"))


def test_hall_screen_shows_check_in_and_the_whole_tally_without_scrolling(
    world, live_server, browser_page, tmp_path
):
    base, browser = live_server.url, browser_page.context.browser
    deputies = add_deputies(world, 28, prefix="代表")
    meeting = plan(world, agenda=("关于2026年镇人民政府工作报告的决议（草案）经大会审议通过",))
    services.open_checkin(actor=world.town_user, meeting_id=meeting.pk)
    check_in_all(meeting, world.town_user, only=deputies[:20])
    screens = [login(browser, base, "town", w, h) for w, h in SIZES]
    for page in screens:
        page.goto(f"{base}/meetings/{meeting.pk}/hall/")
        expect(page.locator(".topbar")).to_be_hidden()
        expect(page.locator(".mt-checkin")).to_be_visible()
        fully_visible(page, ".mt-checkin .mt-n, .mt-checkin .mt-l, .mt-checkin .mt-line, .mt-qr img")
        shoot(page, tmp_path, "checkin")

    # The vote opens with a time limit: the hall switches to the question and the countdown by itself.
    services.open_meeting(actor=world.town_user, meeting_id=meeting.pk)
    vote = services.create_vote(
        actor=world.town_user,
        meeting_id=meeting.pk,
        agenda_item_id=meeting.agenda.get().pk,
        duration_seconds=300,
    )
    services.open_vote(actor=world.town_user, vote_id=vote.pk)
    for n, d in enumerate(deputies[:17]):
        services.cast(actor=d.user, vote_id=vote.pk, choice=("for", "for", "against", "abstain")[n % 4])
    for page in screens:
        expect(page.locator(".mt-vote")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("[data-live-countdown]")).to_have_text(re.compile(r"0[45]:\d\d"), timeout=WAIT_MS)
        shoot(page, tmp_path, "vote-open")

    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    for page in screens:
        expect(page.locator(".mt-vote .mt-result")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("[data-live='vote.result_label']")).to_have_text(
            "未通过"
        )  # 9 of 30: not more than 15
        figures = fully_visible(page, ".mt-vote .mt-n, .mt-vote .mt-l, .mt-vote .mt-result, .mt-question")
        texts = [f[0] for f in figures]
        for label in ("全体代表", "实到", "赞成", "反对", "弃权", "未表决"):
            assert label in texts, (label, texts)
        assert "30" in texts and "20" in texts  # 28 + town A's two deputies; 20 present
        shoot(page, tmp_path, "vote-result")
    for page in screens:
        page.context.close()


def test_hall_screen_shows_counting_for_a_secret_vote_and_an_election_per_candidate(
    world, live_server, browser_page, tmp_path
):
    base, browser = live_server.url, browser_page.context.browser
    hall = Hall(world, total=12)
    meeting = hall.meeting
    screens = [login(browser, base, "town", w, h) for w, h in SIZES]

    # A secret vote closed: 计票中 until the tellers decrypt.
    item = services.add_agenda_item(actor=world.town_user, meeting_id=meeting.pk, title="关于人事任免的决定")
    vote = services.create_vote(
        actor=world.town_user, meeting_id=meeting.pk, agenda_item_id=item.pk, secret=True
    )
    hall.keys()  # the tellers key the vote's ballot box
    services.open_vote(actor=world.town_user, vote_id=vote.pk)
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    for page in screens:
        page.goto(f"{base}/meetings/{meeting.pk}/hall/")
        expect(page.locator(".mt-vote .mt-counting")).to_be_visible(timeout=WAIT_MS)
        assert "计票中" in page.inner_text(".mt-vote .mt-counting")
        fully_visible(page, ".mt-vote .mt-n, .mt-vote .mt-counting")
        shoot(page, tmp_path, "secret-counting")

    # An election round on paper, counted: the hall turns to it and shows every candidate's votes.
    post = hall.post("vice_chair", seats=2, margin=1)
    a, b, c = hall.candidates(post, ["王明", "李华", "张强"])
    round_ = hall.open(post, paper=True, issued=12)
    hall.votes(
        round_,
        [(4, {a: "for", b: "for", c: "against"}, ()), (2, {a: "for", b: "against", c: "for"}, ())],
    )
    hall.close(round_)
    for page in screens:
        expect(page.locator(".mt-election")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator(".mt-candidates tbody tr")).to_have_count(3, timeout=WAIT_MS)
        rows = fully_visible(page, ".mt-candidates td, .mt-election .mt-line")
        assert "王明" in [r[0] for r in rows]
        shoot(page, tmp_path, "election-result")
    for page in screens:
        page.context.close()

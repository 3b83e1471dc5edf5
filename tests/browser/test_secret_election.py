"""A secret election round on phones with the tellers' decryption step (issue 15): the two tellers make their
key shares at the teller desk, the office opens the round, two deputies vote on the phone page and get their
receipts, the office closes the round (计票中), the two tellers give their shares at the desk, and the tally
page for the hall shows the elected person."""

import pytest

from apps.elections import services
from apps.elections.models import Round
from apps.elections.tests.factories import Hall

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 30_000


def open_as(browser, base, username, width=390):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_a_secret_round_from_the_tellers_keys_to_the_elected_person(world, live_server, browser_page):
    base, browser = live_server.url, browser_page.context.browser
    hall = Hall(world, total=3)  # three deputies checked in: more than half of all is 2
    post = hall.post("head")
    (candidate,) = hall.candidates(post, ["王明"])
    round_ = services.start(actor=world.town_user, post_id=post.pk)
    office = open_as(browser, base, world.town_user.username, width=1280)

    # The round page names the tellers who still owe their keys and links to the desk.
    office.goto(f"{base}/elections/rounds/{round_.pk}/")
    assert "尚未生成密钥份额的监票人" in office.inner_text("main")

    # Each teller makes their key share at the desk and copies the code shown once.
    codes = {}
    tellers = {u.username: (office if u == world.town_user else None) for u in hall.tellers}
    for username in tellers:
        page = tellers[username] or open_as(browser, base, username)
        tellers[username] = page
        page.goto(f"{base}/ballotbox/desk/")
        with page.expect_navigation():
            page.click("form:has(input[value=keys]) button")
        codes[username] = page.inner_text("code.secret-share").strip()
        assert len(codes[username]) == 64

    # The office opens the round.
    office.goto(f"{base}/elections/rounds/{round_.pk}/")
    assert "尚未生成密钥份额的监票人" not in office.inner_text("main")
    with office.expect_navigation():
        office.click("text=开始投票")
    assert Round.objects.get(pk=round_.pk).state == "open"

    # Two deputies vote 赞成 on their phones and see their receipts.
    for i in (0, 2):
        phone = open_as(browser, base, hall.user(i).username)
        phone.goto(f"{base}/elections/rounds/{round_.pk}/ballot/")
        phone.check(f"input[name=c{candidate.pk}][value=for]")
        with phone.expect_navigation():
            phone.click("button.el-submit")
        text = phone.inner_text("main")
        assert "投票成功" in text and "回执" in text
        receipt = phone.inner_text("code.el-receipt-code").strip()
        link = phone.locator("a", has_text="核对回执").get_attribute("href")
        assert len(receipt) == 64 and link == f"/api/v1/public/ballotbox/receipts/{receipt}"
        phone.context.close()

    # The office closes the round: it waits for the tellers.
    office.goto(f"{base}/elections/rounds/{round_.pk}/")
    asked = []  # a step that cannot be undone asks once (issue 16 item 13)
    office.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    with office.expect_navigation():
        office.click("text=结束投票并计票")
    assert asked
    assert "计票中，待监票人解密" in office.inner_text("main")
    office.goto(f"{base}/elections/rounds/{round_.pk}/")
    assert "尚未提交解密份额的监票人" in office.inner_text("main")

    # Each teller pastes their code at the desk; the last share counts the round.
    for username, page in tellers.items():
        page.goto(f"{base}/ballotbox/desk/")
        page.fill("form:has(input[value=shares]) input[name=code]", codes[username])
        with page.expect_navigation():
            page.click("form:has(input[value=shares]) button")
        assert "已为1个票箱提交解密份额" in page.inner_text("main")

    # The tally page for the hall shows the elected person and the figures.
    office.goto(f"{base}/elections/rounds/{round_.pk}/tally/")
    text = office.inner_text("main")
    assert "已计票" in text and "王明" in text
    row = office.locator("table.el-table tr", has_text="王明")
    assert "当选" in row.inner_text() and "2" in row.inner_text()
    for page in {id(p): p for p in tellers.values()}.values():
        page.context.close()

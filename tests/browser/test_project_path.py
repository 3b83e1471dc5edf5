"""A livelihood project's whole path in a browser (issue 19, DOMAIN §6): a resident proposes it on the public
site by the town's QR link, the town office screens it onto next year's candidate list, it stands on the list
page, and the resident reads the screening by the tracking code; then the congress votes the list by secret
ballot (phones, one paper ballot whose totals two tellers enter and confirm), the tellers count it, the
adopted project is assigned and given a milestone, the unit reports progress with a photo, the deputies rate
it at the year end on their phones, and the public site shows it with its rating.

Set-up that is not the point is made through services: the sitting with its deputies checked in and its two
tellers (town office and a deputy), the list's other candidates (the 2:1 ratio)."""

import struct
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.elections.tests.factories import Hall
from apps.projects import services
from apps.projects.models import CandidateList, Project, Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 30_000


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def open_as(browser, base, username, width=390):
    """A person's own browser (a phone by default), logged in; every 'are you sure?' is answered yes."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.on("dialog", lambda d: d.accept())
    login(page, base, username)
    return page


def propose_and_list(page, base, town, year) -> tuple[Proposal, str]:
    """A resident proposes 月河村三组安装太阳能路灯 by the town's QR link; the town office lists it."""
    page.goto(f"{base}/p/projects/propose/?town={town.code}")
    page.fill("input[name=title]", "月河村三组安装太阳能路灯")
    page.fill("textarea[name=detail]", "三组到村委会的路段没有路灯，晚上出行不便。")
    page.fill("input[name=proposer_phone]", "13900000019")
    with page.expect_navigation():
        page.click("form.op-form button")
    code = page.inner_text(".big strong").strip()
    proposal = Proposal.objects.get(tracking_code=code)
    assert proposal.year == year and proposal.state == "submitted"

    login(page, base, "town")
    page.goto(f"{base}/projects/proposals/{proposal.pk}/")
    act(page, "form[action$='/do/list/']", budget="36", schedule=f"{year}年3月至6月")
    assert "列入候选项目" in page.inner_text("main")
    return proposal, code


def act(page, form, **fields):
    """Take a workflow step from its form in the page's actions (opening it first if it has fields)."""
    details = page.locator("details.op-act", has=page.locator(form))
    if details.count():
        details.locator("summary").click()
    for name, value in fields.items():
        page.fill(f"{form} [name={name}]", value)
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")
    errors = page.locator(".msg.error, .errorlist")
    assert errors.count() == 0, errors.first.inner_text()


def submit(page, form):
    with page.expect_navigation():
        page.click(f"{form} button")
    errors = page.locator(".msg.error, .errorlist")
    assert errors.count() == 0, errors.first.inner_text()


def desk(page, base, action, code=""):
    """A teller at the desk (我的监票): key shares for the boxes in setup, or the shares of the decryption;
    answers the code shown once when keys are made (one code for every box of the sitting)."""
    page.goto(f"{base}/ballotbox/desk/")
    form = f"form:has(input[value={action}])"
    if code:
        page.fill(f"{form} input[name=code]", code)
    with page.expect_navigation():
        page.click(f"{form} button")
    if action == "keys":
        return page.inner_text("code.secret-share").strip()
    assert "提交解密份额" in page.inner_text("main") and page.locator(".errorlist").count() == 0
    return code


def png(width=8, height=8) -> bytes:
    """A small valid PNG, made here: a grey square."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_public_proposal_to_the_candidate_list(world, live_server, browser_page):
    page, base = browser_page, live_server.url
    year = timezone.localdate().year + 1
    cl = services.create_list(actor=world.town_user, town_id=world.town_a.pk, year=year, places=2)

    # A resident proposes it by the town's QR link (no login, a phone number is enough); the town office
    # screens it onto next year's candidate list, with budget and schedule.
    _proposal, code = propose_and_list(page, base, world.town_a, year)

    # It stands on the candidate list page with its budget.
    page.goto(f"{base}/projects/lists/{cl.pk}/")
    row = page.locator("table tr", has_text="月河村三组安装太阳能路灯")
    assert row.count() == 1 and "36" in row.inner_text()

    # The resident reads the screening by the code; no phone number shown.
    page.context.clear_cookies()
    page.goto(f"{base}/p/projects/track/?code={code}")
    text = page.inner_text("main")
    assert "列入候选项目" in text and "13900000019" not in text


def test_from_a_public_proposal_to_a_rated_project(world, live_server, browser_page):
    base, browser = live_server.url, browser_page.context.browser
    year = timezone.localdate().year + 1
    hall = Hall(world, total=5)  # five deputies checked in: more than half of ALL deputies is 3
    _office, deputy_teller = hall.tellers  # the town office and deputy 1
    cl = services.create_list(
        actor=world.town_user, town_id=world.town_a.pk, year=year, places=2, meeting_id=hall.meeting.pk
    )
    office = browser_page
    office.set_default_timeout(WAIT_MS)
    office.on("dialog", lambda d: d.accept())
    proposal, _code = propose_and_list(office, base, world.town_a, year)
    lamp = proposal.title
    for title in ("东城社区停车场", "月河村饮水提升", "城关幼儿园扩建"):  # 4 candidates for 2 places: 2:1
        services.add_candidate(actor=world.town_user, list_id=cl.pk, data={"title": title, "budget": "50"})
    road = "东城社区停车场"
    ids = dict(CandidateList.objects.get(pk=cl.pk).candidates.values_list("title", "pk"))
    list_page = f"{base}/projects/lists/{cl.pk}/"

    # The office puts the list to the congress; the round waits for the tellers' keys.
    office.goto(f"{base}/projects/")
    with office.expect_navigation():
        office.click(f"a:has-text('{cl.title}')")
    act(office, "form[action$='/do/present/']")
    assert "尚有监票人未生成密钥份额" in office.inner_text("main")

    # Each teller makes their key share at the desk and keeps the code shown once.
    phone_1 = open_as(browser, base, deputy_teller.username)
    codes = {page: desk(page, base, "keys") for page in (office, phone_1)}

    # The office opens the vote and hands deputy 3, who has no phone, a paper ballot.
    office.goto(list_page)
    act(office, "form[action$='/do/open_vote/']")
    office.select_option("form[action$='/paper-ballots/'] select[name=deputy]", str(hall.deputies[3].pk))
    submit(office, "form[action$='/paper-ballots/']")
    assert "已发放纸质选票" in office.inner_text("main")

    # Three deputies vote on their phones: the street lamps and the car park.
    phones = [
        open_as(browser, base, hall.user(0).username),
        phone_1,
        open_as(browser, base, hall.user(2).username),
    ]
    for phone in phones:
        phone.goto(f"{base}/projects/")
        with phone.expect_navigation():
            phone.click(f"a:has-text('{cl.title}')")
        phone.check(f"input[name=marks][value='{ids[lamp]}']")
        phone.check(f"input[name=marks][value='{ids[road]}']")
        submit(phone, "form[action$='/ballot/']")
        assert "投票成功" in phone.inner_text("main") and "您已在本轮投票" in phone.inner_text("main")

    # The office closes the vote; one teller enters the paper ballot's totals, the other confirms them.
    office.goto(list_page)
    act(office, "form[action$='/do/close_vote/']")
    totals = "form[action$='/paper-totals/']"
    office.fill(f"{totals} [name=returned]", "1")
    office.fill(f"{totals} [name=c{ids[lamp]}]", "1")
    office.fill(f"{totals} [name=c{ids[road]}]", "1")
    submit(office, totals)
    assert "待另一名监票人复核" in office.inner_text("main")
    phone_1.goto(list_page)
    submit(phone_1, "form[action$='/paper-confirm/']")
    assert "纸质选票统计已复核" in phone_1.inner_text("main")

    # The tellers give their shares at the desk: the round is counted.
    for page, code in codes.items():
        desk(page, base, "shares", code)
        assert "已为1个票箱提交解密份额" in page.inner_text("main")
    office.goto(list_page)
    text = office.inner_text("main")
    assert "票决结果已确定" in text and "全体代表5名" in text and "通过须得3票" in text
    assert f"{lamp}：4 · 票决通过" in text and f"{road}：4 · 票决通过" in text
    office.goto(f"{base}/meetings/{hall.meeting.pk}/hall/")
    assert lamp in office.inner_text("body") and "票决通过" in office.inner_text("body")

    # The office assigns the project (member in charge, unit, monitoring deputy) and sets a milestone.
    project = Project.objects.get(candidate_id=ids[lamp])
    office.goto(f"{base}/projects/")
    with office.expect_navigation():
        office.click(f"a:has-text('{lamp}')")
    assign = "form[action$='/do/assign/']"
    office.locator("details.op-act", has=office.locator(assign)).locator("summary").click()
    office.select_option(f"{assign} select[name=leader]", str(world.deputy_a.pk))
    office.select_option(f"{assign} select[name=unit]", str(world.unit_a.pk))
    office.check(f"{assign} input[name=monitors][value='{world.deputy_a2.pk}']")
    submit(office, assign)
    milestone = "form[action$='/milestones/']"
    office.fill(f"{milestone} [name=title]", "路灯安装完成")
    office.fill(f"{milestone} [name=due_on]", f"{year}-06-30")
    office.fill(f"{milestone} [name=budget]", "36")
    submit(office, milestone)
    text = office.inner_text("main")
    assert "实施中" in text and world.unit_a.name in text and world.deputy_a.name in text
    assert "路灯安装完成" in text

    # The unit reports the milestone half done, with a photo.
    unit = open_as(browser, base, world.unit_user.username)
    unit.goto(f"{base}/projects/")
    with unit.expect_navigation():
        unit.click(f"a:has-text('{lamp}')")
    report = "form[action$='/progress/']"
    unit.fill(f"{report} [name=percent_done]", "50")
    unit.fill(f"{report} [name=spent]", "18")
    unit.fill(f"{report} [name=note]", "已安装路灯12盏")
    unit.set_input_files(
        f"{report} [name=photos]", {"name": "lamp.png", "mimeType": "image/png", "buffer": png()}
    )
    submit(unit, report)
    assert "进度已报送" in unit.inner_text("main") and "已安装路灯12盏" in unit.inner_text("main")
    assert unit.locator("a", has_text="照片1").count() == 1

    # The year-end rating: the office sets the window, the tellers key its box, the office opens it.
    now = timezone.localtime()
    office.goto(list_page)
    office.fill("[name=opens_at]", (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    office.fill("[name=closes_at]", (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    submit(office, "form[action$='/rating/']")
    for page, code in codes.items():
        assert desk(page, base, "keys", code) == code  # the same code keys the rating's box
    office.goto(list_page)
    act(office, "form[action*='/ratings/'][action$='/do/open/']")

    # The three deputies rate every project on their phones.
    others = [p for p in Project.objects.filter(candidate__candidate_list=cl) if p.pk != project.pk]
    for i, phone in enumerate(phones):
        phone.goto(list_page)
        phone.check(f"input[name=p{project.pk}][value={('satisfied', 'satisfied', 'basic')[i]}]")
        for other in others:
            phone.check(f"input[name=p{other.pk}][value=satisfied]")
        submit(phone, "form[action$='/rate/']")
        assert "测评成功" in phone.inner_text("main") and "您已测评" in phone.inner_text("main")
        if phone is not phone_1:
            phone.context.close()

    # The office closes the rating; the tellers' shares publish the result.
    office.goto(list_page)
    act(office, "form[action*='/ratings/'][action$='/do/close/']")
    for page, code in codes.items():
        desk(page, base, "shares", code)
    office.goto(list_page)
    assert "测评结果已公布" in office.inner_text("main")

    # The public site shows the project with its progress, photo and rating.
    public = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    public.goto(f"{base}/p/projects/?town={world.town_a.code}&year={year}")
    card = public.locator("li.card", has_text=lamp)
    text = card.inner_text()
    assert "进度 50%" in text and world.unit_a.name in text, text
    assert "代表年终测评：满意 2 · 基本满意 1 · 不满意 0 · 满意率 100.0%" in text, text
    assert card.locator("img.pub-photo").count() == 1
    for page in (phone_1, unit, public):
        page.context.close()

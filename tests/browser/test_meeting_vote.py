"""A vote in the hall: three deputies press a button on their phones (one of them over the live socket), the
chair closes the vote, and the hall screen shows the totals and the result as they happen, never reloaded; a
second hall screen whose WebSocket is blocked follows the same vote by polling.

The pages need an ASGI server that speaks WebSocket, so this test runs uvicorn in a thread against the
test database (the same in-process channel layer as the consumers), instead of the WSGI live server.
"""

import asyncio
import socket
import threading

import django.core.handlers.asgi
import pytest
import uvicorn
from django.db.utils import ConnectionHandler
from playwright.sync_api import expect

from apps.meetings import live, services
from apps.meetings.models import Vote
from apps.meetings.tests.factories import add_deputies, check_in_all, plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every wait is for an event (a page's text or attribute, a navigation, the server, the live pump), never a
# fixed sleep; this is how long before one fails: generous, for a machine busy with other suites.
WAIT_MS = 30_000


class _Server(uvicorn.Server):
    """uvicorn that says when it serves, instead of being polled for it."""

    def __init__(self, config):
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets=None):
        try:
            await super().startup(sockets=sockets)
        finally:
            self.ready.set()  # started, or given up (then `started` stays False)


class _SameThreadForAll:
    """Instead of asgiref's ThreadSensitiveContext: a request's sync code is not given a thread of its own."""

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


@pytest.fixture
def asgi_live_server(transactional_db, monkeypatch):
    """uvicorn serving renda.asgi (HTTP with static files, and the WebSocket routes) in a thread.

    Like Django's live server, every thread uses the test's own database connection (an in-memory SQLite
    database exists once per connection). So that two threads never use that one connection at once (a read
    from one thread inside another's transaction leaves the connection in a transaction Django does not know
    of: the commit's hooks, the live publish among them, are then lost), every database call runs on one
    thread: the views (Django would give each request a thread of its own), the sockets' calls and ballots
    (not side by side in the pool) and the live pump's reads. HTTP requests are also taken one at a time."""
    from asgiref.sync import SyncToAsync
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application
    from django.db import connections

    from apps.meetings import consumers
    from renda.asgi import application

    shared = connections["default"]
    original = ConnectionHandler.__getitem__
    monkeypatch.setattr(
        ConnectionHandler,
        "__getitem__",
        lambda self, alias: shared if alias == "default" else original(self, alias),
    )
    monkeypatch.setattr(consumers, "BALLOTS_IN_PARALLEL", False)
    # Views run in asgiref's one thread-sensitive thread, where the sockets' database calls run too.
    monkeypatch.setattr(django.core.handlers.asgi, "ThreadSensitiveContext", _SameThreadForAll)
    one_thread, compute = SyncToAsync.single_thread_executor, live.compute

    def compute_on_the_one_thread(*args, **kwargs):
        if threading.current_thread().name.startswith("live-"):  # a trailing pump's own thread
            return one_thread.submit(compute, *args, **kwargs).result()
        return compute(*args, **kwargs)

    monkeypatch.setattr(live, "compute", compute_on_the_one_thread)
    shared.inc_thread_sharing()

    http = ASGIStaticFilesHandler(get_asgi_application())
    one_at_a_time = asyncio.Lock()

    async def serial_http(scope, receive, send):
        async with one_at_a_time:
            await http(scope, receive, send)

    app = ProtocolTypeRouter({"http": serial_http, "websocket": application.application_mapping["websocket"]})
    # The socket is bound and listening before the server starts: no other process can take the port.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    server = _Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    assert server.ready.wait(WAIT_MS / 1000) and server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    # The live pump's trailing send, if any, goes out through the server's loop: wait for it before the
    # server stops and the tables are flushed.
    idle = live.wait_idle(timeout=WAIT_MS / 1000)
    server.should_exit = True
    thread.join(WAIT_MS / 1000)
    sock.close()
    shared.dec_thread_sharing()
    assert idle, f"{live.pumps_running()} live pump(s) still running after the test"
    assert not thread.is_alive(), "uvicorn did not stop"


def new_page(browser, base, username, *, block_websocket=False, width=390):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844})
    if block_websocket:
        context.add_init_script("window.WebSocket = undefined;")  # as behind a proxy that drops it
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "renda-test-pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def expect_mode(page, mode, label=None):
    """The page's live script is connected this way (live: WebSocket, poll: the API every 2 s)."""
    expect(page.locator("[data-live-meeting]")).to_have_attribute("data-live-mode", mode, timeout=WAIT_MS)
    if label is not None:
        expect(page.locator("[data-live-indicator]")).to_have_text(label, timeout=WAIT_MS)


def expect_live(page, path, value):
    """The value the page's live script last wrote at `path` (as its data-live attribute names it)."""
    expect(page.locator(f"[data-live-meeting] [data-live='{path}']")).to_have_text(value, timeout=WAIT_MS)


def test_three_phones_vote_and_the_hall_screen_shows_the_result_live(world, asgi_live_server, browser_page):
    base, browser = asgi_live_server, browser_page.context.browser
    deputies = add_deputies(world, 3, prefix="表决代表")
    meeting = plan(world, agenda=("关于2026年民生实事项目的决议",))
    services.open_checkin(actor=world.town_user, meeting_id=meeting.pk)
    check_in_all(meeting, world.town_user)  # all five of the town's deputies are present
    services.open_meeting(actor=world.town_user, meeting_id=meeting.pk)
    vote = services.create_vote(
        actor=world.town_user, meeting_id=meeting.pk, agenda_item_id=meeting.agenda.get().pk
    )

    hall = new_page(browser, base, "town", width=1280)
    hall.goto(f"{base}/meetings/{meeting.pk}/hall/")
    expect_mode(hall, "live", "实时")
    hall.evaluate("window.__notReloaded = true")
    polled = new_page(browser, base, "town", block_websocket=True, width=1280)
    polled.goto(f"{base}/meetings/{meeting.pk}/hall/")
    expect_mode(polled, "poll", "轮询")
    polled.evaluate("window.__notReloaded = true")

    # Two phones on the live socket; the third on a network that blocks WebSocket (it polls).
    phones = []
    for n, d in enumerate(deputies):
        blocked = n == 2
        phone = new_page(browser, base, d.user.username, block_websocket=blocked)
        phone.goto(f"{base}/meetings/{meeting.pk}/my/")
        expect_mode(phone, "poll" if blocked else "live")
        phones.append(phone)

    # The chair opens the vote: the phones reload by themselves and show the three buttons.
    chair = new_page(browser, base, "town", width=1280)
    chair.goto(f"{base}/meetings/{meeting.pk}/chair/")
    with chair.expect_navigation():
        chair.click("form[action$='/do/vote_open/'] button")
    for phone in phones:
        phone.wait_for_selector("form[action*='/my/ballot/'] button[value=for]")
    expect_live(hall, "vote.state_label", "表决中")

    # Each deputy presses 赞成; the hall counts them without reloading. A phone with its socket open sends
    # the ballot over it (the form is marked data-live-ballot); the blocked one posts the form as usual.
    posted = {n: [] for n in range(3)}
    for n, phone in enumerate(phones):
        phone.on("request", lambda r, n=n: posted[n].append(r.url) if r.method == "POST" else None)
    for n, phone in enumerate(phones, start=1):
        with phone.expect_navigation():
            phone.click("form[action*='/my/ballot/'] button[value=for]")
        assert "您已投票" in phone.inner_text("main")
        expect_live(hall, "vote.for", str(n))
    assert posted[0] == [] and posted[1] == []  # over their sockets
    assert len(posted[2]) == 1 and "/my/ballot/" in posted[2][0]  # the form post
    expect_live(hall, "vote.not_voted", "2")  # deputy_a and deputy_a2 are present, not voting

    # The chair closes the vote (asked once what it does: issue 16 item 13): the hall shows the result at
    # once, the polled screen within its 2 s.
    asked = []
    chair.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    with chair.expect_navigation():
        chair.click("form[action$='/do/vote_close/'] button")
    assert asked and "结束" in asked[0]
    # The script marks the root once it has applied a final state: the values below are that state's.
    expect(hall.locator("[data-live-meeting]")).to_have_attribute("data-live-final", "1", timeout=WAIT_MS)
    expect(hall.locator(".mt-result")).to_be_visible(timeout=WAIT_MS)
    expect_live(hall, "vote.result_label", "通过")
    expect_live(hall, "vote.for", "3")
    expect_live(hall, "vote.total_deputies", "5")
    expect_live(polled, "vote.result_label", "通过")
    expect_live(polled, "vote.for", "3")
    expect_mode(polled, "poll", "轮询")
    for screen in (hall, polled):
        assert screen.evaluate("window.__notReloaded === true")  # updated in place, never reloaded

    stored = Vote.objects.get(pk=vote.pk)
    assert (stored.votes_for, stored.present, stored.adopted) == (3, 5, True)
    for page in (hall, polled, chair, *phones):
        page.context.close()

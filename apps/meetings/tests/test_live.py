"""Live screens over WebSocket: who may watch which view, the state on connect, publish to every view,
throttling that coalesces a burst but always delivers the last and the final state.

No test sleeps to let something happen: each waits for the message it needs (`receive_until`) or for the
trailing pump to end (`live.idle`), with a generous timeout that fails naming what did not come."""

import itertools
import json
import time
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from apps.meetings import live
from apps.meetings.consumers import CLOSE_REFUSED
from apps.meetings.models import Attendee, Meeting
from apps.meetings.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db

APP = URLRouter(websocket_urlpatterns)
# Seconds to wait for a message or for the pump to end: generous, since only a failing test waits it out.
WAIT = 10


@pytest.fixture(autouse=True)
def _ballots_on_the_test_thread(monkeypatch):
    from apps.meetings import consumers

    monkeypatch.setattr(consumers, "BALLOTS_IN_PARALLEL", False)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(monkeypatch):
    """Channels closes "old" connections around every database call of a consumer; inside the test's
    transaction on PostgreSQL that would close the very connection holding the test data (SQLite's in-memory
    test database ignores the close). The server keeps the call; the tests keep their connection."""
    import channels.db

    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _no_pump_outlives_the_test():
    """A trailing pump still running would send into the next test's screens, or read tables being rolled
    back; every test waits for its own pumps, this only makes sure none was forgotten."""
    yield
    assert live.wait_idle(timeout=WAIT), f"{live.pumps_running()} live pump(s) still running after the test"


@pytest.fixture
def meeting(world):
    m = Meeting.objects.create(
        region=world.town_a,
        kind="plenary",
        title="第一次全体会议",
        starts_at=timezone.now() + timedelta(hours=1),
    )
    Attendee.objects.create(meeting=m, deputy=world.deputy_a, name=world.deputy_a.name)
    Attendee.objects.create(meeting=m, deputy=world.deputy_a2, name=world.deputy_a2.name)
    return m


@pytest.fixture
def sends(meeting, monkeypatch):
    """Every send the publisher makes, as (monotonic time, views, final): `compute` is called once per send.
    The trailing sends run in the pump's own thread, which cannot see this test's open transaction: the
    meeting is a stand-in with the same id and title."""
    log = []
    stub = type("M", (), {"pk": meeting.pk, "title": meeting.title})

    def compute(mid, final=False, views=live.VIEWS):
        log.append((time.monotonic(), tuple(views), final))
        return {v: live.encode(live.state_for(stub, v), final=final) for v in views}

    monkeypatch.setattr(live, "compute", compute)
    return log


@pytest.fixture
def fake_state(monkeypatch):
    """A stand-in for selectors.live_state with the agreed shape and a counter we can move."""
    box = {"n": 0, "computed": 0}

    def state_for(meeting, view):
        box["computed"] += 1
        return {
            "meeting": {"id": meeting.pk, "title": meeting.title},
            "attendance": {"total": 2, "present": box["n"]},
            "vote": None,
            "not_voted": [],
            "ballots": [],
            "version": box["n"],
            "view": view,
        }

    monkeypatch.setattr(live, "state_for", state_for)
    return box


def connect(user, meeting_id, view):
    comm = WebsocketCommunicator(APP, f"/ws/meetings/{meeting_id}/{view}/")
    comm.scope["user"] = user
    return comm


async def first_message(comm):
    connected, _ = await comm.connect(timeout=WAIT)
    assert connected
    return await comm.receive_from(timeout=WAIT)


async def receive_until(comm, done, what: str) -> list[dict]:
    """The states a screen receives until one satisfies `done` (that one included)."""
    seen = []
    while True:
        try:
            text = await comm.receive_from(timeout=WAIT)
        except TimeoutError:
            pytest.fail(f"no {what} within {WAIT} s; received {[s.get('version') for s in seen]}")
        seen.append(json.loads(text))
        if done(seen[-1]):
            return seen


async def pumps_end(meeting_id):
    assert await live.idle(meeting_id, timeout=WAIT), f"the live pump did not end within {WAIT} s"


def gaps(times):
    return [b - a for a, b in itertools.pairwise(times)]


async def refused(comm) -> bool:
    connected, _ = await comm.connect(timeout=WAIT)
    if not connected:
        return True
    out = await comm.receive_output(timeout=WAIT)
    await comm.disconnect()
    return out["type"] == "websocket.close" and out.get("code") == CLOSE_REFUSED


def run(coro_fn, *args):
    return async_to_sync(coro_fn)(*args)


def test_office_chair_screen_gets_the_state_at_once(world, meeting, fake_state):
    async def scenario():
        comm = connect(world.town_user, meeting.pk, "chair")
        state = json.loads(await first_message(comm))
        await comm.disconnect()
        return state

    state = run(scenario)
    assert state["meeting"]["id"] == meeting.pk and state["view"] == "chair"


def test_attending_deputy_may_watch_phone_and_hall_but_not_chair(world, meeting, fake_state):
    async def scenario():
        phone = connect(world.deputy_user, meeting.pk, "phone")
        assert json.loads(await first_message(phone))["view"] == "phone"
        await phone.disconnect()
        hall = connect(world.deputy_user, meeting.pk, "hall")
        assert json.loads(await first_message(hall))["view"] == "hall"
        await hall.disconnect()
        return await refused(connect(world.deputy_user, meeting.pk, "chair"))

    assert run(scenario)


@pytest.mark.parametrize("who", ["town_b_user", "keeper_user", "unit_user"])
def test_other_town_and_other_roles_cannot_watch(world, meeting, fake_state, who):
    user = getattr(world, who)

    async def scenario():
        return [await refused(connect(user, meeting.pk, view)) for view in ("hall", "chair", "phone")]

    assert run(scenario) == [True, True, True]


def test_deputy_not_attending_and_anonymous_cannot_watch(world, meeting, fake_state):
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.tests.factories import user_with

    other_deputy = user_with("deputy", "deputyb", deputy=world.deputy_b)

    async def scenario():
        return [
            await refused(connect(other_deputy, meeting.pk, "phone")),
            await refused(connect(AnonymousUser(), meeting.pk, "hall")),
            await refused(connect(world.town_user, meeting.pk, "projector")),
            await refused(connect(world.town_user, 999999, "hall")),
        ]

    assert run(scenario) == [True, True, True, True]


def test_county_office_may_run_the_chair_screen(world, meeting, fake_state):
    async def scenario():
        comm = connect(world.county_user, meeting.pk, "chair")
        state = json.loads(await first_message(comm))
        await comm.disconnect()
        return state

    assert run(scenario)["view"] == "chair"


def test_publish_delivers_to_all_three_views(world, meeting, fake_state):
    async def scenario():
        screens = {
            "hall": connect(world.town_user, meeting.pk, "hall"),
            "chair": connect(world.town_user, meeting.pk, "chair"),
            "phone": connect(world.deputy_user, meeting.pk, "phone"),
        }
        for comm in screens.values():
            await first_message(comm)
        fake_state["n"] = 7
        await database_sync_to_async(live.publish)(meeting.pk, final=True)
        got = {view: json.loads(await comm.receive_from(timeout=WAIT)) for view, comm in screens.items()}
        for comm in screens.values():
            await comm.disconnect()
        return got

    got = run(scenario)
    assert {v: (s["view"], s["version"], s.get("final")) for v, s in got.items()} == {
        "hall": ("hall", 7, True),
        "chair": ("chair", 7, True),
        "phone": ("phone", 7, True),
    }


def test_a_burst_is_coalesced_and_the_last_and_final_states_arrive(
    world, meeting, fake_state, sends, settings
):
    settings.RENDA = {**settings.RENDA, "LIVE_THROTTLE_MS": 100}

    async def scenario():
        hall = connect(world.town_user, meeting.pk, "hall")
        await first_message(hall)
        seen = []
        for _burst in range(3):  # three bursts of ten changes, each as fast as publish goes
            for _ in range(10):
                fake_state["n"] += 1
                await database_sync_to_async(live.publish)(meeting.pk)
            last = fake_state["n"]
            # The trailing send brings the burst's last change without another publish.
            seen += await receive_until(hall, lambda s, last=last: s["version"] == last, f"state {last}")
        fake_state["n"] = 31
        await database_sync_to_async(live.publish)(meeting.pk)  # may be held by the throttle...
        fake_state["n"] = 32
        await database_sync_to_async(live.publish)(meeting.pk, final=True)  # ...the final one is not
        final = (await receive_until(hall, lambda s: s.get("final"), "final state"))[-1]
        await pumps_end(meeting.pk)
        await hall.disconnect()
        return [s["version"] for s in seen], final

    seen, final = run(scenario)
    assert seen[-1] == 30 and seen == sorted(seen)
    assert final["version"] == 32
    throttled = [at for at, _views, is_final in sends if not is_final]
    # Coalesced: never two sends within 100 ms (the pump's time.sleep and time.monotonic share a clock), so
    # far fewer sends, each computing the state once per view, than changes.
    assert min(gaps(throttled), default=1) >= 0.1 - 0.001, gaps(throttled)
    assert len(throttled) < 31, throttled


def test_phones_get_a_burst_at_their_slower_pace_and_still_the_last_state(
    world, meeting, fake_state, sends, settings
):
    settings.RENDA = {**settings.RENDA, "LIVE_THROTTLE_MS": 50, "LIVE_PHONE_THROTTLE_MS": 400}

    async def scenario():
        hall = connect(world.town_user, meeting.pk, "hall")
        phone = connect(world.deputy_user, meeting.pk, "phone")
        await first_message(hall)
        await first_message(phone)
        started = time.monotonic()
        seen_hall, last = [], 0
        # Bursts of three changes, each waiting for the hall's trailing send, until the hall has had more
        # states than the phones' 400 ms could allow them in the time taken, however slow the machine.
        while len(seen_hall) < 5 or len(seen_hall) <= (time.monotonic() - started) / 0.4 + 4:
            assert time.monotonic() - started < 3 * WAIT, (
                f"the hall was no faster than the phones: {seen_hall}"
            )
            for _ in range(3):
                fake_state["n"] = last = last + 1
                await database_sync_to_async(live.publish)(meeting.pk)
            seen_hall += await receive_until(hall, lambda s, last=last: s["version"] == last, f"hall {last}")
        seen_phone = await receive_until(phone, lambda s: s["version"] == last, f"phone state {last}")
        await pumps_end(meeting.pk)
        for comm in (hall, phone):
            await comm.disconnect()
        return (
            [s["version"] for s in seen_hall],
            [s["version"] for s in seen_phone],
            time.monotonic() - started,
        )

    seen_hall, seen_phone, elapsed = run(scenario)
    assert seen_hall[-1] == seen_phone[-1] == fake_state["n"]
    hall_sends = [at for at, views, _final in sends if "hall" in views]
    phone_sends = [at for at, views, _final in sends if "phone" in views]
    assert min(gaps(hall_sends)) >= 0.05 - 0.001, gaps(hall_sends)
    # Phones at most once per 400 ms (the cache key's lifetime), the hall more often.
    assert len(phone_sends) <= elapsed / 0.4 + 1, (phone_sends, elapsed)
    assert len(seen_phone) < len(seen_hall), (seen_phone, seen_hall)


def test_publish_never_raises_into_the_service(world, meeting, monkeypatch):
    def broken(meeting, view):
        raise RuntimeError("selector failed")

    monkeypatch.setattr(live, "state_for", broken)

    async def scenario():
        await database_sync_to_async(live.publish)(meeting.pk, final=True)
        await database_sync_to_async(live.publish)(meeting.pk)

    run(scenario)  # logged, not raised


@pytest.mark.skipif(
    "InMemory" not in __import__("django.conf").conf.settings.CHANNEL_LAYERS["default"]["BACKEND"],
    reason="about the in-memory channel layer; with REDIS_URL the suite runs on Redis",
)
def test_publish_from_plain_sync_code_is_a_quiet_no_op_with_the_in_memory_layer(meeting, fake_state):
    live.publish(meeting.pk)
    live.publish(meeting.pk, final=True)
    assert fake_state["computed"] == 0


def _running_vote(world, *, secret):
    from apps.meetings import services
    from apps.meetings.tests.factories import add_deputies, check_in_all, make_keys, name_tellers, plan

    deputies = add_deputies(world, 3)
    meeting = plan(world)
    services.open_checkin(actor=world.town_user, meeting_id=meeting.pk)
    check_in_all(meeting, world.town_user)
    services.open_meeting(actor=world.town_user, meeting_id=meeting.pk)
    if secret:
        name_tellers(world, meeting)
    vote = services.create_vote(
        actor=world.town_user, meeting_id=meeting.pk, agenda_item_id=meeting.agenda.get().pk, secret=secret
    )
    if secret:
        make_keys(world)
    services.open_vote(actor=world.town_user, vote_id=vote.pk)
    services.cast(actor=deputies[0].user, vote_id=vote.pk, choice="for")
    return meeting, vote, deputies


@pytest.mark.parametrize("secret", [False, True])
def test_screens_get_the_real_state_and_only_the_chair_sees_names_of_a_named_vote(world, secret):
    meeting, vote, deputies = _running_vote(world, secret=secret)

    async def scenario():
        screens = {
            "hall": connect(world.town_user, meeting.pk, "hall"),
            "chair": connect(world.town_user, meeting.pk, "chair"),
            "phone": connect(deputies[1].user, meeting.pk, "phone"),
        }
        got = {view: json.loads(await first_message(comm)) for view, comm in screens.items()}
        for comm in screens.values():
            await comm.disconnect()
        return got

    got = run(scenario)
    for view, state in got.items():
        assert state["vote"]["id"] == vote.pk and state["vote"]["state"] == "open", view
        assert (state["vote"]["voted"], state["vote"]["present"]) == (1, 5), view
        if not secret:
            assert state["vote"]["for"] == 1, view
    assert got["hall"]["not_voted"] == [] and got["hall"]["ballots"] == []
    assert got["phone"]["not_voted"] == [] and got["phone"]["ballots"] == []
    if secret:  # nothing on any screen links a secret ballot to a deputy
        assert got["chair"]["ballots"] == [] and got["chair"]["not_voted"] == []
        assert deputies[0].name not in json.dumps(got, ensure_ascii=False)
    else:
        assert [b["name"] for b in got["chair"]["ballots"]] == [deputies[0].name]
        assert deputies[0].name not in got["chair"]["not_voted"]
        assert len(got["chair"]["not_voted"]) == 4


def test_closing_a_vote_reaches_every_screen_with_the_stored_result(world):
    from apps.meetings import services

    meeting, vote, deputies = _running_vote(world, secret=False)

    async def scenario():
        hall = connect(world.town_user, meeting.pk, "hall")
        phone = connect(deputies[2].user, meeting.pk, "phone")
        await first_message(hall)
        await first_message(phone)
        await database_sync_to_async(services.close_vote)(actor=world.town_user, vote_id=vote.pk)
        await database_sync_to_async(live.publish)(meeting.pk, final=True)  # on_commit, in a real request
        got = [json.loads(await comm.receive_from(timeout=WAIT)) for comm in (hall, phone)]
        for comm in (hall, phone):
            await comm.disconnect()
        return got

    for state in run(scenario):
        assert state["final"] is True
        assert state["vote"]["state"] == "closed"
        vote_state = state["vote"]
        assert (vote_state["for"], vote_state["total_deputies"], vote_state["adopted"]) == (1, 5, False)


def test_a_phone_casts_over_its_socket_once_with_the_same_rules(world):
    from apps.audit.models import AuditEvent
    from apps.meetings.models import OpenBallot

    meeting, vote, deputies = _running_vote(world, secret=False)

    async def scenario():
        phone = connect(deputies[1].user, meeting.pk, "phone")
        await first_message(phone)
        replies = []
        for ballot in (
            {"vote": vote.pk, "choice": "against"},
            {"vote": vote.pk, "choice": "for"},  # a second ballot: refused by the database
            {"vote": vote.pk, "choice": "maybe"},
            {"vote": "x", "choice": "for"},
        ):
            await phone.send_to(text_data=json.dumps({"ballot": ballot, "ref": len(replies)}))
            while True:  # states published meanwhile are skipped
                message = json.loads(await phone.receive_from(timeout=WAIT))
                if "ref" in message:
                    replies.append(message)
                    break
        await phone.disconnect()
        return replies

    ok, again, bad_choice, bad_vote = run(scenario)
    assert ok == {"ref": 0, "ok": True}
    assert again["ok"] is False and again["code"] == "already_voted"
    assert bad_choice["ok"] is False and "choice" in bad_choice["fields"]
    assert bad_vote["ok"] is False and bad_vote["code"] == "validation_failed"
    ballot = OpenBallot.objects.get(vote=vote, deputy=deputies[1])
    assert ballot.choice == "against"
    event = AuditEvent.objects.filter(action="meeting.vote.cast").order_by("-seq").first()
    assert event.actor_id == deputies[1].user.pk


def test_only_a_phone_screen_may_cast(world):
    meeting, vote, deputies = _running_vote(world, secret=False)

    async def scenario():
        hall = connect(deputies[1].user, meeting.pk, "hall")
        await first_message(hall)
        await hall.send_to(text_data=json.dumps({"ballot": {"vote": vote.pk, "choice": "for"}, "ref": 1}))
        reply = json.loads(await hall.receive_from(timeout=WAIT))
        await hall.disconnect()
        return reply

    reply = run(scenario)
    assert reply["ok"] is False and reply["code"] == "permission_denied"
    assert not vote.open_ballots.filter(deputy=deputies[1]).exists()


def test_a_ballot_refreshes_the_hall_and_chair_and_leaves_the_phones_to_the_result(meeting, monkeypatch):
    """Hundreds of phones are where the fan-out costs: a ballot (publish(phones=False)) refreshes the room's
    screens only; any other change, and the close, reach the phones too."""
    from django.core.cache import cache

    sent = []
    monkeypatch.setattr(live, "_main_loop", lambda: object())  # as inside the server
    monkeypatch.setattr(
        live, "_send", lambda mid, final=False, loop=None, views=live.VIEWS: sent.append(tuple(views))
    )
    monkeypatch.setattr(live, "_start_pump", lambda mid, loop: None)
    live.publish(meeting.pk, phones=False)
    assert sent == [("hall", "chair")]
    cache.clear()
    sent.clear()
    live.publish(meeting.pk)
    assert sent == [live.VIEWS]
    sent.clear()
    live.publish(meeting.pk, final=True)
    assert sent == [live.VIEWS]


def test_the_tellers_last_share_puts_the_secret_result_on_every_screen_within_a_second(
    world, django_capture_on_commit_callbacks
):
    """Issue 15: a secret vote closes into `counting`; the last teller's share stores the result and every
    screen shows the final figures at once (measured from the first teller's step to the screens)."""
    from apps.meetings import services
    from apps.meetings.tests.factories import decrypt

    meeting, vote, deputies = _running_vote(world, secret=True)
    services.close_vote(actor=world.town_user, vote_id=vote.pk)

    async def scenario():
        hall = connect(world.town_user, meeting.pk, "hall")
        phone = connect(deputies[2].user, meeting.pk, "phone")
        counting = [json.loads(await first_message(comm)) for comm in (hall, phone)]

        def tally():
            with django_capture_on_commit_callbacks(execute=True):
                decrypt(world)

        started = time.monotonic()
        await database_sync_to_async(tally)()
        got = [json.loads(await comm.receive_from(timeout=WAIT)) for comm in (hall, phone)]
        elapsed = time.monotonic() - started
        for comm in (hall, phone):
            await comm.disconnect()
        return counting, got, elapsed

    counting, got, elapsed = run(scenario)
    for state in counting:
        assert state["vote"]["state"] == "counting" and state["vote"]["for"] is None
    for state in got:
        assert state["final"] is True and state["vote"]["state"] == "closed"
        assert (state["vote"]["for"], state["vote"]["against"], state["vote"]["voted"]) == (1, 0, 1)
    assert elapsed < 1.0, elapsed

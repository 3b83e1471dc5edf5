"""The phone's ballot over HTTP answered without Django's request cycle (apps/meetings/fastpath.py): the plain
case is cast and answered like the API, with the same headers; everything else, every refusal included, is
Django's own answer, recorded once."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator
from django.core.handlers.asgi import ASGIHandler

from apps.accounts.services import issue_token
from apps.audit.models import AuditEvent
from apps.meetings import fastpath
from apps.meetings.models import OpenBallot, VoteParticipation

from .factories import add_deputies, open_with_vote, ready

pytestmark = pytest.mark.django_db


class DjangoOnTheTestThread(ASGIHandler):
    """Django's ASGI handler without its per-request thread (ThreadSensitiveContext): the test's transaction
    is visible to the test's own thread only."""

    async def __call__(self, scope, receive, send):
        await self.handle(scope, receive, send)


APP = fastpath.BallotFastPath(DjangoOnTheTestThread())


@pytest.fixture(autouse=True)
def _on_the_test_thread(monkeypatch):
    """The test's transaction is visible to its own thread only; channels and Django's request signals would
    also close the connection holding it (on PostgreSQL; Django's test client unhooks them likewise)."""
    import channels.db
    from django.core import signals
    from django.db import close_old_connections

    monkeypatch.setattr(fastpath, "PARALLEL", False)
    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def hits(monkeypatch):
    """How many ballots the fast path answered itself."""
    seen = []
    real = fastpath._cast

    def counting(*args):
        answer = real(*args)
        seen.append(answer is not None)
        return answer

    monkeypatch.setattr(fastpath, "_cast", counting)
    return seen


def post(path, body, *, token=None, headers=()):
    raw = json.dumps(body).encode() if not isinstance(body, bytes) else body
    host = [] if any(name == b"host" for name, _value in headers) else [(b"host", b"testserver")]
    sent = [(b"content-type", b"application/json"), *host, *headers]
    if token:
        sent.append((b"authorization", f"Bearer {token}".encode()))
    comm = HttpCommunicator(APP, "POST", path, body=raw, headers=sent)
    comm.scope["client"] = ("127.0.0.1", 50000)
    return async_to_sync(comm.get_response)(timeout=30)


def head(response) -> dict:
    return {k.decode().lower(): v.decode() for k, v in response["headers"]}


@pytest.fixture
def vote(world):
    deputies = [*ready(world), *add_deputies(world, 2)]
    _meeting, vote = open_with_vote(world, deputies)
    return vote, [issue_token(user=d.user) for d in deputies]


def test_a_plain_ballot_is_cast_with_the_apis_answer_and_headers(world, vote, hits):
    vote, tokens = vote
    fast = post(f"/api/v1/votes/{vote.pk}/ballot", {"choice": "for"}, token=tokens[0])
    assert hits == [True]
    assert fast["status"] == 200, fast["body"]
    assert json.loads(fast["body"]) == {"ok": True, "vote": vote.pk, "receipt": ""}
    ballot = OpenBallot.objects.get(vote=vote, deputy=world.deputy_a)
    assert ballot.choice == "for"
    event = AuditEvent.objects.filter(action="meeting.vote.cast").latest("id")
    assert event.actor_id == world.deputy_a.user_id and event.ip == "127.0.0.1"
    # The same request in a shape the fast path leaves to Django (an extra key the API ignores).
    slow = post(f"/api/v1/votes/{vote.pk}/ballot", {"choice": "against", "x": 1}, token=tokens[1])
    assert hits == [True, False]
    assert slow["status"] == 200 and json.loads(slow["body"])["ok"] is True
    fast_headers, slow_headers = head(fast), head(slow)
    for name in ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy"):
        assert fast_headers[name] == slow_headers[name], name
    assert fast_headers["content-type"] == slow_headers["content-type"]


def test_a_secret_ballot_gives_its_receipt(world):
    deputies = [*ready(world), *add_deputies(world, 1)]
    _meeting, vote = open_with_vote(world, deputies, secret=True)
    token = issue_token(user=deputies[2].user)
    r = post(f"/api/v1/votes/{vote.pk}/ballot", {"choice": "abstain"}, token=token)
    assert r["status"] == 200, r["body"]
    assert json.loads(r["body"])["receipt"]
    assert VoteParticipation.objects.filter(vote=vote, deputy=deputies[2]).exists()


def test_a_refusal_is_djangos_answer_recorded_once(world, vote, hits):
    vote, tokens = vote
    assert post(f"/api/v1/votes/{vote.pk}/ballot", {"choice": "for"}, token=tokens[0])["status"] == 200
    before = AuditEvent.objects.count()
    again = post(f"/api/v1/votes/{vote.pk}/ballot", {"choice": "against"}, token=tokens[0])
    assert hits == [True, False]
    assert again["status"] == 409
    assert json.loads(again["body"])["code"] == "already_voted"
    assert OpenBallot.objects.get(vote=vote, deputy=world.deputy_a).choice == "for"
    # What Django alone writes for the same refusal: the fast attempt added nothing.
    django_only = AuditEvent.objects.count() - before
    fastpath_off = post(f"/api/v1/votes/{vote.pk}/ballot", {"choice": "against", "x": 1}, token=tokens[0])
    assert fastpath_off["status"] == 409
    assert AuditEvent.objects.count() - before == 2 * django_only


def test_a_refused_ballot_is_logged_once_by_djangos_run_not_by_the_fast_attempt(world, vote, hits):
    """`cast` logs its refusals; the fast attempt leaves them to Django's run of the same request, so a
    refused phone writes one `access.denied`, before the transaction (no deputy's login) or inside it (a
    non-voting attendee, 列席)."""
    vote, tokens = vote
    world.deputy_a2.meeting_seats.filter(meeting=vote.meeting).update(voting=False)
    office = issue_token(user=world.town_user)
    for token, message, user in (
        (office, "只有代表本人可以投票", world.town_user),
        (tokens[1], "列席人员没有表决权", world.deputy_a2.user),
    ):
        r = post(f"/api/v1/votes/{vote.pk}/ballot", {"choice": "for"}, token=token)
        assert r["status"] == 403
        assert json.loads(r["body"])["message"] == message
        refused = AuditEvent.objects.filter(action="access.denied", actor=user)
        assert [e.summary["attempted"] for e in refused] == ["meeting.vote.cast"]
        assert refused.get().object_id == str(vote.pk)
    assert hits == [False, False]
    assert not OpenBallot.objects.filter(vote=vote).exists()


@pytest.mark.parametrize(
    "body, token, extra",
    [
        ({"choice": "maybe"}, True, ()),  # not a choice: the API's 422 names the field
        (b"\xff{", True, ()),  # not JSON
        ({"choice": "for"}, False, ()),  # no token: 401
        ({"choice": "for"}, True, ((b"cookie", b"sessionid=x"),)),  # a browser: Django's session and CSRF
        (b'{"choice": "for"' + b" " * 2000 + b"}", True, ()),  # longer than any ballot
    ],
)
def test_anything_but_the_plain_case_goes_to_django(world, vote, hits, body, token, extra):
    vote, tokens = vote
    r = post(f"/api/v1/votes/{vote.pk}/ballot", body, token=tokens[0] if token else None, headers=extra)
    assert True not in hits
    assert r["status"] in (200, 400, 401, 403, 422), r["body"]
    if r["status"] != 200:
        assert "code" in json.loads(r["body"])


def test_a_vote_out_of_reach_looks_missing(world, vote, hits):
    vote, _tokens = vote
    stranger = issue_token(user=world.town_b_user)
    r = post(f"/api/v1/votes/{vote.pk}/ballot", {"choice": "for"}, token=stranger)
    assert r["status"] in (403, 404)
    missing = post("/api/v1/votes/999999/ballot", {"choice": "for"}, token=stranger)
    assert missing["status"] == r["status"]
    assert not OpenBallot.objects.filter(vote=vote).exists()


def test_a_login_that_must_change_its_password_is_refused_by_django(world, vote, hits):
    vote, tokens = vote
    world.deputy_a.user.must_change_password = True
    world.deputy_a.user.save()
    r = post(f"/api/v1/votes/{vote.pk}/ballot", {"choice": "for"}, token=tokens[0])
    assert r["status"] == 403 and json.loads(r["body"])["code"] == "password_change_required"
    assert not OpenBallot.objects.filter(vote=vote).exists()


def test_a_host_outside_allowed_hosts_is_djangos_400_and_casts_nothing(world, vote, hits):
    vote, tokens = vote
    r = post(
        f"/api/v1/votes/{vote.pk}/ballot",
        {"choice": "for"},
        token=tokens[0],
        headers=((b"host", b"evil.example"),),
    )
    assert True not in hits
    assert r["status"] == 400
    assert not OpenBallot.objects.filter(vote=vote).exists()


def test_the_kept_headers_follow_the_host(world, vote, hits, settings):
    """The headers are computed once per host and scheme: another allowed host gets its own socket origins."""
    settings.ALLOWED_HOSTS = ["testserver", "hall.example"]
    vote, tokens = vote
    a = post(f"/api/v1/votes/{vote.pk}/ballot", {"choice": "for"}, token=tokens[0])
    b = post(
        f"/api/v1/votes/{vote.pk}/ballot",
        {"choice": "for"},
        token=tokens[1],
        headers=((b"host", b"hall.example"),),
    )
    assert hits == [True, True], (a["body"], b["body"])
    assert "ws://testserver" in head(a)["content-security-policy"]
    assert "ws://hall.example" in head(b)["content-security-policy"]

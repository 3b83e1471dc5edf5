"""The API of deputies without phones (issue 16 item 2): bulk check-in, an open vote's paper ballot entered
and confirmed by two office logins, a secret vote's paper ballots handed out and their totals entered and
confirmed by the two tellers; errors as {"code", "message", "fields"}."""

import pytest
from django.test import Client

from apps.accounts.services import issue_token
from apps.accounts.tests.factories import user_with
from apps.meetings.models import Vote

from .factories import add_deputies, decrypt, open_with_vote, plan, ready

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def _send(client, method, path, body=None):
    return getattr(client, method)(API + path, body or {}, content_type="application/json")


def test_bulk_check_in_over_the_api(world):
    deputies = add_deputies(world, 2)
    meeting = plan(world)
    office = _client(world.town_user)
    seat = meeting.attendees.get(deputy=deputies[0])
    r = _send(
        office,
        "post",
        f"/meetings/{meeting.pk}/checkin/bulk",
        {"attendees": [seat.pk], "scanned": f"https://h/d/{deputies[1].public_code}/"},
    )
    assert r.status_code == 200, r.content
    assert sorted(r.json()["checked_in"]) == sorted(d.name for d in deputies)
    r = _send(office, "post", f"/meetings/{meeting.pk}/checkin/bulk", {"attendees": [2**40]})
    assert r.status_code in (400, 422), r.content
    r = _send(office, "post", f"/meetings/{meeting.pk}/checkin/bulk", {})
    assert r.status_code in (400, 422) and "attendees" in r.json()["fields"]
    r = _send(
        _client(world.town_b_user), "post", f"/meetings/{meeting.pk}/checkin/bulk", {"attendees": [seat.pk]}
    )
    assert r.status_code == 404


def test_open_vote_paper_ballot_over_the_api(world):
    ready(world)
    _meeting, vote = open_with_vote(world, [world.deputy_a, world.deputy_a2])
    first, second = _client(world.town_user), _client(user_with("town_office", "town2", region=world.town_a))
    r = _send(first, "post", f"/votes/{vote.pk}/paper", {"deputy": world.deputy_a2.pk, "choice": "against"})
    assert r.status_code == 201, r.content
    assert r.json()["deputy"] == world.deputy_a2.pk
    confirm = f"/votes/{vote.pk}/paper/{world.deputy_a2.pk}/confirm"
    r = _send(first, "post", confirm, {"accept": True})
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    r = _send(second, "post", confirm, {"accept": True})
    assert r.status_code == 200 and r.json()["counted"] is True
    _send(first, "post", f"/votes/{vote.pk}/close")
    r = first.get(f"{API}/votes/{vote.pk}")
    assert (r.json()["paper_ballots"], r.json()["phone_ballots"], r.json()["votes_against"]) == (1, 0, 1)


def test_secret_vote_paper_totals_over_the_api(world):
    ready(world)
    extra = add_deputies(world, 2)
    _meeting, vote = open_with_vote(world, [world.deputy_a, world.deputy_a2, *extra], secret=True)
    office, teller2 = _client(world.town_user), _client(world.deputy_user)
    r = _send(office, "post", f"/votes/{vote.pk}/paper/issue", {"deputies": [d.pk for d in extra]})
    assert r.status_code == 200 and r.json()["issued"] == 2
    r = _send(_client(extra[0].user), "post", f"/votes/{vote.pk}/ballot", {"choice": "for"})
    assert r.status_code == 409
    _send(office, "post", f"/votes/{vote.pk}/close")
    totals = {"issued": 2, "returned": 2, "valid": 2, "void": 0, "for": 2, "against": 0, "abstain": 0}
    r = _send(office, "put", f"/votes/{vote.pk}/paper-totals", {**totals, "for": 1})
    assert r.status_code in (400, 422) and "for" in r.json()["fields"]
    r = _send(office, "put", f"/votes/{vote.pk}/paper-totals", {**totals, "void": -1})
    assert r.status_code in (400, 422)
    r = _send(office, "put", f"/votes/{vote.pk}/paper-totals", totals)
    assert r.status_code == 200 and r.json()["entered_by"] == world.town_user.pk
    decrypt(world)
    r = _send(teller2, "post", f"/votes/{vote.pk}/paper-totals/confirm")
    assert r.status_code == 200 and r.json()["state"] == "closed", r.content
    v = Vote.objects.get(pk=vote.pk)
    assert (v.votes_for, v.paper_ballots, v.phone_ballots) == (2, 2, 0)

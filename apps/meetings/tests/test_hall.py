"""The projected hall screen (issue 16): which phase it shows, chosen by the live state alone, and the page
itself (full screen, every phase present for live.js to switch between)."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.meetings import selectors, services
from apps.meetings.selectors import phase

from .factories import open_with_vote, plan, ready

pytestmark = pytest.mark.django_db


def _item(state, at):
    return {"state": state, "changed_at": at}


def test_phase_follows_the_latest_of_vote_and_election_else_check_in_or_waiting():
    assert phase("planned", False, None, None) == "waiting"
    assert phase("planned", True, None, None) == "checkin"
    assert phase("open", True, _item("open", "2026-01-01T09:00"), None) == "vote_open"
    assert phase("open", False, _item("counting", "2026-01-01T09:00"), None) == "vote_counting"
    assert phase("open", False, _item("closed", "2026-01-01T09:00"), None) == "vote_result"
    # an election round opened after the vote closed takes the screen, and the other way round
    vote, election = _item("closed", "2026-01-01T09:05"), _item("open", "2026-01-01T09:10")
    assert phase("open", False, vote, election) == "election_open"
    assert phase("open", False, _item("open", "2026-01-01T09:20"), _item("result", "2026-01-01T09:10")) == (
        "vote_open"
    )
    assert phase("closed", False, vote, None) == "ended"
    assert phase("closed", False, _item("counting", "2026-01-01T09:05"), None) == "vote_counting"


def test_live_state_names_the_phase_and_the_election(world):
    ready(world)
    meeting, vote = open_with_vote(world, [world.deputy_a, world.deputy_a2])
    state = selectors.live_state(meeting, "hall")
    assert state["phase"] == "vote_open" and state["election"] is None
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    meeting.refresh_from_db()
    assert selectors.live_state(meeting, "hall")["phase"] == "vote_result"


def test_hall_page_is_one_full_screen_with_every_phase(world):
    meeting = plan(world)
    c = Client()
    c.force_login(world.town_user)
    html = c.get(reverse("meetings:hall", args=[meeting.pk])).content.decode()
    assert 'class="mt-screen"' in html
    for part in ("mt-checkin", "mt-vote", "mt-election", "data-live-countdown", "计票中"):
        assert part in html
    assert html.count('data-live="vote.for"') == 1  # one place per figure: live.js and tests find it

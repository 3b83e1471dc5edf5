"""The demo's meetings (apps/demo/meetings.py): every town's last session with attendance and closed votes
whose stored results follow the rules, secret ballots as counters only, duty records as the services append
them, and the county seat's session ready to run live."""

import time

import pytest

from apps.demo.logins import create_demo_logins
from apps.demo.meetings import seed_demo_meetings
from apps.demo.tests.test_demo_opinions import TODAY, small_county
from apps.duty.models import ActivityKind, DutyRecord
from apps.meetings import rules, selectors, services
from apps.meetings.models import Attendee, Meeting, OpenBallot, Vote, VoteParticipation

pytestmark = pytest.mark.django_db


def test_demo_seeds_last_sessions_and_a_live_one():
    builder = small_county("meetings")
    create_demo_logins(builder)
    started = time.monotonic()
    counts = seed_demo_meetings(builder, today=TODAY)
    assert time.monotonic() - started < 5
    towns = len(builder.towns)
    assert counts["meetings"] == 2 * towns + 1 and counts["votes"] == 5 * towns
    for vote in Vote.objects.filter(state="closed"):
        assert vote.adopted == rules.adopted(vote.total_deputies, vote.votes_for)
        assert vote.votes_for + vote.votes_against + vote.votes_abstain + vote.not_voted == vote.present
        if vote.secret:
            assert not OpenBallot.objects.filter(vote=vote).exists()
            assert VoteParticipation.objects.filter(vote=vote).count() == vote.present - vote.not_voted
        else:
            assert OpenBallot.objects.filter(vote=vote).count() == vote.present - vote.not_voted
        assert DutyRecord.objects.filter(kind=ActivityKind.VOTE, source_id=str(vote.pk)).count() == (
            vote.present - vote.not_voted
        )
    assert Vote.objects.filter(secret=True, state="closed").count() == towns
    assert Attendee.objects.filter(leave="approved").exists()
    assert DutyRecord.objects.filter(kind=ActivityKind.ABSENCE).exists()
    # The live session: check-in open, votes ready, a document to read.
    live = Meeting.objects.get(pk=counts["live_session"])
    assert services.checkin_open(live) and live.votes.filter(state="ready").count() == 2
    assert selectors.documents(live).count() == 1
    assert live.attendees.filter(voting=True).count() > 0
    state = selectors.live_state(live, "hall")
    assert state["attendance"]["present"] == 0 and state["vote"] is None

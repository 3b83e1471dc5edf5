"""A vote that mixed phones and paper (issue 16 item 2) says how many of each on the hall screen and in the
minutes (the vote's Word record)."""

import io

import pytest
from django.urls import reverse
from docx import Document

from apps.accounts.tests.factories import user_with
from apps.meetings import services
from apps.meetings.selectors import live_state
from apps.meetings.word import minutes_docx

from .factories import open_with_vote, ready

pytestmark = pytest.mark.django_db


def _mixed_vote(world):
    """赵六 votes on paper (recorded by one clerk, confirmed by another), 张三 on the phone."""
    clerk2 = user_with("town_office", "town2", region=world.town_a)
    ready(world)
    meeting, vote = open_with_vote(world, [world.deputy_a, world.deputy_a2])
    services.record_paper_ballot(
        actor=world.town_user, vote_id=vote.pk, deputy_id=world.deputy_a2.pk, choice="against"
    )
    services.confirm_paper_ballot(actor=clerk2, vote_id=vote.pk, deputy_id=world.deputy_a2.pk)
    services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="for")
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    return meeting


def test_the_hall_screen_shows_the_phone_and_paper_ballots_of_a_vote(client, world):
    meeting = _mixed_vote(world)
    live = live_state(meeting)
    assert (live["vote"]["phone_ballots"], live["vote"]["paper_ballots"]) == (1, 1)
    client.force_login(world.town_user)
    html = client.get(reverse("meetings:hall", args=[meeting.pk])).content.decode()
    line = html.split("其中纸质票", 1)[1].split("</p>", 1)[0]
    assert '<span data-live="vote.paper_ballots">1</span>' in line
    assert '<span data-live="vote.phone_ballots">1</span>' in line


def test_the_minutes_say_how_many_voted_on_phones_and_on_paper(world):
    meeting = _mixed_vote(world)
    text = "\n".join(p.text for p in Document(io.BytesIO(minutes_docx(meeting))).paragraphs)
    assert "其中手机表决1票、纸质票1张" in text

"""The demo election: a head elected from a single candidate, two vice-chairs of three, counted by the
services from paper ballots with a write-in and a void ballot each."""

import pytest

from apps.demo.elections import seed_demo_elections
from apps.demo.logins import create_demo_logins
from apps.demo.tests.test_demo_opinions import small_county
from apps.elections.models import Outcome, Post, Result, Round, RoundState
from apps.meetings.selectors import documents
from apps.people.models import Office

pytestmark = pytest.mark.django_db


def test_demo_election_is_counted_by_the_rules():
    builder = small_county()
    create_demo_logins(builder)
    counts = seed_demo_elections(builder)
    assert counts["elections"] == 2
    head, vice = Post.objects.order_by("id")
    assert head.meeting.town_id == builder.towns[0].node.id
    for post, elected in ((head, 1), (vice, 2)):
        e = Round.objects.get(post=post)
        assert e.state == RoundState.COUNTED and e.paper
        assert e.ballots_void == 1 and e.write_ins.count() == 1
        assert e.ballots_cast == e.ballots_issued == e.present
        assert Outcome.objects.filter(round=e, result=Result.ELECTED).count() == elected
    assert vice.candidates.count() == 3
    assert vice.nominations.filter(by="joint").get().signers.count() == 10
    # After the election (issue 21 part 4): each elected took the oath, the papers are filed with the
    # meeting, and the elected deputies carry their post.
    elected = Outcome.objects.filter(result=Result.ELECTED)
    assert counts["election_oaths"] == counts["appointment_papers"] == elected.count() == 3
    assert all(o.oath.before and o.oath.taken_on for o in elected)
    names = set(documents(head.meeting).values_list("name", flat=True))
    assert {f"{o.name}任命书.docx" for o in elected} <= names
    assert Office.objects.filter(outcome__in=elected).count() == 3

"""A congress sitting of 城关镇 (the elections' Hall: voting deputies checked in, two tellers) and a draft
candidate list for next year with `places` places and the named candidates."""

import pytest

from apps.elections.tests.factories import Hall
from apps.projects import services
from apps.workflow.services import transition


class Vote:
    def __init__(
        self, world, *, total=10, present=None, places=2, titles=("村道硬化", "饮水安全", "路灯", "文化广场")
    ):
        self.world = world
        self.hall = Hall(world, total=total, present=present)
        self.office = world.town_user
        self.cl = services.create_list(
            actor=self.office,
            town_id=world.town_a.pk,
            year=2027,
            places=places,
            meeting_id=self.hall.meeting.pk,
        )
        self.c = [
            services.add_candidate(actor=self.office, list_id=self.cl.pk, data={"title": t, "budget": "50"})
            for t in titles
        ]

    def step(self, key, actor=None, **data):
        self.cl.refresh_from_db()
        self.cl = transition(self.cl, key, actor=actor or self.office, data=data)
        return self.cl

    def open(self):
        if self.cl.state == "draft":
            self.step("present")
        self.hall.keys()
        return self.step("open_vote")

    def ballot(self, i, *candidates):
        return services.cast_ballot(
            actor=self.hall.user(i), list_id=self.cl.pk, marks=[c.pk for c in candidates]
        )

    def count(self):
        self.step("close_vote")
        self.hall.shares()
        self.cl.refresh_from_db()
        return self.cl.rounds.order_by("-number").filter(state="counted").first()


@pytest.fixture
def vote(world):
    return Vote(world)

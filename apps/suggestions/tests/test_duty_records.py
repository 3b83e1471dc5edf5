"""A suggestion counts once in the deputies' duty records (DOMAIN §8; issue 14, item 7): 提出建议 for the lead
when it is submitted, 联名附议 for each co-signer when they confirm; registering (立案), a return and a
resubmission, and every later step add nothing. A motion turned into a suggestion counts as the motion."""

from collections import Counter

import pytest

from apps.accounts.tests.factories import user_with
from apps.duty.models import ActivityKind, DutyRecord
from apps.people.tests.factories import DeputyFactory, MandateFactory
from apps.suggestions import services

from .factories import deputy_a2_user, draft

pytestmark = pytest.mark.django_db


def _records():
    return Counter(DutyRecord.objects.values_list("deputy__name", "kind"))


def test_a_joint_suggestion_counts_once_for_each_signer_through_its_whole_path(world):
    item = draft(world)
    assert _records() == Counter()
    services.respond(actor=deputy_a2_user(world), item=item, accept=True)
    once = Counter({("赵六", ActivityKind.CO_SIGNATURE): 1})
    assert _records() == once
    item = services.act(actor=world.deputy_user, item=item, key="submit")
    once[("张三", ActivityKind.SUGGESTION)] = 1
    assert _records() == once
    # returned for revision and submitted again: the same suggestion, no second record
    item = services.act(actor=world.town_user, item=item, key="return", data={"reason": "请补充具体位置"})
    item = services.act(actor=world.deputy_user, item=item, key="submit")
    assert _records() == once
    item = services.act(actor=world.town_user, item=item, key="register")
    assert item.number and _records() == once
    item = services.act(
        actor=world.town_user,
        item=item,
        key="assign",
        data={"unit": world.unit_a.pk, "responsible_person": "王"},
    )
    assert _records() == once
    assert (
        DutyRecord.objects.filter(deputy=world.deputy_a, kind=ActivityKind.SUGGESTION).get().source_object
        == item
    )


def test_a_motion_turned_into_a_suggestion_counts_as_the_motion_only(world):
    others = []
    for i in range(4):
        d = DeputyFactory(name=f"代表{i}", region=world.village_a, station=world.station_a)
        MandateFactory(deputy=d, congress_region=world.town_a)
        d.user = user_with("deputy", f"dr{i}", deputy=d)
        d.save()
        others.append(d)
    motion = services.create_motion(
        actor=world.deputy_user,
        data={"title": "关于月河保护的议案", "content": "……", "co_signers": [d.pk for d in others]},
    )
    for d in others:
        services.respond(actor=d.user, item=motion, accept=True)
    motion = services.act_motion(actor=world.deputy_user, motion=motion, key="submit")
    before = _records()
    assert before == Counter(
        {("张三", ActivityKind.MOTION): 1, **{(d.name, ActivityKind.CO_SIGNATURE): 1 for d in others}}
    )
    motion = services.act_motion(
        actor=world.town_user, motion=motion, key="to_suggestion", reason="不属于议案"
    )
    made = motion.suggestion
    assert made.state == "submitted" and made.signers().count() == 5
    services.act(actor=world.town_user, item=made, key="register")
    assert _records() == before

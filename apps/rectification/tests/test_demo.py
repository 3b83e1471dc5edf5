"""The demo's rectification items (apps/demo/rectification.py): items in several towns in every state,
some overdue, each with the steps the engine would have written."""

import pytest

from apps.demo.logins import create_demo_logins
from apps.demo.rectification import seed_demo_rectification
from apps.demo.tests.test_demo_opinions import TODAY, small_county
from apps.rectification.models import RectificationItem
from apps.rectification.selectors import overdue_q
from apps.rectification.workflow import RECTIFICATION_WORKFLOW
from apps.workflow.services import steps_of

pytestmark = pytest.mark.django_db


def test_demo_seeds_items_in_every_state_some_overdue():
    builder = small_county("rectification")
    create_demo_logins(builder)
    counts = seed_demo_rectification(builder, today=TODAY)
    assert counts["rectification_items"] >= 2 * 8
    states = set(RectificationItem.objects.values_list("state", flat=True))
    assert states == {s.key for s in RECTIFICATION_WORKFLOW.states}
    assert RectificationItem.objects.filter(overdue_q(TODAY)).count() >= 2
    assert len(set(RectificationItem.objects.values_list("town_id", flat=True))) >= 2
    referred = RectificationItem.objects.filter(state="presidium").first()
    assert referred.returns_count == 2
    assert [s.transition for s in steps_of(referred)][-1] == "refer"
    accepted = RectificationItem.objects.filter(state="accepted").first()
    assert accepted.accepted_on and accepted.reviewers.exists()

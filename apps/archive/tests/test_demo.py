"""The archive demo on the demo county: commitments with a realistic mix and their duty records, last
December's report-back meeting in 城关镇 with about 50 secret ratings, this December's planned."""

import random

import pytest

from apps.archive.models import Commitment, RatingParticipation, ReportBackMeeting
from apps.demo.archive import seed_demo_archive
from apps.demo.bulk import BulkWriter
from apps.demo.county import add_region
from apps.demo.hanyin import hanyin_spec
from apps.demo.names import People
from apps.demo.seed import DEMO_SEED, MODELS, build_county
from apps.duty.models import DutyRecord

pytestmark = pytest.mark.django_db


def test_demo_archive():
    w = BulkWriter(MODELS)
    province = add_region(w, code="610000", name="陕西省", level="province", parent=None)
    city = add_region(w, code="610900", name="安康市", level="city", parent=province)
    builder = build_county(w, random.Random(DEMO_SEED), hanyin_spec(), city, People())
    w.finish()
    counts = seed_demo_archive(builder)
    assert counts["commitments"] == Commitment.objects.count() > 100
    states = set(Commitment.objects.values_list("state", flat=True))
    assert {"open", "fulfilled", "unfulfilled"} <= states
    assert DutyRecord.objects.filter(kind="commitment_overdue").exists()
    held = ReportBackMeeting.objects.get(state="closed")
    assert held.town.name == "城关镇"
    assert RatingParticipation.objects.filter(meeting=held).count() == held.participants >= 45
    for s in held.speakers.all():
        assert s.satisfied + s.basic + s.dissatisfied == held.participants
    assert ReportBackMeeting.objects.filter(state="planned").count() == 1
    # Deterministic: every deputy has at most three commitments.
    per = Commitment.objects.values("deputy").distinct().count()
    assert Commitment.objects.count() <= 3 * per

"""The supervision demo on the demo county (issue 18 part 5): plans in three townships drawn from the
opinions' roll-up, two approved with activities done and findings, an appointment answered and rated."""

import random

import pytest

from apps.demo.bulk import BulkWriter
from apps.demo.county import add_region
from apps.demo.hanyin import hanyin_spec
from apps.demo.logins import create_demo_logins, demo_deputy
from apps.demo.names import People
from apps.demo.opinions import seed_demo_opinions
from apps.demo.seed import DEMO_SEED, MODELS, build_county
from apps.demo.supervision import seed_demo_supervision
from apps.duty.models import DutyRecord
from apps.people.models import Deputy
from apps.supervision.models import Activity, Appointment, Finding, SupervisionPlan

pytestmark = pytest.mark.django_db


def test_demo_supervision():
    w = BulkWriter(MODELS)
    province = add_region(w, code="610000", name="陕西省", level="province", parent=None)
    city = add_region(w, code="610900", name="安康市", level="city", parent=province)
    builder = build_county(w, random.Random(DEMO_SEED), hanyin_spec(), city, People())
    w.finish()
    create_demo_logins(builder)
    seed_demo_opinions(builder)
    counts = seed_demo_supervision(builder)
    assert counts["supervision_plans"] == SupervisionPlan.objects.count() == 3
    assert SupervisionPlan.objects.filter(state="approved").count() == 2
    assert SupervisionPlan.objects.filter(state="draft").count() == 1
    drawn = Activity.objects.exclude(topic_key="")
    assert drawn.count() == 12 and all(a.opinions.exists() for a in drawn)
    assert Activity.objects.filter(state="done").count() == 4
    assert Finding.objects.count() == counts["supervision_findings"] == 8
    assert DutyRecord.objects.filter(kind="inspection", source="platform").exists()
    answered = Appointment.objects.get()
    assert answered.state == "answered" and answered.requesters.exclude(satisfaction="").count() == 3
    # The demo deputy's login has activities and the appointment to show.
    from apps.supervision.selectors import activities, appointments

    me = Deputy.objects.get(pk=demo_deputy(builder).id)
    assert activities(me.user).count() >= 2
    assert appointments(me.user).filter(pk=answered.pk).exists()

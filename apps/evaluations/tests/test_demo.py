"""The evaluations demo: 城关镇's evaluation waits at the survey step with the survey open (the demo deputy
rates it live, the two demo tellers decrypt with the demo code); another township's is published."""

import random

import pytest

from apps.ballotbox import services as ballotbox
from apps.demo.bulk import BulkWriter
from apps.demo.county import add_region
from apps.demo.evaluations import DEMO_TELLER_CODE, seed_demo_evaluations
from apps.demo.hanyin import hanyin_spec
from apps.demo.logins import create_demo_logins
from apps.demo.names import People
from apps.demo.seed import DEMO_SEED, MODELS, build_county
from apps.evaluations import selectors, services
from apps.evaluations.models import DepartmentEvaluation

pytestmark = pytest.mark.django_db


def test_demo_evaluations_run_live():
    w = BulkWriter(MODELS)
    province = add_region(w, code="610000", name="陕西省", level="province", parent=None)
    city = add_region(w, code="610900", name="安康市", level="city", parent=province)
    builder = build_county(w, random.Random(DEMO_SEED), hanyin_spec(), city, People())
    w.finish()
    create_demo_logins(builder)
    assert seed_demo_evaluations(builder) == {"evaluations": 2}
    live = DepartmentEvaluation.objects.get(state="meeting")
    assert live.region.name == "城关镇" and live.survey.state == "open"
    published = DepartmentEvaluation.objects.get(state="published")
    assert any(r["filed"] for r in selectors.results(published))
    assert selectors.departments_needing_rectification(published)
    # Run live: the demo deputy rates, the office closes, both tellers decrypt with the demo code.
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    deputy = users["deputy"]
    rows = selectors.rows(live)
    services.respond(actor=deputy, survey_id=live.survey.pk, choices={r.unit_id: "basic" for r in rows})
    services.act_on_survey(actor=users["town"], item=live.survey, key="close", data={})
    for name in ("town", "county"):
        ballotbox.submit_shares(actor=users[name], code=DEMO_TELLER_CODE)
    assert [r["basic"] for r in selectors.results(live)] == [1] * len(rows)

"""The demo's assessment (apps/demo/assessment.py): last year's table published with its advanced units,
this year's copied from it and being scored, next year's Tongxiang example as a draft."""

import pytest

from apps.assessment.models import IndicatorTable, ManualScore, TownAssessment
from apps.demo.assessment import seed_demo_assessment
from apps.demo.logins import create_demo_logins
from apps.demo.tests.test_demo_opinions import TODAY, small_county

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_published_year_a_year_being_scored_and_an_example():
    builder = small_county("assessment")
    create_demo_logins(builder)
    counts = seed_demo_assessment(builder, today=TODAY)
    states = dict(IndicatorTable.objects.values_list("year", "state"))
    assert states == {TODAY.year - 1: "published", TODAY.year: "scoring", TODAY.year + 1: "draft"}
    last = TownAssessment.objects.filter(table__year=TODAY.year - 1)
    assert last.filter(advanced=True).count() == min(3, last.count()) and not last.filter(rank=None).exists()
    assert set(ManualScore.objects.values_list("state", flat=True)) >= {"reviewed", "scored"}
    assert counts["assessment_scores"] == ManualScore.objects.count()

"""The demo's calendar (apps/demo/yearplan.py): every town of the county gets the year from the template."""

import pytest

from apps.demo.tests.test_demo_opinions import TODAY, small_county
from apps.demo.yearplan import seed_demo_yearplan
from apps.yearplan.models import PlanItem

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_year_of_every_town():
    builder = small_county("yearplan")
    counts = seed_demo_yearplan(builder, today=TODAY)
    towns = len(builder.towns)
    assert counts["yearplan_items"] == PlanItem.objects.count() >= 20 * towns
    assert PlanItem.objects.values("town_id").distinct().count() == towns
    assert set(PlanItem.objects.values_list("year", flat=True)) == {TODAY.year}
    assert PlanItem.objects.filter(title__startswith="代表履职培训").count() == 2 * towns  # the county's line
    assert seed_demo_yearplan(builder, today=TODAY)["yearplan_items"] == 0  # seeding twice adds nothing

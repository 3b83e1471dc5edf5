"""The assessment's standing on the dashboards: a published table's totals per town, the advanced units and
the towns' average; a table still being scored counts nothing (issue 20 part 5)."""

from apps.assessment import services
from apps.assessment.dashboard import ASSESSMENT
from apps.assessment.models import TownAssessment
from apps.dashboards import figures as dashboards

from .conftest import YEAR


def test_only_a_published_table_stands_on_the_dashboard(world, table):
    assert ASSESSMENT.counts(world.county, YEAR) == {}  # being scored: no standing yet
    a = TownAssessment.objects.get(table=table, region=world.town_a)
    services.choose_advanced(
        actor=world.county_user, table_id=table.pk, assessment_ids=[a.pk], note="成效突出"
    )
    services.act(actor=world.county_user, item=table, key="publish", data={})
    totals = dict(TownAssessment.objects.filter(table=table).values_list("region_id", "total"))

    counts = ASSESSMENT.counts(world.county, YEAR)
    assert counts[world.town_a.pk]["advanced_units"] == 1 and counts[world.town_b.pk]["advanced_units"] == 0
    assert counts[world.town_b.pk]["assessment_points"] == totals[world.town_b.pk]
    board = dashboards.dashboard_of(world.county, YEAR)
    by_town = {r.town_id: r.numbers for r in board.rows}
    assert by_town[world.town_a.pk]["assessment_score"] == round(float(totals[world.town_a.pk]), 1)
    average = sum(totals.values()) / len(totals)
    assert board.total.numbers["assessment_score"] == round(float(average), 1)
    assert board.total.numbers["advanced_units"] == 1
    assert ASSESSMENT.counts(world.town_b, YEAR).keys() == {world.town_b.pk}

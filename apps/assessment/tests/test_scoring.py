"""The table's life (examples, copy from last year, scoring, review, advanced units, publication), the
results and who sees what."""

from decimal import Decimal

import pytest

from apps.assessment import examples, selectors, services
from apps.assessment.models import IndicatorTable, ManualScore, TownAssessment
from apps.audit.models import AuditEvent
from apps.common.errors import DomainError, NotFound

from .conftest import YEAR


def _manual(table, name="会议质量和决议决定执行"):
    return table.indicators.get(name=name)


def test_both_examples_ship_as_editable_examples(world):
    hanyin = examples.install(actor=world.county_user, county=world.county, year=YEAR)
    assert hanyin.is_example and hanyin.state == "draft"
    aspects = list(hanyin.aspects.values_list("name", "is_bonus"))
    assert aspects == [("代表大会工作", False), ("监督工作", False), ("代表工作", False), ("基础工作", False),
                       ("创新工作", True)]  # fmt: skip
    base = sum(i.base_points for i in hanyin.indicators.filter(aspect__is_bonus=False))
    assert base == hanyin.base_score == 100
    tong = examples.install(actor=world.county_user, county=world.county, year=YEAR + 1, which="tongxiang")
    assert tong.aspects.count() == 6 and tong.indicators.count() == 16
    assert sum(i.base_points for i in tong.indicators.all()) == 100


def test_copy_from_last_year_copies_every_indicator(world):
    last = examples.install(actor=world.county_user, county=world.county, year=YEAR - 1)
    new = services.create_table(
        actor=world.county_user, region_id=world.county.pk, year=YEAR, copy_from=last.pk
    )
    assert new.indicators.count() == last.indicators.count() and not new.is_example
    assert AuditEvent.objects.filter(action="assessment.table_copied", object_id=str(new.pk)).exists()
    with pytest.raises(DomainError) as e:
        services.create_table(actor=world.county_user, region_id=world.county.pk, year=YEAR)
    assert e.value.code == "table_exists"


def test_a_town_office_cannot_edit_or_read_the_table(world):
    t = examples.install(actor=world.county_user, county=world.county, year=YEAR)
    with pytest.raises(NotFound):
        services.save_indicator(actor=world.town_user, table_id=t.pk, data={"name": "x"})
    with pytest.raises(NotFound):
        selectors.table_for(world.town_user, t.pk)


def test_opening_scoring_makes_a_row_per_town_and_locks_the_indicators(world, table):
    assert set(TownAssessment.objects.filter(table=table).values_list("region_id", flat=True)) == {
        world.town_a.pk,
        world.town_b.pk,
    }
    with pytest.raises(DomainError) as e:
        services.save_indicator(actor=world.county_user, table_id=table.pk, data={"name": "新指标"})
    assert e.value.code == "table_locked"


def test_a_manual_score_counts_once_another_login_reviewed_it(world, table, county_user2):
    row = TownAssessment.objects.get(table=table, region=world.town_a)
    ind = _manual(table)
    s = services.score(
        actor=world.county_user, assessment_id=row.pk, indicator_id=ind.pk, points="6.5", note="材料齐全"
    )
    assert selectors.town_result(world.county_user, row.pk)[2].total == total_without(world, row, ind)
    with pytest.raises(DomainError):  # the scorer does not review their own score
        services.act(actor=world.county_user, item=s, key="review", data={})
    s = services.act(actor=county_user2, item=s, key="review", data={})
    assert s.state == "reviewed"
    assert selectors.town_result(world.county_user, row.pk)[2].total == total_without(
        world, row, ind
    ) + Decimal("6.5")
    with pytest.raises(DomainError) as e:  # beyond the indicator's cap
        services.act(actor=world.county_user, item=s, key="rescore", data={"points": "9"})
    assert e.value.fields
    assert AuditEvent.objects.filter(action__startswith="assessment_score.", object_id=str(s.pk)).count() >= 1


def total_without(world, row, ind):
    _row, _res, town = selectors.town_result(world.county_user, row.pk)
    return sum((ln.points for ln in town.lines if ln.indicator != ind), Decimal(0))


def test_a_town_sees_its_own_details_and_rank_and_not_another_town(world, table):
    own = TownAssessment.objects.get(table=table, region=world.town_a)
    other = TownAssessment.objects.get(table=table, region=world.town_b)
    _row, res, town = selectors.town_result(world.town_user, own.pk)
    assert [t.town_id for t in res.towns] == [world.town_a.pk] and town.rank in (1, 2)
    with pytest.raises(NotFound):
        selectors.town_result(world.town_user, other.pk)
    assert list(selectors.town_rows(world.town_user)) == [own]
    assert selectors.town_rows(world.county_user).count() == 2
    assert len(selectors.ranking(world.county_user, table.pk).towns) == 2


def test_advanced_units_and_the_published_ranking_are_kept(world, table):
    a = TownAssessment.objects.get(table=table, region=world.town_a)
    services.choose_advanced(
        actor=world.county_user, table_id=table.pk, assessment_ids=[a.pk], note="成效突出"
    )
    table = services.act(actor=world.county_user, item=table, key="publish", data={})
    assert table.state == "published" and table.published_on
    rows = list(selectors.public_rows(table))
    assert {r.rank for r in rows} <= {1, 2} and all(r.total is not None for r in rows)
    assert [r.region_id for r in rows if r.advanced] == [world.town_a.pk]
    # equal records, equal totals: the tie is explained
    assert rows[0].total == rows[1].total and rows[0].tie_rule
    with pytest.raises(DomainError):
        services.choose_advanced(actor=world.county_user, table_id=table.pk, assessment_ids=[])
    assert IndicatorTable.objects.get(pk=table.pk).state == "published"
    assert not ManualScore.objects.exists()

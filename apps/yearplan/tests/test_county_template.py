"""The county's template as data: started from Cangxi's lines or copied from last year, edited by the county
office only (audited, another county's template missing), and read by generation."""

from datetime import date

import pytest

from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.yearplan import county_template as ct
from apps.yearplan import rules, services
from apps.yearplan.models import PlanItem

pytestmark = pytest.mark.django_db
Y = 2031
LINE = {"kind": "study", "title": "代表培训", "rule": "half", "month": 5, "day": 0, "nth": 2, "weekday": 1}


def test_a_county_with_no_template_generates_cangxis_year(world):
    specs, source = ct.specs_for(world.county.pk, Y)
    assert source == "cangxi" and specs == list(rules.CANGXI)


def test_a_new_template_starts_from_cangxi_then_next_year_copies_the_edited_one(world):
    first = ct.create(actor=world.county_user, county=world.county, year=Y)
    assert first.copied_from == "cangxi" and first.lines.count() == len(rules.CANGXI)
    ct.add_line(actor=world.county_user, template=first, data=LINE)
    second = ct.create(actor=world.county_user, county=world.county, year=Y + 1)
    assert second.copied_from == str(Y) and second.lines.count() == len(rules.CANGXI) + 1
    assert second.lines.filter(title="代表培训", nth=2, weekday=1).exists()
    with pytest.raises(ValidationFailed):
        ct.create(actor=world.county_user, county=world.county, year=Y)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"yearplan.template_created", "yearplan.template_line_added"} <= actions


def test_generation_reads_the_counties_template(world):
    template = ct.create(actor=world.county_user, county=world.county, year=Y)
    reception = template.lines.get(kind="reception")
    ct.change_line(actor=world.county_user, line=reception, data={**LINE, "kind": "reception", "rule": "once",
                                                                   "month": 3, "title": ""})  # fmt: skip
    ct.add_line(actor=world.county_user, template=template, data=LINE)
    services.generate(actor=world.town_user, region=world.town_a, year=Y)
    items = PlanItem.objects.filter(town=world.town_a, year=Y)
    assert list(items.filter(kind="reception").values_list("date", flat=True)) == [date(Y, 3, 11)]
    trainings = items.filter(title__startswith="代表培训")
    assert sorted(trainings.values_list("date", flat=True)) == [date(Y, 5, 13), date(Y, 11, 11)]
    change = AuditEvent.objects.get(action="yearplan.template_line_changed")
    assert change.summary["before"]["rule"] == "monthly" and change.summary["after"]["month"] == 3
    # A later year with no template of its own uses the latest one before it.
    assert ct.specs_for(world.county.pk, Y + 3)[1] == f"county:{Y}"


def test_only_the_county_office_edits_and_another_countys_template_is_missing(world):
    template = ct.create(actor=world.county_user, county=world.county, year=Y)
    with pytest.raises(PermissionDenied):
        ct.add_line(actor=world.town_user, template=template, data=LINE)
    with pytest.raises(NotFound):
        ct.template_for(world.town_user, template.pk)
    with pytest.raises(ValidationFailed) as exc:
        ct.add_line(actor=world.county_user, template=template, data={**LINE, "month": 13})
    assert "month" in exc.value.fields
    with pytest.raises(ValidationFailed):
        ct.add_line(actor=world.county_user, template=template, data={**LINE, "title": "培训\x00"})

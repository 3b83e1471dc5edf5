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


def test_the_page_and_the_api_edit_the_template(world, client):
    client.force_login(world.county_user)
    response = client.post("/yearplan/templates/", {"county": world.county.pk, "year": Y})
    template = ct.templates(world.county_user).get(year=Y)
    assert response.status_code == 302 and response["Location"] == template.get_absolute_url()
    page = client.get(template.get_absolute_url())
    assert page.status_code == 200 and page.content.decode().count("data-template-line") == len(rules.CANGXI)
    line = template.lines.get(kind="inspection")
    url = f"/yearplan/templates/{template.pk}/lines/{line.pk}/"
    client.post(url, {**LINE, "kind": "inspection", "rule": "once", "month": 11})
    line.refresh_from_db()
    assert (line.month, line.title, line.day) == (11, "代表培训", 0)
    bad = client.post(url, {**LINE, "month": "十三"}, follow=True)
    assert bad.status_code == 200 and "须在 1 到 12 之间" in bad.content.decode()
    assert client.post(url, {**LINE, "title": "x\x00"}).status_code == 400  # never a 500
    line.refresh_from_db()
    assert line.month == 11
    client.post(url, {"do": "remove"})
    assert not template.lines.filter(pk=line.pk).exists()

    api = f"/api/v1/calendar/templates/{template.pk}"
    added = client.post(f"{api}/lines", LINE, content_type="application/json")
    assert added.status_code == 201 and added.json()["rule_label"] == "每半年"
    new_id = added.json()["id"]
    changed = client.put(f"{api}/lines/{new_id}", {**LINE, "month": 2}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["month"] == 2
    assert new_id in {x["id"] for x in client.get(api).json()["lines"]}
    assert client.delete(f"{api}/lines/{new_id}").status_code == 204
    body = {"county": world.county.code, "year": Y + 1}
    made = client.post("/api/v1/calendar/templates", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["copied_from"] == str(Y)
    assert len(made.json()["lines"]) == len(rules.CANGXI) - 1

    client.force_login(world.town_user)
    assert client.get(api).status_code == 404
    assert client.get(template.get_absolute_url()).status_code == 404

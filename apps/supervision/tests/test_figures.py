"""The county's supervision figures (issue 18 part 7): the numbers equal what the records say, a town office
sees only its own row, another county's towns never appear, and the page, the Excel file and the API give
the same numbers."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.tests.factories import user_with
from apps.common.errors import NotFound, PermissionDenied
from apps.evaluations.models import DepartmentEvaluation, EvaluatedUnit
from apps.places.tests.factories import HandlingUnitFactory, county, town
from apps.rectification.models import RectificationItem
from apps.supervision import figures as fig
from apps.supervision.models import Activity, Appointment, Finding, SupervisionPlan

pytestmark = pytest.mark.django_db

Y = timezone.localdate().year
TODAY = timezone.localdate()


def _plan(region, year=Y):
    return SupervisionPlan.objects.create(region=region, year=year, title=f"{year}监督计划", state="approved")


def _activity(plan, state="done", kind="inspection"):
    return Activity.objects.create(
        plan=plan, region=plan.region, kind=kind, topic="饮水安全", state=state,
        starts_on=date(plan.year, 3, 1), ends_on=date(plan.year, 3, 31),
    )  # fmt: skip


def _finding(activity=None, appointment=None, at=None):
    f = Finding.objects.create(
        region=(activity or appointment).region, activity=activity, appointment=appointment, text="问题"
    )
    if at:
        Finding.objects.filter(pk=f.pk).update(created_at=at)
    return f


def _item(region, unit, state="assigned", opened=None, deadline=None, accepted=None, due=None):
    opened = opened or date(Y, 1, 10)
    return RectificationItem.objects.create(
        region=region, unit=unit, title="整改", state=state, opened_on=opened,
        deadline=deadline or opened + timedelta(days=30), accepted_on=accepted, due_date=due,
    )  # fmt: skip


def _appointment(region, kind="appointment", state="closed", meets_on=None):
    return Appointment.objects.create(
        region=region, kind=kind, subject="道路", official="王某", body="镇政府", state=state,
        meets_on=meets_on,
    )  # fmt: skip


@pytest.fixture
def counted(world):
    """Town A with known counts; town B with a little; another county's town with everything once."""
    a, unit = world.town_a, world.unit_a
    plan = _plan(a)
    acts = [_activity(plan), _activity(plan), _activity(plan, kind="research")]
    _activity(plan, state="planned")
    _activity(plan, state="cancelled")
    _activity(_plan(a, Y - 1))  # last year's plan: not counted
    _finding(acts[0])
    _finding(acts[1])
    _finding(acts[0], at=timezone.now() - timedelta(days=400))  # last year's
    held = _appointment(a, meets_on=date(Y, 5, 1))
    _finding(appointment=held)
    _appointment(a, kind="inquiry", state="answered", meets_on=date(Y, 6, 1))
    _appointment(a, state="requested")
    _item(a, unit, "accepted", deadline=date(Y, 2, 1), accepted=date(Y, 1, 30))  # on time
    _item(a, unit, "accepted", deadline=date(Y, 2, 1), accepted=date(Y, 2, 5))  # late
    _item(a, unit, "assigned", due=TODAY - timedelta(days=1))  # overdue
    _item(a, unit, "planned", due=TODAY + timedelta(days=5))
    _item(a, unit, "assigned", opened=date(Y - 1, 12, 1), due=TODAY - timedelta(days=9))  # last year's
    ev = DepartmentEvaluation.objects.create(region=a, year=Y, title="评议", state="published")
    u2, u3 = HandlingUnitFactory(region=a), HandlingUnitFactory(region=a)
    EvaluatedUnit.objects.create(evaluation=ev, unit=unit, satisfied=10, basic=2, dissatisfied=1)
    EvaluatedUnit.objects.create(
        evaluation=ev, unit=u2, satisfied=3, basic=2, dissatisfied=8, plan_due=date(Y, 9, 1)
    )
    EvaluatedUnit.objects.create(evaluation=ev, unit=u3)  # no result filed
    DepartmentEvaluation.objects.create(region=a, year=Y, title="进行中", state="meeting")
    _activity(_plan(world.town_b))
    _item(world.town_b, HandlingUnitFactory(region=world.town_b))
    other = county("610922", "石泉县")
    c = town(other, "610922100", "城关镇")
    _activity(_plan(c))
    _item(c, HandlingUnitFactory(region=c), due=TODAY - timedelta(days=1))
    _appointment(c, meets_on=date(Y, 5, 1))
    world.other_county, world.town_c = other, c
    return world


EXPECTED_A = {
    "activities_planned": 4, "activities_done": 3, "findings": 3, "rectifications_opened": 4,
    "rectifications_accepted": 2, "rectifications_overdue": 1, "rectifications_on_time": 1,
    "evaluations_held": 1, "departments_evaluated": 2, "departments_dissatisfied": 1,
    "appointments_held": 1, "inquiries_held": 1,
}  # fmt: skip


def test_the_figures_equal_what_the_records_say(counted, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        result = fig.figures(counted.county_user, year=Y)
    by_town = {r.town_id: r for r in result.rows}
    assert set(by_town) == {counted.town_a.pk, counted.town_b.pk}
    assert by_town[counted.town_a.pk].numbers == EXPECTED_A
    b = by_town[counted.town_b.pk].numbers
    assert (b["activities_planned"], b["activities_done"], b["rectifications_opened"]) == (1, 1, 1)
    assert result.total.numbers["activities_done"] == 4
    assert result.total.numbers["rectifications_opened"] == 5
    assert result.total.numbers["findings"] == 3


def test_activities_of_one_kind(counted):
    result = fig.figures(counted.county_user, year=Y, kind="research")
    a = {r.town_id: r for r in result.rows}[counted.town_a.pk]
    assert (a.activities_planned, a.activities_done) == (1, 1)
    assert a.findings == 3  # the other figures do not depend on the kind


def test_last_year_counts_only_last_years_records(counted):
    a = {r.town_id: r for r in fig.figures(counted.county_user, year=Y - 1).rows}[counted.town_a.pk]
    assert (a.activities_done, a.findings, a.rectifications_opened, a.evaluations_held) == (1, 1, 1, 0)


def test_a_town_office_sees_only_its_own_row(counted):
    result = fig.figures(counted.town_user, year=Y)
    assert [r.town_id for r in result.rows] == [counted.town_a.pk]
    assert result.total is None
    with pytest.raises(NotFound):
        fig.figures(counted.town_user, year=Y, region_id=counted.town_b.pk)


def test_another_countys_town_never_appears(counted):
    rows = fig.figures(counted.county_user, year=Y).rows
    assert counted.town_c.pk not in {r.town_id for r in rows}
    with pytest.raises(NotFound):
        fig.figures(counted.county_user, year=Y, region_id=counted.other_county.pk)
    other = user_with("county_office", "shiquan", region=counted.other_county)
    theirs = fig.figures(other, year=Y)
    assert [r.town_id for r in theirs.rows] == [counted.town_c.pk]
    assert theirs.total.numbers["rectifications_overdue"] == 1
    assert theirs.total.numbers["appointments_held"] == 1


@pytest.mark.parametrize("who", ["deputy_user", "unit_user", "keeper_user"])
def test_only_offices_read_the_figures(counted, who):
    with pytest.raises(PermissionDenied):
        fig.figures(getattr(counted, who), year=Y)


def test_the_page_shows_the_numbers_with_links_and_the_total(counted, client):
    client.force_login(counted.county_user)
    got = client.get("/supervision/figures/", {"year": Y})
    assert got.status_code == 200
    html = got.content.decode()
    assert (
        "合计" in html
        and counted.town_a.name in html
        and counted.town_c.name not in html.replace(counted.town_a.name, "")
    )
    assert f"/supervision/rectifications/?town={counted.town_a.pk}&amp;overdue=1" in html
    plan = SupervisionPlan.objects.get(region=counted.town_a, year=Y)
    assert f"/supervision/plans/{plan.pk}/" in html
    assert client.get("/supervision/figures/", {"year": "abc"}).status_code == 400
    client.force_login(counted.deputy_user)
    assert client.get("/supervision/figures/").status_code == 403


def test_the_home_links_the_figures_for_offices(counted, client):
    client.force_login(counted.town_user)
    assert "/supervision/figures/" in client.get("/supervision/").content.decode()


def test_the_excel_file_has_the_same_numbers(counted, client):
    client.force_login(counted.county_user)
    got = client.get("/supervision/figures/", {"year": Y, "export": "xlsx"})
    assert got.status_code == 200 and "spreadsheetml" in got["Content-Type"]
    ws = load_workbook(io.BytesIO(got.content)).active
    rows = list(ws.iter_rows(values_only=True))
    town_a = next(r for r in rows if r[0] == counted.town_a.name)
    assert list(town_a[1:]) == list(EXPECTED_A.values())
    assert rows[-1][0] == "合计" and rows[-1][2] == 4


def test_the_api_gives_the_same_numbers(counted, api_get):
    got = api_get(counted.county_user, "/api/v1/supervision/figures", year=Y)
    assert got.status_code == 200, got.content
    body = got.json()
    a = next(r for r in body["rows"] if r["town"] == counted.town_a.pk)
    assert {k: a[k] for k in EXPECTED_A} == EXPECTED_A
    assert body["total"]["town"] is None and body["total"]["activities_done"] == 4
    mine = api_get(counted.town_user, "/api/v1/supervision/figures", year=Y).json()
    assert [r["town"] for r in mine["rows"]] == [counted.town_a.pk] and mine["total"] is None
    far = api_get(counted.county_user, "/api/v1/supervision/figures", region=counted.other_county.pk)
    assert far.status_code == 404
    assert api_get(counted.deputy_user, "/api/v1/supervision/figures").status_code == 403
    assert api_get(counted.county_user, "/api/v1/supervision/figures", kind="picnic").status_code == 422


def test_the_page_and_the_api_take_a_fixed_number_of_queries(counted, client, api_get):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(counted.county_user)
    client.get("/supervision/figures/")
    with CaptureQueriesContext(connection) as page:
        assert client.get("/supervision/figures/", {"year": Y}).status_code == 200
    with CaptureQueriesContext(connection) as api:
        assert api_get(counted.county_user, "/api/v1/supervision/figures", year=Y).status_code == 200
    counts = [q["sql"] for q in page.captured_queries if "GROUP BY" in q["sql"]]
    assert len(counts) == 5  # one GROUP BY per model, whatever the number of towns
    assert len(page.captured_queries) <= 20 and len(api.captured_queries) <= 20


@pytest.mark.parametrize("kind", ["", "research", "inspection"])
@pytest.mark.parametrize("year", [Y, Y - 1])
def test_the_statements_compiled_once_give_what_the_querysets_give(counted, kind, year):
    """The figures run the ORM's statements compiled once per shape with the region and kind put in; for
    every town and county, year and kind they equal the querysets built and run afresh."""
    for region in (counted.county, counted.town_a, counted.town_b):
        assert fig.counts(region, year, kind) == fig.counts_by_orm(region, year, kind), (region, year, kind)
    assert fig.counts(counted.town_b, year, kind) != fig.counts(counted.town_a, year, kind)

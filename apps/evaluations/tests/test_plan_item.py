"""An evaluation carries out a plan item (issue 18 parts 1 and 3): `DepartmentEvaluation.activity` names a
部门评议 item of the same town's supervision plan, by form and API; each page links to the other."""

import pytest
from django.test import Client

from apps.accounts.services import issue_token
from apps.common.errors import DomainError
from apps.places.tests.factories import HandlingUnitFactory
from apps.supervision.tests.factories import activity, plan

from .factories import evaluation

pytestmark = pytest.mark.django_db


def _api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def test_an_evaluation_names_its_plan_item_and_each_page_links_to_the_other(world, client):
    a = activity(world, kind="department_evaluation")
    client.force_login(world.town_user)
    html = client.get(f"/supervision/activities/{a.pk}/").content.decode()
    assert f"/supervision/evaluations/new/?activity={a.pk}" in html
    form = client.get(f"/supervision/evaluations/new/?activity={a.pk}").content.decode()
    assert f'<option value="{a.pk}" selected>' in form
    other = HandlingUnitFactory(name="城关镇农业综合服务站", region=world.town_a)
    got = client.post(
        "/supervision/evaluations/new/",
        {"region": world.town_a.pk, "year": 2026, "title": "2026年部门评议",
         "units": [world.unit_a.pk, other.pk], "activity": a.pk},
    )  # fmt: skip
    assert got.status_code == 302
    item = a.evaluations.get()
    assert got["Location"] == item.get_absolute_url()
    assert f"/supervision/activities/{a.pk}/" in client.get(item.get_absolute_url()).content.decode()
    html = client.get(f"/supervision/activities/{a.pk}/").content.decode()
    assert item.get_absolute_url() in html and "?activity=" not in html
    body = _api(world.town_user).get(f"/api/v1/supervision/evaluations/{item.pk}").json()
    assert body["activity"] == a.pk
    assert _api(world.town_user).get(f"/api/v1/supervision/activities/{a.pk}").json()["evaluations"] == [
        item.pk
    ]
    # a unit sees the evaluation of its department but not the plan item
    client.force_login(world.unit_user)
    assert f"/supervision/activities/{a.pk}/" not in client.get(item.get_absolute_url()).content.decode()


def test_the_api_takes_the_plan_item_and_refuses_another_kind_or_town(world):
    a = activity(world, kind="department_evaluation")
    wrong_kind = activity(world, a.plan, kind="inspection")  # the same town's plan
    b_plan = plan(world, town=world.town_b)
    b = activity(world, b_plan, kind="department_evaluation", leads=[world.deputy_b], members=[])
    body = {"region": world.town_a.pk, "year": 2026, "title": "部门评议", "units": [world.unit_a.pk]}
    c = _api(world.town_user)
    ok = c.post(
        "/api/v1/supervision/evaluations", {**body, "activity": a.pk}, content_type="application/json"
    )
    assert ok.status_code == 201 and ok.json()["activity"] == a.pk
    for bad in (wrong_kind.pk, b.pk):
        got = c.post(
            "/api/v1/supervision/evaluations", {**body, "activity": bad}, content_type="application/json"
        )
        assert got.status_code == 400 and "activity" in got.json()["fields"]
    plain = c.post("/api/v1/supervision/evaluations", body, content_type="application/json")
    assert plain.status_code == 201 and plain.json()["activity"] is None


def test_the_service_refuses_a_cancelled_item(world):
    from apps.supervision import services as supervision

    a = activity(world, kind="department_evaluation")
    supervision.act(actor=world.town_user, item=a, key="cancel", data={"reason": "合并到下半年"})
    with pytest.raises(DomainError):
        from apps.evaluations import services

        services.create_evaluation(
            actor=world.town_user, region_id=world.town_a.pk, year=2026, title="x",
            unit_ids=[world.unit_a.pk], activity_id=a.pk,
        )  # fmt: skip
    assert evaluation(world).activity is None

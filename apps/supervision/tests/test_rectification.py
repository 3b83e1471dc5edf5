"""A finding becomes a rectification item (issue 18 part 4), from an activity or an appointment's follow-up:
assigned to the unit it names, reviewed by the deputies who found it, once only (409, audited), shown on the
finding with its state; by the page and by the API."""

from datetime import date

import pytest

from apps.audit.models import AuditEvent
from apps.rectification.models import RectificationItem
from apps.supervision import services

from .factories import activity, three_deputies, year

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    from apps.accounts.services import issue_token

    def call(user, method, path, body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}
        if method == "get":
            return client.get(path, **headers)
        return client.post(path, body or {}, content_type="application/json", **headers)

    return call


def _finding(world, *, unit=True):
    a = activity(world)
    services.act(actor=world.town_user, item=a, key="start", data={})
    return services.record_finding(
        actor=world.town_user,
        activity_id=a.pk,
        text_value="水厂消毒记录不全",
        unit_id=world.unit_a.pk if unit else None,
    )


def test_a_finding_becomes_one_item_by_the_api_and_a_second_time_is_a_409(world, api):
    f = _finding(world)
    url = f"/api/v1/supervision/findings/{f.pk}/rectification"
    got = api(world.town_user, "post", url, {"due_days": 15})
    assert got.status_code == 201, got.content
    item = RectificationItem.objects.get(pk=got.json()["id"])
    assert item.source == f and item.unit == world.unit_a and item.state == "assigned"
    assert item.source_label == "农村饮水安全"
    assert {d.pk for d in item.reviewers.all()} == {world.deputy_a.pk, world.deputy_a2.pk}
    assert AuditEvent.objects.filter(action="supervision.finding_rectification", object_id=str(f.pk)).exists()
    again = api(world.town_user, "post", url)
    assert again.status_code == 409 and again.json()["code"] == "already_rectifying"
    assert "不能重复" in again.json()["message"]
    assert RectificationItem.objects.count() == 1
    assert AuditEvent.objects.filter(action="supervision.finding_rectification_refused").count() == 1
    listed = api(world.town_user, "get", f"/api/v1/supervision/activities/{f.activity_id}/findings").json()
    assert listed[0]["rectification"] == item.pk and listed[0]["rectification_state"] == "assigned"
    assert listed[0]["rectification_state_label"]
    mine = api(world.unit_user, "get", "/api/v1/supervision/findings").json()["items"]
    assert mine[0]["rectification"] == item.pk


def test_only_the_office_in_reach_turns_a_finding_and_only_one_with_a_unit(world, api):
    f = _finding(world)
    url = f"/api/v1/supervision/findings/{f.pk}/rectification"
    assert api(world.town_b_user, "post", url).status_code == 404
    assert api(world.deputy_user, "post", url).status_code == 403
    assert api(world.unit_user, "post", url).status_code in (403, 404)
    assert AuditEvent.objects.filter(action="access.denied").count() >= 3
    bare = services.record_finding(actor=world.town_user, activity_id=f.activity_id, text_value="无单位")
    got = api(world.town_user, "post", f"/api/v1/supervision/findings/{bare.pk}/rectification")
    assert got.status_code == 400 and got.json()["code"] == "finding_without_unit"
    assert not RectificationItem.objects.exists()


def test_the_activity_page_turns_a_finding_and_then_shows_its_item(world, client):
    f = _finding(world)
    page = f"/supervision/activities/{f.activity_id}/"
    client.force_login(world.town_user)
    html = client.get(page).content.decode()
    assert "转为整改事项" in html and f"/supervision/findings/{f.pk}/rectification/" in html
    got = client.post(f"/supervision/findings/{f.pk}/rectification/")
    assert got.status_code == 302
    item = RectificationItem.objects.get()
    html = client.get(page).content.decode()
    assert f"/supervision/rectifications/{item.pk}/" in html
    assert f"/supervision/findings/{f.pk}/rectification/" not in html  # no button any more
    assert str(item.state_label) in html
    client.post(f"/supervision/findings/{f.pk}/rectification/")
    assert RectificationItem.objects.count() == 1
    assert f'href="{page}"' in client.get(item.get_absolute_url()).content.decode()  # links back
    client.force_login(world.unit_user)  # the unit works on the item but does not see the activity's page
    seen = client.get(item.get_absolute_url())
    assert seen.status_code == 200 and f'href="{page}"' not in seen.content.decode()
    client.force_login(world.deputy_user)  # a deputy sees the item's state but has no button
    html = client.get(page).content.decode()
    assert f"/supervision/rectifications/{item.pk}/" in html
    assert client.post(f"/supervision/findings/{f.pk}/rectification/").status_code == 403


def test_an_appointment_follow_up_is_reviewed_by_the_requesting_deputies(world, client):
    ds = three_deputies(world)
    m = services.request_appointment(
        actor=world.town_user, region_id=world.town_a.pk, kind="appointment", subject="道路养护",
        official="王某 副镇长", body="城关镇人民政府", deputy_ids=[d.pk for d in ds],
    )  # fmt: skip
    m = services.act(actor=world.town_user, item=m, key="arrange", data={"meets_on": f"{year()}-05-01"})
    answer = {"answer_mode": "at_meeting", "answer": "年内完成", "answered_on": date.today().isoformat()}
    m = services.act(actor=world.town_user, item=m, key="answer", data=answer)
    f = services.record_finding(
        actor=world.town_user, appointment_id=m.pk, text_value="养护资金未落实", unit_id=world.unit_a.pk
    )
    client.force_login(world.town_user)
    assert "转为整改事项" in client.get(f"/supervision/appointments/{m.pk}/").content.decode()
    client.post(f"/supervision/findings/{f.pk}/rectification/")
    item = RectificationItem.objects.get()
    assert item.source == f and item.source_label == "道路养护"
    assert {d.pk for d in item.reviewers.all()} == {d.pk for d in ds}
    html = client.get(f"/supervision/appointments/{m.pk}/").content.decode()
    assert f"/supervision/rectifications/{item.pk}/" in html

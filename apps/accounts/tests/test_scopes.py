"""Every role sees and changes only what its grant covers, through pages and API alike."""

import json

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def names(resp):
    return sorted(item["name"] for item in resp.json()["items"])


def test_town_staff_list_only_their_town_deputies_in_api(world, api_get):
    resp = api_get(world.town_user, "/api/v1/deputies")
    assert resp.status_code == 200
    assert names(resp) == ["张三", "赵六"]
    assert resp.json()["count"] == 2


def test_county_staff_see_every_town(world, api_get):
    resp = api_get(world.county_user, "/api/v1/deputies")
    assert names(resp) == ["张三", "李四", "赵六"]


def test_town_staff_cannot_read_other_town_deputy_by_id(world, api_get, client):
    resp = api_get(world.town_user, f"/api/v1/deputies/{world.deputy_b.pk}")
    assert resp.status_code == 404
    assert resp.json()["code"] == "not_found"
    client.force_login(world.town_user)
    assert client.get(reverse("people:deputy_detail", args=[world.deputy_b.pk])).status_code == 404


def test_denied_read_is_logged_in_audit(world, api_get):
    api_get(world.town_user, f"/api/v1/deputies/{world.deputy_b.pk}")
    event = AuditEvent.objects.filter(action="access.denied").get()
    assert event.actor == world.town_user
    assert event.object_id == str(world.deputy_b.pk)


def test_town_staff_cannot_change_other_town_deputy(world, client):
    client.force_login(world.town_user)
    resp = client.patch(
        f"/api/v1/deputies/{world.deputy_b.pk}",
        json.dumps({"phone": "13900000000"}),
        content_type="application/json",
    )
    assert resp.status_code in (403, 404)
    world.deputy_b.refresh_from_db()
    assert world.deputy_b.phone != "13900000000"
    resp = client.post(reverse("people:deputy_edit", args=[world.deputy_b.pk]), {"name": "改名", "phone": ""})
    assert resp.status_code == 404
    world.deputy_b.refresh_from_db()
    assert world.deputy_b.name == "李四"


def test_town_staff_change_own_town_deputy_with_audit(world, client):
    client.force_login(world.town_user)
    resp = client.patch(
        f"/api/v1/deputies/{world.deputy_a.pk}",
        json.dumps({"phone": "13900000001", "reason": "代表换号"}),
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["phone"] == "13900000001"
    event = AuditEvent.objects.get(action="people.deputy.updated")
    assert event.reason == "代表换号"
    assert event.summary["phone"][1] == "13900000001"
    assert event.actor == world.town_user


def test_bad_phone_is_a_structured_error_and_changes_nothing(world, client):
    client.force_login(world.town_user)
    resp = client.patch(
        f"/api/v1/deputies/{world.deputy_a.pk}", json.dumps({"phone": "123"}), content_type="application/json"
    )
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "validation_failed" and "phone" in body["fields"]
    world.deputy_a.refresh_from_db()
    assert world.deputy_a.phone != "123"


def test_edit_page_shows_error_beside_field(world, client):
    client.force_login(world.town_user)
    resp = client.post(
        reverse("people:deputy_edit", args=[world.deputy_a.pk]),
        {"name": "张三", "phone": "12345", "gender": "M", "status": "in_office"},
    )
    assert resp.status_code == 400
    assert "手机号码应为11位数字" in resp.content.decode()


def test_town_staff_cannot_read_other_town_households_or_stations(world, api_get, client):
    assert [h["id"] for h in api_get(world.town_user, "/api/v1/households").json()["items"]] == [
        world.household_a.pk
    ]
    stations = api_get(world.town_user, "/api/v1/stations").json()["items"]
    assert [s["name"] for s in stations] == ["城关镇代表联络站"]
    assert api_get(world.town_user, f"/api/v1/stations/{world.station_b.pk}").status_code == 404
    assert api_get(world.town_user, "/api/v1/households", region=world.village_b.code).status_code == 404
    client.force_login(world.town_user)
    assert client.get(reverse("places:station_detail", args=[world.station_b.pk])).status_code == 404
    assert client.get(reverse("places:region_detail", args=[world.village_b.code])).status_code == 404
    page = client.get(reverse("places:region_detail", args=[world.grid_a.code])).content.decode()
    assert world.household_a.head_name in page


def test_town_staff_cannot_change_other_town_station(world, client):
    client.force_login(world.town_user)
    resp = client.patch(
        f"/api/v1/stations/{world.station_b.pk}",
        json.dumps({"address": "别处"}),
        content_type="application/json",
    )
    assert resp.status_code in (403, 404)
    resp = client.post(reverse("places:station_detail", args=[world.station_b.pk]), {"name": "x"})
    assert resp.status_code == 404
    world.station_b.refresh_from_db()
    assert world.station_b.address != "别处"


def test_deputy_sees_only_own_private_profile(world, api_get, client):
    own = api_get(world.deputy_user, f"/api/v1/deputies/{world.deputy_a.pk}")
    assert own.status_code == 200 and own.json()["phone"] == world.deputy_a.phone
    other = api_get(world.deputy_user, f"/api/v1/deputies/{world.deputy_a2.pk}")
    assert other.status_code == 404
    assert names(api_get(world.deputy_user, "/api/v1/deputies")) == ["张三"]
    client.force_login(world.deputy_user)
    assert client.get(reverse("people:deputy_detail", args=[world.deputy_a2.pk])).status_code == 404


def test_deputy_cannot_change_even_own_record(world, client):
    client.force_login(world.deputy_user)
    resp = client.patch(
        f"/api/v1/deputies/{world.deputy_a.pk}", json.dumps({"name": "改"}), content_type="application/json"
    )
    assert resp.status_code == 403


def test_public_card_shows_no_private_data(world, client):
    resp = client.get(f"/api/v1/public/deputies/{world.deputy_a.public_code}")
    assert resp.status_code == 200
    body = json.dumps(resp.json(), ensure_ascii=False)
    assert "张三" in body and world.deputy_a.phone not in body and world.deputy_a.id_number not in body
    page = client.get(reverse("people:public_card", args=[world.deputy_a.public_code])).content.decode()
    assert "张三" in page and world.deputy_a.phone not in page and world.deputy_a.address not in page
    qr = client.get(reverse("people:public_card_qr", args=[world.deputy_a.public_code]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"


def test_station_keeper_sees_own_station_deputies(world, api_get):
    assert names(api_get(world.keeper_user, "/api/v1/deputies")) == ["张三", "赵六"]
    assert api_get(world.keeper_user, f"/api/v1/deputies/{world.deputy_b.pk}").status_code == 404


def test_unit_staff_see_own_unit_and_no_deputies(world, api_get):
    assert names(api_get(world.unit_user, "/api/v1/deputies")) == []
    assert [u["name"] for u in api_get(world.unit_user, "/api/v1/units").json()["items"]] == [
        "城关镇人民政府"
    ]


def test_anonymous_api_gets_401_and_pages_redirect(world, client):
    resp = client.get("/api/v1/deputies")
    assert resp.status_code == 401 and resp.json()["code"] == "unauthenticated"
    assert client.get(reverse("people:deputy_list")).status_code == 302


@pytest.mark.parametrize(
    "path", ["/api/v1/regions", "/api/v1/stations", "/api/v1/units", "/api/v1/households", "/api/v1/quotas"]
)
def test_every_list_endpoint_is_scoped(world, api_get, path):
    mine = api_get(world.town_user, path).json()
    theirs = api_get(world.town_b_user, path).json()
    ids_mine = {json.dumps(i, sort_keys=True, ensure_ascii=False) for i in mine["items"]}
    ids_theirs = {json.dumps(i, sort_keys=True, ensure_ascii=False) for i in theirs["items"]}
    assert not (ids_mine & ids_theirs)
    county = api_get(world.county_user, path).json()
    assert county["count"] >= mine["count"] + theirs["count"]


def test_town_pages_list_only_own_town(world, client):
    client.force_login(world.town_user)
    page = client.get(reverse("people:deputy_list")).content.decode()
    assert "张三" in page and "李四" not in page
    page = client.get(reverse("places:station_list")).content.decode()
    assert "城关镇代表联络站" in page and "涧池镇代表联络站" not in page


def test_household_contact_changes_within_town_only(world, client):
    client.force_login(world.town_user)
    url = f"/api/v1/households/{world.household_a.pk}/contact"
    ok = client.put(
        url, json.dumps({"deputy_id": world.deputy_a2.pk, "reason": "调整"}), content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["contact_deputy"]["name"] == "赵六"
    assert AuditEvent.objects.filter(action="people.household.contact_changed", reason="调整").exists()
    other = client.put(url, json.dumps({"deputy_id": world.deputy_b.pk}), content_type="application/json")
    assert other.status_code in (403, 404)
    world.household_a.refresh_from_db()
    assert world.household_a.contact_deputy == world.deputy_a2

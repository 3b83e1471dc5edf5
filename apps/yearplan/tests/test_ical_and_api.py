import json
from datetime import date

import pytest
from django.utils import timezone
from icalendar import Calendar

from apps.yearplan import services
from apps.yearplan.models import PlanItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(world):
    services.generate(actor=world.county_user, region=world.county, year=timezone.localdate().year)


def _feed(client, token):
    return client.get("/api/v1/calendar/feed.ics", {"token": token})


def test_the_feed_parses_and_holds_the_deputys_own_township_only(world, client, this_year):
    token = services.issue_feed_token(user=world.deputy_user)
    response = _feed(client, token)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert len(events) == PlanItem.objects.filter(town=world.town_a).count() > 20
    assert all(str(e["summary"]).startswith("城关镇：") for e in events)
    first = PlanItem.objects.filter(town=world.town_a).order_by("date", "id").first()
    assert events[0].decoded("dtstart") == first.date and isinstance(events[0].decoded("dtstart"), date)


def test_a_cancelled_item_is_sent_as_cancelled(world, client, this_year):
    item = PlanItem.objects.filter(town=world.town_a).first()
    services.act(actor=world.town_user, item=item, key="cancel", data={"reason": "取消"})
    cal = Calendar.from_ical(_feed(client, services.issue_feed_token(user=world.town_user)).content)
    by_uid = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert str(by_uid[f"yearplan-{item.pk}@renda"]["status"]) == "CANCELLED"


def test_a_replaced_or_revoked_token_stops_working(world, client, this_year):
    old = services.issue_feed_token(user=world.deputy_user)
    new = services.issue_feed_token(user=world.deputy_user)
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200
    services.revoke_feed_token(user=world.deputy_user)
    assert _feed(client, new).status_code == 404
    assert _feed(client, "").status_code == 404


def test_another_townships_item_is_missing_for_a_town_office(world, api_get, this_year):
    mine = PlanItem.objects.filter(town=world.town_a).first()
    theirs = PlanItem.objects.filter(town=world.town_b).first()
    assert api_get(world.town_user, f"/api/v1/calendar/items/{mine.pk}").status_code == 200
    assert api_get(world.deputy_user, f"/api/v1/calendar/items/{mine.pk}").status_code == 200
    assert api_get(world.town_user, f"/api/v1/calendar/items/{theirs.pk}").status_code == 404
    assert api_get(world.deputy_user, f"/api/v1/calendar/items/{theirs.pk}").status_code == 404
    listed = api_get(world.town_user, "/api/v1/calendar/items", page_size=200).json()
    assert {i["town"] for i in listed["items"]} == {"城关镇"}
    assert api_get(world.deputy_user, "/api/v1/calendar/compliance").status_code == 403
    county = api_get(world.county_user, "/api/v1/calendar/compliance").json()
    assert {t["town_name"] for t in county["townships"]} <= {"城关镇", "涧池镇"}


def test_the_office_moves_an_item_through_the_api_and_a_deputy_may_not(world, client, this_year):
    item = PlanItem.objects.filter(town=world.town_a, kind="inspection").get()
    client.force_login(world.deputy_user)
    path = f"/api/v1/calendar/items/{item.pk}/actions/move"
    body = json.dumps({"date": item.date.isoformat()})
    assert client.post(path, body, content_type="application/json").status_code in (403, 404)
    client.force_login(world.town_user)
    response = client.post(path, json.dumps({"date": "1999-01-04"}), content_type="application/json")
    assert response.status_code == 400 and response.json()["fields"]


def test_the_pages_render_for_an_office_and_a_deputy(world, client, this_year):
    client.force_login(world.county_user)
    for path in (
        "/yearplan/",
        "/yearplan/month/",
        "/yearplan/compliance/",
        "/yearplan/feed/",
        "/yearplan/new/",
    ):
        assert client.get(path).status_code == 200, path
    client.force_login(world.deputy_user)
    assert "城关镇" in client.get("/yearplan/").content.decode()
    assert client.get("/yearplan/compliance/").status_code == 403

"""/api/v1/opinions, /api/v1/reception-days and /api/v1/public/opinions: scope of every endpoint, the whole
lifecycle through a bearer token, errors as {"code", "message", "fields"}, counts and the public door."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.accounts.services import issue_token
from apps.duty.models import DutyRecord
from apps.notifications.models import Notification
from apps.opinions import services
from apps.opinions.models import Opinion, ReceptionDay
from apps.workflow.models import Attachment

from .factories import opinion

pytestmark = pytest.mark.django_db

API = "/api/v1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _no_leftover_counters():
    cache.clear()
    yield
    cache.clear()


def _client(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def _act(client, item, key, **body):
    return client.post(f"{API}/opinions/{item.pk}/actions/{key}", body, content_type="application/json")


def _ids(resp):
    assert resp.status_code == 200, resp.content
    return {o["id"] for o in resp.json()["items"]}


def _assigned(world, **data):
    item = opinion(world, **data)
    item = services.act(actor=world.town_user, item=item, key="accept")
    return services.act(actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk})


# --- scope --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/opinions"),
        ("get", "/opinions/{pk}"),
        ("get", "/opinions/{pk}/similar"),
        ("get", "/opinions/stats/towns"),
        ("get", "/opinions/stats/units"),
        ("get", "/reception-days"),
        ("post", "/opinions"),
        ("post", "/opinions/{pk}/actions/accept"),
        ("post", "/opinions/{pk}/attachments"),
        ("post", "/stations/1/reception-days/plan"),
    ],
)
def test_anonymous_callers_get_401_outside_the_public_door(world, method, path):
    item = opinion(world)
    resp = getattr(Client(), method)(API + path.format(pk=item.pk))
    assert resp.status_code == 401 and resp.json()["code"] == "unauthenticated"


def test_another_towns_office_cannot_list_see_or_act_on_the_items(world):
    item = opinion(world)
    c = _client(world.town_b_user)
    assert _ids(c.get(f"{API}/opinions")) == set()
    for path in ("", "/similar"):
        resp = c.get(f"{API}/opinions/{item.pk}{path}")
        assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    assert _act(c, item, "accept").status_code == 404
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    assert c.post(f"{API}/opinions/{item.pk}/attachments", {"file": upload}).status_code == 404
    item.refresh_from_db()
    assert item.state == "registered" and item.version == 0
    resp = c.post(
        f"{API}/opinions",
        {"source": "letter", "content": "路灯不亮", "region": world.village_a.code},
        content_type="application/json",
    )
    assert resp.status_code == 403 and resp.json()["code"] == "permission_denied"


def test_unit_staff_see_only_the_items_assigned_to_their_unit(world):
    mine = _assigned(world)
    other = opinion(world)
    c = _client(world.unit_user)
    assert _ids(c.get(f"{API}/opinions")) == {mine.pk}
    assert c.get(f"{API}/opinions/{mine.pk}").status_code == 200
    assert c.get(f"{API}/opinions/{other.pk}").status_code == 404


def test_a_deputy_sees_the_items_they_received(world):
    mine = opinion(world, deputy=world.deputy_a.pk)
    other = opinion(world, deputy=world.deputy_a2.pk)
    c = _client(world.deputy_user)
    assert _ids(c.get(f"{API}/opinions")) == {mine.pk}
    assert c.get(f"{API}/opinions/{other.pk}").status_code == 404


def test_the_keeper_sees_the_items_of_the_own_station(world):
    mine = opinion(world, source="reception", station=world.station_a.pk)
    other = opinion(world)
    c = _client(world.keeper_user)
    assert _ids(c.get(f"{API}/opinions")) == {mine.pk}
    assert c.get(f"{API}/opinions/{other.pk}").status_code == 404


def test_the_county_office_lists_both_towns_and_filters_by_region_code(world):
    a = opinion(world)
    b = opinion(world, actor=world.town_b_user, region=world.village_b.code)
    c = _client(world.county_user)
    assert _ids(c.get(f"{API}/opinions")) == {a.pk, b.pk}
    assert _ids(c.get(f"{API}/opinions", {"region": world.town_b.code})) == {b.pk}
    assert _ids(c.get(f"{API}/opinions", {"region": world.village_a.code})) == {a.pk}
    # a town office asking for another town's code learns nothing
    assert _client(world.town_user).get(f"{API}/opinions", {"region": world.town_b.code}).status_code == 404


def test_list_filters_by_state_topic_text_overdue_and_year(world):
    registered = opinion(world, title="学校门口缺少斑马线", topic="school")
    assigned = _assigned(world)
    Opinion.objects.filter(pk=assigned.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    closed = opinion(world)
    services.act(actor=world.town_user, item=closed, key="not_accept", reason="不属于受理范围")
    c = _client(world.town_user)
    url = f"{API}/opinions"
    assert _ids(c.get(url, {"state": "open"})) == {registered.pk, assigned.pk}
    assert _ids(c.get(url, {"state": "not_accepted"})) == {closed.pk}
    assert _ids(c.get(url, {"topic": "school"})) == {registered.pk}
    assert _ids(c.get(url, {"q": "斑马线"})) == {registered.pk}
    assert _ids(c.get(url, {"q": assigned.tracking_code.lower()})) == {assigned.pk}
    overdue = c.get(url, {"overdue": "true"}).json()["items"]
    assert [o["id"] for o in overdue] == [assigned.pk] and overdue[0]["is_overdue"] is True
    assert _ids(c.get(url, {"year": timezone.localdate().year - 1})) == set()
    assert _ids(c.get(url, {"unit": world.unit_a.pk})) == {assigned.pk}


def test_list_query_count_does_not_grow_with_page_size(world, django_assert_max_num_queries):
    for n in range(8):
        opinion(
            world, source="reception", station=world.station_a.pk, deputy=world.deputy_a.pk, title=f"事项{n}"
        )
    Opinion.objects.update(unit=world.unit_a)
    c = _client(world.town_user)
    c.get(f"{API}/opinions")  # the token and the grants are cached from here on
    # count, page (with region, station, deputy, unit joined)
    with django_assert_max_num_queries(2):
        assert len(c.get(f"{API}/opinions", {"page_size": 2}).json()["items"]) == 2
    with django_assert_max_num_queries(2):
        body = c.get(f"{API}/opinions", {"page_size": 8}).json()
    assert len(body["items"]) == 8 and body["count"] == 8
    first = body["items"][0]
    assert first["unit"]["name"] == world.unit_a.name and first["deputy"]["name"] == "张三"
    assert first["station"]["id"] == world.station_a.pk and first["region"]["code"] == world.village_a.code


# --- detail and intake --------------------------------------------------------------------------------------


def test_detail_shows_the_timeline_and_what_this_user_may_do_now(world):
    item = _assigned(world)
    body = _client(world.unit_user).get(f"{API}/opinions/{item.pk}").json()
    assert body["state"] == "assigned" and body["state_label"] == "已交办" and body["version"] == 2
    assert body["unit"] == {"id": world.unit_a.pk, "name": world.unit_a.name}
    assert body["due_date"] and body["is_overdue"] is False and body["due_provisional"] in (True, False)
    assert [s["transition"] for s in body["steps"]] == ["create", "accept", "assign"]
    assert body["steps"][2]["from_state"] == "accepted" and body["steps"][2]["to_state"] == "assigned"
    assert {t["key"] for t in body["transitions"]} == {"send_back", "reply"}
    send_back = next(t for t in body["transitions"] if t["key"] == "send_back")
    assert send_back["reason_required"] is True and send_back["blocked_reason"] is None
    office = _client(world.town_user).get(f"{API}/opinions/{item.pk}").json()
    assert {t["key"] for t in office["transitions"]} == {"reply"}


def test_staff_intake_answers_201_with_the_detail(world):
    resp = _client(world.keeper_user).post(
        f"{API}/opinions",
        {
            "source": "reception",
            "station": world.station_a.pk,
            "deputy": world.deputy_a.pk,
            "topic": "water",
            "content": "东河组自来水管道老化，经常停水。",
            "submitter_name": "陈七",
            "submitter_phone": "13900000003",
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["tracking_code"].startswith("MY") and body["state"] == "registered"
    assert body["title"] == "东河组自来水管道老化，经常停水。" and body["region"]["code"] == world.town_a.code
    assert body["station"]["id"] == world.station_a.pk and body["submitter_name"] == "陈七"
    assert Opinion.objects.get(pk=body["id"]).registered_by == world.keeper_user


def test_intake_errors_name_the_field(world):
    c = _client(world.town_user)
    resp = c.post(f"{API}/opinions", {"source": "letter", "content": ""}, content_type="application/json")
    assert resp.status_code == 400 and "content" in resp.json()["fields"]
    resp = c.post(
        f"{API}/opinions",
        {"source": "letter", "content": "路灯不亮", "region": world.village_a.code, "received_on": "昨天"},
        content_type="application/json",
    )
    assert resp.status_code == 422 and "received_on" in resp.json()["fields"]


# --- the lifecycle ------------------------------------------------------------------------------------------


def test_the_whole_lifecycle_through_the_api(world, django_capture_on_commit_callbacks):
    office, unit = _client(world.town_user), _client(world.unit_user)
    item = opinion(world)
    assert _act(office, item, "accept", version=0).json()["state"] == "accepted"
    with django_capture_on_commit_callbacks(execute=True):
        resp = _act(office, item, "assign", unit=world.unit_a.pk, responsible_person="刘主任", version=1)
    assert resp.status_code == 200 and resp.json()["responsible_person"] == "刘主任"
    assert Notification.objects.filter(recipient=world.unit_user, kind="opinion.assign").count() == 1
    resp = _act(unit, item, "reply", reply="已列入明年通组路硬化计划。")
    assert resp.status_code == 200 and resp.json()["state"] == "replied" and resp.json()["reply_on_time"]
    resp = _act(office, item, "visit", visit_method="phone", satisfaction="satisfied", solved=True)
    assert resp.json()["state"] == "visited" and resp.json()["solved"] is True
    body = _act(office, item, "close").json()
    assert body["state"] == "closed" and body["closed_on"] and body["transitions"] == []
    steps = " ".join(s["transition"] for s in body["steps"])
    assert steps == "create accept assign reply visit close"
    assert body["version"] == 5


def test_an_illegal_transition_is_409_and_changes_nothing(world):
    item = opinion(world)
    resp = _act(_client(world.town_user), item, "close")
    assert resp.status_code == 409 and resp.json()["code"] == "illegal_transition"
    assert _act(_client(world.town_user), item, "fly").json()["code"] == "illegal_transition"
    item.refresh_from_db()
    assert item.state == "registered" and item.version == 0 and item.closed_on is None


def test_a_stale_version_is_a_409_conflict(world):
    item = opinion(world)
    c = _client(world.town_user)
    assert _act(c, item, "accept", version=0).status_code == 200
    resp = _act(c, item, "assign", unit=world.unit_a.pk, version=0)
    assert resp.status_code == 409 and resp.json()["code"] == "conflict"
    item.refresh_from_db()
    assert item.state == "accepted" and item.unit is None


def test_a_role_that_may_see_but_not_take_the_step_gets_403(world):
    item = opinion(world, deputy=world.deputy_a.pk)
    resp = _act(_client(world.deputy_user), item, "accept")
    assert resp.status_code == 403 and resp.json()["code"] == "permission_denied"
    item.refresh_from_db()
    assert item.state == "registered"


def test_not_accepting_without_a_reason_names_the_reason_field(world):
    item = opinion(world)
    c = _client(world.town_user)
    resp = _act(c, item, "not_accept", reason="  ")
    assert resp.status_code == 400 and resp.json()["code"] == "validation_failed"
    assert "reason" in resp.json()["fields"]
    body = _act(c, item, "not_accept", reason="属于司法程序").json()
    assert body["state"] == "not_accepted" and body["outcome_note"] == "属于司法程序"


def test_a_step_without_its_input_names_the_field(world):
    item = services.act(actor=world.town_user, item=opinion(world), key="accept")
    resp = _act(_client(world.town_user), item, "assign")
    assert resp.status_code == 400 and "unit" in resp.json()["fields"]


# --- attachments --------------------------------------------------------------------------------------------


def test_an_image_is_attached_and_downloadable_only_in_scope(world):
    item = opinion(world)
    c = _client(world.town_user)
    upload = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    resp = c.post(f"{API}/opinions/{item.pk}/attachments", {"file": upload, "public": "true"})
    assert resp.status_code == 201, resp.content
    att = resp.json()
    assert att["kind"] == "png" and att["size"] == len(PNG) and att["public"] is True
    listed = c.get(f"{API}/opinions/{item.pk}").json()["attachments"]
    assert [a["id"] for a in listed] == [att["id"]]
    download = c.get(att["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert _client(world.town_b_user).get(att["url"]).status_code == 404


def test_a_download_carries_the_sniffed_type_not_the_one_the_name_suggests(world):
    item = opinion(world)
    c = _client(world.town_user)
    upload = SimpleUploadedFile("x.html", PNG + b"<script>alert(1)</script>", content_type="text/html")
    att = c.post(f"{API}/opinions/{item.pk}/attachments", {"file": upload}).json()
    assert c.get(att["url"])["Content-Type"] == "image/png"


def test_a_text_file_renamed_jpg_is_refused(world):
    item = opinion(world)
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not a photo", content_type="image/jpeg")
    resp = _client(world.town_user).post(f"{API}/opinions/{item.pk}/attachments", {"file": fake})
    assert resp.status_code == 400 and resp.json()["code"] == "validation_failed"
    assert "file" in resp.json()["fields"]
    assert not Attachment.objects.exists()


def test_an_oversize_file_is_refused(world, settings):
    settings.RENDA = {**settings.RENDA, "UPLOAD_MAX_BYTES": 32}
    item = opinion(world)
    big = SimpleUploadedFile("big.png", PNG, content_type="image/png")
    resp = _client(world.town_user).post(f"{API}/opinions/{item.pk}/attachments", {"file": big})
    assert resp.status_code == 400 and "file" in resp.json()["fields"]


def test_a_viewer_without_a_role_over_the_item_cannot_attach(world):
    item = opinion(world, deputy=world.deputy_a.pk)
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    assert (
        _client(world.unit_user).post(f"{API}/opinions/{item.pk}/attachments", {"file": upload}).status_code
        == 404
    )


# --- similar items ------------------------------------------------------------------------------------------


def test_similar_items_and_suggested_units_within_the_callers_scope(world):
    road = "月河村三组通组路雨天泥泞，路面坑洼，群众出行困难，希望尽快硬化"
    earlier = _assigned(world, content=road)
    twin = opinion(world, content="月河村三组通组路坑洼泥泞，下雨出行困难，请求硬化路面")
    opinion(world, content="东坝村小学缺少音乐老师", topic="school")
    body = _client(world.town_user).get(f"{API}/opinions/{twin.pk}/similar").json()
    assert [s["opinion"]["id"] for s in body["similar"]] == [earlier.pk]
    assert 0 < body["similar"][0]["score"] <= 1
    assert body["units"][0]["unit"]["id"] == world.unit_a.pk and 0 < body["units"][0]["score"] <= 1
    # the unit sees its own item, but not the township's other open items
    assert _client(world.unit_user).get(f"{API}/opinions/{earlier.pk}/similar").json()["similar"] == []


# --- counts -------------------------------------------------------------------------------------------------


@pytest.fixture
def small_year(world):
    done = _assigned(world)
    services.act(actor=world.unit_user, item=done, key="reply", data={"reply": "已硬化"})
    services.act(
        actor=world.town_user,
        item=done,
        key="visit",
        data={"visit_method": "phone", "satisfaction": "satisfied", "solved": True},
    )
    services.act(actor=world.town_user, item=done, key="close")
    _assigned(world)
    opinion(world)
    opinion(world, actor=world.town_b_user, region=world.village_b.code)
    ReceptionDay.objects.create(
        station=world.station_a, region=world.town_a, date=timezone.localdate(), voters_received=30
    )


def test_town_figures_for_the_county(world, small_year):
    body = _client(world.county_user).get(f"{API}/opinions/stats/towns").json()
    rows = {r["town_name"]: r for r in body["rows"]}
    a = rows["城关镇"]
    assert (a["collected"], a["assigned"], a["replied"], a["on_time"], a["closed"]) == (3, 2, 1, 1, 1)
    assert (a["resolved"], a["visited"], a["satisfied"], a["open"], a["overdue"]) == (1, 1, 1, 2, 0)
    assert (a["on_time_rate"], a["resolved_rate"], a["satisfaction_rate"]) == (100.0, 33.3, 100.0)
    assert a["voters_received"] == 30 and a["town"] == world.town_a.pk
    assert rows["涧池镇"]["collected"] == 1 and rows["涧池镇"]["voters_received"] == 0
    assert body["totals"]["collected"] == 4 and body["totals"]["open"] == 3
    assert body["year"] == timezone.localdate().year


def test_town_figures_follow_scope_and_region(world, small_year):
    town = _client(world.town_user).get(f"{API}/opinions/stats/towns").json()
    assert [r["town_name"] for r in town["rows"]] == ["城关镇"]
    county = _client(world.county_user).get(f"{API}/opinions/stats/towns", {"region": world.town_b.code})
    assert [r["town_name"] for r in county.json()["rows"]] == ["涧池镇"]
    last_year = _client(world.county_user).get(
        f"{API}/opinions/stats/towns", {"year": timezone.localdate().year - 1}
    )
    assert last_year.json()["rows"] == [] and last_year.json()["totals"]["collected"] == 0


def test_unit_figures(world, small_year):
    rows = _client(world.town_user).get(f"{API}/opinions/stats/units").json()["rows"]
    assert rows == [
        {
            "unit": world.unit_a.pk,
            "unit_name": world.unit_a.name,
            "load": 2,
            "open": 1,
            "overdue": 0,
            "replied": 1,
            "on_time": 1,
            "on_time_rate": 100.0,
        }
    ]


@pytest.mark.parametrize("who", ["deputy_user", "keeper_user", "unit_user"])
def test_counts_are_for_offices_only(world, who):
    c = _client(getattr(world, who))
    for path in ("towns", "units"):
        resp = c.get(f"{API}/opinions/stats/{path}")
        assert resp.status_code == 403 and resp.json()["code"] == "permission_denied"


# --- reception days -----------------------------------------------------------------------------------------


@pytest.fixture
def past_day(world):
    return ReceptionDay.objects.create(
        station=world.station_a, region=world.town_a, date=timezone.localdate() - timedelta(days=7)
    )


def test_planning_a_year_through_the_api(world):
    year = timezone.localdate().year + 1
    url = f"{API}/stations/{world.station_a.pk}/reception-days/plan"
    resp = _client(world.keeper_user).post(url, {"year": year}, content_type="application/json")
    assert resp.status_code == 200 and len(resp.json()["created"]) == 12
    again = _client(world.town_user).post(url, {"year": year}, content_type="application/json")
    assert again.json()["created"] == []
    for who in (world.town_b_user, world.deputy_user):
        assert _client(who).post(url, {"year": year}, content_type="application/json").status_code == 404
    days = _client(world.keeper_user).get(f"{API}/reception-days", {"year": year, "page_size": 100}).json()
    assert days["count"] == 12 and days["items"][0]["station"]["name"] == world.station_a.name


def test_publishing_the_rota_tells_the_deputy_and_lets_them_see_the_day(
    world, past_day, django_capture_on_commit_callbacks
):
    url = f"{API}/reception-days/{past_day.pk}"
    deputy = _client(world.deputy_user)
    assert deputy.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        resp = _client(world.keeper_user).put(
            f"{url}/rota", {"deputies": [world.deputy_a.pk], "publish": True}, content_type="application/json"
        )
    assert resp.status_code == 200 and resp.json()["rota"] == [{"id": world.deputy_a.pk, "name": "张三"}]
    assert resp.json()["rota_published_at"]
    assert Notification.objects.filter(recipient=world.deputy_user, kind="reception.rota").count() == 1
    assert deputy.get(url).status_code == 200
    wrong = _client(world.keeper_user).put(
        f"{url}/rota", {"deputies": [world.deputy_b.pk]}, content_type="application/json"
    )
    assert wrong.status_code == 400 and "deputies" in wrong.json()["fields"]
    other = _client(world.town_b_user).put(
        f"{url}/rota", {"deputies": [world.deputy_a.pk]}, content_type="application/json"
    )
    assert other.status_code == 404


def test_recording_the_day_appends_a_duty_record_for_each_deputy_present(world, past_day):
    opinion(world, source="reception", reception_day=past_day.pk)
    resp = _client(world.keeper_user).put(
        f"{API}/reception-days/{past_day.pk}/record",
        {"present": [world.deputy_a.pk, world.deputy_a2.pk], "voters_received": 23, "notes": "接待顺利"},
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["voters_received"] == 23 and body["notes"] == "接待顺利" and body["recorded_at"]
    assert {d["id"] for d in body["present"]} == {world.deputy_a.pk, world.deputy_a2.pk}
    assert body["opinions"] == 1
    records = DutyRecord.objects.filter(kind="reception")
    assert {r.deputy_id for r in records} == {world.deputy_a.pk, world.deputy_a2.pk}


def test_a_day_not_yet_come_cannot_be_recorded(world):
    day = ReceptionDay.objects.create(
        station=world.station_a, region=world.town_a, date=timezone.localdate() + timedelta(days=7)
    )
    resp = _client(world.keeper_user).put(
        f"{API}/reception-days/{day.pk}/record", {"voters_received": 3}, content_type="application/json"
    )
    assert resp.status_code == 400 and "date" in resp.json()["fields"]


def test_reception_day_list_is_scoped_and_its_queries_do_not_grow(world, django_assert_max_num_queries):
    services.plan_year(actor=world.keeper_user, station=world.station_a, year=2030)
    services.plan_year(actor=world.town_b_user, station=world.station_b, year=2030)
    keeper = _client(world.keeper_user)
    keeper.get(f"{API}/reception-days")
    with django_assert_max_num_queries(2):
        assert len(keeper.get(f"{API}/reception-days", {"page_size": 2}).json()["items"]) == 2
    with django_assert_max_num_queries(2):
        body = keeper.get(f"{API}/reception-days", {"page_size": 50}).json()
    assert body["count"] == 12 and {d["station"]["id"] for d in body["items"]} == {world.station_a.pk}
    assert _client(world.unit_user).get(f"{API}/reception-days").json()["count"] == 0


# --- the public door ----------------------------------------------------------------------------------------

PUBLIC = f"{API}/public/opinions"


def _submit(world, **data):
    fields = {
        "station": world.station_a.pk,
        "title": "路灯不亮",
        "content": "城关镇东门桥头路灯坏了一个月，晚上很不安全。",
        "topic": "public_safety",
        "submitter_name": "孙八",
        "submitter_phone": "13911112222",
    }
    fields.update(data)
    return Client().post(PUBLIC, {k: v for k, v in fields.items() if v is not None})


def test_a_public_submission_gets_a_tracking_code_and_the_tracking_page_hides_the_person(world):
    resp = _submit(world)
    assert resp.status_code == 201, resp.content
    code = resp.json()["tracking_code"]
    assert code.startswith("MY") and resp.json()["state_label"] == "已登记"
    item = Opinion.objects.get(tracking_code=code)
    assert item.source == "online" and item.station == world.station_a and item.submitter_user is None
    page = Client().get(f"{PUBLIC}/{code.lower()}")
    assert page.status_code == 200
    body = page.json()
    assert body["state_label"] == "已登记" and body["topic"] == "社会治安" and body["reply"] is None
    assert body["steps"] == [{"label": "已登记", "date": str(timezone.localdate())}]
    text = page.content.decode()
    for secret in ("13911112222", "孙八", "晚上很不安全", "submitter", "actor"):
        assert secret not in text


def test_the_tracking_page_shows_unit_and_reply_once_replied_and_no_staff_names(world):
    world.unit_user.display_name = "刘办事员"
    world.unit_user.save()
    code = _submit(world).json()["tracking_code"]
    item = Opinion.objects.get(tracking_code=code)
    item = services.act(actor=world.town_user, item=item, key="accept")
    item = services.act(actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk})
    before = Client().get(f"{PUBLIC}/{code}").json()
    assert before["unit"] == world.unit_a.name and before["assigned_on"] and before["reply"] is None
    services.act(actor=world.unit_user, item=item, key="reply", data={"reply": "已更换路灯"})
    after = Client().get(f"{PUBLIC}/{code}")
    assert after.json()["reply"] == "已更换路灯" and after.json()["replied_on"]
    assert [s["label"] for s in after.json()["steps"]] == ["已登记", "已受理", "已交办", "已答复"]
    assert "刘办事员" not in after.content.decode()


def test_through_a_deputys_code_with_a_photo(world):
    photo = SimpleUploadedFile("路灯.png", PNG, content_type="image/png")
    resp = _submit(world, station=None, deputy_code=str(world.deputy_a.public_code), photo=photo)
    assert resp.status_code == 201, resp.content
    item = Opinion.objects.get(tracking_code=resp.json()["tracking_code"])
    assert item.deputy == world.deputy_a
    assert Attachment.objects.get(object_id=item.pk).public is True


def test_public_submission_errors_are_field_errors(world):
    anonymous = _submit(world, submitter_phone="")
    assert anonymous.status_code == 400 and "submitter_phone" in anonymous.json()["fields"]
    for code in ("00000000-0000-0000-0000-000000000000", "not-a-code"):
        bad_code = _submit(world, station=None, deputy_code=code)
        assert bad_code.status_code == 400 and "deputy_code" in bad_code.json()["fields"]
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    bad_photo = _submit(world, photo=fake)
    assert bad_photo.status_code == 400 and "file" in bad_photo.json()["fields"]
    assert not Opinion.objects.exists()


def test_an_unknown_tracking_code_is_a_structured_404(world):
    resp = Client().get(f"{PUBLIC}/MYAAAAAAAAAA")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found" and resp.json()["message"]


def test_the_public_door_answers_429_after_the_limit(world, settings):
    settings.RENDA = {**settings.RENDA, "PUBLIC_SUBMIT_PER_IP_PER_HOUR": 2}
    assert _submit(world, submitter_phone="13911110001").status_code == 201
    assert _submit(world, submitter_phone="13911110002").status_code == 201
    resp = _submit(world, submitter_phone="13911110003")
    assert resp.status_code == 429 and resp.json()["code"] == "throttled"
    assert Opinion.objects.count() == 2


def test_a_logged_in_voter_is_named_only_with_a_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.deputy_user)
    resp = browser.post(
        PUBLIC, {"station": world.station_a.pk, "content": "桥栏杆松动", "submitter_phone": ""}
    )
    # without the token the submission is anonymous, and anonymous needs a phone number
    assert resp.status_code == 400 and "submitter_phone" in resp.json()["fields"]
    ok = Client()
    ok.force_login(world.deputy_user)
    resp = ok.post(PUBLIC, {"station": world.station_a.pk, "content": "桥栏杆松动"})
    assert resp.status_code == 201
    assert Opinion.objects.get(tracking_code=resp.json()["tracking_code"]).submitter_user == world.deputy_user


# --- the OpenAPI document -----------------------------------------------------------------------------------


def test_every_opinion_endpoint_is_documented_in_chinese(world):
    doc = _client(world.town_user).get(f"{API}/openapi.json").json()
    prefixes = ("/api/v1/opinions", "/api/v1/reception-days", "/api/v1/stations/{station_id}/reception-days")
    ops = [
        (path, op)
        for path, item in doc["paths"].items()
        if path.startswith((*prefixes, "/api/v1/public/opinions"))
        for op in item.values()
    ]
    assert len(ops) == 19  # import + template; GET ./actions beside POST ./actions/{name}
    for path, op in ops:
        for key in ("summary", "description"):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in op.get(key, "")), (path, key)

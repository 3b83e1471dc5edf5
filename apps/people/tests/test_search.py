import pytest
from django.urls import reverse

from apps.people.pinyin import initials_of, pinyin_of
from apps.people.tests.factories import DeputyFactory, MandateFactory

pytestmark = pytest.mark.django_db


def test_pinyin_keys_handle_surname_readings():
    assert (pinyin_of("张三"), initials_of("张三")) == ("zhangsan", "zs")
    assert initials_of("单雄信") == "sxx" and pinyin_of("曾国藩").startswith("zeng")


@pytest.mark.parametrize("q", ["zs", "ZS", "zhang", "zhangsan", "张三", "张"])
def test_deputy_search_by_name_pinyin_or_initials(world, api_get, q):
    names = [d["name"] for d in api_get(world.county_user, "/api/v1/deputies", q=q).json()["items"]]
    assert names == ["张三"]


def test_level_and_region_filters(world, api_get):
    county_deputy = DeputyFactory(name="王五", region=world.village_b, top_level="county")
    MandateFactory(deputy=county_deputy, level="county", congress_region=world.county)

    def get(**p):
        return sorted(d["name"] for d in api_get(world.county_user, "/api/v1/deputies", **p).json()["items"])

    assert get(level="county") == ["王五"]
    assert get(level="town") == ["张三", "李四", "赵六"]
    assert get(region=world.town_b.code) == ["李四", "王五"]
    assert get(region=world.village_a.code) == ["张三", "赵六"]
    assert get(station=world.station_a.pk) == ["张三", "赵六"]


def test_deputy_list_is_paginated(world, api_get):
    for i in range(7):
        DeputyFactory(name=f"测试{i}", region=world.village_a)
    body = api_get(world.town_user, "/api/v1/deputies", page_size=3, page=2).json()
    assert body["count"] == 9 and len(body["items"]) == 3 and body["page"] == 2


def test_deputy_list_queries_do_not_grow_with_page_size(world, api_get, django_assert_max_num_queries):
    from apps.accounts.services import issue_token

    for i in range(40):
        DeputyFactory(name=f"测试{i}", region=world.village_a, station=world.station_a)
    token = issue_token(user=world.town_user)
    from django.test import Client

    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    # token lookup, grants, count, page
    with django_assert_max_num_queries(4):
        assert len(c.get("/api/v1/deputies", {"page_size": 5}).json()["items"]) == 5
    with django_assert_max_num_queries(4):
        assert len(c.get("/api/v1/deputies", {"page_size": 40}).json()["items"]) == 40


def test_deputy_list_page_query_count_is_pinned(world, client, django_assert_max_num_queries):
    for i in range(30):
        DeputyFactory(name=f"测试{i}", region=world.village_a, station=world.station_a)
    client.force_login(world.town_user)
    client.get(reverse("people:deputy_list"))
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("people:deputy_list"), {"q": "cs"})
    assert resp.status_code == 200 and "测试" in resp.content.decode()


def test_deputy_list_exports_xlsx_of_what_the_user_sees(world, client):
    import io

    from openpyxl import load_workbook

    client.force_login(world.town_user)
    resp = client.get(reverse("people:deputy_list"), {"export": "xlsx"})
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "姓名"
    assert sorted(r[0] for r in rows[1:]) == ["张三", "赵六"]


@pytest.mark.parametrize("name", ["places:station_list", "places:unit_list", "people:quota"])
def test_every_list_page_exports(world, client, name):
    client.force_login(world.county_user)
    resp = client.get(reverse(name), {"export": "xlsx"})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")


def test_households_of_a_village_export(world, client):
    client.force_login(world.town_user)
    resp = client.get(reverse("places:region_detail", args=[world.grid_a.code]), {"export": "xlsx"})
    assert resp.status_code == 200 and len(resp.content) > 1000


def test_quota_view_lists_deputies_off_quota(world, api_get):
    body = api_get(world.town_user, "/api/v1/quotas").json()
    rows = {r["deputy"]["name"]: r for r in body["items"]}
    assert rows["张三"]["households"] == 1 and rows["张三"]["households_quota"] == 20 and rows["张三"]["off"]

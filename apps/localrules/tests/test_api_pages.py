"""The county office's page and the JSON API of the [local] rules."""

from apps.accounts.services import issue_token
from apps.accounts.tests.factories import user_with
from apps.audit.models import AuditEvent
from apps.localrules.models import LocalRule
from apps.localrules.selectors import local_value
from apps.places.tests.factories import county, town

KEY = "OPINION_REPLY_WORKING_DAYS"
API = "/api/v1/local-rules"


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}


def test_a_town_office_reads_the_values_that_apply_in_its_town(world, client):
    LocalRule.objects.create(region=world.county, key=KEY, value=12)
    r = client.get(API, **_auth(world.town_user))
    assert r.status_code == 200
    rows = {row["key"]: row for row in r.json()}
    assert rows[KEY]["value"] == 12 and rows[KEY]["source"] == "county" and rows[KEY]["default"] == 15
    assert rows[KEY]["region"]["code"] == world.town_a.code
    assert rows["RECEPTION_DAY_WEEKDAY"]["choices"][1] == {"value": 1, "label": "星期二"}


def test_a_town_office_cannot_read_another_town(world, client):
    r = client.get(API, {"region": world.town_b.code}, **_auth(world.town_user))
    assert r.status_code == 404


def test_the_county_office_reads_its_county_and_each_town(world, client):
    LocalRule.objects.create(region=world.town_b, key=KEY, value=9)
    for region, value in ((world.county, 15), (world.town_a, 15), (world.town_b, 9)):
        r = client.get(f"{API}/{region.code}/{KEY}", **_auth(world.county_user))
        assert r.status_code == 200 and r.json()["value"] == value
    r = client.get(f"{API}/overrides", **_auth(world.county_user))
    assert [(i["region"]["code"], i["value"]) for i in r.json()["items"]] == [(world.town_b.code, 9)]


def test_other_roles_cannot_read_the_rules(world, client):
    for user in (world.deputy_user, world.unit_user, world.keeper_user):
        assert client.get(API, **_auth(user)).status_code == 403
        assert client.get(f"{API}/overrides", **_auth(user)).json()["count"] == 0


def test_the_county_office_sets_and_clears_a_town_value_over_the_api(world, client):
    auth = _auth(world.county_user)
    url = f"{API}/{world.town_a.code}/{KEY}"
    r = client.put(url, {"value": 10, "reason": "试点"}, content_type="application/json", **auth)
    assert r.status_code == 200, r.content
    assert (r.json()["value"], r.json()["source"], r.json()["town_value"]) == (10, "town", 10)
    assert local_value(KEY, world.village_a) == 10
    r = client.delete(f"{url}?reason=结束", **auth)
    assert r.status_code == 200 and r.json()["source"] == "default"
    assert AuditEvent.objects.filter(action="localrule.cleared", reason="结束").exists()


def test_a_bad_value_answers_with_a_chinese_field_error(world, client):
    r = client.put(
        f"{API}/{world.county.code}/{KEY}",
        {"value": 99},
        content_type="application/json",
        **_auth(world.county_user),
    )
    assert r.status_code == 400
    assert r.json()["fields"] == {"value": ["不能大于 60"]}


def test_a_town_office_gets_403_and_another_county_404_on_writes(world, client):
    url = f"{API}/{world.town_a.code}/{KEY}"
    body = {"value": 10}
    r = client.put(url, body, content_type="application/json", **_auth(world.town_user))
    assert r.status_code == 403
    other = county("610922", "石泉县")
    town(other, "610922100", "城关镇")
    stranger = user_with("county_office", "other-county", region=other)
    r = client.put(url, body, content_type="application/json", **_auth(stranger))
    assert r.status_code == 404
    assert client.delete(url, **_auth(stranger)).status_code == 404
    assert not LocalRule.objects.exists()


def test_the_page_shows_the_county_value_and_the_town_overrides(world, client):
    LocalRule.objects.create(region=world.county, key=KEY, value=12)
    LocalRule.objects.create(region=world.town_b, key=KEY, value=9)
    client.force_login(world.county_user)
    r = client.get("/local-rules/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "社情民意办理答复时限" in html and "12个工作日" in html and "涧池镇：9个工作日" in html
    assert f"/local-rules/{KEY}/" in html


def test_the_county_office_edits_a_rule_on_the_page(world, client):
    client.force_login(world.county_user)
    url = f"/local-rules/{KEY}/"
    assert client.get(url).status_code == 200
    r = client.post(url, {"region": world.town_a.code, "value": "7", "reason": "人手少"})
    assert r.status_code == 302
    assert local_value(KEY, world.town_a) == 7
    r = client.post(url, {"region": world.town_a.code, "value": "0"})
    assert r.status_code == 400 and "不能小于 1" in r.content.decode()
    r = client.post(url, {"region": world.town_a.code, "action": "clear"})
    assert r.status_code == 302 and local_value(KEY, world.town_a) == 15


def test_a_yes_no_rule_is_edited_with_a_select(world, client):
    client.force_login(world.county_user)
    r = client.post("/local-rules/REPORT_BACK_VOTERS_ONLY/", {"region": world.county.code, "value": "0"})
    assert r.status_code == 302
    assert local_value("REPORT_BACK_VOTERS_ONLY", world.town_b) is False


def test_a_town_office_sees_its_values_read_only(world, client):
    LocalRule.objects.create(region=world.county, key=KEY, value=12)
    client.force_login(world.town_user)
    r = client.get("/local-rules/")
    html = r.content.decode()
    assert r.status_code == 200 and "全县设定" in html and "修改" not in html
    assert client.get(f"/local-rules/{KEY}/").status_code == 302  # back to the list, no form
    r = client.post(f"/local-rules/{KEY}/", {"region": world.town_a.code, "value": "3"})
    assert r.status_code == 302 and list(LocalRule.objects.values_list("region", flat=True)) == [
        world.county.pk
    ]


def test_a_deputy_has_no_rules_page(world, client):
    client.force_login(world.deputy_user)
    assert client.get("/local-rules/").status_code == 403

"""The ballot box through its API and pages: a whole box from creation to a verified count, errors as
{"code", "message", "fields"}, the teller's page in Chinese, and boxes of another town out of sight."""

import pytest
from django.test import Client

from apps.accounts.services import issue_token
from apps.ballotbox import crypto, services
from apps.ballotbox.models import Box

from .factories import ready_box

pytestmark = pytest.mark.django_db
API = "/api/v1/ballotbox/boxes"


def _client(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def _post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def test_a_box_through_the_api_to_a_verified_count(world):
    office, deputy = _client(world.town_user), _client(world.deputy_user)
    r = _post(
        office,
        API,
        {
            "region": world.town_a.code,
            "title": "镇长选举",
            "labels": ["张三", "李四", "弃权"],
            "teller_ids": [world.town_user.pk, world.deputy_user.pk],
        },
    )
    assert r.status_code == 201, r.content
    box_id = r.json()["id"]
    assert r.json()["state"] == "setup"
    r = _post(office, f"{API}/{box_id}/actions/open")
    assert r.status_code in (400, 409) and r.json()["code"]  # the keys are not there yet
    codes = {}
    for user, client in ((world.town_user, office), (world.deputy_user, deputy)):
        r = _post(client, f"{API}/{box_id}/teller-key")
        assert r.status_code == 201
        codes[user] = r.json()["private_share"]
    r = _post(office, f"{API}/{box_id}/teller-key")
    assert r.status_code == 409 and r.json()["code"] == "teller_key_exists"
    r = _post(office, f"{API}/{box_id}/actions/open")
    assert r.status_code == 200, r.content
    receipts = [services.cast(box_id=box_id, choice=ch) for ch in (0, 0, 1, 2, 0)]
    r = _post(office, f"{API}/{box_id}/actions/close")
    assert r.json()["state"] == "closed"
    r = _post(office, f"{API}/{box_id}/share", {"code": codes[world.deputy_user]})
    assert r.status_code == 400 and r.json()["code"] == "wrong_share" and "code" in r.json()["fields"]
    assert _post(office, f"{API}/{box_id}/share", {"code": codes[world.town_user]}).status_code == 200
    # the other teller computes their share away from the server and sends only the partial
    box = Box.objects.get(pk=box_id)
    combined = [(crypto.point(a), crypto.point(b)) for a, b in box.combined]
    partial = crypto.partial_decrypt(
        box.context, crypto.teller_private(codes[world.deputy_user], box.context), combined
    )
    broken = [dict(p) for p in partial]
    broken[0] = {**broken[0], "d": partial[1]["d"]}
    r = _post(deputy, f"{API}/{box_id}/partial", {"partial": broken})
    assert r.status_code == 400 and r.json()["code"] == "bad_partial"
    r = _post(deputy, f"{API}/{box_id}/partial", {"partial": partial})
    assert r.status_code == 200 and r.json()["state"] == "tallied"
    assert r.json()["totals"] == [3, 1, 1]
    public = office.get(f"{API}/{box_id}/public").json()
    assert crypto.verify(public) == []
    assert {b["receipt"] for b in public["ballots"]} == set(receipts)
    assert office.get(f"{API}/{box_id}/verification").json() == {"ok": True, "problems": [], "ballots": 5}
    r = Client().get(f"/api/v1/public/ballotbox/receipts/{receipts[2]}")
    assert r.status_code == 200 and r.json()["counted"] is True
    r = Client().get(f"/api/v1/public/ballotbox/receipts/{'0' * 64}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_another_towns_box_is_missing(world):
    box, _codes = ready_box(world)
    other = _client(world.town_b_user)
    for path in ("", "/public", "/verification", "/actions"):
        r = other.get(f"{API}/{box.pk}{path}")
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = _post(other, f"{API}/{box.pk}/teller-key")
    assert r.status_code == 404
    assert box.pk not in [b["id"] for b in other.get(API).json()["items"]]


def test_the_teller_page_shows_the_share_once_and_takes_it_back(world):
    box = services.create_box(
        actor=world.town_user,
        region=world.town_a,
        title="表决",
        labels=["赞成", "反对"],
        tellers=[world.town_user],
    )
    c = Client()
    c.force_login(world.town_user)
    r = c.get(f"/ballotbox/{box.pk}/teller/")
    assert r.status_code == 200 and "生成我的密钥份额" in r.content.decode()
    r = c.post(f"/ballotbox/{box.pk}/teller/", {"action": "key"})
    page = r.content.decode()
    assert "只显示这一次" in page and "no-store" in r["Cache-Control"]
    code = page.split('<code class="secret-share">')[1].split("</code>")[0]
    assert crypto.base_mul(crypto.teller_private(code, box.context)).hex() == box.trustees.get().public_share
    r = c.post(f"/ballotbox/{box.pk}/act/open/")
    assert r.status_code == 302
    services.cast(box_id=box.pk, choice=1)
    c.post(f"/ballotbox/{box.pk}/act/close/")
    r = c.post(f"/ballotbox/{box.pk}/teller/", {"action": "share", "code": "ab" * 32})
    assert r.status_code == 400 and "私钥份额" in r.content.decode()
    r = c.post(f"/ballotbox/{box.pk}/teller/", {"action": "share", "code": code})
    assert r.status_code == 302
    page = c.get(f"/ballotbox/{box.pk}/").content.decode()
    assert "核验通过" in page and "计票结果" in page
    other = Client()
    other.force_login(world.town_b_user)
    assert other.get(f"/ballotbox/{box.pk}/").status_code == 404
    assert other.get(f"/ballotbox/{box.pk}/teller/").status_code == 404

"""The archive API: every endpoint scoped, errors as {"code", "message", "fields"}, the public endpoints
without private fields, the secret rating through the public API."""

from datetime import date

import pytest
from django.test import Client

from apps.accounts.services import issue_token

from .factories import close_unrated, commitment, meeting, open_meeting, voters

pytestmark = pytest.mark.django_db
API = "/api/v1/archive"


def _client(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def test_commitments_are_scoped_and_the_fourth_is_refused_with_a_chinese_message(world):
    c = _client(world.deputy_user)
    for i in range(3):
        r = c.post(
            f"{API}/commitments",
            {"deputy_id": world.deputy_a.pk, "title": f"事{i}", "target_date": "2026-12-01"},
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
    r = c.post(
        f"{API}/commitments",
        {"deputy_id": world.deputy_a.pk, "title": "四", "target_date": "2026-12-01"},
        content_type="application/json",
    )
    assert (
        r.status_code == 400 and r.json()["code"] == "validation_failed" and "1 至 3" in r.json()["message"]
    )
    pk = r.json() and c.get(f"{API}/commitments").json()["items"][0]["id"]
    assert _client(world.town_b_user).get(f"{API}/commitments/{pk}").status_code == 404
    assert _client(world.town_b_user).get(f"{API}/commitments").json()["count"] == 0
    assert _client(world.town_user).get(f"{API}/commitments").json()["count"] == 3
    r = _client(world.town_b_user).post(
        f"{API}/commitments/{pk}/rating", {"rating": "fulfilled"}, content_type="application/json"
    )
    assert r.status_code in (403, 404)
    r = _client(world.town_user).post(
        f"{API}/commitments/{pk}/rating", {"rating": "fulfilled"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["state"] == "fulfilled"
    r = c.post(f"{API}/commitments/{pk}/progress", {"note": "完成"}, content_type="application/json")
    assert r.status_code == 400


def test_report_back_through_the_api(world):
    v = voters(world, 2)
    office = _client(world.town_user)
    r = office.post(
        f"{API}/report-backs",
        {
            "town_id": world.town_a.pk,
            "date": "2026-12-10",
            "deputy_ids": [world.deputy_a.pk],
            "expected_voters": 3,  # one rating is the default third
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    pk = r.json()["id"]
    assert _client(world.town_b_user).get(f"{API}/report-backs/{pk}").status_code == 404
    # Another town's meeting is out of sight: a write answers 404 like a read (issue #13).
    assert _client(world.town_b_user).post(f"{API}/report-backs/{pk}/open").status_code == 404
    r = office.post(f"{API}/report-backs/{pk}/open")
    assert r.status_code == 409 and "请先准备测评" in r.json()["message"]
    # The office names the second teller among those offered: the box is made with both as tellers.
    offered = office.get(f"{API}/report-backs/{pk}/teller-choices").json()
    assert world.county_user.pk in [u["id"] for u in offered]
    assert world.town_user.pk not in [u["id"] for u in offered]
    r = office.post(
        f"{API}/report-backs/{pk}/prepare",
        {"second_teller": world.county_user.pk},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "prepared" and [t["owes"] for t in r.json()["tellers"]] == ["key", "key"]
    r = office.post(f"{API}/report-backs/{pk}/open")
    assert r.status_code == 409 and "尚有监票人未生成密钥份额" in r.json()["message"]
    codes = {}
    for user in (world.town_user, world.county_user):
        r = _client(user).post("/api/v1/ballotbox/teller/keys", {"code": ""}, content_type="application/json")
        assert r.status_code == 201 and r.json()["boxes"] == 1
        codes[user] = r.json()["private_share"]
    r = office.post(f"{API}/report-backs/{pk}/open")
    assert r.status_code == 200 and r.json()["state"] == "rating"
    from apps.archive.models import ReportBackMeeting

    token = ReportBackMeeting.objects.get(pk=pk).rating_token
    public = Client()
    assert public.get(f"/api/v1/public/archive/rate/{token}").json()["deputies"][0]["name"] == "张三"
    ballot = {"phone": v[0].phone, "choices": {str(world.deputy_a.pk): "satisfied"}}
    r = public.post(f"/api/v1/public/archive/rate/{token}", ballot, content_type="application/json")
    assert r.status_code == 200
    receipt, check = r.json()["receipt"], r.json()["check_url"]
    assert check == f"/api/v1/public/ballotbox/receipts/{receipt}"
    assert public.get(check).json()["counted"] is False
    r = public.post(f"/api/v1/public/archive/rate/{token}", ballot, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "already_rated"
    r = office.post(f"{API}/report-backs/{pk}/close")
    assert r.json()["state"] == "counting" and r.json()["speakers"][0]["satisfied"] is None
    for user, code in codes.items():
        r = _client(user).post(
            "/api/v1/ballotbox/teller/shares", {"code": code}, content_type="application/json"
        )
        assert r.status_code == 200 and r.json()["boxes"] == 1
    r = office.get(f"{API}/report-backs/{pk}")
    assert r.json()["state"] == "closed" and r.json()["speakers"][0]["satisfied"] == 1
    assert public.get(check).json()["counted"] is True
    ballot["phone"] = v[1].phone
    r = public.post(f"/api/v1/public/archive/rate/{token}", ballot, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "rating_closed"
    assert _client(world.deputy_user).get(f"{API}/report-backs").json()["count"] == 1
    assert _client(world.town_b_user).get(f"{API}/report-backs").json()["count"] == 0


def test_written_report_only_for_its_deputy(world):
    m = meeting(world)
    mine = m.speakers.get(deputy=world.deputy_a)
    other = m.speakers.get(deputy=world.deputy_a2)
    c = _client(world.deputy_user)
    r = c.get(f"{API}/speakers/{mine.pk}/report")
    assert r.status_code == 200 and r.json()["drafted"] and "张三" in r.json()["report"]
    assert c.get(f"{API}/speakers/{other.pk}/report").status_code == 404
    r = c.put(
        f"{API}/speakers/{mine.pk}/report",
        {"report": "报告", "submit": True},
        content_type="application/json",
    )
    assert r.json()["report_state"] == "submitted"
    r = c.put(f"{API}/speakers/{other.pk}/report", {"report": "x"}, content_type="application/json")
    assert r.status_code in (403, 404)


def test_archive_registers_and_behind_are_scoped(world):
    commitment(world)
    c = _client(world.deputy_user)
    r = c.get(f"{API}/deputies/{world.deputy_a.pk}")
    assert r.status_code == 200 and len(r.json()["commitments"]) == 1
    assert c.get(f"{API}/deputies/{world.deputy_a2.pk}").status_code == 404
    assert _client(world.town_b_user).get(f"{API}/deputies/{world.deputy_a.pk}").status_code == 404
    r = c.get(f"{API}/deputies/{world.deputy_a.pk}/annual-report/2026")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert c.get(f"{API}/deputies/{world.deputy_a2.pk}/annual-report/2026").status_code == 404
    assert len(c.get(f"{API}/registers").json()) == 8
    assert _client(world.town_user).get(f"{API}/registers/table").status_code == 200
    assert _client(world.town_user).get(f"{API}/registers/study", {"year": 2026}).json()["count"] == 0
    assert _client(world.town_user).get(f"{API}/registers/nope").status_code == 404
    names = {r["deputy"]["name"] for r in _client(world.town_user).get(f"{API}/behind").json()["slow"]}
    assert "张三" in names and "李四" not in names
    assert _client(world.town_b_user).get(f"{API}/report-backs/pending").json()[0]["deputy"]["name"] == "李四"


def test_public_commitments_hold_nothing_private(world):
    commitment(world, title="修通便民桥")
    r = Client().get(
        f"/api/v1/public/archive/deputies/{world.deputy_a.public_code}/commitments", {"year": 2026}
    )
    body = r.json()
    assert r.status_code == 200 and body[0]["title"] == "修通便民桥"
    assert "detail" not in body[0] and "phone" not in str(body)


def test_archive_is_in_the_openapi_document(world):
    doc = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/archive/commitments" in doc["paths"]
    assert "/api/v1/public/archive/rate/{token}" in doc["paths"]


def test_anonymous_cannot_use_the_archive_api(world):
    assert Client().get(f"{API}/commitments").status_code == 401
    m = open_meeting(world)
    close_unrated(world, m)
    assert date.today()

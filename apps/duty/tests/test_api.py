"""The duty API: every endpoint scoped, errors as {"code","message","fields"}, public counts private-free."""

import pytest
from django.test import Client

from apps.accounts.services import issue_token
from apps.duty import services
from apps.duty.models import DutyRecord

from .factories import YEAR, default_table, entered

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def _json(c, method, path, body=None):
    return getattr(c, method)(API + path, body or {}, content_type="application/json")


def test_deputy_creates_lists_and_edits_own_records(world):
    c = _client(world.deputy_user)
    resp = _json(c, "post", "/duty/records", {"kind": "study", "date": "2026-03-03", "title": "学习代表法"})
    assert resp.status_code == 201, resp.content
    rec = resp.json()
    assert rec["review_state"] == "pending" and rec["deputy"]["id"] == world.deputy_a.pk
    entered(world.deputy_a2)
    listed = c.get(f"{API}/duty/records").json()
    assert [r["id"] for r in listed["items"]] == [rec["id"]]
    resp = _json(c, "patch", f"/duty/records/{rec['id']}", {"title": "学习地方组织法"})
    assert resp.status_code == 200 and resp.json()["title"] == "学习地方组织法"
    assert c.delete(f"{API}/duty/records/{rec['id']}").status_code == 204


def test_bad_input_is_a_chinese_422_or_400_never_500(world):
    c = _client(world.deputy_user)
    resp = _json(c, "post", "/duty/records", {"kind": "vote", "date": "2026-03-03", "title": ""})
    assert resp.status_code in (400, 422)
    body = resp.json()
    assert {"kind", "title"} <= set(body["fields"]) and body["code"] == "validation_failed"
    resp = _json(c, "post", "/duty/records", {"kind": "study", "date": "not a date", "title": "x"})
    assert resp.status_code in (400, 422)
    office = _client(world.town_user)
    resp = _json(office, "post", "/duty/records", {"kind": "study", "date": "2026-03-03", "title": "学习"})
    assert resp.status_code == 400 and "deputy" in resp.json()["fields"]


def test_other_town_office_neither_sees_nor_reviews(world):
    rec = entered(world.deputy_a)
    other = _client(world.town_b_user)
    assert other.get(f"{API}/duty/records").json()["count"] == 0
    assert other.get(f"{API}/duty/records/{rec.pk}").status_code == 404
    resp = _json(other, "post", f"/duty/records/{rec.pk}/review", {"approve": True})
    assert resp.status_code in (403, 404)
    deputy = _client(world.deputy_user)
    assert _json(deputy, "post", f"/duty/records/{rec.pk}/review", {"approve": True}).status_code == 403
    own = _client(world.town_user)
    resp = _json(own, "post", f"/duty/records/{rec.pk}/review", {"approve": False})
    assert resp.status_code == 400 and "reason" in resp.json()["fields"]
    resp = _json(own, "post", f"/duty/records/{rec.pk}/review", {"approve": False, "reason": "无照片"})
    assert resp.json()["review_state"] == "rejected"


def test_deputy_cannot_read_another_deputys_record(world):
    rec = entered(world.deputy_a2)
    assert _client(world.deputy_user).get(f"{API}/duty/records/{rec.pk}").status_code == 404


def test_scores_are_scoped_and_the_deputy_sees_own_live_and_published(world):
    default_table(world.county)
    entered(world.deputy_a, kind="suggestion", state="approved")
    entered(world.deputy_b, kind="study", state="approved")
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    town = _client(world.town_user).get(f"{API}/duty/scores", {"year": YEAR}).json()
    assert {s["deputy"]["id"] for s in town["items"]} == {world.deputy_a.pk, world.deputy_a2.pk}
    county = _client(world.county_user).get(f"{API}/duty/scores", {"year": YEAR, "order": "low"}).json()
    assert county["count"] == 3 and county["items"][0]["total"] in ("0.0", "0", 0)
    mine = _client(world.deputy_user).get(f"{API}/duty/scores/me", {"year": YEAR}).json()
    assert mine["live"]["total"] in ("6.0", 6) and mine["published"] is None
    assert _client(world.deputy_user).get(f"{API}/duty/scores", {"year": YEAR}).json()["count"] == 1
    groups = _client(world.county_user).get(f"{API}/duty/scores/groups", {"year": YEAR, "by": "town"}).json()
    assert {g["name"] for g in groups} == {"城关镇", "涧池镇"}


def test_table_endpoints_only_the_county_office_changes(world):
    body = {
        "base_score": 0,
        "rules": [{"kind": "suggestion", "first_points": 6, "further_points": 2, "cap": 10}],
    }
    assert _json(_client(world.town_user), "put", f"/duty/tables/{YEAR}", body).status_code == 403
    resp = _json(_client(world.county_user), "put", f"/duty/tables/{YEAR}", body)
    assert resp.status_code == 200 and resp.json()["rules"][0]["cap"] in ("10.0", 10)
    assert _client(world.deputy_user).get(f"{API}/duty/tables/{YEAR}").status_code == 200
    assert _json(_client(world.county_user), "post", f"/duty/tables/{YEAR + 1}/copy").status_code == 201


def test_publication_and_public_counts_show_no_private_data(world):
    default_table(world.county)
    entered(world.deputy_a, kind="suggestion", state="approved")
    code = world.deputy_a.public_code
    empty = Client().get(f"{API}/public/duty/deputies/{code}/counts").json()
    assert empty["counts"] == {}
    assert (
        _json(
            _client(world.town_user), "post", "/duty/publications", {"year": YEAR, "quarter": 1}
        ).status_code
        == 403
    )
    resp = _json(_client(world.county_user), "post", "/duty/publications", {"year": YEAR, "quarter": 1})
    assert resp.status_code == 201 and resp.json()["scores"] == 3
    resp = Client().get(f"{API}/public/duty/deputies/{code}/counts")
    body = resp.json()
    assert body == {
        "year": YEAR,
        "quarter": 1,
        "counts": {"suggestion": 1},
        "labels": {"suggestion": "提出建议"},
    }
    text = resp.content.decode()
    assert world.deputy_a.phone not in text and "total" not in text and "rank" not in text
    assert (
        Client().get(f"{API}/public/duty/deputies/00000000-0000-0000-0000-000000000000/counts").status_code
        == 404
    )


def test_plate_actions_api_scoped(world):
    body = {"deputy": world.deputy_a.pk, "kind": "warning", "reason": "年度评价为差", "year": YEAR}
    assert _json(_client(world.deputy_user), "post", "/duty/plate-actions", body).status_code == 403
    assert _json(_client(world.town_b_user), "post", "/duty/plate-actions", body).status_code in (403, 404)
    assert _json(_client(world.town_user), "post", "/duty/plate-actions", body).status_code == 201
    assert _client(world.town_b_user).get(f"{API}/duty/plate-actions").json()["count"] == 0
    assert _client(world.county_user).get(f"{API}/duty/plate-actions").json()["count"] == 1
    assert _client(world.town_user).get(f"{API}/duty/plate-proposals", {"year": YEAR}).status_code == 200
    assert _client(world.town_user).get(f"{API}/duty/five-good", {"year": YEAR}).status_code == 200


def test_photo_upload_checks_the_content(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rec = entered(world.deputy_a)
    c = _client(world.deputy_user)
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    assert c.post(f"{API}/duty/records/{rec.pk}/photos", {"file": bad}).status_code in (400, 422)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    good = SimpleUploadedFile("x.png", png, content_type="image/png")
    resp = c.post(f"{API}/duty/records/{rec.pk}/photos", {"file": good})
    assert resp.status_code == 201 and len(resp.json()["photos"]) == 1
    assert DutyRecord.objects.get(pk=rec.pk).review_state == "pending"


def test_a_multipart_body_without_its_boundary_is_a_400_not_a_500(world):
    rec = entered(world.deputy_a)
    c = _client(world.deputy_user)
    resp = c.generic(
        "POST", f"{API}/duty/records/{rec.pk}/photos", b"--x--", content_type="multipart/form-data"
    )
    assert resp.status_code == 400 and resp.json()["code"] == "malformed_body"


def test_list_endpoints_run_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    default_table(world.county)
    for i in range(25):
        entered(world.deputy_a, kind="study" if i % 2 else "household_visit", state="approved")
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    c = _client(world.town_user)
    c.get(f"{API}/duty/records")
    with django_assert_max_num_queries(6):
        assert c.get(f"{API}/duty/records", {"page_size": 50}).json()["count"] == 25
    with django_assert_max_num_queries(6):
        assert c.get(f"{API}/duty/scores", {"year": YEAR}).json()["count"] == 2


def test_recompute_is_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    default_table(world.county)
    for d in (world.deputy_a, world.deputy_a2, world.deputy_b):
        for kind in ("study", "diary", "suggestion"):
            entered(d, kind=kind, state="approved")
    # SQLite: 5 reads and 1 upsert; PostgreSQL: the upsert is a savepoint, a temporary table, COPY, INSERT...;
    # and the county's two [local] band limits, read once per county (cached), whatever the deputies
    with django_assert_max_num_queries(13):
        assert services.recompute(year=YEAR) == 3


def test_a_year_out_of_the_pages_bounds_is_refused_by_the_api_too(world):
    c = _client(world.town_user)
    resp = c.get(f"{API}/duty/scores", {"year": 1999})
    assert resp.status_code == 422 and "year" in str(resp.json())
    assert c.get(f"{API}/duty/scores", {"year": YEAR}).status_code == 200

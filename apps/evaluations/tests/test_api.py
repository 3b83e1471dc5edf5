"""The API: create, the eight steps through the actions, the survey answered once, results, Word, scope."""

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.services import issue_token
from apps.evaluations import selectors

from .factories import CODES, evaluation

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision"


def _c(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def test_office_runs_an_evaluation_through_the_api(world):
    c = _c(world.town_user)
    r = c.post(
        f"{BASE}/evaluations",
        {"region": world.town_a.pk, "year": 2026, "title": "2026年度部门评议", "units": [world.unit_a.pk]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = c.post(
        f"{BASE}/evaluations/{pk}/actions/research", {"date": "2026-03-01"}, content_type="application/json"
    )
    assert r.status_code == 409
    r = c.post(
        f"{BASE}/evaluations/{pk}/actions/give_notice",
        {"date": "2026-03-01", "reason": "发通知"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "notice" and body["step_dates"] == {"notice": "2026-03-01"}
    assert [s["transition"] for s in body["steps"]] == ["create", "give_notice"]
    r = c.put(
        f"{BASE}/evaluations/{pk}/units/{world.unit_a.pk}/opinion",
        {"opinion": "服务意识有待加强"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["opinion"] == "服务意识有待加强"
    now = timezone.now()
    r = c.post(
        f"{BASE}/evaluations/{pk}/survey",
        {
            "opens_at": (now - timezone.timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timezone.timedelta(hours=2)).isoformat(),
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    acts = c.get(f"{BASE}/evaluation-surveys/{sid}/actions").json()
    assert [a["name"] for a in acts] == ["prepare"]
    r = c.post(
        f"{BASE}/evaluation-surveys/{sid}/actions/prepare",
        {"second_teller": world.county_user.pk},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["state"] == "prepared"
    for name in ("opinions.docx", "announcement.docx"):
        r = c.get(f"{BASE}/evaluations/{pk}/{name}")
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


def test_a_deputy_answers_once_and_another_town_sees_nothing(world):
    from .factories import open_survey

    item = evaluation(world)
    s = open_survey(world, item)
    rows = selectors.rows(item)
    body = {"answers": {str(r.unit_id): {"choice": "basic", "comment": "好"} for r in rows}}
    c = _c(world.deputy_user)
    r = c.post(f"{BASE}/evaluation-surveys/{s.pk}/responses", body, content_type="application/json")
    assert r.status_code == 201 and len(r.json()["receipt"]) > 8
    r = c.post(f"{BASE}/evaluation-surveys/{s.pk}/responses", body, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "already_responded"
    other = _c(world.town_b_user)
    assert other.get(f"{BASE}/evaluations/{item.pk}").status_code == 404
    assert other.get(f"{BASE}/evaluations").json()["count"] == 0
    r = c.get(f"{BASE}/evaluations/{item.pk}/comments").json()
    assert r and all(set(x) == {"unit_id", "comments"} for x in r)
    CODES.pop(s.pk, None)

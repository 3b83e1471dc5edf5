"""监督结果公示 (issue 18 part 7): the public site shows the approved plan, the activities done with their
findings and the published evaluation results, and nothing of a draft plan, an unfinished activity's
findings, an unpublished evaluation, a survey comment or a member who only joined."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from apps.evaluations.models import DepartmentEvaluation, EvaluatedUnit, Survey, SurveyComment
from apps.supervision.models import Activity, ActivityMember, Finding, SupervisionPlan

pytestmark = pytest.mark.django_db

SECRETS = {
    "draft plan item": "草拟计划中的议题",
    "draft plan title": "草拟中的监督计划",
    "unfinished finding": "进行中活动发现的问题",
    "unfinished summary": "进行中的活动情况",
    "unpublished evaluation": "评议会议阶段的评议",
    "unpublished opinion": "尚未公布的评议意见",
    "survey comment": "测评意见原话不公开",
}


def _activity(plan, topic, state, *, summary="", lead=None, member=None, unit=None):
    a = Activity.objects.create(
        plan=plan, region=plan.region, kind="inspection", topic=topic, state=state, summary=summary,
        starts_on=date(plan.year, 3, 1), ends_on=date(plan.year, 3, 31), unit=unit,
    )  # fmt: skip
    if lead:
        ActivityMember.objects.create(activity=a, deputy=lead, role="lead")
    if member:
        ActivityMember.objects.create(activity=a, deputy=member, role="member")
    return a


@pytest.fixture
def results(world):
    w = world
    approved = SupervisionPlan.objects.create(
        region=w.town_a, year=2026, title="2026年监督计划", state="approved"
    )
    done = _activity(approved, "农村饮水安全视察", "done", summary="视察了三个村的水厂", lead=w.deputy_a,
                     member=w.deputy_a2, unit=w.unit_a)  # fmt: skip
    Finding.objects.create(region=w.town_a, activity=done, text="水厂消毒设备老化", unit=w.unit_a)
    going = _activity(approved, "道路养护调研", "under_way", summary=SECRETS["unfinished summary"])
    Finding.objects.create(region=w.town_a, activity=going, text=SECRETS["unfinished finding"])
    draft = SupervisionPlan.objects.create(
        region=w.town_a, year=2027, title=SECRETS["draft plan title"], state="draft"
    )
    _activity(draft, SECRETS["draft plan item"], "planned")
    published = DepartmentEvaluation.objects.create(
        region=w.town_a, year=2026, title="2026年度部门工作评议", state="published"
    )
    EvaluatedUnit.objects.create(
        evaluation=published, unit=w.unit_a, opinion="服务态度好，办事效率有待提高",
        satisfied=30, basic=8, dissatisfied=2,
    )  # fmt: skip
    survey = Survey.objects.create(
        evaluation=published, opens_at="2026-03-01T00:00Z", closes_at="2026-03-02T00:00Z", state="closed"
    )
    SurveyComment.objects.create(survey=survey, unit=w.unit_a, text=SECRETS["survey comment"])
    hidden = DepartmentEvaluation.objects.create(
        region=w.town_a, year=2026, title=SECRETS["unpublished evaluation"], state="meeting"
    )
    EvaluatedUnit.objects.create(evaluation=hidden, unit=w.unit_a, opinion=SECRETS["unpublished opinion"])
    return w


def _urls(w):
    out = []
    for code in (w.town_a.code, w.county.code):
        for page in ("supervision", "evaluations"):
            out += [f"/p/regions/{code}/{page}/", f"/p/regions/{code}/{page}/?format=csv"]
            out += [f"/p/regions/{code}/{page}/?format=json", f"/api/v1/public/regions/{code}/{page}"]
        out += [
            f"/p/regions/{code}/supervision/?year=2027",
            f"/api/v1/public/regions/{code}/supervision?year=2027",
        ]
    return out


def test_public_supervision_shows_only_approved_done_and_published(results):
    client = Client()
    for url in _urls(results):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        leaked = [name for name, secret in SECRETS.items() if secret in body]
        assert not leaked, (url, leaked)
        # a member who only joined is not named; the lead is
        assert results.deputy_a2.name not in body, url


def test_the_done_activity_shows_summary_findings_and_lead(results):
    body = Client().get(f"/p/regions/{results.town_a.code}/supervision/").content.decode()
    assert "农村饮水安全视察" in body and "视察了三个村的水厂" in body and "水厂消毒设备老化" in body
    assert results.deputy_a.name in body
    assert "道路养护调研" in body  # an approved item under way is listed, without its findings
    assert f"/p/regions/{results.town_a.code}/rectifications/" in body


def test_api_gives_activities_with_findings_and_evaluation_shares(results):
    client = Client()
    data = client.get(f"/api/v1/public/regions/{results.town_a.code}/supervision").json()
    assert data["count"] == 2
    done = next(i for i in data["items"] if i["state"] == "已完成")
    assert done["findings"] == [{"text": "水厂消毒设备老化", "unit": results.unit_a.name}]
    assert done["leads"] == [results.deputy_a.name]
    rows = client.get(f"/api/v1/public/regions/{results.town_a.code}/evaluations").json()
    assert len(rows) == 1
    assert (rows[0]["satisfied"], rows[0]["satisfied_share"], rows[0]["dissatisfied_share"]) == (
        30,
        75.0,
        5.0,
    )
    assert rows[0]["opinion"] == "服务态度好，办事效率有待提高"


def test_downloads_carry_the_same_columns(results):
    client = Client()
    csv = client.get(f"/p/regions/{results.town_a.code}/evaluations/?format=csv").content.decode("utf-8-sig")
    assert "满意（%）" in csv.splitlines()[0] and "75.0" in csv
    data = json.loads(client.get(f"/p/regions/{results.town_a.code}/supervision/?format=json").content)
    assert {i["topic"] for i in data["items"]} == {"农村饮水安全视察", "道路养护调研"}


def test_town_page_links_to_supervision_results(results):
    body = Client().get(f"/p/regions/{results.town_a.code}/").content.decode()
    assert f"/p/regions/{results.town_a.code}/supervision/" in body
    assert f"/p/regions/{results.town_a.code}/evaluations/" in body


def test_unknown_region_is_missing(results):
    assert Client().get("/p/regions/999999/supervision/").status_code == 404
    assert Client().get("/api/v1/public/regions/999999/evaluations").status_code == 404


def test_search_finds_approved_activities_and_their_findings_only(results):
    from apps.public import search

    search.rebuild()
    found = search.search("水厂消毒")
    assert [e.title for e in found] == ["农村饮水安全视察"]
    assert found[0].url == f"/p/regions/{results.town_a.code}/supervision/?year=2026"
    for secret in (SECRETS["draft plan item"], SECRETS["unfinished finding"], SECRETS["unfinished summary"]):
        assert search.search(secret) == [], secret
    body = Client().get("/api/v1/public/search", {"q": "道路养护", "kind": "supervision"}).json()
    assert [e["title"] for e in body] == ["道路养护调研"]

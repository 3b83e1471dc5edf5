"""The API and the pages end to end: the county makes a table, scores, reviews, chooses and publishes; the
town sees its own figures and the records behind them; the outputs and the public page."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from apps.accounts.services import issue_token
from apps.assessment.models import TownAssessment

from .conftest import YEAR


@pytest.fixture
def api(client):
    def call(user, method, path, body=None, **params):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}
        fn = getattr(client, method)
        if method == "get":
            return fn(f"/api/v1/assessment{path}", params, **headers)
        return fn(f"/api/v1/assessment{path}", body or {}, content_type="application/json", **headers)

    return call


def test_the_county_builds_a_table_by_api_and_copies_it_the_next_year(world, api):
    r = api(world.county_user, "post", "/tables", {"region": world.county.pk, "year": YEAR})
    assert r.status_code == 201, r.content
    tid = r.json()["id"]
    a = api(world.county_user, "post", f"/tables/{tid}/aspects", {"name": "代表工作"}).json()
    r = api(world.county_user, "post", f"/tables/{tid}/indicators",
            {"aspect": a["id"], "name": "接待日", "source": "computed", "metric": "reception_days_held",
             "target": 12, "base_points": 8, "cap": 8, "deduction": 1})  # fmt: skip
    assert r.status_code == 201, r.content
    bad = api(world.county_user, "post", f"/tables/{tid}/indicators",
              {"aspect": a["id"], "name": "x", "source": "computed", "metric": "no_such"})  # fmt: skip
    assert bad.status_code == 400 and "metric" in bad.json()["fields"]
    r = api(
        world.county_user, "post", "/tables", {"region": world.county.pk, "year": YEAR + 1, "copy_from": tid}
    )
    assert r.status_code == 201
    detail = api(world.county_user, "get", f"/tables/{r.json()['id']}").json()
    assert [i["name"] for i in detail["indicators"]] == ["接待日"]
    assert api(world.town_user, "get", f"/tables/{tid}").status_code == 404
    assert any(m["key"] == "opinion_satisfaction" for m in api(world.county_user, "get", "/metrics").json())


def test_scoring_review_advanced_and_publication_by_api(world, table, county_user2, api):
    row = TownAssessment.objects.get(table=table, region=world.town_a)
    manual = table.indicators.filter(source="manual").first()
    r = api(world.county_user, "post", f"/towns/{row.pk}/scores", {"indicator": manual.pk, "points": "5"})
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert api(world.county_user, "post", f"/scores/{sid}/actions/review", {}).status_code == 409  # own score
    assert api(county_user2, "post", f"/scores/{sid}/actions/review", {}).status_code == 200
    town = api(world.town_user, "get", f"/towns/{row.pk}").json()
    assert {ln["score_state"] for ln in town["lines"] if ln["score"]} == {"reviewed"}
    r = api(world.county_user, "put", f"/tables/{table.pk}/advanced", {"towns": [row.pk]})
    assert r.status_code == 200
    ranking = api(world.county_user, "get", f"/tables/{table.pk}/ranking").json()
    assert (
        ranking["towns"][0]["name"] == "城关镇"
        and ranking["towns"][0]["total"] > ranking["towns"][1]["total"]
    )
    assert api(world.county_user, "post", f"/tables/{table.pk}/actions/publish", {}).status_code == 200
    from django.test import Client

    pub = Client().get("/api/v1/public/assessment/regions/610921").json()
    assert pub["towns"][0]["town"] == "城关镇" and pub["towns"][0]["advanced"] is True


def test_a_town_reads_its_own_figure_and_the_records_behind_it(world, table, api):
    from apps.opinions.models import Opinion

    Opinion.objects.create(source="visit", title="路灯", content="x", region=world.town_a, state="closed",
                           reply_on_time=True)  # fmt: skip
    own = TownAssessment.objects.get(table=table, region=world.town_a)
    other = TownAssessment.objects.get(table=table, region=world.town_b)
    ind = table.indicators.get(metric="opinion_reply_on_time")
    r = api(world.town_user, "get", f"/towns/{own.pk}/records", indicator=ind.pk)
    assert r.status_code == 200 and r.json()["items"][0]["counted"] is True
    assert api(world.town_user, "get", f"/towns/{other.pk}").status_code == 404
    assert api(world.town_user, "get", f"/towns/{other.pk}/records", indicator=ind.pk).status_code == 404
    assert [t["town"] for t in api(world.town_user, "get", "/towns").json()["items"]] == ["城关镇"]
    assert api(world.town_user, "get", f"/tables/{table.pk}/ranking").status_code == 404


def test_pages_and_outputs(world, table, client):
    own = TownAssessment.objects.get(table=table, region=world.town_a)
    client.force_login(world.county_user)
    for path in ("/assessment/", f"/assessment/tables/{table.pk}/", f"/assessment/tables/{table.pk}/ranking/",
                 f"/assessment/towns/{own.pk}/"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    ind = table.indicators.get(metric="sessions_held")
    assert client.get(f"/assessment/towns/{own.pk}/records/?indicator={ind.pk}").status_code == 200
    xlsx = client.get(f"/assessment/tables/{table.pk}/ranking/?export=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert ws.cell(1, 2).value == "镇（街道）" and ws.max_row == 3
    docx = client.get(f"/assessment/tables/{table.pk}/results.docx")
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        body = z.read("word/document.xml").decode()
    assert "城关镇" in body and "考核结果" in body
    client.force_login(world.town_user)
    assert client.get(f"/assessment/towns/{own.pk}/").status_code == 200
    assert client.get(f"/assessment/tables/{table.pk}/").status_code == 404
    client.logout()
    assert client.get("/p/regions/610921/assessment/").status_code == 200

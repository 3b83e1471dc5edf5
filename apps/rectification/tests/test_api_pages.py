"""Rectification through the API (/api/v1/supervision/rectifications), the pages (the office's list with
filters, the unit's, the deputy's review on the phone), the notice in Word and the public site."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.rectification.word import notice_docx, notice_title
from tests import official_papers

from .conftest import step

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
API = "/api/v1/supervision/rectifications"


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_the_api_opens_moves_and_scopes_an_item(client, world):
    client.force_login(world.town_user)
    body = {
        "town": world.town_a.code, "unit": world.unit_a.pk, "title": "集镇污水管网堵塞", "detail": "多处冒溢",
        "source_label": "环境保护视察", "reviewers": [world.deputy_a.pk], "due_days": 15,
    }  # fmt: skip
    r = _post(client, API, body)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["state"] == "assigned"
    assert _post(client, API, {**body, "due_days": 10**9}).status_code == 422
    assert _post(client, API, {**body, "unit": 10**6}).status_code in (400, 422)
    assert client.get(f"{API}/{pk}").json()["reviewers"][0]["name"] == "张三"
    client.force_login(world.unit_user)
    assert client.get(API).json()["count"] == 1
    actions = {a["name"] for a in client.get(f"{API}/{pk}/actions").json()}
    assert actions == {"plan"}
    r = _post(client, f"{API}/{pk}/actions/plan", {"plan_text": "疏通管网"})
    assert r.status_code == 200 and r.json()["state"] == "planned"
    r = client.post(f"{API}/{pk}/files", {"file": SimpleUploadedFile("p.png", PNG)})
    assert r.status_code == 201, r.content
    assert len(client.get(f"{API}/{pk}/files").json()) == 1
    assert _post(client, f"{API}/{pk}/actions/accept", {}).status_code == 409
    r = _post(client, f"{API}/{pk}/actions/report", {"report_text": "已疏通"})
    assert r.json()["state"] == "reported"
    client.force_login(world.deputy_user)
    r = _post(client, f"{API}/{pk}/actions/return", {"reason": ""})
    assert r.status_code == 400
    r = _post(client, f"{API}/{pk}/actions/return", {"reason": "仍有冒溢"})
    assert r.status_code == 200 and r.json()["returns_count"] == 1
    client.force_login(world.town_b_user)
    assert client.get(f"{API}/{pk}").status_code == 404
    assert client.get(API).json()["count"] == 0
    assert _post(client, API, body).status_code == 404
    client.force_login(world.unit_user)
    assert _post(client, API, body).status_code == 403
    client.force_login(world.town_user)
    assert client.get(API, {"overdue": "true"}).json()["count"] == 0
    assert client.get(API, {"state": "returned"}).json()["count"] == 1
    assert client.get(API, {"state": "bogus"}).status_code == 422
    docx = client.get(f"{API}/{pk}/notice.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_the_office_list_filters_and_the_unit_sees_its_own_page(client, item, world):
    client.force_login(world.town_user)
    page = client.get("/supervision/rectifications/").content.decode()
    assert "月河村道路缺少安全护栏" in page and "交办整改事项" in page
    assert "月河村道路" not in client.get("/supervision/rectifications/?state=accepted").content.decode()
    assert client.get("/supervision/rectifications/?state=nonsense").status_code == 400
    assert client.get("/supervision/rectifications/?overdue=1").status_code == 200
    client.force_login(world.county_user)
    page = client.get(f"/supervision/rectifications/?town={world.town_b.pk}").content.decode()
    assert "涧池镇" in page and "月河村道路" not in page
    assert "月河村道路" in client.get(f"/supervision/rectifications/?town={world.town_a.pk}").content.decode()
    client.force_login(world.unit_user)
    page = client.get(f"/supervision/rectifications/{item.pk}/").content.decode()
    assert "报送整改方案" in page and "上传照片或材料" in page
    r = client.post(f"/supervision/rectifications/{item.pk}/do/plan/", {"plan_text": "加装护栏"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.state == "planned"
    client.force_login(world.town_b_user)
    assert client.get(f"/supervision/rectifications/{item.pk}/").status_code == 404


def test_the_office_opens_an_item_on_the_page(client, world):
    client.force_login(world.town_user)
    assert "张三" in client.get("/supervision/rectifications/new/").content.decode()
    r = client.post(
        "/supervision/rectifications/new/",
        {"town": world.town_a.pk, "unit": world.unit_a.pk, "title": "卫生院夜间无人值班",
         "reviewers": [world.deputy_a.pk], "due_days": "10"},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:500]
    r = client.post("/supervision/rectifications/new/", {"town": world.town_a.pk, "unit": "", "title": "x"})
    assert r.status_code == 400
    client.force_login(world.unit_user)
    assert client.get("/supervision/rectifications/new/").status_code == 403


def test_the_deputy_reviews_on_the_phone(client, item, world):
    item = step(item, world.unit_user, "plan", plan_text="加装护栏")
    item = step(item, world.unit_user, "report", report_text="已安装")
    client.force_login(world.deputy_user)
    page = client.get(f"/supervision/rectifications/{item.pk}/").content.decode()
    assert "验收通过" in page and "退回重新整改" in page and "已安装" in page
    r = client.post(f"/supervision/rectifications/{item.pk}/do/accept/", {"reason": "已查看"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.state == "accepted"


def test_the_notice_is_an_official_paper(item, world):
    data = notice_docx(item, [world.deputy_a])
    doc = official_papers.check(data, title=notice_title(item), issuer="城关镇人民代表大会主席团")
    text = "\n".join(official_papers.texts(doc))
    assert "城关镇人民政府：" in text and "临河路段约300米无护栏" in text and "张三" in text
    assert notice_title(item) == "关于月河村道路缺少安全护栏的整改通知书"


def test_the_public_sees_progress_but_not_the_reviewers_notes(client, item, world):
    item = step(item, world.unit_user, "plan", plan_text="内部方案")
    item = step(item, world.unit_user, "report", report_text="护栏已全部安装")
    item = step(item, world.deputy_user, "return", reason="代表内部意见：高度不够")
    item = step(item, world.unit_user, "report", report_text="护栏已全部安装并加高")
    item = step(item, world.deputy_user, "accept", reason="代表内部意见二")
    page = client.get(f"/p/regions/{world.town_a.code}/rectifications/").content.decode()
    assert "月河村道路缺少安全护栏" in page and "护栏已全部安装并加高" in page
    for secret in ("内部方案", "代表内部意见", "张三", "临河路段"):
        assert secret not in page
    assert "整改事项公示" in client.get(f"/p/regions/{world.town_a.code}/").content.decode()
    api = client.get("/api/v1/public/rectifications", {"town": world.town_a.code}).json()
    assert api["items"][0]["report"] == "护栏已全部安装并加高"
    assert "代表内部意见" not in str(api)
    csv = client.get(f"/p/regions/{world.town_a.code}/rectifications/", {"format": "csv"})
    assert "月河村道路缺少安全护栏" in csv.content.decode("utf-8-sig")

"""The procedure book through its pages and GET /api/v1/procedures, the rules book with the township's
values, rule documents (uploaded and refused, both audited), the papers read back, and an item's page
with its path highlighted."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from apps.audit.models import AuditEvent
from apps.localrules.models import LocalRule
from apps.procedures import papers
from apps.procedures.catalogue import procedure
from apps.procedures.models import RuleDocument
from apps.rectification import services as rect
from apps.workflow.registry import WORKFLOWS
from tests import official_papers

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
API = "/api/v1/procedures"


def test_the_api_lists_every_procedure_with_states_and_steps(client, world, django_assert_max_num_queries):
    client.force_login(world.deputy_user)
    with django_assert_max_num_queries(12):
        r = client.get(API)
    assert r.status_code == 200
    by_key = {p["key"]: p for p in r.json()}
    assert set(by_key) >= {wf.key for wf in WORKFLOWS.values()} | {"session", "meeting", "vote"}
    plan = next(t for t in by_key["rectification"]["transitions"] if t["key"] == "plan")
    assert plan["who"] == ["承办单位"] and plan["inputs"][0]["name"] == "plan_text"
    assert plan["deadline"]["text"] == "按交办确定的时限"
    assert client.get(f"{API}/opinion").json()["states"][0]["key"] == "registered"
    assert client.get(f"{API}/nothing").status_code == 404


def test_the_pages_show_every_chart_and_print_on_a4(client, world):
    client.force_login(world.unit_user)
    page = client.get("/procedures/").content.decode()
    for wf in WORKFLOWS.values():
        assert f'href="/procedures/{wf.key}/"' in page
    r = client.get("/procedures/suggestion/")
    html = r.content.decode()
    assert r.status_code == 200 and "<svg" in html and "style=" not in html and "<script>" not in html
    assert "procedures/procedures.css" in html
    assert client.get("/procedures/nothing/").status_code == 404


def test_the_rules_book_shows_law_sources_and_each_towns_value(client, world):
    LocalRule.objects.create(region=world.town_b, key="OPINION_REPLY_WORKING_DAYS", value=10)
    client.force_login(world.county_user)
    html = client.get("/procedures/rules/").content.decode()
    assert "地方组织法" in html and "第二十六条" in html
    row = re.search(r'data-setting="OPINION_REPLY_WORKING_DAYS">(.*?)</tr>', html, re.S).group(1)
    assert "城关镇" not in row and ">15个工作日<" in row and ">10个工作日<" in row
    data = client.get(f"{API}/rules").json()
    reply = next(r for r in data["local"] if r["key"] == "OPINION_REPLY_WORKING_DAYS")
    assert {t["name"]: t["value"] for t in reply["towns"]} == {"城关镇": 15, "涧池镇": 10}
    for own in (world.town_user, world.deputy_user, world.unit_user):  # their own town only
        client.force_login(own)
        data = client.get(f"{API}/rules").json()
        assert [t["name"] for t in data["local"][0]["towns"]] == ["城关镇"], own


def test_an_office_adds_a_rule_document_audited_and_others_are_refused(client, world):
    client.force_login(world.town_user)
    r = client.post(
        f"{API}/rules/documents",
        {"town": world.town_a.pk, "title": "城关镇人大主席团议事规则", "number": "城人〔2026〕1号",
         "file": SimpleUploadedFile("r.png", PNG, content_type="image/png")},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    doc = RuleDocument.objects.get()
    assert AuditEvent.objects.filter(action="procedures.document_added", object_id=str(doc.pk)).exists()
    assert client.get(f"{API}/rules/documents/{doc.pk}").status_code == 200
    bad = {"town": world.town_a.pk, "title": "x\x00", "file": SimpleUploadedFile("r.png", PNG)}
    assert client.post("/procedures/rules/documents/", bad).status_code == 400
    client.force_login(world.town_b_user)  # another town: as if missing
    assert client.get(f"/procedures/rules/documents/{doc.pk}/").status_code == 404
    assert client.delete(f"{API}/rules/documents/{doc.pk}").status_code == 404
    client.force_login(world.deputy_user)
    r = client.post(
        f"{API}/rules/documents",
        {
            "town": world.town_a.pk,
            "title": "t",
            "file": SimpleUploadedFile("r.png", PNG, content_type="image/png"),
        },
    )
    assert r.status_code == 403
    assert AuditEvent.objects.filter(action="access.denied").exists()
    client.force_login(world.town_user)
    assert client.delete(f"{API}/rules/documents/{doc.pk}").status_code == 204
    assert AuditEvent.objects.filter(action="procedures.document_removed").exists()
    assert not RuleDocument.objects.exists()


def test_an_items_page_shows_its_chart_with_the_path_taken(client, world):
    item = rect.open_item(
        actor=world.town_user,
        region=world.town_a,
        unit=world.unit_a,
        title="护栏缺失",
        reviewers=[world.deputy_a],
    )
    rect.act(actor=world.unit_user, item=item, key="plan", data={"plan_text": "增设护栏"})
    client.force_login(world.town_user)
    html = client.get(f"/supervision/rectifications/{item.pk}/").content.decode()
    assert 'class="state on current" data-state="planned"' in html
    assert 'class="state initial on" data-state="assigned"' in html
    assert re.search(r'class="step on" data-steps="plan"', html)
    assert 'class="state final" data-state="accepted"' in html  # not yet reached


def test_the_papers_read_back_as_a4_in_the_official_format():
    proc = procedure("rectification")
    data = papers.procedure_docx(proc, issuer="城关镇人大主席团")
    doc = official_papers.check(data, title="整改事项流程图", issuer="城关镇人大主席团")
    assert doc.inline_shapes and doc.inline_shapes[0].width > 0  # the chart, as PNG
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "报送整改方案" in cells and "承办单位" in cells
    pdf = papers.procedure_pdf(proc)
    assert pdf.startswith(b"%PDF") and re.search(
        rb"MediaBox \[ ?0 0 (595\.\d+ 841\.\d+|841\.\d+ 595\.\d+) ?\]", pdf
    )


def test_the_rules_book_downloads_in_word(client, world):
    client.force_login(world.town_user)
    r = client.get("/procedures/rules.docx")
    doc = official_papers.check(r.content, title="规则汇编")
    header = [c.text for c in doc.tables[1].rows[0].cells]
    assert header[:3] == ["规则", "设置项", "默认值"] and "城关镇" in header
    assert Document(io.BytesIO(client.get(f"{API}/rules/word").content)).tables

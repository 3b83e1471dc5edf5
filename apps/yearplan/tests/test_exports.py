"""A township's year calendar in Excel (text cells, never a formula) and Word (GB/T 9704 layout), from the
list page and the API; another township's calendar is missing (404), and Word needs one township."""

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from apps.yearplan import services

pytestmark = pytest.mark.django_db
Y = 2031


@pytest.fixture
def calendar(world):
    services.generate(actor=world.county_user, region=world.county, year=Y)
    services.add_item(
        actor=world.town_user, region=world.town_a, kind="study", title="=HYPERLINK(\"x\")学习",
        when=date(Y, 3, 10),
    )  # fmt: skip


def _rows(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_the_towns_excel_lists_its_year_with_a_formula_kept_as_text(world, client, calendar):
    client.force_login(world.town_user)
    response = client.get("/yearplan/", {"year": Y, "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    rows = _rows(response)
    assert rows[0][0] == f"{world.town_a.name}{Y}年人大工作日历"
    assert rows[1][:3] == ["日期", "星期", "事项"]
    body = rows[2:]
    assert len(body) > 20 and {r[4] for r in body} == {world.town_a.name}
    typed = [r for r in body if "HYPERLINK" in r[2]]
    assert [r[1:3] for r in typed] == [["星期一", '=HYPERLINK("x")学习']]
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for row in ws.iter_rows() for c in row if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"


def test_the_word_calendar_goes_month_by_month_signed_by_the_presidium(world, client, calendar):
    client.force_login(world.town_user)
    response = client.get("/yearplan/", {"year": Y, "export": "docx"})
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == f"{world.town_a.name}{Y}年人大工作日历"
    assert "一、一月" in texts and "十二、十二月" in texts
    assert any(t.startswith(f"{Y}年3月10日（星期一）：") for t in texts)
    assert f"{world.town_a.name}人民代表大会主席团" in texts
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # A4


def test_the_api_exports_one_township_and_hides_another(world, api_get, calendar):
    ok = api_get(world.town_user, "/api/v1/calendar/export.docx", year=Y)
    assert ok.status_code == 200
    other = api_get(world.town_user, "/api/v1/calendar/export.xlsx", year=Y, town=world.town_b.pk)
    assert other.status_code == 404
    county = api_get(world.county_user, "/api/v1/calendar/export.xlsx", year=Y, town=world.town_b.pk)
    assert {r[4] for r in _rows(county)[2:]} == {world.town_b.name}
    # The county sees several townships: Word asks which one.
    refused = api_get(world.county_user, "/api/v1/calendar/export.docx", year=Y)
    assert refused.status_code == 400 and "town" in refused.json()["fields"]

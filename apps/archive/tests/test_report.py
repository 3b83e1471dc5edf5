"""The annual duty report in Word: the national format (GB/T 9704-2012, DOMAIN §11), the deputy and the date
at the end."""

from datetime import date

import pytest

from apps.archive.report import annual_report
from tests import official_papers

from .factories import commitment
from .test_pages import record

pytestmark = pytest.mark.django_db


def test_the_annual_report_is_an_official_paper_signed_by_the_deputy(world):
    record(world, "study")
    commitment(world, title="修通便民桥")
    year = date.today().year
    data = annual_report(world.deputy_a, year, today=date(year, 12, 4))
    doc = official_papers.check(data, title=f"张三代表{year}年度履职报告", issuer="张三")
    texts = official_papers.texts(doc)
    assert f"{year}年12月4日" in texts
    headings = [p for p in doc.paragraphs if p.text.startswith(("一、", "二、", "三、", "四、"))]
    assert len(headings) == 4 and all(p.runs[0].font.name == "黑体" for p in headings)

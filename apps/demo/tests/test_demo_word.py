"""The demo's government work report, uploaded to a meeting, is an official paper like every other."""

from apps.demo.meetings import _report_docx
from tests import official_papers


def test_the_demo_work_report_is_on_a4_in_the_official_format():
    doc = official_papers.check(
        _report_docx("城关镇", 2026), title="城关镇人民政府工作报告", issuer="城关镇人民政府"
    )
    assert "一、2026年工作回顾" in official_papers.texts(doc)

"""The Word helpers: the house style of official papers, and their numbers."""

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from apps.common import cn, word


def test_a_new_document_is_a4_with_the_gb_t_9704_margins():
    section = word.new_document().sections[0]
    sizes = ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")
    assert [round(getattr(section, name).cm, 2) for name in sizes] == [21, 29.7, 3.7, 3.5, 2.8, 2.6]


def test_text_is_fangsong_for_chinese_too_on_the_fixed_line_with_a_two_character_indent():
    doc = word.new_document(normal_font=True)
    p = word.para(doc, "正文")
    run = p.runs[0]
    assert run.font.name == "仿宋" and run.font.size == Pt(16)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert p.paragraph_format.line_spacing == Pt(29) and p.paragraph_format.first_line_indent == Pt(32)


def test_title_heading_and_red_head_and_the_bytes_open_again():
    doc = word.new_document()
    word.red_head(doc, "县交通运输局", word.document_number("交建复", 2026, 3))
    word.title(doc, "关于修缮村道的答复")
    word.heading(doc, 2, "下一步计划")
    reopened = Document(io.BytesIO(word.to_bytes(doc)))
    texts = [p.text for p in reopened.paragraphs]
    assert texts == ["县交通运输局", "交建复〔2026〕3号", "关于修缮村道的答复", "二、下一步计划"]
    assert reopened.paragraphs[1]._p.pPr.find(qn("w:pBdr")) is not None  # the red rule
    assert reopened.paragraphs[3].runs[0].font.name == "黑体"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("建字〔2026〕12号", ("建字", 2026, 12)), ("〔2025〕 7 号", ("", 2025, 7)), ("JZ-12", None), ("", None)],
)
def test_a_document_number_is_read_back(text, parsed):
    assert word.parse_document_number(text) == parsed


def test_numbers_and_dates_in_chinese():
    expected = ["一", "五", "十", "十八", "二十", "二十一", "100"]
    assert [cn.numeral(n) for n in (1, 5, 10, 18, 20, 21, 100)] == expected
    assert word.cn_date(date(2026, 3, 8)) == "2026年3月8日"
    assert word.cn_datetime(None) == ""


def test_a_control_character_in_stored_text_is_shown_escaped_and_the_file_still_opens():
    doc = word.new_document()
    word.para(doc, "会议记录\x01第一项\x00")
    opened = Document(io.BytesIO(word.to_bytes(doc)))
    assert "会议记录\\x01第一项\\x00" in [p.text for p in opened.paragraphs]

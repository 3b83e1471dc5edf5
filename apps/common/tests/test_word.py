"""The Word helpers: the house style of official papers, and their numbers."""

import io
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from apps.common import cn, word
from tests import official_papers


def test_a_new_document_is_a4_with_the_gb_t_9704_margins():
    section = word.new_document().sections[0]
    sizes = ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")
    assert [round(getattr(section, name).cm, 2) for name in sizes] == [21, 29.7, 3.7, 3.5, 2.8, 2.6]


def test_text_is_fangsong_gb2312_for_chinese_too_on_the_fixed_line_with_a_two_character_indent():
    doc = word.new_document()
    p = word.para(doc, "正文")
    run = p.runs[0]
    assert run.font.name == "仿宋_GB2312" and run.font.size == Pt(16)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert p.paragraph_format.line_spacing == Pt(28.95) and p.paragraph_format.first_line_indent == Pt(32)


def test_the_page_holds_22_lines_of_28_characters():
    grid = word.new_document().sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert round(Mm(225).pt / (int(grid.get(qn("w:linePitch"))) / 20)) == 22
    spacing = word.new_document().styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert int(Mm(156).pt / (16 + int(spacing.get(qn("w:val"))) / 20)) == 28


def test_title_heading_red_head_signature_and_page_numbers_read_back_as_gb_t_9704_sets_them():
    doc = word.new_document(title_text="关于修缮村道的答复", author="县交通运输局")
    word.red_head(doc, "县交通运输局", word.document_number("交建复", 2026, 3))
    word.title(doc, "关于修缮村道的答复。")
    word.heading(doc, 2, "下一步计划")
    word.subheading(doc, 1, "资金")
    word.signature(doc, "县交通运输局", date(2026, 3, 8))
    data = word.to_bytes(doc)
    reopened = official_papers.check(data, title="关于修缮村道的答复", issuer="县交通运输局")
    texts = [p.text for p in reopened.paragraphs if p.text]
    assert texts == [
        "县交通运输局",
        "交建复〔2026〕3号",
        "关于修缮村道的答复",
        "二、下一步计划",
        "（一）资金",
        "县交通运输局",
        "2026年3月8日",
    ]
    number = next(p for p in reopened.paragraphs if p.text == "交建复〔2026〕3号")
    assert number._p.pPr.find(qn("w:pBdr")) is not None  # the red rule
    heads = {p.text: p.runs[0] for p in reopened.paragraphs if p.text}
    assert heads["二、下一步计划"].font.name == "黑体" and heads["（一）资金"].font.name == "楷体_GB2312"
    assert heads["关于修缮村道的答复"].font.name == "方正小标宋简体"
    assert heads["关于修缮村道的答复"].font.size == Pt(22)
    footer = reopened.sections[0].footer.paragraphs[0]
    assert (
        footer.text == "— 1 —" and footer.runs[0].font.name == "宋体" and footer.runs[0].font.size == Pt(14)
    )
    assert footer.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert reopened.sections[0].even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert reopened.core_properties.author == "县交通运输局" and reopened.core_properties.comments == ""


def test_the_font_table_names_the_free_fonts_to_use_instead():
    doc = official_papers_font_table(word.to_bytes(word.new_document()))
    assert doc["仿宋_GB2312"] == "仿宋" and doc["方正小标宋简体"] == "宋体" and doc["楷体_GB2312"] == "楷体"


def official_papers_font_table(data: bytes) -> dict[str, str]:
    table = Document(io.BytesIO(data)).part.package
    part = next(p for p in table.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    alt = {}
    for font in root.iter(qn("w:font")):
        found = font.find(qn("w:altName"))
        if found is not None:
            alt[font.get(qn("w:name"))] = found.get(qn("w:val"))
    return alt


@pytest.mark.parametrize(
    ("subject", "kind", "title"),
    [
        ("关于关于2027年民生实事项目的决议的决议", "决议", "关于2027年民生实事项目的决议"),
        ("审议镇人民政府工作报告", "决议", "关于镇人民政府工作报告的决议"),
        ("政府工作报告决议", "决议", "关于政府工作报告的决议"),
        ("关于召开第五次会议的通知", "通知", "关于召开第五次会议的通知"),
        ("", "决议", "决议"),
    ],
)
def test_a_title_says_about_and_its_kind_once(subject, kind, title):
    assert word.about(subject, kind) == title


def test_the_signature_centres_the_issuer_over_the_date_four_characters_in():
    doc = word.new_document()
    who, when = word.signature(doc, "城关镇人民代表大会主席团", date(2026, 12, 4))
    # the date is 6.5 characters wide, the issuer 12: both centred 7.25 characters from the right
    assert when.paragraph_format.right_indent == Pt(16 * 4)
    assert who.paragraph_format.right_indent == Pt(16 * 1.25)


def test_a_pdf_of_a_document_has_its_page_when_libreoffice_is_installed():
    doc = word.new_document(title_text="关于修缮村道的答复")
    word.title(doc, "关于修缮村道的答复")
    for n in range(40):
        word.para(doc, f"第{n + 1}段正文，仿宋三号，每行二十八字，每页二十二行。")
    pages = official_papers.pdf_pages(word.to_bytes(doc))
    if pages is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    assert pages >= 2  # 42 lines on a 22-line page


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

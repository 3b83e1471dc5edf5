"""Word documents in the house style of Chinese official papers (GB/T 9704-2012 党政机关公文格式).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the text in 仿宋 三号 (16 pt) on a fixed
29 pt line with a two-character first-line indent; the title in 宋体 二号 (22 pt) bold, centred; first-level
headings "一、…" in 黑体; a red head (the issuing body's name) over a red rule; the document number as
建字〔2026〕12号 (year in 〔〕, no leading zeros). Fonts are set as East Asian fonts too, so Word uses them
for Chinese text.

Used by the meetings' minutes and resolutions, the archive's annual report and the reply letter.
"""

from __future__ import annotations

import io
import re
from datetime import date

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .cn import date_text, numeral
from .text import escape_controls

BODY_FONT, HEAD_FONT, HEADING_FONT = "仿宋", "宋体", "黑体"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
RED_HEAD_PT = 28
LINE_PT = 29  # fixed line height: 22 lines a page
RED = RGBColor(0xD0, 0x10, 0x10)

CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def new_document(*, normal_font: bool = False):
    """An empty A4 document with the GB/T 9704 margins; with `normal_font`, the Normal style in 仿宋 三号
    too (text added without `run` then looks like the rest)."""
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    if normal_font:
        normal = doc.styles["Normal"]
        normal.font.name, normal.font.size = BODY_FONT, Pt(BODY_PT)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return doc


def run(
    paragraph, text: str, *, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False, color=None
):
    """Text in a paragraph, its font set for Latin and East Asian text alike; a control character that a
    Word file cannot hold (text stored before the input check, the audit log's) is shown escaped."""
    r = paragraph.add_run(escape_controls(str(text)))
    r.font.name = font
    r.font.size = Pt(size)
    r.font.bold = bold
    if color is not None:
        r.font.color.rgb = color
    fonts = r._element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(key), font)
    return r


def para(doc, text: str = "", *, align=None, indent: bool = True, space_after: float = 0, **run_kw):
    """A paragraph on the fixed line, indented two characters unless `indent=False`."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(run_kw.get("size", BODY_PT) * 2)
    if align is not None:
        p.alignment = align
    if text:
        run(p, text, **run_kw)
    return p


def title(doc, text: str, *, size: float = TITLE_PT, space_after: float = 0):
    """The document's title: 宋体, bold, centred, on a line tall enough for its size."""
    p = para(
        doc, text, align=CENTER, indent=False, font=HEAD_FONT, size=size, bold=True, space_after=space_after
    )
    p.paragraph_format.line_spacing = Pt(max(LINE_PT, size + 14))
    return p


def heading(doc, number: int, text: str, *, font: str = HEADING_FONT, indent: bool = True, **run_kw):
    """A first-level heading "一、text" (`number` from 1), indented like the text as GB/T 9704 sets it."""
    return para(doc, f"{numeral(number)}、{text}", indent=indent, font=font, **run_kw)


def red_head(doc, issuer: str, number: str = ""):
    """The red head: the issuer's name in large bold 宋体, then the document number on the right above a red
    rule. Returns the number's paragraph."""
    head = para(doc, issuer, align=CENTER, indent=False, font=HEAD_FONT, size=RED_HEAD_PT, bold=True)
    head.paragraph_format.line_spacing = Pt(RED_HEAD_PT + 12)
    line = para(doc, number, align=RIGHT, indent=False, space_after=12)
    red_rule(line)
    return line


def red_rule(paragraph) -> None:
    """The red line under the red head: a bottom border on the paragraph."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", "D01010")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p_pr.append(borders)


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- words and numbers as the papers write them -------------------------------------------------------------


def cn_date(d: date | None = None) -> str:
    """2026年3月8日 (today when no date is given)."""
    return date_text(d or timezone.localdate())


def cn_datetime(moment, *, with_time: bool = True) -> str:
    """2026年3月8日 09:30 in local time; empty for no moment."""
    if not moment:
        return ""
    moment = timezone.localtime(moment)
    text = date_text(moment.date())
    return f"{text} {moment:%H:%M}" if with_time else text


def document_number(prefix: str, year: int, number: int) -> str:
    """发文字号: 建字〔2026〕12号 (the year in 〔〕, the running number without leading zeros)."""
    return f"{prefix}〔{year}〕{number}号"


_NUMBER = re.compile(r"^(?P<prefix>.*?)〔(?P<year>\d{4})〕\s*(?P<number>\d+)\s*号$")


def parse_document_number(text: str) -> tuple[str, int, int] | None:
    """(prefix, year, running number) of 建字〔2026〕12号; None for any other numbering."""
    found = _NUMBER.match((text or "").strip())
    if not found:
        return None
    return found.group("prefix"), int(found.group("year")), int(found.group("number"))

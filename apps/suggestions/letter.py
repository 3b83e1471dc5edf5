"""The reply letter to the deputies (建议答复函) in Word, laid out as units send it on paper.

Red head with the unit's name and a red rule, the document number on the right, the title
"关于<镇><会议>第N号建议的答复", the salutation to the lead deputy (or "<领衔>等n位代表"), the body
(thanks, what was done, what is planned and by when, what is not adopted and why, the full reply), the
reply category, the signer, unit and date on the right, and the unit's contact person. 仿宋 for the text
and 宋体 for the heads, set as East Asian fonts so Word uses them for Chinese; A4 with the margins of
GB/T 9704.
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

from .models import Suggestion

BODY_FONT, HEAD_FONT = "仿宋", "宋体"
RED = RGBColor(0xD0, 0x10, 0x10)
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
HEAD_PT = 28
NUMERALS = "一二三四五六七八九十"


def _cn_date(d: date | None) -> str:
    d = d or timezone.localdate()
    return f"{d.year}年{d.month}月{d.day}日"


def _run(paragraph, text: str, *, font=BODY_FONT, size=BODY_PT, bold=False, color=None):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:ascii"), font)
    fonts.set(qn("w:hAnsi"), font)
    return run


def _para(doc, text="", *, align=None, indent=True, space_after=0, **run_kw):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(29)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(BODY_PT * 2)  # two characters
    if align is not None:
        p.alignment = align
    if text:
        _run(p, text, **run_kw)
    return p


def _red_rule(paragraph):
    """The red line under the red head: a bottom border on the paragraph."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", "D01010")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p_pr.append(borders)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _case_number(item: Suggestion) -> str:
    """The running number of 建字〔2026〕12号 is 12; any other numbering is used as it stands."""
    found = re.search(r"〕\s*(\d+)\s*号", item.number or "")
    if found:
        return found.group(1)
    return item.number or str(item.pk)


def _meeting(item: Suggestion) -> str:
    label = (item.session_label or "").strip()
    if not label:
        return "人大闭会期间" if item.period == "between" else "人大"
    return label if "人大" in label else f"人大{label}"


def title_of(item: Suggestion) -> str:
    """关于城关镇第十八届人大第五次会议第12号建议的答复"""
    return f"关于{item.town.name if item.town_id else ''}{_meeting(item)}第{_case_number(item)}号建议的答复"


def salutation_of(item: Suggestion) -> str:
    count = item.signers().count()
    if count > 1:
        return f"{item.lead.name}等{count}位代表："
    return f"{item.lead.name}代表："


def reply_letter(item: Suggestion) -> bytes:
    """The reply letter of the latest round, as .docx bytes."""
    unit_name = item.unit.name if item.unit_id else ""
    joint = item.signers().count() > 1
    you = "你们" if joint else "您"
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    # Red head and rule, the document number on the right.
    head = _para(
        doc, unit_name, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, font=HEAD_FONT, size=HEAD_PT, bold=True
    )
    head.paragraph_format.line_spacing = Pt(HEAD_PT + 12)
    number = _para(doc, item.doc_number, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, space_after=12)
    _red_rule(number)
    _para(doc, indent=False)
    title = _para(
        doc,
        title_of(item),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        font=HEAD_FONT,
        size=TITLE_PT,
        bold=True,
    )
    title.paragraph_format.line_spacing = Pt(TITLE_PT + 14)
    _para(doc, indent=False)
    _para(doc, salutation_of(item), indent=False)

    # Body.
    _para(
        doc,
        f"{you}提出的《{item.title}》收悉。感谢{you}对我们工作的关心和支持。"
        f"我单位高度重视，经认真研究办理，现答复如下：",
    )
    sections = []
    if item.done_text.strip():
        sections.append(("办理情况", _lines(item.done_text)))
    if item.planned_text.strip() or item.planned_by:
        planned = _lines(item.planned_text)
        if item.planned_by:
            planned.append(f"计划于{_cn_date(item.planned_by)}前完成。")
        sections.append(("下一步计划", planned))
    if item.not_adopted_text.strip():
        sections.append(("未能采纳的原因", _lines(item.not_adopted_text)))
    for n, (heading, lines) in enumerate(sections):
        _para(doc, f"{NUMERALS[n]}、{heading}", font="黑体")
        for line in lines:
            _para(doc, line)
    for line in _lines(item.reply_text):
        _para(doc, line)
    _para(doc, f"再次感谢{you}对我们工作的理解和支持，欢迎继续提出宝贵意见和建议。")
    _para(doc)
    _para(doc, f"答复类别：{item.category}类" if item.category else "答复类别：", indent=False)
    _para(doc)

    # Signer, unit and date at the bottom right; the unit's contact, never the deputy's.
    right = {"align": WD_ALIGN_PARAGRAPH.RIGHT, "indent": False}
    _para(doc, f"签发人：{item.signer}", **right)
    _para(doc, unit_name, **right)
    _para(doc, _cn_date(item.replied_on), **right)
    _para(doc)
    contact = (
        item.unit.contact_person if item.unit_id and item.unit.contact_person else item.responsible_person
    )
    phone = item.unit.contact_phone if item.unit_id else ""
    line = f"联系人：{contact or '—'}"
    if phone:
        line += f"　　联系电话：{phone}"
    _para(doc, f"（{line}）", indent=False, size=14)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

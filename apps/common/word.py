"""Every Word document the platform makes, in the national format of official papers (GB/T 9704-2012
党政机关公文格式, DOMAIN §11): the one builder that the reply letter, the minutes, the resolutions, the
annual duty report and the demo's papers all start from.

`new_document()` gives the page: A4 (210 × 297 mm), margins top 37 mm, bottom 35 mm, left 28 mm, right
26 mm (a 156 × 225 mm text block); 22 lines of 28 characters (a fixed 28.95 pt line on the line grid,
the text condensed a quarter point a character); body text 仿宋_GB2312 三号 (16 pt); page numbers "— 1 —"
in 宋体 四号 in the footer (a PAGE field), odd pages right and even pages left, one character in from the
edge of the text block. On it: `red_head` (the
issuer's name over a red rule, optional for a township office) and `number_line` (发文字号 建字〔2026〕12号),
`title` (方正小标宋简体 二号, centred, never ending in punctuation), `heading` (一、 in 黑体) and
`subheading` (（一） in 楷体), `para` for the text, and `signature` (issuing body and date at the end,
right-aligned, above where the seal goes).

The official fonts are not free, so documents name them and say what to use instead: the font table
carries 仿宋 (FangSong) as the alternative of 仿宋_GB2312, 宋体 of 方正小标宋简体 and 楷体 of 楷体_GB2312;
Word on the office PC renders them, LibreOffice substitutes its CJK fonts.
"""

from __future__ import annotations

import io
import re
from datetime import date

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from .cn import date_text, numeral
from .text import escape_controls

# GB/T 9704-2012 §7.3: fonts and sizes.
BODY_FONT, TITLE_FONT, HEADING_FONT, SUBHEADING_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
HEAD_FONT = TITLE_FONT  # the red head is set in 小标宋 too
# What Word uses where the official font is not installed (the font table's altName).
FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", SUBHEADING_FONT: "楷体"}
FONT_SPECS = {  # name: (charset 86 = GB2312, family, pitch)
    BODY_FONT: ("86", "modern", "fixed"),
    TITLE_FONT: ("86", "script", "variable"),
    SUBHEADING_FONT: ("86", "modern", "fixed"),
    HEADING_FONT: ("86", "modern", "fixed"),
    PAGE_NUMBER_FONT: ("86", "auto", "variable"),
}
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
RED_HEAD_PT = 36
# 22 lines in the 225 mm text block: a 28.95 pt line (579 twips), and 28 characters in its 156 mm width.
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH_TWIPS = 579
LINE_PT = LINE_PITCH_TWIPS / 20
# 28 characters of 16 pt need 448 pt, the block is 442.2 pt wide: the text is condensed by a quarter point a
# character (w:spacing, in twentieths of a point). Not a character grid: LibreOffice puts a character wider
# than the grid's cell in two cells, and the line would hold 14.
CHAR_SPACING_TWENTIETHS = -5
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
# The page number's line sits 7 mm below the text block (§7.5): the footer's baseline distance from the edge.
FOOTER_DISTANCE = Mm(35 - 7 - 6)
RED = RGBColor(0xD0, 0x10, 0x10)

CENTER, RIGHT, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

__all__ = [
    "BODY_FONT",
    "BODY_PT",
    "CENTER",
    "RIGHT",
    "TITLE_FONT",
    "TITLE_PT",
    "about",
    "cn_date",
    "document_number",
    "heading",
    "new_document",
    "number_line",
    "para",
    "red_head",
    "run",
    "signature",
    "subheading",
    "title",
    "to_bytes",
]


def new_document(*, title_text: str = "", author: str = "", normal_font: bool = True):
    """An empty page in the GB/T 9704 layout (see the module's doc); `title_text` and `author` go into the
    file's properties. `normal_font` is kept for old callers: the Normal style is always 仿宋 三号."""
    del normal_font
    doc = Document()
    for section in doc.sections:
        _page(section)
    _normal_style(doc)
    _font_table(doc)
    _page_numbers(doc)
    props = doc.core_properties
    props.title, props.author, props.comments = _clean(title_text), _clean(author), ""
    props.last_modified_by = _clean(author)
    return doc


def _page(section) -> None:
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], PAGE["right"]
    section.footer_distance, section.header_distance = FOOTER_DISTANCE, Mm(15)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)


def _set_fonts(r_pr, font: str) -> None:
    fonts = r_pr.get_or_add_rFonts()
    for key in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(key), None)
    for key in ("w:eastAsia", "w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(key), font)


def _normal_style(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(BODY_PT)
    r_pr = normal.element.get_or_add_rPr()
    _set_fonts(r_pr, BODY_FONT)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWENTIETHS))
    r_pr.append(spacing)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if r_pr is not None:
        _set_fonts(r_pr, BODY_FONT)


def _font_table(doc) -> None:
    """Declare the official fonts with GB2312 charset and their free alternatives (altName)."""
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    table = parse_xml(part.blob)
    for name, (charset, family, pitch) in FONT_SPECS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        if name in FALLBACKS:
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), FALLBACKS[name])
            font.append(alt)
        for tag, value in (("w:charset", charset), ("w:family", family), ("w:pitch", pitch)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        table.append(font)
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_numbers(doc) -> None:
    """ "— 1 —" in 宋体 四号: odd pages on the right, even pages on the left, one character in (§7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        for footer, align in ((section.footer, RIGHT), (section.even_page_footer, LEFT)):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.alignment = align
            fmt = p.paragraph_format
            fmt.space_before = fmt.space_after = Pt(0)
            if align == RIGHT:
                fmt.right_indent = Pt(PAGE_NUMBER_PT)
            else:
                fmt.left_indent = Pt(PAGE_NUMBER_PT)
            number = {"font": PAGE_NUMBER_FONT, "size": PAGE_NUMBER_PT}
            run(p, "— ", **number)
            page_field(p, **number)
            run(p, " —", **number)


def page_field(paragraph, **run_kw) -> None:
    """A PAGE field (Word fills in the page's number; "1" until it does)."""
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        r = run(paragraph, text if kind == "text" else "", **run_kw)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        elif kind != "text":
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)


def _clean(text) -> str:
    return escape_controls(str(text or ""))


def run(
    paragraph, text: str, *, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False, color=None
):
    """Text in a paragraph, its font set for Latin and East Asian text alike; a control character that a
    Word file cannot hold (text stored before the input check, the audit log's) is shown escaped."""
    r = paragraph.add_run(_clean(text))
    r.font.name = font
    r.font.size = Pt(size)
    r.font.bold = bold
    if color is not None:
        r.font.color.rgb = color
    _set_fonts(r._element.get_or_add_rPr(), font)
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
    p.alignment = JUSTIFY if align is None else align
    if text:
        run(p, text, **run_kw)
    return p


_TRAILING = "。，、；：！？.,;:!? 　"


def title(doc, text: str, *, size: float = TITLE_PT, space_after: float = 0, blank_after: bool = True):
    """The document's title: 方正小标宋简体 二号, centred, without trailing punctuation (§7.3.3), and one
    empty line before the text."""
    text = _clean(text).strip().rstrip(_TRAILING)
    p = para(doc, text, align=CENTER, indent=False, font=TITLE_FONT, size=size, space_after=space_after)
    p.paragraph_format.line_spacing = Pt(max(LINE_PT, size + 10))
    if blank_after:
        para(doc, indent=False)
    return p


def heading(doc, number: int, text: str, *, font: str = HEADING_FONT, indent: bool = True, **run_kw):
    """A first-level heading "一、text" (`number` from 1), in 黑体, indented like the text."""
    return para(doc, f"{numeral(number)}、{text}", indent=indent, font=font, **run_kw)


def subheading(doc, number: int, text: str, **run_kw):
    """A second-level heading "（一）text" in 楷体."""
    return para(doc, f"（{numeral(number)}）{text}", font=SUBHEADING_FONT, **run_kw)


def red_head(doc, issuer: str, number: str = "", *, align=RIGHT, more: tuple[str, ...] = ()):
    """The red head (版头): the issuer's name in red 小标宋, then the document number (and the lines of
    `more`, as 签发人：…, on the same side) above a red rule. Returns the number's paragraph."""
    head = para(doc, issuer, align=CENTER, indent=False, font=HEAD_FONT, size=RED_HEAD_PT, color=RED)
    head.paragraph_format.line_spacing = Pt(RED_HEAD_PT + 12)
    para(doc, indent=False)
    line = last = number_line(doc, number, align=align)
    for text in more:
        last = number_line(doc, text, align=align)
    red_rule(last)
    para(doc, indent=False)
    return line


def number_line(doc, number: str, *, align=CENTER):
    """The document number (发文字号) line: centred under a red head, or on the right in a letter."""
    p = para(doc, indent=False, align=align)
    if number:
        run(p, number.strip())
    if align == RIGHT:
        p.paragraph_format.right_indent = Pt(BODY_PT)
    return p


def red_rule(paragraph) -> None:
    """The red line under the red head: a bottom border on the paragraph."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", "D01010")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p_pr.append(borders)


def _width(text: str) -> float:
    """The width of a line in characters: a CJK character is one, a digit or Latin letter half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def signature(doc, issuer: str, on: date | None = None, *, blank_lines: int = 2):
    """The issuing body and the date at the end (§7.3.5.1): the date four characters in from the right, the
    issuer centred over it. Returns (issuer's paragraph, date's paragraph)."""
    for _ in range(blank_lines):
        para(doc, indent=False)
    day = cn_date(on)
    centre = max(4 + _width(day) / 2, _width(issuer) / 2)  # characters from the right edge
    who = para(doc, issuer, align=RIGHT, indent=False)
    who.paragraph_format.right_indent = Pt(BODY_PT * (centre - _width(issuer) / 2))
    who.paragraph_format.keep_with_next = True  # the issuer and the date on one page
    when = para(doc, day, align=RIGHT, indent=False)
    when.paragraph_format.right_indent = Pt(BODY_PT * (centre - _width(day) / 2))
    return who, when


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- words and numbers as the papers write them -------------------------------------------------------------

_VERBS = ("审议批准", "审议通过", "审议", "审查批准", "审查", "听取")


def about(subject: str, kind: str) -> str:
    """A title "关于<subject>的<kind>" that never repeats its own 关于 or 的<kind> (DOMAIN §11): the subject
    "关于政府工作报告的决议" and "审议镇人民政府工作报告" both give 关于(镇人民)政府工作报告的决议."""
    core = (subject or "").strip().rstrip(_TRAILING)
    changed = True
    while changed:
        before = core
        core = core.removeprefix("关于").strip()
        for suffix in (f"的{kind}", kind):
            if core.endswith(suffix):
                core = core.removesuffix(suffix).strip()
                break
        for verb in _VERBS:
            core = core.removeprefix(verb).strip()
        changed = core != before
    return f"关于{core}的{kind}" if core else kind


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

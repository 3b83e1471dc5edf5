"""Reading a generated Word document back and checking it against GB/T 9704-2012 (DOMAIN §11): the one
check every document's test calls, so each kind is held to the same page, fonts and page numbers."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONTS = {"仿宋_GB2312", "黑体", "楷体_GB2312"}
TITLE_FONT = "方正小标宋简体"
DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def _east_asian(run) -> str | None:
    r_pr = run._element.rPr
    fonts = r_pr.rFonts if r_pr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


TOLERANCE = Mm(0.3)


def _close(a, b, tolerance=TOLERANCE) -> bool:
    return abs(int(a) - int(b)) <= tolerance


def check(data: bytes, *, title: str | list[str], issuer: str | None = None):
    """Open `data` and assert the national format; returns the python-docx Document for more checks.

    A4 with margins 37/35/28/26 mm and the 22-line grid on every section; the title `title` (or each of a
    list of titles, in order) once, in
    方正小标宋简体 22 pt, centred, intact (no doubled 关于 or 的决议, no trailing punctuation); every other
    text run in 仿宋_GB2312 (or 黑体/楷体 for headings) at 16 pt; odd and even footers "— 1 —" with a PAGE
    field; the fonts' free alternatives in the font table; with `issuer`, the issuing body and a date
    right-aligned at the end."""
    doc = Document(io.BytesIO(data))
    for section in doc.sections:
        got = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
        assert all(_close(g, w) for g, w in zip(got, (Mm(210), Mm(297), Mm(37), Mm(35)), strict=True)), got
        assert _close(section.left_margin, Mm(28)) and _close(section.right_margin, Mm(26))
        grid = section._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:linePitch")) == "579" and grid.get(qn("w:type")) == "lines"
        for footer in (section.footer, section.even_page_footer):
            assert [p.text for p in footer.paragraphs if p.text] == ["— 1 —"]
            assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
    assert doc.settings.odd_and_even_pages_header_footer
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    condensed = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert int(Mm(156).pt / (16 + condensed)) == 28  # 28 characters a line

    expected = [title] if isinstance(title, str) else list(title)
    titles = [p for p in doc.paragraphs if any(_east_asian(r) == TITLE_FONT for r in p.runs) and p.runs]
    titles = [p for p in titles if p.runs[0].font.size == Pt(22)]
    assert [p.text for p in titles] == expected, [p.text for p in titles]
    for p in titles:
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert "关于关于" not in p.text and not re.search(r"的(决议|决定|答复)的\1", p.text)
        assert p.text[-1] not in "。，、；：！？.,;:"
    assert doc.core_properties.title == expected[0]

    for p in doc.paragraphs:
        for r in p.runs:
            font = _east_asian(r)
            if font == TITLE_FONT or not r.text.strip():
                continue  # the title and the red head
            assert font in BODY_FONTS, (p.text, font)
            assert r.font.size == Pt(16), (p.text, r.font.size)

    table = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob
    text = table.decode("utf-8")
    assert 'w:name="仿宋_GB2312"' in text and 'w:val="仿宋"' in text and 'w:name="方正小标宋简体"' in text

    if issuer is not None:
        filled = [p for p in doc.paragraphs if p.text.strip()]
        dates = [i for i, p in enumerate(filled) if DATE.match(p.text.strip())]
        assert dates, "no date at the end"
        at = dates[-1]
        assert filled[at].alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert filled[at - 1].text == issuer and filled[at - 1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert at >= len(filled) - 3, "the issuer and date close the document (a note may follow)"
    return doc


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def pdf_pages(data: bytes) -> int | None:
    """The number of pages LibreOffice makes of the document; None when `soffice` is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "paper.docx"
        source.write_bytes(data)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
             "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        pdf = (Path(tmp) / "paper.pdf").read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))

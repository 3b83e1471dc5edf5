"""The procedure book for the wall (issue 21 part 3): each flowchart and the rules book in Word (GB/T 9704,
the project's one builder `common.word`, the chart embedded as PNG with its steps in a table beside it) and
each flowchart as an A4 PDF page (cairosvg: the same SVG, no office suite at run time)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx.shared import Mm

from apps.common import word

from . import chart as charts
from .data import Procedure

TABLE_PT = 12  # 小四: the tables' text
A4 = (595.3, 841.9)  # points
TEXT_WIDTH_MM = 156  # the GB/T 9704 text block


def _table(doc, header: list[str], rows: list[list[str]]):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        word.run(cell.paragraphs[0], text, font=word.HEADING_FONT, size=TABLE_PT)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            word.run(cell.paragraphs[0], text, size=TABLE_PT)
    return table


def procedure_title(proc: Procedure) -> str:
    return _("%(name)s流程图") % {"name": proc.label}


def step_rows(proc: Procedure) -> list[list[str]]:
    labels = {n.key: n.label for n in proc.nodes}
    return [
        [
            e.label,
            "、".join(labels[s] for s in e.sources),
            labels[e.target],
            e.who_text or "—",
            e.deadline.text if e.deadline and e.deadline.text else "—",
        ]
        for e in proc.edges
    ]


def procedure_docx(proc: Procedure, *, issuer: str = "") -> bytes:
    title = procedure_title(proc)
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    png = charts.png(charts.layout(proc))
    doc.add_picture(io.BytesIO(png), width=Mm(TEXT_WIDTH_MM))
    word.para(doc, _("图中粗框为起始环节，双线框为办结环节。"), indent=False)
    word.heading(doc, 1, _("各环节"))
    _table(doc, [_("环节"), _("从"), _("到"), _("由谁办理"), _("时限")], step_rows(proc))
    if proc.note:
        word.heading(doc, 2, _("说明"))
        word.para(doc, proc.note)
    if issuer:
        word.signature(doc, issuer)
    return word.to_bytes(doc)


def rules_docx(
    law_rows: list[dict], local_rows: list[dict], towns: list, documents: list, *, issuer=""
) -> bytes:
    title = _("规则汇编")
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    word.heading(doc, 1, _("法定规则"))
    _table(
        doc,
        [_("规则"), _("依据"), _("数值")],
        [[str(r["rule"].rule), r["source"], str(r["value"] or "—")] for r in law_rows],
    )
    word.heading(doc, 2, _("本地规则"))
    header = [_("规则"), _("设置项"), _("默认值"), *[t.name for t in towns]]
    _table(
        doc,
        header,
        [
            [str(r["setting"].label), r["setting"].key, _value(r["default"], r["setting"])]
            + [_value(v, r["setting"]) for v in r["values"]]
            for r in local_rows
        ],
    )
    if documents:
        word.heading(doc, 3, _("本镇规章制度"))
        for d in documents:
            number = f"（{d.number}）" if d.number else ""
            word.para(doc, f"{d.region.name}：{d.title}{number}")
    if issuer:
        word.signature(doc, issuer)
    return word.to_bytes(doc)


def _value(value, setting) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    choices = dict(setting.choices)
    shown = choices.get(value, value)
    return f"{shown}{setting.unit if setting.unit and not choices else ''}"


def procedure_pdf(proc: Procedure) -> bytes:
    """One A4 page (landscape when the chart is wide): the title above the chart, scaled to the page."""
    import cairosvg

    c = charts.layout(proc)
    w, h = A4 if c.height >= c.width * 0.8 else (A4[1], A4[0])
    margin, head = 40, 60
    inner = charts.render_svg(c, css=True)
    inner = inner.replace(
        "<svg ",
        f'<svg x="{margin}" y="{head}" width="{w - 2 * margin:.0f}" height="{h - head - margin:.0f}" ',
        1,
    ).replace(f' width="{c.width:.0f}" height="{c.height:.0f}"', "", 1)
    page = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.1f}pt" height="{h:.1f}pt" '
        f'viewBox="0 0 {w:.1f} {h:.1f}"><text x="{w / 2:.1f}" y="{margin + 6}" text-anchor="middle" '
        f'font-size="20" font-family="Noto Serif CJK SC, serif">{escape(procedure_title(proc))}</text>'
        f"{inner}</svg>"
    )
    return cairosvg.svg2pdf(bytestring=page.encode())

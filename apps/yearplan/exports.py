"""A township's year calendar out (issue 20 part 4): an Excel ledger (every cell through
`common.excel.text_cell`, so a title typed as `=...` stays text) and a Word document in the one official
layout (common/word.py, GB/T 9704-2012), the items month by month, issued by the township's presidium (a
street's working committee). Both take the rows already scoped by the caller (selectors.items)."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpResponse
from django.utils.translation import gettext as _

from apps.common import word
from apps.common.downloads import docx_response
from apps.common.excel import ledger_cell, paper_ledger, workbook_response
from apps.places.terms import terms_for

WEEKDAYS = "一二三四五六日"
MONTHS = "一二三四五六七八九十"


def _weekday(d) -> str:
    return f"星期{WEEKDAYS[d.weekday()]}"


def _month_name(m: int) -> str:
    return f"{MONTHS[m - 1]}月" if m <= 10 else f"十{MONTHS[m - 11]}月"


def title_of(town, year: int) -> str:
    return f"{town.name}{year}年人大工作日历" if town else f"{year}年人大工作日历"


def xlsx(town, year: int, rows) -> HttpResponse:
    """The ledger: date, weekday, item, kind, township, state, note (a county's list keeps its townships)."""
    title = title_of(town, year)
    heads = [
        (_("日期"), 12),
        (_("星期"), 8),
        (_("事项"), 40),
        (_("类别"), 14),
        (_("镇（街道）"), 14),
        (_("状态"), 10),
        (_("说明"), 40),
    ]
    wb, ws = paper_ledger(title=title, sheet=title, headers_widths=heads)
    for item in rows:
        values = [
            item.date, _weekday(item.date), item.title, str(item.get_kind_display()), item.region.name,
            str(item.state_label), item.cancel_reason or item.note,
        ]  # fmt: skip
        ws.append([ledger_cell(ws, v) for v in values])
    return workbook_response(wb, title)


def docx_bytes(town, year: int, rows) -> bytes:
    """关于印发《…年人大工作日历》的通知 body: one heading per month, one line per item with its date."""
    issuer = terms_for(town).issuer(town)
    title = title_of(town, year)
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    live = [r for r in rows if r.state != "cancelled"]
    word.para(
        doc,
        f"根据县人大常委会年度工作日历模板和本镇工作安排，{year}年共安排人大工作事项{len(live)}项，"
        "请各位代表和有关单位按时参加、及时登记履职记录。具体安排如下：",
    )
    for n, (month, group) in enumerate(groupby(live, key=lambda r: r.date.month), start=1):
        word.heading(doc, n, _month_name(month))
        for item in group:
            when = f"{word.cn_date(item.date)}（{_weekday(item.date)}）"
            line = f"{when}：{item.title}（{item.get_kind_display()}）。"
            word.para(doc, line + item.note)
    if not live:
        word.para(doc, "本年度暂无日历事项。")
    word.signature(doc, issuer)
    return word.to_bytes(doc)


def docx(town, year: int, rows) -> HttpResponse:
    return docx_response(docx_bytes(town, year, rows), f"{title_of(town, year)}.docx")

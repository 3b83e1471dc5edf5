"""The assessment table out (issue 20 part 3): the ranking with every indicator's points as an Excel sheet
(through `common.excel`, so no cell becomes a formula) and the results notice in Word (GB/T 9704, through
`common.word`): the table's indicators, the ranking with the tie-break rules that applied, the advanced units.
The county's PC standing committee issues it (人大常委会)."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook

from apps.common import word
from apps.common.excel import sheet_title, text_cell

from .results import Results

KIND = "考核结果的通报"


def _num(x):
    return None if x is None else float(x)


def workbook(res: Results) -> Workbook:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(f"{res.table.year}年考核结果"))
    head = ["名次", "镇（街道）", "总分", "同分排序依据", "先进单位"] + [
        f"{i.aspect.name}·{i.name}" for i in res.indicators
    ]
    ws.append([text_cell(ws, h) for h in head])
    for t in res.towns:
        cells = [t.rank, t.name, _num(t.total), t.tie_rule, "是" if t.advanced else ""]
        cells += [_num(ln.points) for ln in t.lines]
        ws.append([text_cell(ws, c) for c in cells])
    ws2 = wb.create_sheet(title=sheet_title("指标体系"))
    heads = ("考核方面", "指标", "评分方式", "计算口径", "目标值", "基本分", "每超一个单位加分", "最高分",
             "每差一个单位扣分", "佐证材料要求")  # fmt: skip
    ws2.append([text_cell(ws2, h) for h in heads])
    for i in res.indicators:
        row = [i.aspect.name, i.name, i.get_source_display(), i.metric, _num(i.target), _num(i.base_points),
               _num(i.increment_points), _num(i.cap), _num(i.deduction), i.evidence_rule]  # fmt: skip
        ws2.append([text_cell(ws2, c) for c in row])
    return wb


def issuer_of(table) -> str:
    return f"{table.region.name}人大常委会"


def title_of(table) -> str:
    return word.about(f"{table.year}年度镇人大工作考核结果", KIND)


def results_docx(res: Results, *, on=None) -> bytes:
    table = res.table
    issuer = issuer_of(table)
    title = title_of(table)
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    word.para(doc, "各镇人大、各街道人大工委：", indent=False)
    word.para(
        doc,
        f"根据《{table.title}》，县人大常委会办公室对各镇（街道）{table.year}年度人大工作进行了考核。"
        "考核得分大部分由平台记录的会议、接待、答复、监督和履职数据自动计算，其余由县人大办依据佐证材料评分并经复核。"
        "现将考核结果通报如下：",
    )
    word.heading(doc, 1, "考核指标")
    aspects: dict = {}
    for i in res.indicators:
        aspects.setdefault(i.aspect, []).append(i)
    for n, (aspect, inds) in enumerate(aspects.items(), start=1):
        names = "、".join(i.name for i in inds)
        word.para(doc, f"{n}. {aspect.name}{'（加分项）' if aspect.is_bonus else ''}：{names}。")
    word.heading(doc, 2, "考核得分和名次")
    for t in res.towns:
        tie = f"（{t.tie_rule}）" if t.tie_rule else ""
        word.para(doc, f"第{t.rank}名：{t.name}，{t.total}分{tie}。")
    advanced = [t.name for t in res.towns if t.advanced]
    word.heading(doc, 3, "先进单位")
    word.para(
        doc,
        f"{'、'.join(advanced)}被评为{table.year}年度镇人大工作先进单位。"
        if advanced
        else "本年度未评选先进单位。",
    )
    word.para(doc, "希望受表彰的单位再接再厉，其他镇（街道）对照考核指标查找差距，推动人大工作提质增效。")
    word.signature(doc, issuer, on or table.published_on or timezone.localdate())
    return word.to_bytes(doc)

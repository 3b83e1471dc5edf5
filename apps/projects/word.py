"""The projects' official papers in the one layout (common/word.py, GB/T 9704-2012) and the Excel ledgers
(common/excel.py, every cell through its escaping): the candidate list put to the vote, the vote's result,
the adopted list (published), the projects' ledger and the county's figures."""

from __future__ import annotations

from django.utils import timezone

from apps.common import word
from apps.common.excel import xlsx_response
from apps.places.terms import terms_for


def _money(value) -> str:
    return f"{value:.2f}" if value is not None else ""


def candidates_docx(cl, candidates) -> bytes:
    issuer = terms_for(cl.region).issuer(cl.region)
    title = f"{cl.year}年民生实事候选项目清单"
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    word.para(
        doc,
        f"经广泛征集、筛选，提请{cl.region.name}人民代表大会票决的民生实事候选项目共{len(candidates)}个，"
        f"拟票决产生{cl.places}个。每名代表所选项目不得多于{cl.places}个，多选的选票无效。",
    )
    for i, c in enumerate(candidates, 1):
        word.heading(doc, i, c.title)
        place = f"实施地点：{c.village.name}；" if c.village_id else ""
        word.para(doc, f"{place}投资预算：{_money(c.budget)}万元；实施计划：{c.schedule or '—'}。")
        if c.detail:
            word.para(doc, c.detail.splitlines()[0][:500])
    word.signature(doc, issuer, timezone.localdate())
    return word.to_bytes(doc)


def result_docx(cl, rounds) -> bytes:
    issuer = terms_for(cl.region).issuer(cl.region)
    title = f"{cl.year}年民生实事项目票决结果"
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    for r in rounds:
        if r.state != "counted":
            continue
        word.heading(doc, r.number, f"第{r.number}轮（{r.get_kind_display()}）")
        word.para(
            doc,
            f"全体代表{r.total_deputies}名，收回选票{r.ballots_cast}张，其中有效票{r.ballots_valid}张、"
            f"无效票{r.ballots_void}张；项目通过须得{r.needed}票。{r.result_note}。",
        )
        for ln in sorted(r.lines.all(), key=lambda x: -x.votes):
            word.para(doc, f"{ln.candidate.title}：{ln.votes}票，{ln.get_result_display()}")
    word.signature(doc, issuer, timezone.localdate())
    return word.to_bytes(doc)


def adopted_docx(town, year: int, projects) -> bytes:
    issuer = terms_for(town).issuer(town)
    title = f"关于公布{year}年民生实事项目的公告"
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    word.para(
        doc,
        f"经{town.name}人民代表大会票决，{year}年民生实事项目共{len(projects)}个，现予公布，接受社会监督。",
    )
    for i, p in enumerate(projects, 1):
        word.heading(doc, i, p.title)
        parts = [f"投资预算{_money(p.budget)}万元", f"得票{p.votes}票"]
        if p.unit_id:
            parts.append(f"责任单位：{p.unit.name}")
        if p.leader_id:
            parts.append(f"牵头主席团成员：{p.leader.name}")
        monitors = "、".join(d.name for d in p.monitors.all())
        if monitors:
            parts.append(f"监督代表：{monitors}")
        word.para(doc, "；".join(parts) + "。")
    word.signature(doc, issuer, timezone.localdate())
    return word.to_bytes(doc)


LEDGER = [
    ("年度", lambda p: p.year),
    ("镇（街道）", lambda p: p.region.name),
    ("项目名称", lambda p: p.title),
    ("类别", lambda p: p.get_category_display()),
    ("投资预算（万元）", lambda p: _money(p.budget)),
    ("得票", lambda p: p.votes),
    ("责任单位", lambda p: p.unit.name if p.unit_id else ""),
    ("牵头主席团成员", lambda p: p.leader.name if p.leader_id else ""),
    ("进度（%）", lambda p: round(p.percent or 0)),
    ("已支出（万元）", lambda p: _money(p.spent)),
    ("状态", lambda p: str(p.state_label)),
    ("完成日期", lambda p: p.completed_on.isoformat() if p.completed_on else ""),
]

FIGURES = [
    ("镇（街道）", lambda r: r["town"]),
    ("征集建议", lambda r: r["proposed"]),
    ("票决项目", lambda r: r["adopted"]),
    ("已完成", lambda r: r["completed"]),
    ("按期完成", lambda r: r["on_time"]),
    ("投资预算（万元）", lambda r: _money(r["budget"])),
    ("已支出（万元）", lambda r: _money(r["spent"])),
    ("满意", lambda r: r["satisfied"]),
    ("基本满意", lambda r: r["basic"]),
    ("不满意", lambda r: r["dissatisfied"]),
    ("满意率（%）", lambda r: "" if r["satisfaction"] is None else r["satisfaction"]),
]


def ledger_response(projects):
    return xlsx_response(filename="民生实事项目台账", sheet="民生实事项目", columns=LEDGER, rows=projects)


def figures_response(rows, year: int, total: dict | None = None):
    """The towns' figures, and the county's line under them when given."""
    rows = [*rows, {"town": "合计", **total}] if total else rows
    return xlsx_response(filename=f"{year}年民生实事项目统计", sheet="分镇统计", columns=FIGURES, rows=rows)

"""The tally report as an Excel sheet (计票报告): the figures of the page, laid out like the paper count."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from apps.common.excel import ledger_cell, paper_ledger, workbook_response

from . import paper
from .models import Round


def tally_figures(round_: Round, tally: dict) -> list[tuple[str, object]]:
    """The count's figures under the candidates (label, value or None), for the Excel and the Word."""
    src = paper.sources(round_) if tally["counted"] else None
    return [
        (_("全体代表"), round_.total_deputies),
        (_("到会代表"), round_.present),
        (_("发出选票"), round_.ballots_issued),
        (_("收回选票"), round_.ballots_cast),
        # Deputies without phones (issue 16): how many ballots came in on phones and how many on paper.
        (_("其中手机投票"), src["phone_ballots"] if src else None),
        (_("其中纸质选票"), src["paper_ballots"] if src else None),
        (_("发出纸质选票"), src["paper_issued"] if src and src["paper_issued"] is not None else None),
        (_("有效票"), round_.ballots_valid if tally["counted"] else None),
        (_("无效票"), round_.ballots_void if tally["counted"] else None),
        (_("本轮应选"), round_.seats),
        (_("当选所需票数（全体代表过半数）"), round_.needed),
        (_("状态"), round_.get_state_display()),
        (_("结果说明"), round_.result_note),
    ]


def tally_title(round_: Round) -> str:
    return _("%(post)s 第%(n)d轮（%(kind)s）计票报告") % {
        "post": round_.post.title,
        "n": round_.number,
        "kind": round_.get_kind_display(),
    }


def tally_workbook(round_: Round, tally: dict) -> HttpResponse:
    title = tally_title(round_)
    heads = [
        (_("序号"), 8),
        (_("候选人"), 18),
        (_("赞成"), 10),
        (_("反对"), 10),
        (_("弃权"), 10),
        (_("结果"), 24),
    ]
    wb, ws = paper_ledger(title=title, sheet=_("计票报告"), headers_widths=heads)

    def row(*values, bold=False):
        ws.append([ledger_cell(ws, v, bold=bold) for v in values])

    for r in tally["rows"]:
        row(r["order"], r["name"], r["votes_for"], r["votes_against"], r["votes_abstain"], r["result_label"])
    row("")
    row(_("另选他人"), bold=True)
    for w in tally["write_ins"]:
        row("", w["name"], w["count"])
    for o in tally["written_outcomes"]:
        row("", o["name"], o["votes"], "", "", o["result_label"])
    row("")
    figures = tally_figures(round_, tally)
    for label, value in figures:
        row(label, value if value is not None else "—")
    return workbook_response(wb, f"tally-{round_.pk}")

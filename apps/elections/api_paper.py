"""/api/v1 endpoints for paper ballots in an electronic round (issue 16 item 2): the office hands named
deputies a paper ballot; two tellers enter and confirm the counted paper totals. Thin: `paper.py` does
the work; mounted under the elections router."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Router, Schema

from apps.common.api import ERRORS

from . import paper

router = Router(tags=["elections"])

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Count = Annotated[int, Field(ge=0, le=100_000)]
Name = Annotated[str, Field(min_length=1, max_length=50)]


class RoundPaperIssueIn(Schema):
    deputies: list[Id] = Field(..., min_length=1, max_length=2000, description="领取纸质选票的代表 id")


class RoundPaperIssueOut(Schema):
    issued: int


class LineCountIn(Schema):
    candidate: Id = Field(..., description="候选人 id")
    votes_for: Count = Field(..., description="赞成")
    votes_against: Count = Field(..., description="反对")
    votes_abstain: Count = Field(..., description="弃权")


class WriteInCountIn(Schema):
    name: Name = Field(..., description="另选他人的姓名")
    count: Count


class RoundPaperTotalsIn(Schema):
    issued: Count = Field(..., description="发出纸质选票（领取纸质选票的代表人数）")
    returned: Count = Field(..., description="收回纸质选票")
    valid: Count = Field(..., description="有效票")
    void: Count = Field(..., description="无效票")
    lines: list[LineCountIn] = Field(..., max_length=200, description="选票上每位候选人的得票")
    write_ins: list[WriteInCountIn] = Field([], max_length=200, description="另选他人及其得票")


class RoundPaperTotalsOut(Schema):
    round: int
    state: str
    paper_issued: int = Field(..., description="领取纸质选票的代表人数")
    totals: dict | None = Field(
        None,
        description="录入的统计：issued、returned、valid、void、"
        "lines（候选人 id → [赞成, 反对, 弃权]）、write_ins（姓名 → 票数）",
    )
    entered_by: int | None
    confirmed_by: int | None
    phone_ballots: int = Field(..., description="手机投票数")
    paper_ballots: int = Field(..., description="已复核计入的纸质选票收回数")


def totals_out(round_) -> dict:
    src = paper.sources(round_)
    return {
        "round": round_.pk,
        "state": round_.state,
        "paper_issued": src["paper_issued"] or 0,
        "totals": round_.paper_totals,
        "entered_by": round_.paper_entered_by_id,
        "confirmed_by": round_.paper_confirmed_by_id,
        "phone_ballots": src["phone_ballots"],
        "paper_ballots": src["paper_ballots"],
    }


@router.post(
    "/elections/rounds/{round_id}/paper/issue",
    response={200: RoundPaperIssueOut, **ERRORS},
    summary="发放纸质选票（电子投票中）",
)
def issue(request, round_id: int, payload: RoundPaperIssueIn):
    """电子投票进行中，向没有手机的代表发放纸质选票：记下其已参加本轮投票（不能再用手机投票），不记其选择；
    已用手机投票的代表不能领取。"""
    n = paper.issue_paper_ballots(actor=request.user, round_id=round_id, deputy_ids=payload.deputies)
    return {"issued": n}


@router.put(
    "/elections/rounds/{round_id}/paper-totals",
    response={200: RoundPaperTotalsOut, **ERRORS},
    summary="录入纸质选票统计",
)
def enter(request, round_id: int, payload: RoundPaperTotalsIn):
    """投票结束后（计票中），本次会议的一名监票人录入纸质选票的清点结果，须由另一名监票人复核。"""
    totals = {
        "issued": payload.issued,
        "returned": payload.returned,
        "valid": payload.valid,
        "void": payload.void,
        "lines": {ln.candidate: [ln.votes_for, ln.votes_against, ln.votes_abstain] for ln in payload.lines},
        "write_ins": {},
    }
    for w in payload.write_ins:
        totals["write_ins"][w.name] = totals["write_ins"].get(w.name, 0) + w.count
    return totals_out(paper.enter_paper_totals(actor=request.user, round_id=round_id, totals=totals))


@router.post(
    "/elections/rounds/{round_id}/paper-totals/confirm",
    response={200: RoundPaperTotalsOut, **ERRORS},
    summary="复核纸质选票统计",
)
def confirm(request, round_id: int):
    """另一名监票人复核纸质选票统计；票箱解密后，结果为手机选票与纸质选票之和（收回选票多于发出选票则选举无效）。
    不需要请求体。"""
    return totals_out(paper.confirm_paper_totals(actor=request.user, round_id=round_id))

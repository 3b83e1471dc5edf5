"""/api/v1 endpoints for deputies without phones (issue 16 item 2): bulk check-in by ticks or scanned 代表码,
an open vote's paper ballots recorded and confirmed by two staff members, a secret vote's paper ballots
handed out and their counted totals entered and confirmed by two tellers. Thin: `services.paper` does the
work; mounted under the meetings router."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Router, Schema, Status

from apps.common.api import ERRORS

from . import services

router = Router(tags=["meetings"])

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Count = Annotated[int, Field(ge=0, le=100_000)]


class BulkCheckinIn(Schema):
    attendees: list[Id] = Field([], max_length=2000, description="勾选的参会人员 id")
    scanned: str = Field(
        "",
        max_length=100_000,
        description="扫码枪录入的代表证二维码内容（代表码或其网址 /d/<代表码>/），可多个，任意分隔",
    )


class BulkCheckinOut(Schema):
    checked_in: list[str] = Field(..., description="本次签到的人员")
    already: list[str] = Field(..., description="此前已签到的人员（未改动）")
    unknown: list[str] = Field(..., description="不属于本次会议应到代表的代表码")


class PaperBallotIn(Schema):
    deputy: Id = Field(..., description="投纸质票的代表 id")
    choice: Literal["for", "against", "abstain"]


class PendingPaperBallotOut(Schema):
    id: int
    vote: int = Field(..., alias="vote_id")
    deputy: int = Field(..., alias="deputy_id")
    choice: str
    recorded_by: int = Field(..., alias="recorded_by_id")


class PaperBallotConfirmIn(Schema):
    accept: bool = Field(True, description="与纸质票核对一致为 true；不一致为 false（作废此录入，重新录入）")


class PaperBallotConfirmOut(Schema):
    ok: bool
    counted: bool = Field(..., description="是否已计入（成为该代表的记名票）")


class PaperIssueIn(Schema):
    deputies: list[Id] = Field(..., min_length=1, max_length=2000, description="领取纸质票的代表 id")


class PaperIssueOut(Schema):
    issued: int


class PaperTotalsIn(Schema):
    issued: Count = Field(..., description="发出纸质票")
    returned: Count = Field(..., description="收回纸质票")
    valid: Count = Field(..., description="有效票")
    void: Count = Field(..., description="无效票")
    votes_for: Count = Field(..., alias="for", description="赞成")
    against: Count = Field(..., description="反对")
    abstain: Count = Field(..., description="弃权")


class PaperTotalsOut(Schema):
    vote: int
    state: str
    paper_issued: int | None
    paper_returned: int | None
    paper_valid: int | None
    paper_void: int | None
    paper_for: int | None
    paper_against: int | None
    paper_abstain: int | None
    entered_by: int | None
    confirmed_by: int | None


def _totals_out(vote) -> dict:
    return {
        "vote": vote.pk,
        "state": vote.state,
        **{f"paper_{k}": getattr(vote, f"paper_{k}") for k in services.PAPER_FIELDS},
        "entered_by": vote.paper_entered_by_id,
        "confirmed_by": vote.paper_confirmed_by_id,
    }


@router.post(
    "/meetings/{meeting_id}/checkin/bulk",
    response={200: BulkCheckinOut, **ERRORS},
    summary="工作人员批量签到",
)
def bulk_check_in(request, meeting_id: int, payload: BulkCheckinIn):
    """人大办勾选多名代表，或用扫码枪读取代表证上的二维码（代表码），一次签到；已签到的不改动。"""
    return services.staff_check_in_many(
        actor=request.user, meeting_id=meeting_id, attendee_ids=payload.attendees, scanned=payload.scanned
    )


@router.post(
    "/votes/{vote_id}/paper", response={201: PendingPaperBallotOut, **ERRORS}, summary="录入记名纸质票"
)
def record_paper(request, vote_id: int, payload: PaperBallotIn):
    """记名表决中，工作人员按纸质票录入一名代表的选择；须由另一名工作人员复核后才计入。"""
    pending = services.record_paper_ballot(
        actor=request.user, vote_id=vote_id, deputy_id=payload.deputy, choice=payload.choice
    )
    return Status(201, pending)


@router.post(
    "/votes/{vote_id}/paper/{deputy_id}/confirm",
    response={200: PaperBallotConfirmOut, **ERRORS},
    summary="复核记名纸质票",
)
def confirm_paper(request, vote_id: int, deputy_id: int, payload: PaperBallotConfirmIn):
    """另一名工作人员与纸质票核对：一致则计入该代表的票（该代表不能再用手机投票），不一致则作废此录入。"""
    ballot = services.confirm_paper_ballot(
        actor=request.user, vote_id=vote_id, deputy_id=deputy_id, accept=payload.accept
    )
    return {"ok": True, "counted": ballot is not None}


@router.post(
    "/votes/{vote_id}/paper/issue", response={200: PaperIssueOut, **ERRORS}, summary="发放无记名纸质票"
)
def issue_paper(request, vote_id: int, payload: PaperIssueIn):
    """无记名表决中，向没有手机的代表发放纸质票：记下其已参加表决（不能再用手机投票），不记其选择。"""
    n = services.issue_paper_ballots(actor=request.user, vote_id=vote_id, deputy_ids=payload.deputies)
    return {"issued": n}


@router.put(
    "/votes/{vote_id}/paper-totals", response={200: PaperTotalsOut, **ERRORS}, summary="录入纸质票统计"
)
def enter_totals(request, vote_id: int, payload: PaperTotalsIn):
    """无记名表决结束后，监票人录入纸质票的清点结果；须由另一名监票人复核。"""
    totals = {
        "issued": payload.issued,
        "returned": payload.returned,
        "valid": payload.valid,
        "void": payload.void,
        "for": payload.votes_for,
        "against": payload.against,
        "abstain": payload.abstain,
    }
    return _totals_out(services.enter_paper_totals(actor=request.user, vote_id=vote_id, totals=totals))


@router.post(
    "/votes/{vote_id}/paper-totals/confirm",
    response={200: PaperTotalsOut, **ERRORS},
    summary="复核纸质票统计",
)
def confirm_totals(request, vote_id: int):
    """另一名监票人复核纸质票统计；票箱解密后，结果为电子票与纸质票之和（收回票数多于到会代表则表决无效）。"""
    return _totals_out(services.confirm_paper_totals(actor=request.user, vote_id=vote_id))

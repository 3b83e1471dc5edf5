"""/api/v1 endpoints after the election (issue 21 part 4): the elected of a post with their oath and
office, recording an oath (宪法宣誓), the appointment paper (任命书), the sitting's result announcement
(公告) and a round's tally as Word. Thin: `aftermath.py` and `word.py` do the work; mounted under the
elections router."""

from __future__ import annotations

from datetime import date

from ninja import Field, Router, Schema, Status

from apps.accounts.scopes import get_or_deny
from apps.common.api import ERRORS, ErrorOut
from apps.common.downloads import docx_response
from apps.meetings.models import Meeting

from . import aftermath, selectors
from .word import announcement_docx, appointment_docx, tally_docx

router = Router(tags=["elections"])

DOCX = {200: None, 404: ErrorOut}


class OathOut(Schema):
    taken_on: date = Field(..., description="宣誓日期")
    before: str = Field(..., description="监誓人")
    place: str = Field(..., description="宣誓地点")


class ElectedOfficeOut(Schema):
    deputy: int = Field(..., description="代表 id（任职记在代表信息上）")
    title: str = Field(..., description="职务")
    started_on: date = Field(..., description="任职日期（当选之日）")


class ElectedOut(Schema):
    id: int = Field(..., description="选举结果 id（宣誓、任命书用）")
    name: str
    votes: int
    round: int = Field(..., description="当选的轮次 id")
    oath: OathOut | None = Field(None, description="宪法宣誓记录，尚未宣誓为空")
    office: ElectedOfficeOut | None = Field(None, description="代表的任职记录，当选人不是代表时为空")


class OathIn(Schema):
    taken_on: date = Field(..., description="宣誓日期，不早于当选之日、不晚于今天")
    before: str = Field(..., min_length=1, max_length=50, description="监誓人")
    place: str = Field("", max_length=100, description="宣誓地点")


def _one(o) -> dict:
    oath, office = getattr(o, "oath", None), getattr(o, "office", None)
    return {
        "id": o.pk,
        "name": o.name,
        "votes": o.votes,
        "round": o.round_id,
        "oath": oath and {"taken_on": oath.taken_on, "before": oath.before, "place": oath.place},
        "office": office
        and {"deputy": office.deputy_id, "title": office.title, "started_on": office.started_on},
    }


@router.get(
    "/elections/posts/{post_id}/elected",
    response={200: list[ElectedOut], 404: ErrorOut},
    summary="当选人及其宪法宣誓",
)
def elected(request, post_id: int):
    """本职务已计票轮次中的当选人，附宪法宣誓记录与代表任职记录。"""
    return [_one(o) for o in aftermath.elected(selectors.post_detail(request.user, post_id))]


@router.post(
    "/elections/outcomes/{outcome_id}/oath",
    response={201: ElectedOut, **ERRORS},
    summary="记录宪法宣誓",
)
def record_oath(request, outcome_id: int, payload: OathIn):
    """记录当选人的宪法宣誓（何时、在谁的监誓下、何地）。只能为已计票轮次的当选人记录一次。"""
    oath = aftermath.record_oath(
        actor=request.user,
        outcome_id=outcome_id,
        taken_on=payload.taken_on,
        before=payload.before,
        place=payload.place,
    )
    return Status(201, _one(aftermath.elected_outcome(request.user, oath.outcome_id)))


@router.get("/elections/outcomes/{outcome_id}/appointment.docx", response=DOCX, summary="任命书（Word）")
def appointment(request, outcome_id: int):
    """当选人的任命书，公文格式（GB/T 9704）。未当选的结果没有任命书（404）。"""
    outcome = aftermath.elected_outcome(request.user, outcome_id)
    return docx_response(appointment_docx(outcome), f"{outcome.name}任命书.docx")


@router.get(
    "/elections/meetings/{meeting_id}/announcement.docx", response=DOCX, summary="选举结果公告（Word）"
)
def announcement(request, meeting_id: int):
    """本次会议全部已计票的当选结果公告，公文格式（GB/T 9704）。"""
    meeting = get_or_deny(request.user, Meeting, pk=meeting_id)
    return docx_response(announcement_docx(meeting), f"{meeting.title}选举结果公告.docx")


@router.get("/elections/rounds/{round_id}/report.docx", response=DOCX, summary="计票报告Word")
def report_docx(request, round_id: int):
    """计票报告，与Excel同样的数字，公文格式（GB/T 9704）。"""
    round_ = selectors.round_detail(request.user, round_id)
    return docx_response(tally_docx(round_, selectors.tally(round_)), f"计票报告-{round_.pk}.docx")

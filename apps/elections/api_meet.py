"""/api/v1 for 候选人与代表见面会 (DOMAIN §5, issue 16 item 5), tag elections: plan the meeting from a post,
the candidates' statements and photos, and whether it was held and who attended (the meeting's check-in,
taken through /api/v1/meetings/{id}/checkin as for any meeting)."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from ninja import File, Router, Schema, Status, UploadedFile

from apps.common.api import ERRORS, Ref, column
from apps.common.errors import NotFound
from apps.meetings.models import Meeting
from apps.workflow.uploads import file_response

from . import meet, selectors
from .models import Candidate

router = Router(tags=["elections"])


class CandidatesMeetingIn(Schema):
    starts_at: datetime
    place: column(Meeting._meta.get_field("place")) = ""
    chair: column(Meeting._meta.get_field("chair")) = ""


class StatementIn(Schema):
    statement: column(Candidate._meta.get_field("statement"))


class CandidateStatementOut(Schema):
    id: int
    name: str
    statement: str
    statement_at: datetime | None
    photo_url: str | None

    @staticmethod
    def resolve_photo_url(obj):
        photo_id = getattr(obj, "photo_id", None)
        if photo_id is None:
            photo = meet.photo_of(obj)
            photo_id = photo.pk if photo else None
        return reverse("api:candidate_photo", args=[obj.pk]) if photo_id else None


class PresentOut(Schema):
    name: str
    checked_in_at: datetime
    method: str


class CandidatesMeetingOut(Schema):
    post: Ref
    meeting: Ref | None
    starts_at: datetime | None
    place: str
    state: str
    held: bool
    expected: int
    present: list[PresentOut]
    candidates: list[CandidateStatementOut]


def _out(post) -> dict:
    a = meet.attendance(post)
    m = a.meeting
    return {
        "post": {"id": post.pk, "name": post.title},
        "meeting": {"id": m.pk, "name": m.title} if m else None,
        "starts_at": m.starts_at if m else None,
        "place": m.place if m else "",
        "state": m.state if m else "",
        "held": a.held,
        "expected": a.expected,
        "present": [
            {"name": p.name, "checked_in_at": p.checked_in_at, "method": p.checkin_method} for p in a.present
        ],
        "candidates": meet.candidates_with_statements(post),
    }


@router.get(
    "/elections/posts/{post_id}/candidates-meeting",
    response={200: CandidatesMeetingOut, **ERRORS},
    summary="候选人与代表见面会",
)
def get_candidates_meeting(request, post_id: int):
    """见面会是否已安排、已举行，谁签到参加；候选人的介绍和照片（代表在手机上阅读）。"""
    return _out(selectors.post_detail(request.user, post_id))


@router.post(
    "/elections/posts/{post_id}/candidates-meeting",
    response={201: CandidatesMeetingOut, **ERRORS},
    summary="安排候选人与代表见面会",
)
def plan_candidates_meeting(request, post_id: int, payload: CandidatesMeetingIn):
    """为本次会议尚未安排见面会的所有选举职务安排一次见面会；出席以该会议的签到为准。"""
    meet.plan_candidates_meeting(
        actor=request.user,
        post_id=post_id,
        starts_at=payload.starts_at,
        place=payload.place,
        chair=payload.chair,
    )
    return Status(201, _out(selectors.post_detail(request.user, post_id)))


@router.put(
    "/elections/candidates/{candidate_id}/statement",
    response={200: CandidateStatementOut, **ERRORS},
    summary="填写候选人介绍",
)
def set_statement(request, candidate_id: int, payload: StatementIn):
    """人大办或候选人本人（有登录账号的代表）填写；正式选举开始后不能修改。"""
    return meet.set_statement(actor=request.user, candidate_id=candidate_id, statement=payload.statement)


@router.post(
    "/elections/candidates/{candidate_id}/photo",
    response={201: CandidateStatementOut, **ERRORS},
    summary="上传候选人照片",
)
def set_photo(request, candidate_id: int, file: File[UploadedFile]):
    meet.set_photo(actor=request.user, candidate_id=candidate_id, upload=file)
    return Status(201, meet.candidate_for(request.user, candidate_id))


@router.get(
    "/elections/candidates/{candidate_id}/photo",
    response={200: None, **ERRORS},
    summary="候选人照片",
    url_name="candidate_photo",
)
def get_photo(request, candidate_id: int):
    photo = meet.photo_of(meet.candidate_for(request.user, candidate_id))
    if photo is None:
        raise NotFound()
    return file_response(photo)

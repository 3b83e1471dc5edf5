"""/api/v1/meetings and /api/v1/votes (DOMAIN §5): meetings, agenda, check-in, leave, the live state the
screens show, votes and ballots, minutes and resolutions in Word.

Thin: each operation parses with a schema and calls one selector or service with `request.user`. The ballot
path is kept lean for the load benchmark: the service does everything in a handful of queries.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny
from apps.common.api import ERRORS, Page, RegionRef, paginate
from apps.common.downloads import docx_response
from apps.common.errors import NotFound, ValidationFailed
from apps.common.params import IdArg, PageArg, PageSizeArg
from apps.places.models import Region
from apps.workflow.uploads import file_response

from . import selectors, services
from .models import Session
from .word import minutes_docx, notice_docx, resolutions_docx

router = Router(tags=["meetings"])
public_router = Router(tags=["meetings"], auth=None)


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    state: str
    state_label: str = Field(..., alias="get_state_display")
    region: RegionRef
    session: int | None = Field(None, alias="session_id")
    place: str
    chair: str
    starts_at: datetime
    checkin_opens_at: datetime | None
    checkin_closes_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    allow_vote_change: bool


class AgendaOut(Schema):
    id: int
    order: int
    title: str
    kind: str
    description: str


class AttendeeOut(Schema):
    id: int
    name: str
    deputy: int | None = Field(None, alias="deputy_id")
    voting: bool
    checked_in_at: datetime | None
    checkin_method: str
    late: bool
    leave: str
    leave_reason: str


class DocumentOut(Schema):
    id: int
    name: str
    kind: str
    size: int


class VoteOut(Schema):
    id: int
    meeting: int = Field(..., alias="meeting_id")
    agenda_item: int = Field(..., alias="agenda_item_id")
    round: int
    title: str
    secret: bool
    allow_change: bool
    state: str
    duration_seconds: int | None
    opened_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    total_deputies: int | None
    present: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    not_voted: int | None
    adopted: bool | None
    phone_ballots: int | None = Field(None, description="电子票数（结束后）")
    paper_ballots: int | None = Field(None, description="纸质票数（结束后；无记名表决为收回的纸质票）")
    voided: bool = Field(False, description="收回的票数多于发出或多于到会代表，表决无效")


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaOut]
    attendees: list[AttendeeOut]
    documents: list[DocumentOut]
    votes: list[VoteOut]

    @staticmethod
    def resolve_agenda(obj):
        return list(selectors.agenda(obj))

    @staticmethod
    def resolve_attendees(obj):
        return list(selectors.attendees(obj))

    @staticmethod
    def resolve_documents(obj):
        return list(selectors.documents(obj))

    @staticmethod
    def resolve_votes(obj):
        return list(selectors.votes(obj))


class MeetingFilters(Schema):
    state: str = ""
    kind: str = ""
    q: str = ""
    page: PageArg = 1
    page_size: PageSizeArg = None


class SessionIn(Schema):
    term: int
    number: int
    title: str = ""


class MeetingIn(Schema):
    region: str = Field(..., description="镇的区划代码")
    kind: str
    title: str
    starts_at: datetime
    place: str = ""
    chair: str = ""
    session: IdArg = None
    new_session: SessionIn | None = None
    checkin_opens_at: datetime | None = None
    checkin_closes_at: datetime | None = None
    allow_vote_change: bool = False
    non_voting: list[str] = []
    agenda: list[str] = []


class AgendaIn(Schema):
    title: str
    kind: str = ""
    description: str = ""


class CheckinIn(Schema):
    token: str | None = None


class LeaveIn(Schema):
    reason: str


class LeaveDecisionIn(Schema):
    approve: bool
    reason: str = ""


class VoteIn(Schema):
    agenda_item: int
    secret: bool = False
    allow_change: bool | None = None
    duration_seconds: int | None = None
    title: str = ""


class BallotIn(Schema):
    choice: Literal["for", "against", "abstain"]


class BallotOut(Schema):
    ok: bool
    vote: int
    receipt: str = Field(
        "",
        description=(
            "无记名表决的选票回执（加密选票的指纹），计票后可在"
            " /api/v1/public/ballotbox/receipts/{receipt} 核验；记名表决为空"
        ),
    )


class TellerOut(Schema):
    id: int
    name: str


class TellersOut(Schema):
    tellers: list[TellerOut] = Field(..., description="本次会议的监票人")
    choices: list[TellerOut] = Field(
        ..., description="可指定为监票人的用户：本次会议的代表和本镇（街道）人大办工作人员"
    )


class TellersIn(Schema):
    user_ids: list[int] = Field(..., min_length=2, max_length=20, description="监票人（用户 id），至少两名")


def _teller(u) -> dict:
    return {"id": u.pk, "name": getattr(u, "display_name", "") or u.get_username()}


def _tellers_out(meeting) -> dict:
    return {
        "tellers": [_teller(u) for u in meeting.tellers.order_by("pk")],
        "choices": [_teller(u) for u in services.teller_choices(meeting)],
    }


class OkOut(Schema):
    ok: bool = True


@router.get("/meetings", response=Page[MeetingOut], summary="会议列表")
def list_meetings(request, filters: Query[MeetingFilters]):
    """按角色限定范围：镇（街道）人大办看本镇（街道），县人大办看全县，代表看本人应出席的会议。"""
    qs = selectors.meetings(request.user, state=filters.state, kind=filters.kind, q=filters.q.strip())
    return paginate(qs, filters.page, filters.page_size)


@router.post("/meetings", response={201: MeetingDetailOut, **ERRORS}, summary="筹备会议")
def create_meeting(request, payload: MeetingIn):
    """街道不设代表大会：在街道创建代表大会会议（`new_session`）或预备会议、全体会议、大会主席团会议，答复
    400 `no_congress_in_street`。"""
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise ValidationFailed(fields={"region": ["区划不存在"]})
    perms.require_in(request.user, perms.MEETING_MANAGE, region)
    session = None
    if payload.session:
        session = Session.objects.filter(pk=payload.session, region=region).first()
        if session is None:
            raise ValidationFailed(fields={"session": ["所属大会不存在"]})
    elif payload.new_session:
        session = services.plan_session(
            actor=request.user,
            region=region,
            term=payload.new_session.term,
            number=payload.new_session.number,
            title=payload.new_session.title,
            starts_on=payload.starts_at.date(),
        )
    meeting = services.plan_meeting(
        actor=request.user,
        region=region,
        kind=payload.kind,
        title=payload.title,
        starts_at=payload.starts_at,
        place=payload.place,
        chair=payload.chair,
        session=session,
        checkin_opens_at=payload.checkin_opens_at,
        checkin_closes_at=payload.checkin_closes_at,
        allow_vote_change=payload.allow_vote_change,
        non_voting=payload.non_voting,
        agenda=payload.agenda,
    )
    return Status(201, selectors.meeting_for(request.user, meeting.pk))


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS}, summary="会议详情")
def get_meeting(request, meeting_id: int):
    return selectors.meeting_for(request.user, meeting_id)


@router.post("/meetings/{meeting_id}/agenda", response={201: AgendaOut, **ERRORS}, summary="增加议程")
def add_agenda(request, meeting_id: int, payload: AgendaIn):
    item = services.add_agenda_item(
        actor=request.user,
        meeting_id=meeting_id,
        title=payload.title,
        kind=payload.kind,
        description=payload.description,
    )
    return Status(201, item)


@router.post(
    "/meetings/{meeting_id}/documents", response={201: DocumentOut, **ERRORS}, summary="上传会议文件"
)
def add_document(request, meeting_id: int, file: File[UploadedFile], agenda_item: Form[int | None] = None):
    """代表会前、会中在手机上阅读的文件（PDF、Word、图片），挂在会议或某项议程上。"""
    att = services.add_document(
        actor=request.user, meeting_id=meeting_id, upload=file, agenda_item_id=agenda_item
    )
    return Status(201, att)


@router.get(
    "/meetings/{meeting_id}/documents/{attachment_id}", response={200: None, **ERRORS}, summary="下载会议文件"
)
def get_document(request, meeting_id: int, attachment_id: int):
    meeting = selectors.meeting_for(request.user, meeting_id)
    att = selectors.documents(meeting).filter(pk=attachment_id).first()
    if att is None:
        raise NotFound()
    return file_response(att)


@router.post("/meetings/{meeting_id}/open", response={200: MeetingOut, **ERRORS}, summary="宣布开会")
def open_meeting(request, meeting_id: int):
    """代表大会的预备会议、全体会议须全体代表三分之二以上出席方能举行。"""
    services.open_meeting(actor=request.user, meeting_id=meeting_id)
    return selectors.meeting_for(request.user, meeting_id)


@router.post("/meetings/{meeting_id}/close", response={200: MeetingOut, **ERRORS}, summary="散会")
def close_meeting(request, meeting_id: int):
    services.close_meeting(actor=request.user, meeting_id=meeting_id)
    return selectors.meeting_for(request.user, meeting_id)


@router.post("/meetings/{meeting_id}/checkin/open", response={200: MeetingOut, **ERRORS}, summary="开始签到")
def open_checkin(request, meeting_id: int):
    services.open_checkin(actor=request.user, meeting_id=meeting_id)
    return selectors.meeting_for(request.user, meeting_id)


@router.post("/meetings/{meeting_id}/checkin/close", response={200: MeetingOut, **ERRORS}, summary="截止签到")
def close_checkin(request, meeting_id: int):
    services.close_checkin(actor=request.user, meeting_id=meeting_id)
    return selectors.meeting_for(request.user, meeting_id)


@router.post(
    "/meetings/{meeting_id}/checkin",
    response={200: AttendeeOut, **ERRORS},
    summary="代表签到",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": CheckinIn.json_schema()}},
        }
    },
)
def check_in(request, meeting_id: int):
    """代表本人在签到时间内用手机签到（可不带请求体）；带会场二维码的 `token` 时记为扫码签到。"""
    token = request.GET.get("t") or None
    if request.content_type == "application/json" and request.body:
        try:
            data = json.loads(request.body)
        except ValueError:
            raise ValidationFailed(fields={"token": ["请求数据格式不正确"]}) from None
        token = data.get("token") if isinstance(data, dict) else None
        if token is not None and not isinstance(token, str):
            raise ValidationFailed(fields={"token": ["签到码格式不正确"]})
    return services.check_in(actor=request.user, meeting_id=meeting_id, token=token)


@router.post(
    "/meetings/{meeting_id}/attendees/{attendee_id}/checkin",
    response={200: AttendeeOut, **ERRORS},
    summary="工作人员代签到",
)
def staff_check_in(request, meeting_id: int, attendee_id: int):
    return services.staff_check_in(actor=request.user, meeting_id=meeting_id, attendee_id=attendee_id)


@router.post("/meetings/{meeting_id}/leave", response={200: AttendeeOut, **ERRORS}, summary="代表请假")
def request_leave(request, meeting_id: int, payload: LeaveIn):
    return services.request_leave(actor=request.user, meeting_id=meeting_id, reason=payload.reason)


@router.post(
    "/meetings/{meeting_id}/attendees/{attendee_id}/leave",
    response={200: AttendeeOut, **ERRORS},
    summary="审批请假",
)
def decide_leave(request, meeting_id: int, attendee_id: int, payload: LeaveDecisionIn):
    return services.decide_leave(
        actor=request.user,
        meeting_id=meeting_id,
        attendee_id=attendee_id,
        approve=payload.approve,
        reason=payload.reason,
    )


@router.get("/meetings/{meeting_id}/live", response={200: dict, **ERRORS}, summary="会场实时状态")
def live(request, meeting_id: int, view: Literal["hall", "chair", "phone"] = "hall"):
    """大屏（hall）、主持人（chair）、代表手机（phone）看到的实时状态；chair 仅限人大办。"""
    meeting = selectors.meeting_for(request.user, meeting_id)
    if view == "chair" and not perms.holds(request.user, perms.MEETING_MANAGE, meeting):
        deny(request.user, perms.MEETING_MANAGE, meeting)
    return services.live_state(meeting, view)


@router.get("/meetings/{meeting_id}/tellers", response={200: TellersOut, **ERRORS}, summary="监票人")
def get_tellers(request, meeting_id: int):
    """本次会议的监票人：每项无记名表决和选举的票箱由他们共同生成密钥、共同解密总数。"""
    return _tellers_out(selectors.meeting_for(request.user, meeting_id, perms.MEETING_MANAGE))


@router.put("/meetings/{meeting_id}/tellers", response={200: TellersOut, **ERRORS}, summary="指定监票人")
def put_tellers(request, meeting_id: int, payload: TellersIn):
    return _tellers_out(
        services.name_tellers(actor=request.user, meeting_id=meeting_id, user_ids=payload.user_ids)
    )


@router.post("/meetings/{meeting_id}/votes", response={201: VoteOut, **ERRORS}, summary="设立表决")
def create_vote(request, meeting_id: int, payload: VoteIn):
    """对一项议程设立表决（第1轮），或对已结束的表决重新表决（下一轮，与前一轮并存）。"""
    vote = services.create_vote(
        actor=request.user,
        meeting_id=meeting_id,
        agenda_item_id=payload.agenda_item,
        secret=payload.secret,
        allow_change=payload.allow_change,
        duration_seconds=payload.duration_seconds,
        title=payload.title,
    )
    return Status(201, vote)


@router.post("/votes/{vote_id}/open", response={200: VoteOut, **ERRORS}, summary="开始表决")
def open_vote(request, vote_id: int):
    return services.open_vote(actor=request.user, vote_id=vote_id)


@router.post("/votes/{vote_id}/close", response={200: VoteOut, **ERRORS}, summary="结束表决")
def close_vote(request, vote_id: int):
    return services.close_vote(actor=request.user, vote_id=vote_id)


@router.post("/votes/{vote_id}/ballot", response={200: BallotOut, **ERRORS}, summary="投票")
def ballot(request, vote_id: int, payload: BallotIn):
    """已签到的代表本人投赞成、反对或弃权；每人一票，由数据库保证。"""
    receipt = services.cast(actor=request.user, vote_id=vote_id, choice=payload.choice)
    return {"ok": True, "vote": vote_id, "receipt": receipt}


@router.get("/votes/{vote_id}", response={200: VoteOut, **ERRORS}, summary="表决结果")
def get_vote(request, vote_id: int):
    return selectors.vote_for(request.user, vote_id)


@router.get("/meetings/{meeting_id}/minutes.docx", response={200: None, **ERRORS}, summary="会议记录（Word）")
def minutes(request, meeting_id: int):
    meeting = selectors.meeting_for(request.user, meeting_id, perms.MEETING_MANAGE)
    return docx_response(minutes_docx(meeting), f"{meeting.title}会议记录.docx")


@router.get("/meetings/{meeting_id}/notice.docx", response={200: None, **ERRORS}, summary="会议通知（Word）")
def notice(request, meeting_id: int):
    """会议通知（GB/T 9704 公文格式），发给应出席的代表。"""
    meeting = selectors.meeting_for(request.user, meeting_id, perms.MEETING_MANAGE)
    return docx_response(notice_docx(meeting), f"{meeting.title}通知.docx")


@router.get("/meetings/{meeting_id}/resolutions.docx", response={200: None, **ERRORS}, summary="决议（Word）")
def resolutions(request, meeting_id: int):
    meeting = selectors.meeting_for(request.user, meeting_id, perms.MEETING_MANAGE)
    return docx_response(resolutions_docx(meeting), f"{meeting.title}决议.docx")


# Deputies without phones (issue 16): bulk check-in and paper ballots, in their own module.
from .api_paper import router as _paper_router  # noqa: E402

router.add_router("", _paper_router)

# Group deliberation and agenda checklists (issue 16 items 4 and 7).
from .api_deliberation import router as _deliberation_router  # noqa: E402

router.add_router("", _deliberation_router)
# Resolutions followed up (issue 16 item 6).
from .api_resolutions import router as _resolutions_router  # noqa: E402

router.add_router("", _resolutions_router)

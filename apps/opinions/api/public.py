"""The public door: submitting an opinion without login, and tracking it by its code."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import Field, File, Form, Schema, Status, UploadedFile
from ninja.utils import check_csrf

from apps.audit.services import current_ip
from apps.common.api import ErrorOut

from .. import selectors, services
from ..models import Topic
from ..workflow import OPINION_WORKFLOW
from .common import (
    public_router,
)

# --- the public door --------------------------------------------------------------------------------------


class PublicIn(Schema):
    station: int | None = Field(None, description="联络站二维码中的联络站编号")
    deputy_code: str = Field("", description="代表码（代表二维码中的编号）")
    title: str = ""
    content: str = ""
    topic: str = Topic.OTHER
    submitter_name: str = ""
    submitter_phone: str = Field("", description="匿名反映须留手机号码")
    enterprise_name: str = ""


class SubmittedOut(Schema):
    tracking_code: str
    state_label: str


@public_router.post(
    "",
    auth=None,
    response={201: SubmittedOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="群众在线反映",
)
def submit_public(request, payload: Form[PublicIn], photo: File[UploadedFile] = None):
    """扫联络站二维码或代表码后在线反映意见（multipart 表单，可附一张照片 `photo`）。匿名反映须留手机
    号码；同一地址每小时、同一号码每天的提交次数有限，超过时答复 429 throttled。返回查询码。"""
    user = request.user if _session_user_checked(request) else None
    item = services.submit_public(
        data=payload.dict(),
        uploads=[photo] if photo else [],
        ip=current_ip() or request.META.get("REMOTE_ADDR"),
        user=user,
    )
    return Status(201, {"tracking_code": item.tracking_code, "state_label": str(item.state_label)})


def _session_user_checked(request) -> bool:
    """A logged-in browser's submission carries the user's name only with a valid CSRF token, so another
    site cannot file opinions in a deputy's or voter's name; without it the submission is anonymous."""
    if not getattr(request.user, "is_authenticated", False):
        return False
    return check_csrf(request) is None


class PublicStepOut(Schema):
    label: str
    date: date


class PublicOpinionOut(Schema):
    tracking_code: str
    title: str
    topic: str = Field(..., alias="get_topic_display")
    state: str
    state_label: str
    received_on: date
    assigned_on: date | None
    unit: str | None
    replied_on: date | None
    reply: str | None
    closed_on: date | None
    steps: list[PublicStepOut]

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.state_label)

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_reply(obj) -> str | None:
        return obj.reply if obj.replied_on else None

    @staticmethod
    def resolve_steps(obj):
        # Only what happened and when: no actor, no reason (a refusal's reason may name people).
        return [
            {"label": str(OPINION_WORKFLOW.state(s.to_state).label), "date": timezone.localdate(s.at)}
            for s in selectors.steps(obj)
        ]


@public_router.get(
    "/{code}", auth=None, response={200: PublicOpinionOut, 404: ErrorOut}, summary="查询办理进度"
)
def track(request, code: str):
    """凭查询码查看事项的办理状态、承办单位、答复和各环节日期；不显示任何人的姓名或联系方式。"""
    return services.opinion_for_public(code)

"""The year's awards and 议案 (motions)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status

from apps.common.api import ERRORS, ErrorOut, Page, Ref, RegionRef, paginate
from apps.common.errors import ValidationFailed
from apps.common.params import PageArg, PageSizeArg, YearArg
from apps.places.models import Region
from apps.places.selectors import region_by_code
from apps.workflow.api import (
    StepOut,
    TransitionOut,
    add_action_routes,
    steps_out,
    transitions_out,
)

from .. import selectors, services
from ..models import SignatureStatus
from ..workflow import MOTION_WORKFLOW
from .common import (
    SignerOut,
    SuggestionRef,
    _signature,
    router,
)
from .handling import (
    SignatureIn,
)

# --- awards -----------------------------------------------------------------------------------------------


class AwardOut(Schema):
    id: int
    year: int
    town: RegionRef
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    suggestion: SuggestionRef | None
    unit: Ref | None
    note: str


class AwardsIn(Schema):
    town: str = Field(..., description="镇的区划代码")
    year: int
    suggestions: list[int] = Field([], description="优秀建议编号")
    units: list[int] = Field([], description="优秀承办单位编号")


def _town(user, code: str) -> Region:
    town = region_by_code(user, code)
    if town.level != "town":
        message = _("请选择镇")
        raise ValidationFailed(message, fields={"town": [message]})
    return town


@router.post("/awards", response={200: list[AwardOut], **ERRORS}, summary="评选优秀建议和承办单位")
def select_awards(request, payload: AwardsIn):
    """人大办评选本镇（街道）一年的优秀建议和优秀承办单位：建议须是本镇（街道）已答复的，单位须办理过本镇（街道）的
    建议。同一镇（街道）同一年再次提交时，以新名单替换原名单。"""
    town = _town(request.user, payload.town)
    services.select_awards(
        actor=request.user,
        town=town,
        year=payload.year,
        suggestion_ids=payload.suggestions,
        unit_ids=payload.units,
    )
    return selectors.awards(request.user, year=payload.year, town=town)


class AwardFilters(Schema):
    year: YearArg = None
    town: str | None = Field(None, description="镇的区划代码")


@router.get("/awards", response={200: list[AwardOut], 404: ErrorOut}, summary="评优结果")
def list_awards(request, filters: Query[AwardFilters]):
    """当前用户辖区内各镇各年度的优秀建议和优秀承办单位，可按年度和镇筛选。"""
    town = region_by_code(request.user, filters.town) if filters.town else None
    return selectors.awards(request.user, year=filters.year, town=town)


# --- motions ----------------------------------------------------------------------------------------------


class MotionOut(Schema):
    id: int
    number: str = Field(..., description="议案号，如 城关案〔2026〕3号；提交时编号，草稿为空")
    title: str
    session_label: str
    region: RegionRef
    by_presidium: bool
    lead: Ref | None
    state: str
    state_label: str
    created_at: datetime
    decision_note: str
    suggestion: int | None = Field(None, alias="suggestion_id", description="转为代表建议后的建议编号")

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.state_label)


def _signers(motion):
    """Who counts toward the motion's five, worked out once per response."""
    if not hasattr(motion, "_signers_split"):
        motion._signers_split = selectors.motion_signers(motion)
    return motion._signers_split


class MotionDetailOut(MotionOut):
    content: str
    signers: list[SignerOut]
    confirmed: int = Field(..., description="已确认联名的代表人数（含领衔）")
    counted: int = Field(..., description="计入联名人数的代表：已确认联名、本镇在任的镇人大代表（含领衔）")
    not_counted: list[Ref] = Field(
        ..., description="已确认联名但不计入的代表：不是本镇在任的镇人大代表（如只是县人大代表）"
    )
    due_date: date | None
    version: int
    steps: list[StepOut]
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_signers(obj):
        return [_signature(s) for s in obj.signatures.select_related("deputy").order_by("-is_lead", "pk")]

    @staticmethod
    def resolve_confirmed(obj) -> int:
        return obj.signatures.filter(status=SignatureStatus.CONFIRMED).count()

    @staticmethod
    def resolve_counted(obj) -> int:
        return len(_signers(obj)[0])

    @staticmethod
    def resolve_not_counted(obj):
        return _signers(obj)[1]

    @staticmethod
    def resolve_steps(obj):
        return steps_out(obj)

    @staticmethod
    def resolve_transitions(obj, context):
        return transitions_out(context["request"].user, obj)


class MotionFilters(Schema):
    state: str = ""
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/motions", response=Page[MotionOut], summary="议案列表")
def list_motions(request, filters: Query[MotionFilters]):
    """当前用户可见的议案：人大办看本辖区的，代表看本人领衔或联名的。"""
    qs = selectors.motions(request.user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return paginate(qs, filters.page, filters.page_size)


@router.get("/motions/{motion_id}", response={200: MotionDetailOut, 404: ErrorOut}, summary="议案详情")
def get_motion(request, motion_id: int):
    """一件议案的内容、联名代表及确认情况、处理结果、办理过程和当前用户可进行的操作。"""
    return selectors.motion_detail(request.user, motion_id)


class MotionIn(Schema):
    title: str = ""
    content: str = ""
    session_label: str = ""
    by_presidium: bool = False
    region: str | None = Field(None, description="主席团提出时：镇的区划代码")
    co_signers: list[int] = Field([], description="邀请联名的本镇代表编号")


@router.post("/motions", response={201: MotionDetailOut, **ERRORS}, summary="起草议案")
def create_motion(request, payload: MotionIn):
    """代表领衔起草议案并邀请本镇代表联名，或人大办录入主席团提出的议案（`by_presidium=true`，`region`）。
    代表联名的议案须有 5 名以上本镇在任的镇人大代表确认联名才能提交；只有本镇人大代表能领衔或被邀请联名
    （只是县人大代表的不能）。"""
    return Status(201, services.create_motion(actor=request.user, data=payload.dict(exclude_none=True)))


@router.post(
    "/motions/{motion_id}/signature", response={200: MotionDetailOut, **ERRORS}, summary="确认或谢绝议案联名"
)
def sign_motion(request, motion_id: int, payload: SignatureIn):
    """被邀请的代表确认（`accept=true`）或谢绝联名议案；议案提交后不能再更改。"""
    motion = selectors.motion_detail(request.user, motion_id)
    services.respond(actor=request.user, item=motion, accept=payload.accept)
    return motion


def _act_motion(*, actor, item, key, data):
    return services.act_motion(actor=actor, motion=item, key=key, data=data)


add_action_routes(
    router,
    path="/motions/{motion_id}",
    id_param="motion_id",
    workflow=MOTION_WORKFLOW,
    fetch=selectors.motion_detail,
    act=_act_motion,
    out=MotionDetailOut,
    noun="议案",
)

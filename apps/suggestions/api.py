"""/api/v1/suggestions, /api/v1/cohandlings, /api/v1/awards, /api/v1/motions and the public replies at
/api/v1/public/suggestions (DOMAIN §4).

Thin: each operation parses with a schema and calls one selector or service with `request.user`; scoping
lives in the selectors (`visible_to`) and the services, errors are domain errors that renda/api.py turns
into `{"code", "message", "fields"}`. Deputies appear by id and name only: never a phone or an address.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from apps.accounts.models import Role
from apps.accounts.scopes import deny, get_or_deny, roles_of, visible_to
from apps.common.api import ERRORS, ErrorOut, Page, Ref, RegionRef, paginate
from apps.common.errors import NotFound, ValidationFailed
from apps.opinions.models import Topic
from apps.places.models import Region
from apps.places.selectors import region_by_code
from apps.workflow.api import (
    StepOut,
    TrackedOut,
    TransitionOut,
    add_action_routes,
    steps_out,
    transitions_out,
)

from . import selectors, services
from .letter import reply_letter
from .models import CoHandling, ConsultMethod, Period, Rating, SignatureStatus
from .workflow import COHANDLING_WORKFLOW, MOTION_WORKFLOW, SUGGESTION_WORKFLOW

router = Router(tags=["suggestions"])
public_router = Router(tags=["public"])

STATS_ROLES = {Role.COUNTY_OFFICE, Role.TOWN_OFFICE, Role.ADMIN}


class SuggestionRef(Schema):
    id: int
    number: str
    title: str


class SignerOut(Schema):
    deputy: Ref
    is_lead: bool
    status: str
    status_label: str
    responded_at: datetime | None
    merged: bool = Field(False, description="来自并入本件的建议的联名代表")


def _signature(sig, *, merged=False) -> dict:
    return {
        "deputy": {"id": sig.deputy.pk, "name": sig.deputy.name},
        "is_lead": sig.is_lead,
        "status": sig.status,
        "status_label": str(sig.get_status_display()),
        "responded_at": sig.responded_at,
        "merged": merged,
    }


def _office_only(user):
    if not roles_of(user) & STATS_ROLES:
        deny(user, "stats", object_type="suggestions.stats")


# --- suggestions: reads -----------------------------------------------------------------------------------


class SuggestionOut(TrackedOut):
    id: int
    number: str
    title: str
    topic: str
    topic_label: str = Field(..., alias="get_topic_display")
    period: str
    period_label: str = Field(..., alias="get_period_display")
    session_label: str
    region: RegionRef
    lead: Ref
    unit: Ref | None
    category: str
    is_key: bool
    created_at: datetime
    submitted_on: date | None
    assigned_on: date | None
    replied_on: date | None
    closed_on: date | None


class OpinionRef(Schema):
    id: int
    tracking_code: str
    title: str


class CoHandlingOut(TrackedOut):
    id: int
    unit: Ref
    input_text: str
    input_on: date | None


class ConsultationOut(Schema):
    method: str
    method_label: str
    on: date | None
    note: str


class FeedbackOut(Schema):
    deputy: Ref
    round: int
    handling: str
    handling_label: str = Field(..., alias="get_handling_display")
    result: str
    result_label: str = Field(..., alias="get_result_display")
    comment: str
    at: datetime


class VisitOut(Schema):
    id: int
    date: date
    note: str


class SuggestionDetailOut(SuggestionOut):
    content: str
    outcome_note: str
    merged_into: int | None = Field(None, alias="merged_into_id")
    signers: list[SignerOut]
    opinions: list[OpinionRef]
    responsible_person: str
    extended: bool
    extension_reason: str
    cohandlings: list[CoHandlingOut]
    consultation: ConsultationOut | None
    category_label: str = Field(..., alias="get_category_display")
    doc_number: str
    signer: str
    done_text: str
    planned_text: str
    planned_by: date | None
    not_adopted_text: str
    reply_text: str
    reply_on_time: bool | None
    rounds: int
    solved: bool
    solved_on: date | None
    feedback: list[FeedbackOut]
    key_member: Ref | None
    visits: list[VisitOut]
    publish: bool
    escalated_at: datetime | None
    version: int
    steps: list[StepOut]
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_signers(obj):
        own = list(obj.signatures.select_related("deputy").order_by("-is_lead", "pk"))
        seen = {s.deputy_id for s in own}
        out = [_signature(s) for s in own]
        # Signers of suggestions merged into this one are answered here too (并案: each one separately).
        for deputy in obj.signers().exclude(pk__in=seen).order_by("pk"):
            out.append(
                {
                    "deputy": {"id": deputy.pk, "name": deputy.name},
                    "is_lead": False,
                    "status": SignatureStatus.CONFIRMED,
                    "status_label": str(SignatureStatus.CONFIRMED.label),
                    "responded_at": None,
                    "merged": True,
                }
            )
        return out

    @staticmethod
    def resolve_opinions(obj):
        return list(obj.opinions.order_by("pk"))

    @staticmethod
    def resolve_cohandlings(obj):
        return list(obj.cohandlings.select_related("unit").order_by("pk"))

    @staticmethod
    def resolve_consultation(obj):
        if not obj.consult_method:
            return None
        return {
            "method": obj.consult_method,
            "method_label": str(obj.get_consult_method_display()),
            "on": obj.consult_on,
            "note": obj.consult_note,
        }

    @staticmethod
    def resolve_feedback(obj):
        return list(selectors.feedback_of(obj))

    @staticmethod
    def resolve_visits(obj):
        return list(obj.visits.all())

    @staticmethod
    def resolve_steps(obj):
        return steps_out(obj)

    @staticmethod
    def resolve_transitions(obj, context):
        return transitions_out(context["request"].user, obj)


class SuggestionFilters(Schema):
    region: str | None = None
    unit: int | None = None
    state: str = ""
    period: str = ""
    topic: str = ""
    q: str = ""
    year: int | None = None
    key_only: bool = False
    overdue: bool = False
    page: int = 1
    page_size: int | None = None


@router.get("/suggestions", response=Page[SuggestionOut], summary="代表建议列表")
def list_suggestions(request, filters: Query[SuggestionFilters]):
    """按角色与区划限定范围的代表建议列表：人大办看本辖区，承办单位看交由本单位主办的，代表看本人领衔或
    联名的。`region` 为区划代码，`state` 可为某一状态或 `open`（未办结），`overdue=true` 只列超期的，
    `key_only=true` 只列重点督办的，`q` 匹配标题、内容或立案号。"""
    region = region_by_code(request.user, filters.region) if filters.region else None
    qs = selectors.suggestions(
        request.user,
        region=region,
        unit=filters.unit,
        state=filters.state,
        period=filters.period,
        topic=filters.topic,
        q=filters.q.strip(),
        year=filters.year,
        key_only=filters.key_only,
        overdue=filters.overdue,
    )
    return paginate(qs, filters.page, filters.page_size)


# --- counts (declared before /suggestions/{id}) -------------------------------------------------------------


class FigureRow(Schema):
    key: int | str | None = Field(None, description="镇、承办单位或代表的编号，或会议名称")
    label: str | None
    total: int
    replied: int
    on_time: int
    a: int
    b: int
    c: int
    d: int
    solved: int
    overdue: int
    rated: int
    on_time_rate: float | None = Field(None, description="按时答复率（%）")
    solved_rate: float | None = Field(None, description="解决率（A类及后来解决的B类，%）")
    satisfaction_rate: float | None = Field(None, description="对办理结果的满意率（满意+基本满意，%）")
    a_share: float | None
    b_share: float | None
    c_share: float | None
    d_share: float | None


class SuggestionStatsOut(Schema):
    by: str
    year: int
    rows: list[FigureRow]


class SuggestionStatsFilters(Schema):
    by: Literal["town", "unit", "deputy", "session"] = "town"
    year: int | None = None
    region: str | None = None


@router.get(
    "/suggestions/stats",
    response={200: SuggestionStatsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="代表建议统计",
)
def suggestion_stats(request, filters: Query[SuggestionStatsFilters]):
    """本年度（或 `year`）按镇、承办单位、领衔代表或会议（`by=town|unit|deputy|session`）统计的件数、
    答复数、按时答复率、A/B/C/D 类占比、解决率与满意率，解决率和满意率并列显示。仅县、镇人大办可用。"""
    _office_only(request.user)
    year = filters.year or timezone.localdate().year
    region = region_by_code(request.user, filters.region) if filters.region else None
    rows = selectors.figures(request.user, by=filters.by, year=year, region=region)
    return {"by": filters.by, "year": year, "rows": rows}


@router.get(
    "/suggestions/{suggestion_id}", response={200: SuggestionDetailOut, 404: ErrorOut}, summary="代表建议详情"
)
def get_suggestion(request, suggestion_id: int):
    """一件建议的全部信息：联名代表及确认情况、来源社情民意、主办和协办单位、面商、答复、代表反馈、
    重点督办、办理过程，以及当前用户此刻可进行的操作。范围外的建议答复 404。"""
    return selectors.suggestion_detail(request.user, suggestion_id)


# --- suggestions: drafting --------------------------------------------------------------------------------


class SuggestionIn(Schema):
    title: str = ""
    content: str = ""
    topic: str = Field(Topic.OTHER, description="、".join(Topic.values))
    period: str = Field(Period.SESSION, description="、".join(Period.values))
    session_label: str = ""
    co_signers: list[int] = Field([], description="邀请联名的本镇代表编号")
    opinions: list[int] = Field([], description="来源社情民意编号")
    lead: int | None = Field(None, description="人大办代为录入时：领衔代表编号")


@router.post("/suggestions", response={201: SuggestionDetailOut, **ERRORS}, summary="起草代表建议")
def create_suggestion(request, payload: SuggestionIn):
    """代表起草本人领衔的建议（可邀请本镇代表联名、关联来源社情民意）；人大办可为代表录入（`lead`）。
    新建议为草稿，被邀请的代表收到通知，确认后才算联名。"""
    return Status(201, services.create_draft(actor=request.user, data=payload.dict(exclude_none=True)))


class SuggestionPatch(Schema):
    title: str | None = None
    content: str | None = None
    topic: str | None = None
    period: str | None = None
    session_label: str | None = None
    co_signers: list[int] | None = Field(None, description="联名代表的完整名单（新增的会收到邀请）")


@router.patch(
    "/suggestions/{suggestion_id}", response={200: SuggestionDetailOut, **ERRORS}, summary="修改建议草稿"
)
def update_suggestion(request, suggestion_id: int, payload: SuggestionPatch):
    """修改草稿或退回修改的建议，只改请求中给出的字段；`co_signers` 为联名代表的完整名单。只有领衔代表
    或人大办可以修改，已提交的建议不能修改。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    return services.update_draft(actor=request.user, item=item, data=data)


class SignatureIn(Schema):
    accept: bool


@router.post(
    "/suggestions/{suggestion_id}/signature",
    response={200: SuggestionDetailOut, **ERRORS},
    summary="确认或谢绝联名",
)
def sign_suggestion(request, suggestion_id: int, payload: SignatureIn):
    """被邀请的代表确认（`accept=true`）或谢绝联名；确认后记入本人履职记录。建议提交后不能再更改。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    services.respond(actor=request.user, item=item, accept=payload.accept)
    return item


# --- suggestions: handling --------------------------------------------------------------------------------


add_action_routes(
    router,
    path="/suggestions/{suggestion_id}",
    id_param="suggestion_id",
    workflow=SUGGESTION_WORKFLOW,
    fetch=selectors.suggestion_detail,
    act=services.act,
    out=SuggestionDetailOut,
    noun="代表建议",
)


class ConsultationIn(Schema):
    method: str = Field("", description="、".join(ConsultMethod.values))
    on: date | None = None
    note: str = ""


@router.post(
    "/suggestions/{suggestion_id}/consultation",
    response={200: SuggestionDetailOut, **ERRORS},
    summary="登记面商情况",
)
def record_consultation(request, suggestion_id: int, payload: ConsultationIn):
    """主办单位答复前登记与代表的面商：方式（座谈、走访、电话、其他，或“未沟通”）、日期和情况。
    未登记面商的建议不能答复。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    return services.record_consultation(
        actor=request.user, item=item, method=payload.method, on=payload.on, note=payload.note
    )


class FeedbackIn(Schema):
    handling: str = Field("", description="对办理工作：" + "、".join(Rating.values))
    result: str = Field("", description="对办理结果：" + "、".join(Rating.values))
    comment: str = ""


@router.post(
    "/suggestions/{suggestion_id}/feedback",
    response={200: SuggestionDetailOut, **ERRORS},
    summary="代表反馈评价",
)
def give_feedback(request, suggestion_id: int, payload: FeedbackIn):
    """署名代表对本轮答复分别评价办理工作和办理结果。有“不满意”时建议重新办理；全部代表评价后，A、D 类
    办结，B、C 类转入跟踪落实。每位代表每轮只能评价一次。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    services.rate(
        actor=request.user,
        item=item,
        handling=payload.handling,
        result=payload.result,
        comment=payload.comment,
    )
    return selectors.suggestion_detail(request.user, suggestion_id)


class KeyIn(Schema):
    is_key: bool
    member: int | None = Field(None, description="督办的主席团成员（代表编号）")


@router.post(
    "/suggestions/{suggestion_id}/key", response={200: SuggestionDetailOut, **ERRORS}, summary="设定重点督办"
)
def mark_key(request, suggestion_id: int, payload: KeyIn):
    """人大办按主席团决定把建议列为（或取消）重点督办，并指定跟踪督办的主席团成员。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    return services.mark_key(actor=request.user, item=item, is_key=payload.is_key, member_id=payload.member)


class VisitIn(Schema):
    on: date | None = Field(None, description="日期，默认今天")
    note: str = ""


@router.post(
    "/suggestions/{suggestion_id}/visits", response={201: VisitOut, **ERRORS}, summary="登记督办情况"
)
def add_visit(request, suggestion_id: int, payload: VisitIn):
    """为重点督办建议登记一次视察或督办情况（人大办或督办的主席团成员）。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    return Status(201, services.add_visit(actor=request.user, item=item, on=payload.on, note=payload.note))


class PublishIn(Schema):
    publish: bool


@router.post(
    "/suggestions/{suggestion_id}/publish",
    response={200: SuggestionDetailOut, **ERRORS},
    summary="设定答复公开",
)
def set_publish(request, suggestion_id: int, payload: PublishIn):
    """设定答复是否向社会公开（默认公开）；不公开的答复不出现在公开的答复列表中。仅人大办可设定。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    return services.set_publish(actor=request.user, item=item, publish=payload.publish)


class SimilarOut(Schema):
    suggestion: SuggestionOut
    score: float = Field(..., description="相似度 0–1")


class SimilarityOut(Schema):
    similar: list[SimilarOut]


@router.get(
    "/suggestions/{suggestion_id}/similar", response={200: SimilarityOut, 404: ErrorOut}, summary="相似建议"
)
def similar(request, suggestion_id: int):
    """本镇已提交的相似建议，供审查时并案参考；只列出当前用户能查看的建议。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    found = selectors.similar_submitted(item, user=request.user)
    return {"similar": [{"suggestion": s, "score": score} for s, score in found]}


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get(
    "/suggestions/{suggestion_id}/letter.docx",
    response={200: None, 404: ErrorOut},
    url_name="suggestion_letter",
    summary="下载答复函",
)
def letter(request, suggestion_id: int):
    """本轮答复的答复函（Word 文档，红头、文号、答复正文、答复类别、签发人和日期）。能查看该建议的用户
    才能下载；尚未答复的建议答复 404。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    if not item.rounds:
        raise NotFound()
    response = HttpResponse(reply_letter(item), content_type=DOCX_MIME)
    name = _("答复函-%(n)s.docx") % {"n": item.number or item.pk}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --- co-handling ------------------------------------------------------------------------------------------


class CoHandlingSuggestionOut(SuggestionRef):
    content: str
    lead_unit: Ref | None = Field(None, alias="unit")


class CoHandlingPartOut(CoHandlingOut):
    suggestion: CoHandlingSuggestionOut
    version: int


class CoHandlingFilters(Schema):
    state: str = Field("", description="requested 待提交，submitted 已提交")
    page: int = 1
    page_size: int | None = None


@router.get("/cohandlings", response=Page[CoHandlingPartOut], summary="协办事项列表")
def list_cohandlings(request, filters: Query[CoHandlingFilters]):
    """当前用户可见的协办事项：协办单位看交由本单位协办的（含建议标题和内容），人大办看本辖区的。"""
    qs = (
        visible_to(request.user, CoHandling)
        .select_related("unit", "suggestion__unit")
        .order_by("due_date", "pk")
    )
    if filters.state:
        qs = qs.filter(state=filters.state)
    return paginate(qs, filters.page, filters.page_size)


class CoInputIn(Schema):
    text: str = ""


@router.post(
    "/cohandlings/{cohandling_id}/input", response={200: CoHandlingPartOut, **ERRORS}, summary="提交协办意见"
)
def cohandling_input(request, cohandling_id: int, payload: CoInputIn):
    """协办单位在时限内（交办后 1 个月）向主办单位提交协办意见，主办单位收到通知。与
    `POST /cohandlings/{id}/actions/submit_input`（input_text）相同。"""
    part = get_or_deny(request.user, CoHandling, pk=cohandling_id)
    return services.cohandling_input(actor=request.user, part=part, text=payload.text)


def _part(user, pk: int) -> CoHandling:
    return get_or_deny(user, CoHandling, pk=pk)


def _act_part(*, actor, item, key, data):
    from apps.workflow.services import transition

    return transition(item, key, actor=actor, data=data)


add_action_routes(
    router,
    path="/cohandlings/{cohandling_id}",
    id_param="cohandling_id",
    workflow=COHANDLING_WORKFLOW,
    fetch=_part,
    act=_act_part,
    out=CoHandlingPartOut,
    noun="协办",
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
    """人大办评选本镇一年的优秀建议（已答复的本镇建议）和优秀承办单位（办理过本镇建议的单位）。
    同一镇同一年再次提交时，以新名单替换原名单。"""
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
    year: int | None = None
    town: str | None = Field(None, description="镇的区划代码")


@router.get("/awards", response={200: list[AwardOut], 404: ErrorOut}, summary="评优结果")
def list_awards(request, filters: Query[AwardFilters]):
    """当前用户辖区内各镇各年度的优秀建议和优秀承办单位，可按年度和镇筛选。"""
    town = region_by_code(request.user, filters.town) if filters.town else None
    return selectors.awards(request.user, year=filters.year, town=town)


# --- motions ----------------------------------------------------------------------------------------------


class MotionOut(Schema):
    id: int
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


class MotionDetailOut(MotionOut):
    content: str
    signers: list[SignerOut]
    confirmed: int = Field(..., description="已确认联名的代表人数（含领衔）")
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
    def resolve_steps(obj):
        return steps_out(obj)

    @staticmethod
    def resolve_transitions(obj, context):
        return transitions_out(context["request"].user, obj)


class MotionFilters(Schema):
    state: str = ""
    page: int = 1
    page_size: int | None = None


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
    代表联名的议案须有 5 名以上代表确认联名才能提交。"""
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


# --- the public replies -----------------------------------------------------------------------------------


class PublicReplyOut(Schema):
    id: int
    number: str
    title: str
    lead: str = Field(..., description="领衔代表姓名")
    town: str
    unit: str | None
    category: str
    category_label: str = Field(..., alias="get_category_display")
    replied_on: date | None
    reply_text: str

    @staticmethod
    def resolve_lead(obj) -> str:
        return obj.lead.name

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.region.name

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None


class PublicFilters(Schema):
    region: str | None = Field(None, description="县或镇的区划代码")
    page: int = 1
    page_size: int | None = None


@public_router.get(
    "", auth=None, response={200: Page[PublicReplyOut], 404: ErrorOut}, summary="公开的建议答复"
)
def public_replies(request, filters: Query[PublicFilters]):
    """向社会公开的代表建议答复（已答复且未标记为不公开的），最新答复在前：立案号、标题、领衔代表姓名、
    镇、承办单位、答复类别、日期和答复全文。不含任何人的联系方式。"""
    region = None
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        if region is None:
            raise NotFound()
    return paginate(selectors.published(region=region), filters.page, filters.page_size)


@public_router.get(
    "/{suggestion_id}", auth=None, response={200: PublicReplyOut, 404: ErrorOut}, summary="公开的建议答复详情"
)
def public_reply(request, suggestion_id: int):
    """一件公开的建议答复；未答复或不公开的建议答复 404。"""
    item = selectors.published().filter(pk=suggestion_id).first()
    if item is None:
        raise NotFound()
    return item

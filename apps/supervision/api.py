"""/api/v1/supervision/... (tag supervision, issue 18): the year's plan and its items, the opinion roll-up
(民情清单) and listing a topic as a plan item, activities and their findings, appointments and special
inquiries with the requesting deputies' satisfaction, and each tracked kind's workflow actions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from apps.common.api import ERRORS, Page, column, paginate
from apps.common.params import IdArg, IdItem, PageArg, PageSizeArg, YearPath
from apps.rectification.api import RectificationOut
from apps.rectification.selectors import state_label as rectification_state_label
from apps.rectification.services import DUE_DAYS_MAX
from apps.workflow.api import TrackedOut, add_action_routes

from . import selectors as sel
from . import services
from .choices import ActivityKind, MeetingKind
from .models import Activity, Appointment, SupervisionPlan
from .workflow import ACTIVITY_WORKFLOW, APPOINTMENT_WORKFLOW, PLAN_WORKFLOW

router = Router(tags=["supervision"])
DayIn = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
Ids = Annotated[list[IdItem], Field(max_length=200)]


class SupervisionPlanIn(Schema):
    region: IdItem = Field(..., description="镇（乡、街道）的区划编号")
    year: YearPath
    title: column(SupervisionPlan._meta.get_field("title")) = ""


class SupervisionPlanOut(TrackedOut):
    id: int
    region: int = Field(..., alias="region_id")
    region_name: str = Field(..., alias="region.name")
    year: int
    title: str
    return_reason: str
    approved_on: date | None


class MemberOut(Schema):
    deputy: int = Field(..., alias="deputy_id")
    name: str = Field(..., alias="deputy.name")
    role: str


class ActivityIn(Schema):
    kind: ActivityKind = Field(..., description="监督形式（十种之一）")
    topic: column(Activity._meta.get_field("topic"))
    detail: Annotated[str, Field(max_length=2000)] = ""
    starts_on: DayIn
    ends_on: DayIn
    unit: IdArg = Field(None, description="监督对象：本镇或本县的单位（可选）")
    leads: Ids = Field([], description="牵头代表（本镇代表）")
    members: Ids = Field([], description="参加代表（本镇代表）")


class ActivityOut(TrackedOut):
    id: int
    plan: int = Field(..., alias="plan_id")
    region: int = Field(..., alias="region_id")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    topic: str
    detail: str
    topic_key: str
    unit: int | None = Field(None, alias="unit_id")
    starts_on: date
    ends_on: date
    summary: str
    cancel_reason: str


class ActivityDetailOut(ActivityOut):
    members: list[MemberOut]
    opinions: list[int]
    evaluations: list[int] = Field([], description="落实这一事项的工作评议编号（本人可见的）")

    @staticmethod
    def resolve_evaluations(obj, context):
        return [e.pk for e in sel.activity_evaluations(context["request"].user, obj)]

    @staticmethod
    def resolve_members(obj):
        return sel.activity_members(obj)

    @staticmethod
    def resolve_opinions(obj):
        return [o.pk for o in sel.activity_opinions(obj)]


class TopicExampleOut(Schema):
    id: int
    title: str
    received_on: date


class TopicOut(Schema):
    key: str = Field(..., description="议题归类：类别:关键词")
    label: str
    category: str
    count: int = Field(..., description="社情民意件数")
    places: int = Field(..., description="涉及村（社区）数")
    listed: bool = Field(..., description="是否已列入监督清单")
    examples: list[TopicExampleOut]


class RollupFilters(Schema):
    region: IdArg = Field(None, description="镇或县的区划编号（默认：本人所在人大办）")
    date_from: DayIn | None = Field(None, description="起始日期（默认：去年同日）")
    date_to: DayIn | None = Field(None, description="截止日期（默认：今天）")


class ListTopicIn(Schema):
    topic_key: Annotated[str, Field(min_length=1, max_length=40)]
    date_from: DayIn
    date_to: DayIn
    kind: ActivityKind = ActivityKind.INSPECTION
    topic: Annotated[str, Field(max_length=200)] = ""


class FindingIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    unit: IdArg = Field(None, description="问题涉及的单位（可选；该单位可看到这条问题）")


class FindingOut(Schema):
    id: int
    activity: int | None = Field(None, alias="activity_id")
    appointment: int | None = Field(None, alias="appointment_id")
    text: str
    unit: int | None = Field(None, alias="unit_id")
    unit_name: str | None = None
    created_at: date
    rectification: int | None = Field(
        None, alias="rectification_id", description="由此转出的整改事项编号（尚未转为整改事项时为空）"
    )
    rectification_state: str | None = Field(None, description="整改事项的状态")
    rectification_state_label: str = Field("", description="整改事项的状态名称")

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_rectification_state_label(obj):
        return rectification_state_label(getattr(obj, "rectification_state", None))

    @staticmethod
    def resolve_created_at(obj):
        return timezone.localdate(obj.created_at)


class FindingRectificationIn(Schema):
    due_days: int | None = Field(
        None, ge=1, le=DUE_DAYS_MAX, description="整改时限（工作日）；不填则按本镇的整改时限规则"
    )


class AppointmentIn(Schema):
    region: IdItem = Field(..., description="镇（乡、街道）的区划编号")
    kind: MeetingKind = Field(..., description="appointment 约见，inquiry 专题询问")
    subject: column(Appointment._meta.get_field("subject"))
    detail: Annotated[str, Field(max_length=4000)] = ""
    official: column(Appointment._meta.get_field("official"))
    body: column(Appointment._meta.get_field("body"))
    deputies: Ids = Field(
        [], description="联名代表（本镇代表；代表本人提出时自动计入）；约见须达到本镇规定人数（默认3名）"
    )
    unit: IdArg = None
    activity: IdArg = Field(None, description="所属监督事项（可选）")


class RequesterOut(Schema):
    deputy: int = Field(..., alias="deputy_id")
    name: str = Field(..., alias="deputy.name")
    satisfaction: str
    comment: str
    rated_on: date | None


class AppointmentOut(TrackedOut):
    id: int
    region: int = Field(..., alias="region_id")
    kind: str
    subject: str
    detail: str
    official: str
    body: str
    unit: int | None = Field(None, alias="unit_id")
    activity: int | None = Field(None, alias="activity_id")
    meets_on: date | None
    answer_mode: str
    answer: str
    answered_on: date | None
    close_reason: str


class AppointmentDetailOut(AppointmentOut):
    requesters: list[RequesterOut]

    @staticmethod
    def resolve_requesters(obj):
        return sel.appointment_requesters(obj)


class AppointmentRatingIn(Schema):
    satisfaction: Annotated[
        str, Field(max_length=16, description="satisfied 满意，basic 基本满意，dissatisfied 不满意")
    ]
    comment: Annotated[str, Field(max_length=500)] = ""


class ListFilters(Schema):
    state: Annotated[str, Field(max_length=24)] = ""
    page: PageArg = 1
    page_size: PageSizeArg = None


def _filtered(qs, filters):
    return paginate(qs.filter(state=filters.state) if filters.state else qs, filters.page, filters.page_size)


# --- plans --------------------------------------------------------------------------------------------------


@router.get("/plans", response=Page[SupervisionPlanOut], summary="监督工作计划列表")
def list_plans(request, filters: Query[ListFilters]):
    """镇人大办看本镇的，县人大办看全县的各镇年度监督工作计划。"""
    return _filtered(sel.plans(request.user), filters)


@router.post("/plans", response={201: SupervisionPlanOut, **ERRORS}, summary="新建年度监督工作计划")
def create_plan(request, payload: SupervisionPlanIn):
    """每镇每年一份；草拟后提交主席团审定（由人大办录入主席团的决定）。"""
    return Status(
        201,
        services.create_plan(
            actor=request.user, region_id=payload.region, year=payload.year, title=payload.title
        ),
    )


@router.get(
    "/plans/{supervision_plan_id}", response={200: SupervisionPlanOut, **ERRORS}, summary="监督工作计划详情"
)
def get_plan(request, supervision_plan_id: int):
    return sel.plan_for(request.user, supervision_plan_id)


@router.get(
    "/plans/{supervision_plan_id}/plan.docx",
    response={200: None, **ERRORS},
    summary="监督工作计划（Word）",
)
def plan_word(request, supervision_plan_id: int):
    """按党政机关公文格式（GB/T 9704）生成的年度监督工作计划，按监督形式分列各事项，落款为主席团。"""
    from apps.common.downloads import docx_response

    from .word import plan_docx

    plan = sel.plan_for(request.user, supervision_plan_id)
    return docx_response(plan_docx(plan, list(sel.plan_items(plan))), f"{plan.title}.docx")


@router.get(
    "/plans/{supervision_plan_id}/items",
    response={200: list[ActivityOut], **ERRORS},
    summary="计划中的监督事项",
)
def plan_items(request, supervision_plan_id: int):
    return list(sel.plan_items(sel.plan_for(request.user, supervision_plan_id)))


@router.post(
    "/plans/{supervision_plan_id}/items",
    response={201: ActivityDetailOut, **ERRORS},
    summary="增加监督事项",
)
def add_item(request, supervision_plan_id: int, payload: ActivityIn):
    """草拟或退回修改中的计划可增加监督事项：形式、议题、计划日期、监督对象、牵头和参加代表（本镇代表）。"""
    item = services.add_activity(
        actor=request.user,
        plan_id=supervision_plan_id,
        kind=payload.kind,
        topic=payload.topic,
        detail=payload.detail,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        unit_id=payload.unit,
        lead_ids=payload.leads,
        member_ids=payload.members,
    )
    return Status(201, item)


@router.post(
    "/plans/{supervision_plan_id}/topics",
    response={201: ActivityDetailOut, **ERRORS},
    summary="把民情清单中的议题列入监督清单",
)
def list_topic(request, supervision_plan_id: int, payload: ListTopicIn):
    """一步把汇总出的议题变为计划中的监督事项，并关联该时间段内本镇这一议题的社情民意。"""
    item = services.list_topic(
        actor=request.user,
        plan_id=supervision_plan_id,
        topic_key=payload.topic_key,
        date_from=payload.date_from,
        date_to=payload.date_to,
        kind=payload.kind,
        topic=payload.topic,
    )
    return Status(201, item)


# --- the roll-up --------------------------------------------------------------------------------------------


@router.get("/topics", response={200: list[TopicOut], **ERRORS}, summary="民情清单：社情民意按议题汇总")
def topics(request, filters: Query[RollupFilters]):
    """一个镇或全县在一个时间段内群众反映的议题，按件数从多到少（最多50个）：件数、涉及村（社区）数、
    最近的3件示例、是否已列入监督清单。在数据库中分组汇总。"""
    region = sel.rollup_region(request.user, filters.region)
    date_from, date_to = sel.period(filters.date_from, filters.date_to)
    return sel.rollup(region, date_from, date_to)


# --- activities and findings --------------------------------------------------------------------------------


@router.get("/activities", response=Page[ActivityOut], summary="监督事项列表")
def list_activities(request, filters: Query[ListFilters]):
    """人大办看本镇（县）的，代表看本人牵头或参加的。"""
    return _filtered(sel.activities(request.user), filters)


@router.get("/activities/{activity_id}", response={200: ActivityDetailOut, **ERRORS}, summary="监督事项详情")
def get_activity(request, activity_id: int):
    return sel.activity_for(request.user, activity_id)


@router.get(
    "/activities/{activity_id}/findings",
    response={200: list[FindingOut], **ERRORS},
    summary="监督事项发现的问题",
)
def activity_findings(request, activity_id: int):
    return sel.activity_findings(sel.activity_for(request.user, activity_id))


@router.post(
    "/activities/{activity_id}/findings",
    response={201: FindingOut, **ERRORS},
    summary="记录发现的问题",
)
def add_activity_finding(request, activity_id: int, payload: FindingIn):
    """活动开始后，人大办或牵头、参加的代表记录发现的问题，可指明涉及的单位。"""
    return Status(
        201,
        services.record_finding(
            actor=request.user, activity_id=activity_id, text_value=payload.text, unit_id=payload.unit
        ),
    )


@router.get("/findings", response=Page[FindingOut], summary="监督发现的问题")
def list_findings(request, page: PageArg = 1, page_size: PageSizeArg = None):
    """人大办看本镇（县）的，代表看本人参加的活动和约见的，承办单位只看涉及本单位的。"""
    return paginate(sel.findings(request.user), page, page_size)


@router.post(
    "/findings/{finding_id}/rectification",
    response={201: RectificationOut, **ERRORS},
    summary="把发现的问题转为整改事项",
)
def finding_rectification(request, finding_id: int, payload: FindingRectificationIn):
    """人大办把指明了涉及单位的问题（监督事项发现的问题或约见的跟进事项）交办给该单位整改，由发现问题的代表
    （监督事项的牵头和参加代表，或提出约见的代表）验收。每个问题只能转一次：再转答复 409
    already_rectifying；未指明单位答复 422 finding_without_unit。"""
    item = services.open_rectification_for(
        actor=request.user, finding_id=finding_id, due_days=payload.due_days
    )
    return Status(201, item)


# --- appointments and special inquiries ---------------------------------------------------------------------


@router.get("/appointments", response=Page[AppointmentOut], summary="约见和专题询问列表")
def list_appointments(request, filters: Query[ListFilters]):
    """人大办看本镇（县）的，代表看本人提出的，承办单位看涉及本单位的。"""
    return _filtered(sel.appointments(request.user), filters)


@router.post("/appointments", response={201: AppointmentDetailOut, **ERRORS}, summary="提出约见或专题询问")
def request_appointment(request, payload: AppointmentIn):
    """代表联名提出（约见须达到本镇规定的人数，默认3名，不足时答复 422 too_few_deputies），或人大办登记。"""
    item = services.request_appointment(
        actor=request.user,
        region_id=payload.region,
        kind=payload.kind,
        subject=payload.subject,
        detail=payload.detail,
        official=payload.official,
        body=payload.body,
        deputy_ids=payload.deputies,
        unit_id=payload.unit,
        activity_id=payload.activity,
    )
    return Status(201, item)


@router.get(
    "/appointments/{appointment_id}",
    response={200: AppointmentDetailOut, **ERRORS},
    summary="约见和专题询问详情",
)
def get_appointment(request, appointment_id: int):
    """含每位提出代表的满意度（公开评价，不是无记名）。"""
    return sel.appointment_for(request.user, appointment_id)


@router.post(
    "/appointments/{appointment_id}/rating",
    response={200: RequesterOut, **ERRORS},
    summary="评价答复（满意、基本满意、不满意）",
)
def rate(request, appointment_id: int, payload: AppointmentRatingIn):
    """提出约见（询问）的代表本人在答复后、办结前评价，可修改。"""
    return services.rate_appointment(
        actor=request.user,
        appointment_id=appointment_id,
        satisfaction=payload.satisfaction,
        comment=payload.comment,
    )


@router.get(
    "/appointments/{appointment_id}/findings",
    response={200: list[FindingOut], **ERRORS},
    summary="约见的跟进事项",
)
def appointment_findings(request, appointment_id: int):
    return sel.appointment_findings(sel.appointment_for(request.user, appointment_id))


@router.post(
    "/appointments/{appointment_id}/findings",
    response={201: FindingOut, **ERRORS},
    summary="记录约见的跟进事项",
)
def add_appointment_finding(request, appointment_id: int, payload: FindingIn):
    return Status(
        201,
        services.record_finding(
            actor=request.user, appointment_id=appointment_id, text_value=payload.text, unit_id=payload.unit
        ),
    )


add_action_routes(
    router,
    path="/plans/{supervision_plan_id}",
    id_param="supervision_plan_id",
    workflow=PLAN_WORKFLOW,
    fetch=sel.plan_for,
    act=services.act,
    out=SupervisionPlanOut,
    noun="监督工作计划",
)
add_action_routes(
    router,
    path="/activities/{activity_id}",
    id_param="activity_id",
    workflow=ACTIVITY_WORKFLOW,
    fetch=sel.activity_for,
    act=services.act,
    out=ActivityOut,
    noun="监督事项",
)
add_action_routes(
    router,
    path="/appointments/{appointment_id}",
    id_param="appointment_id",
    workflow=APPOINTMENT_WORKFLOW,
    fetch=sel.appointment_for,
    act=services.act,
    out=AppointmentOut,
    noun="约见和专题询问",
)

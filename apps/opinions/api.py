"""/api/v1/opinions, /api/v1/reception-days and the public door /api/v1/public/opinions (DOMAIN §3).

Thin: each operation parses with a schema and calls one selector or service with `request.user`; scoping
lives in the selectors (`visible_to`) and the services, errors are domain errors that renda/api.py turns
into `{"code", "message", "fields"}`.
"""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.utils import check_csrf

from apps.accounts.models import Role
from apps.accounts.scopes import deny, get_or_deny, roles_of
from apps.audit.services import current_ip
from apps.common.api import ERRORS, ErrorOut, Page, Ref, RegionRef, paginate
from apps.common.errors import NotFound
from apps.places.models import Station
from apps.places.selectors import region_by_code
from apps.workflow.api import (
    StepOut,
    TrackedOut,
    TransitionOut,
    add_action_routes,
    steps_out,
    transitions_out,
)
from apps.workflow.uploads import attachments_of, file_response

from . import selectors, services
from .models import OpinionSource, Topic
from .workflow import OPINION_WORKFLOW

router = Router(tags=["opinions"])
public_router = Router(tags=["public"])

STATS_ROLES = {Role.COUNTY_OFFICE, Role.TOWN_OFFICE, Role.ADMIN}


# --- opinions: reads --------------------------------------------------------------------------------------


class OpinionOut(TrackedOut):
    id: int
    tracking_code: str
    source: str
    source_label: str = Field(..., alias="get_source_display")
    topic: str
    topic_label: str = Field(..., alias="get_topic_display")
    title: str
    region: RegionRef
    station: Ref | None
    deputy: Ref | None
    unit: Ref | None
    received_on: date
    assigned_on: date | None
    replied_on: date | None
    closed_on: date | None


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    public: bool
    uploaded_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse(
            "api:opinion_attachment", kwargs={"opinion_id": obj.object_id, "attachment_id": obj.pk}
        )


class OpinionDetailOut(OpinionOut):
    content: str
    submitter_name: str
    submitter_phone: str
    enterprise_name: str
    reception_day: int | None = Field(None, alias="reception_day_id")
    responsible_person: str
    reply: str
    reply_on_time: bool | None
    on_spot: bool
    visit_method: str
    satisfaction: str
    solved: bool | None
    visit_note: str
    visited_on: date | None
    merged_into: int | None = Field(None, alias="merged_into_id")
    outcome_note: str
    escalated_at: datetime | None
    created_at: datetime
    version: int
    steps: list[StepOut]
    attachments: list[AttachmentOut]
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_steps(obj):
        return steps_out(obj)

    @staticmethod
    def resolve_attachments(obj):
        return list(attachments_of(obj))

    @staticmethod
    def resolve_transitions(obj, context):
        return transitions_out(context["request"].user, obj)


class OpinionFilters(Schema):
    region: str | None = None
    station: int | None = None
    unit: int | None = None
    state: str = ""
    source: str = ""
    topic: str = ""
    q: str = ""
    overdue: bool = False
    year: int | None = None
    page: int = 1
    page_size: int | None = None


@router.get("/opinions", response=Page[OpinionOut], summary="社情民意列表")
def list_opinions(request, filters: Query[OpinionFilters]):
    """按角色与区划限定范围的社情民意列表。`region` 为区划代码，`state` 可为某一状态或 `open`（未办结），
    `overdue=true` 只列超期事项，`q` 匹配事项、内容或查询码。"""
    region = region_by_code(request.user, filters.region) if filters.region else None
    qs = selectors.opinions(
        request.user,
        region=region,
        station=filters.station,
        unit=filters.unit,
        state=filters.state,
        source=filters.source,
        topic=filters.topic,
        q=filters.q.strip(),
        overdue=filters.overdue,
        year=filters.year,
    )
    return paginate(qs, filters.page, filters.page_size)


@router.get("/opinions/{opinion_id}", response={200: OpinionDetailOut, 404: ErrorOut}, summary="社情民意详情")
def get_opinion(request, opinion_id: int):
    """一件社情民意的全部信息、办理过程、附件，以及当前用户此刻可进行的操作。范围外的事项答复 404。"""
    return selectors.opinion_detail(request.user, opinion_id)


# --- opinions: writes -------------------------------------------------------------------------------------


class OpinionIn(Schema):
    source: str = Field("", description="、".join(OpinionSource.values))
    topic: str = Field(Topic.OTHER, description="、".join(Topic.values))
    title: str = ""
    content: str = ""
    region: str | None = Field(None, description="所在镇、村或网格的区划代码")
    station: int | None = None
    deputy: int | None = None
    reception_day: int | None = None
    received_on: date | None = None
    submitter_name: str = ""
    submitter_phone: str = ""
    enterprise_name: str = ""


@router.post("/opinions", response={201: OpinionDetailOut, **ERRORS}, summary="登记社情民意")
def register_opinion(request, payload: OpinionIn):
    """工作人员登记：联络站管理员登记本站接待日收集的意见，代表登记本人走访收集的意见，
    人大办登记来信来访、企业点单和知情议政会的意见。返回新事项的详情（含查询码）。"""
    return Status(201, services.register(actor=request.user, data=payload.dict(exclude_none=True)))


def _act(*, actor, item, key, data):
    return services.act(actor=actor, item=item, key=key, data=data)


add_action_routes(
    router,
    path="/opinions/{opinion_id}",
    id_param="opinion_id",
    workflow=OPINION_WORKFLOW,
    fetch=selectors.opinion_detail,
    act=_act,
    out=OpinionDetailOut,
    noun="社情民意",
)


@router.post(
    "/opinions/{opinion_id}/attachments", response={201: AttachmentOut, **ERRORS}, summary="上传附件"
)
def add_attachment(request, opinion_id: int, file: File[UploadedFile], public: Form[bool] = False):
    """为事项上传照片或文件（multipart，字段 `file`）。按文件内容识别类型，只接受图片、PDF、Word 和
    Excel；超过大小上限或类型不符时答复 400，错误在 `fields.file`。`public=true` 标记为可向群众公开的附件。"""
    item = selectors.opinion_detail(request.user, opinion_id)
    return Status(201, services.add_attachment(actor=request.user, item=item, upload=file, public=public))


@router.get(
    "/opinions/{opinion_id}/attachments/{attachment_id}",
    response={200: None, 404: ErrorOut},
    url_name="opinion_attachment",
    summary="下载附件",
)
def download_attachment(request, opinion_id: int, attachment_id: int):
    """下载事项的附件；只有能查看该事项的用户才能下载。"""
    item = selectors.opinion_detail(request.user, opinion_id)
    att = attachments_of(item).filter(pk=attachment_id).first()
    if att is None:
        raise NotFound()
    return file_response(att)


# --- similar items and routing help -----------------------------------------------------------------------


class SimilarOut(Schema):
    opinion: OpinionOut
    score: float = Field(..., description="相似度 0–1")


class UnitSuggestionOut(Schema):
    unit: Ref
    score: float = Field(..., description="相似事项投票份额 0–1")


class SimilarityOut(Schema):
    similar: list[SimilarOut]
    units: list[UnitSuggestionOut]


@router.get(
    "/opinions/{opinion_id}/similar",
    response={200: SimilarityOut, 404: ErrorOut},
    summary="相似事项与建议承办单位",
)
def similar(request, opinion_id: int):
    """本镇未办结的相似事项（用于合并重复反映）和以往相似事项的承办单位（用于交办参考）。
    只列出当前用户能查看的事项。"""
    item = selectors.opinion_detail(request.user, opinion_id)
    return {
        "similar": [{"opinion": o, "score": s} for o, s in selectors.similar_open(item, user=request.user)],
        "units": [{"unit": u, "score": s} for u, s in selectors.suggested_units(item)],
    }


# --- counts -----------------------------------------------------------------------------------------------


class Figures(Schema):
    voters_received: int
    collected: int
    assigned: int
    replied: int
    on_time: int
    closed: int
    resolved: int
    visited: int
    satisfied: int
    open: int
    overdue: int
    on_time_rate: float | None = Field(None, description="按时答复率（%）")
    resolved_rate: float | None = Field(None, description="解决率（%）")
    satisfaction_rate: float | None = Field(None, description="满意率（满意+基本满意，%）")


class TownRow(Figures):
    town: int | None
    town_name: str | None = Field(None, alias="town__name")


class TownStatsOut(Schema):
    year: int
    rows: list[TownRow]
    totals: Figures


class UnitRow(Schema):
    unit: int
    unit_name: str = Field(..., alias="unit__name")
    load: int
    open: int
    overdue: int
    replied: int
    on_time: int
    on_time_rate: float | None


class UnitStatsOut(Schema):
    year: int
    rows: list[UnitRow]


class StatsFilters(Schema):
    year: int | None = None
    region: str | None = None


def _office_only(user):
    if not roles_of(user) & STATS_ROLES:
        deny(user, "stats", object_type="opinions.stats")


@router.get(
    "/opinions/stats/towns", response={200: TownStatsOut, 403: ErrorOut, 404: ErrorOut}, summary="分镇统计"
)
def town_stats(request, filters: Query[StatsFilters]):
    """本年度（或 `year`）各镇的接待人数、收集、交办、答复、按时答复、销号、解决、满意等数字及比率，
    以及合计。仅县、镇人大办可用。"""
    _office_only(request.user)
    year = filters.year or timezone.localdate().year
    region = region_by_code(request.user, filters.region) if filters.region else None
    rows = selectors.town_figures(request.user, year=year, region=region)
    return {"year": year, "rows": rows, "totals": selectors.totals(rows)}


@router.get(
    "/opinions/stats/units",
    response={200: UnitStatsOut, 403: ErrorOut, 404: ErrorOut},
    summary="承办单位统计",
)
def unit_stats(request, filters: Query[StatsFilters]):
    """本年度（或 `year`）交办给各承办单位的件数、在办、超期、答复和按时答复率。仅县、镇人大办可用。"""
    _office_only(request.user)
    year = filters.year or timezone.localdate().year
    region = region_by_code(request.user, filters.region) if filters.region else None
    return {"year": year, "rows": selectors.unit_figures(request.user, year=year, region=region)}


# --- reception days ---------------------------------------------------------------------------------------


class ReceptionDayOut(Schema):
    id: int
    station: Ref
    date: date
    hours: str
    rota_published_at: datetime | None
    recorded_at: datetime | None
    voters_received: int


class ReceptionDayDetailOut(ReceptionDayOut):
    rota: list[Ref]
    present: list[Ref]
    notes: str
    opinions: int

    @staticmethod
    def resolve_rota(obj):
        return list(obj.rota.all())

    @staticmethod
    def resolve_present(obj):
        return list(obj.present.all())

    @staticmethod
    def resolve_opinions(obj) -> int:
        return obj.opinions.count()


class ReceptionDayFilters(Schema):
    station: int | None = None
    year: int | None = None
    upcoming: bool = False
    page: int = 1
    page_size: int | None = None


@router.get("/reception-days", response=Page[ReceptionDayOut], summary="接待选民日列表")
def list_reception_days(request, filters: Query[ReceptionDayFilters]):
    """当前用户可见的联络站接待选民日；`upcoming=true` 只列今天及以后的，按日期先后排列。"""
    qs = selectors.reception_days(
        request.user, station=filters.station, year=filters.year, upcoming=filters.upcoming
    )
    return paginate(qs, filters.page, filters.page_size)


@router.get(
    "/reception-days/{day_id}", response={200: ReceptionDayDetailOut, 404: ErrorOut}, summary="接待选民日详情"
)
def get_reception_day(request, day_id: int):
    """一个接待选民日的值班代表、到场代表、接待人数、接待情况和当天登记的意见件数。"""
    return selectors.reception_day_detail(request.user, day_id)


class PlanIn(Schema):
    year: int


class PlanOut(Schema):
    created: list[ReceptionDayOut]


@router.post(
    "/stations/{station_id}/reception-days/plan", response={200: PlanOut, **ERRORS}, summary="生成全年接待日"
)
def plan_reception_days(request, station_id: int, payload: PlanIn):
    """按本地规则（默认每月第一个星期二，遇节假日顺延到下一个工作日）生成联络站一年的接待选民日；
    已有的日子保留不变，只返回新建的。"""
    station = get_or_deny(request.user, Station, pk=station_id)
    return {"created": services.plan_year(actor=request.user, station=station, year=payload.year)}


class RotaIn(Schema):
    deputies: list[int] = []
    publish: bool = False


@router.put(
    "/reception-days/{day_id}/rota", response={200: ReceptionDayDetailOut, **ERRORS}, summary="安排值班代表"
)
def set_rota(request, day_id: int, payload: RotaIn):
    """设定接待日的值班代表（只能选本镇代表）；`publish=true` 时公布排班并通知值班代表。"""
    day = selectors.reception_day_detail(request.user, day_id)
    return services.set_rota(
        actor=request.user, day=day, deputy_ids=payload.deputies, publish=payload.publish
    )


class RecordIn(Schema):
    present: list[int] = []
    voters_received: int
    notes: str = ""


@router.put(
    "/reception-days/{day_id}/record", response={200: ReceptionDayDetailOut, **ERRORS}, summary="登记接待情况"
)
def record_day(request, day_id: int, payload: RecordIn):
    """登记接待日到场代表、接待选民人数和接待情况；每位到场代表自动记入履职记录（接待选民）。"""
    day = selectors.reception_day_detail(request.user, day_id)
    return services.record_day(
        actor=request.user,
        day=day,
        present_ids=payload.present,
        voters_received=payload.voters_received,
        notes=payload.notes,
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

"""Opinions: the list, one item, registering, the actions of its workflow, attachments, similar items."""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from ninja import Field, File, Form, Query, Schema, Status, UploadedFile

from apps.common.api import ERRORS, ErrorOut, Page, Ref, RegionRef, paginate
from apps.common.errors import NotFound
from apps.common.idempotency import KeyHeader, once
from apps.common.params import REGION_CODE, SEARCH, YEAR, IdArg, PageArg, PageSizeArg, Text
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

from .. import selectors, services
from ..models import Opinion, OpinionSource, Topic
from ..workflow import OPINION_WORKFLOW
from .common import (
    router,
)

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


# Filters refuse what the pages refuse (common.params): a year out of bounds, NUL in a text (422, not a 500).
YearFilter, CodeFilter, SearchFilter, WordFilter = YEAR.api(), REGION_CODE.api(), SEARCH.api(), Text(40).api()


class OpinionFilters(Schema):
    region: CodeFilter = None
    station: IdArg = None
    unit: IdArg = None
    state: WordFilter = ""
    source: WordFilter = ""
    topic: WordFilter = ""
    q: SearchFilter = ""
    overdue: bool = False
    year: YearFilter = None
    page: PageArg = 1
    page_size: PageSizeArg = None


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
        q=(filters.q or "").strip(),
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
    station: IdArg = None
    deputy: IdArg = None
    reception_day: int | None = None
    received_on: date | None = None
    submitter_name: str = ""
    submitter_phone: str = ""
    enterprise_name: str = ""


@router.post("/opinions", response={201: OpinionDetailOut, **ERRORS}, summary="登记社情民意")
def register_opinion(request, payload: OpinionIn, idempotency_key: KeyHeader = None):
    """工作人员登记：联络站管理员登记本站接待日收集的意见，代表登记本人走访收集的意见，
    人大办登记来信来访、企业点单和知情议政会的意见。返回新事项的详情（含查询码）。
    带 `Idempotency-Key` 重复提交（手机离线草稿）时返回第一次登记的事项，不再新建。"""
    data = payload.dict(exclude_none=True)
    item, _created = once(
        user=request.user,
        key=idempotency_key,
        model=Opinion,
        create=lambda: services.register(actor=request.user, data=data),
    )
    return Status(201, item)


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


class OpinionSimilarOut(Schema):
    opinion: OpinionOut
    score: float = Field(..., description="相似度 0–1")


class UnitSuggestionOut(Schema):
    unit: Ref
    score: float = Field(..., description="相似事项投票份额 0–1")


class OpinionSimilarityOut(Schema):
    similar: list[OpinionSimilarOut]
    units: list[UnitSuggestionOut]


@router.get(
    "/opinions/{opinion_id}/similar",
    response={200: OpinionSimilarityOut, 404: ErrorOut},
    summary="相似事项与建议承办单位",
)
def similar(request, opinion_id: int):
    """本镇（街道）未办结的相似事项（用于合并重复反映）和以往相似事项的承办单位（用于交办参考）。
    只列出当前用户能查看的事项。"""
    item = selectors.opinion_detail(request.user, opinion_id)
    return {
        "similar": [{"opinion": o, "score": s} for o, s in selectors.similar_open(item, user=request.user)],
        "units": [{"unit": u, "score": s} for u, s in selectors.suggested_units(item)],
    }

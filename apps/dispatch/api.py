"""/api/v1/supervision/dispatches (tag supervision, issue 18 part 7): record that an evaluation's result, an
activity's report or a rectification notice was sent to the township Party committee or a unit's superior
(the Word document generated then and kept), list the records, download a record's document."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from apps.common.api import ERRORS, Page, column, paginate
from apps.common.errors import NotFound
from apps.common.params import ID, PageArg, PageSizeArg
from apps.workflow.uploads import file_response

from . import selectors, services
from .kinds import KINDS
from .models import Dispatch, Recipient

router = Router(tags=["supervision"])
KindArg = Literal[tuple(KINDS)]  # type: ignore[valid-type]
RecipientArg = Literal[tuple(Recipient.values)]  # type: ignore[valid-type]
KIND_DOC = (
    "evaluation 工作评议（结果公告）；activity 监督事项（活动情况报告）；rectification 整改事项（整改通知书）"
)


class DispatchIn(Schema):
    kind: KindArg = Field(..., description=KIND_DOC)  # type: ignore[valid-type]
    object_id: ID.required() = Field(..., description="报送对象的编号")
    recipient_kind: RecipientArg = Field(  # type: ignore[valid-type]
        ..., description="party_committee 镇党委；superior 单位的上级主管部门"
    )
    recipient: column(Dispatch._meta.get_field("recipient")) = Field(..., description="接收单位名称（必填）")
    sent_on: date | None = Field(None, description="报送日期，不晚于今天；不填则为今天")
    note: column(Dispatch._meta.get_field("note")) = ""


class DispatchOut(Schema):
    id: int
    kind: str | None = Field(None, description=KIND_DOC)
    object_id: int
    item_label: str = Field(..., description="报送事项")
    document_title: str = Field(..., description="文件标题")
    recipient_kind: str
    recipient: str
    sent_on: date
    note: str
    sent_by: str | None = Field(None, description="报送人登录名")
    document_url: str

    @staticmethod
    def resolve_kind(obj) -> str | None:
        label = f"{obj.content_type.app_label}.{obj.content_type.model_class().__name__}"
        return next((k.key for k in KINDS.values() if k.model == label), None)

    @staticmethod
    def resolve_sent_by(obj) -> str | None:
        return obj.sent_by.get_username() if obj.sent_by_id else None

    @staticmethod
    def resolve_document_url(obj) -> str:
        return f"/api/v1/supervision/dispatches/{obj.pk}/document"


class DispatchListIn(Schema):
    kind: KindArg | None = Field(None, description="只列这一类对象的报送记录（与 object_id 一起用）")  # type: ignore[valid-type]
    object_id: ID.api() = Field(None, description="对象编号；本人看不到的对象回答 404")
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/dispatches", response={200: Page[DispatchOut], **ERRORS}, summary="报送记录")
def dispatches(request, filters: Query[DispatchListIn]):
    """本人所辖范围内报送镇党委和上级主管部门的记录，新的在前；
    填 `kind` 和 `object_id` 时只列该对象的记录。"""
    obj = None
    if filters.kind and filters.object_id:
        obj = selectors.object_for(request.user, filters.kind, filters.object_id)
    qs = selectors.dispatches(request.user, obj=obj).select_related("content_type")
    return paginate(qs, filters.page, filters.page_size)


@router.post("/dispatches", response={201: DispatchOut, **ERRORS}, summary="记录报送")
def send(request, payload: DispatchIn):
    """记录把工作评议结果、监督活动情况或整改通知报送镇党委或单位的上级主管部门：
    按当前内容生成 Word 文件并存档，记入审计日志。本人看不到的对象回答 404，看得到但无权报送回答 403。"""
    item = services.send(actor=request.user, **payload.dict())
    return Status(201, item)


@router.get("/dispatches/{dispatch_id}/document", response={200: None, **ERRORS}, summary="报送的文件")
def document(request, dispatch_id: int):
    """报送时生成并存档的 Word 文件。"""
    found = selectors.document_of(selectors.dispatch(request.user, dispatch_id))
    if found is None:
        raise NotFound()
    return file_response(found)

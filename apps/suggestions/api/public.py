"""The published replies, without login."""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Schema

from apps.common.api import ErrorOut, Page, paginate
from apps.common.errors import NotFound
from apps.common.params import PageArg, PageSizeArg
from apps.places.models import Region

from .. import selectors
from .common import (
    public_router,
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
    page: PageArg = 1
    page_size: PageSizeArg = None


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

"""/api/v1/calendar/templates (tag calendar): the county's template of the year's calendar, as data the county
office edits (issue 20 part 4): its templates, starting a year's (copied from last year, or Cangxi's), and
adding, changing and removing a line. Generation (/api/v1/calendar/generate) reads it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status

from apps.accounts import permissions as perms
from apps.common.api import ERRORS
from apps.common.errors import NotFound
from apps.common.params import YearArg
from apps.places.models import Region

from . import county_template as ct
from .choices import ItemKind, LineRule

router = Router(tags=["calendar"])
KIND_DOC = "类别：" + "；".join(f"{k} {v}" for k, v in ItemKind.choices)
RULE_DOC = "频次：" + "；".join(f"{k} {v}" for k, v in LineRule.choices)


class CalendarTemplateLineIn(Schema):
    kind: Annotated[str, Field(pattern="^(" + "|".join(ItemKind.values) + ")$", description=KIND_DOC)]
    title: Annotated[str, Field("", max_length=100, description="事项名称；不填用类别名")] = ""
    rule: Annotated[str, Field(pattern="^(" + "|".join(LineRule.values) + ")$", description=RULE_DOC)]
    month: int = Field(..., ge=1, le=12, description="起始月份（每季度、每半年按此推算；每年一次即此月）")
    day: int = Field(15, ge=0, le=31, description="几日；0 表示按“第几个星期几”")
    nth: int = Field(1, ge=1, le=5, description="第几个（5 为最后一个）")
    weekday: int = Field(0, ge=0, le=6, description="星期几（0 为星期一）")


class CalendarTemplateLineOut(CalendarTemplateLineIn):
    id: int
    kind_label: str
    rule_label: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_rule_label(obj) -> str:
        return str(obj.get_rule_display())


class CalendarTemplateOut(Schema):
    id: int
    county: str = Field(..., alias="region.name")
    county_code: str = Field(..., alias="region.code")
    year: int
    copied_from: str = Field(..., description="建立时复制自：cangxi（苍溪模板）或上一年度")
    updated_at: dt.datetime


class CalendarTemplateDetailOut(CalendarTemplateOut):
    lines: list[CalendarTemplateLineOut]


class CalendarTemplateIn(Schema):
    county: Annotated[str, Field(max_length=32, description="县的区划代码")]
    year: int = Field(..., ge=2000, le=2100, description="年度；复制上一年度的模板，没有则用苍溪模板")


class CalendarTemplateFilters(Schema):
    year: YearArg = Field(None, description="年度；不填为全部")


@router.get("/templates", response={200: list[CalendarTemplateOut], **ERRORS}, summary="县年度日历模板")
def list_templates(request, filters: Query[CalendarTemplateFilters]):
    """县人大办管理的各年度日历模板（没有模板的年度按苍溪模板生成）。"""
    perms.require(request.user, perms.YEARPLAN_TEMPLATE)
    qs = ct.templates(request.user)
    return list(qs.filter(year=filters.year) if filters.year else qs)


@router.post("/templates", response={201: CalendarTemplateDetailOut, **ERRORS}, summary="新建年度日历模板")
def create_template(request, payload: CalendarTemplateIn):
    """新建一个年度的模板：复制上一年度的模板，没有则用苍溪模板。"""
    county = Region.objects.filter(code=payload.county, level="county").first()
    if county is None:
        raise NotFound()
    return Status(201, ct.create(actor=request.user, county=county, year=payload.year))


@router.get(
    "/templates/{calendar_template_id}",
    response={200: CalendarTemplateDetailOut, **ERRORS},
    summary="模板详情",
)
def get_template(request, calendar_template_id: int):
    return ct.template_for(request.user, calendar_template_id)


@router.post(
    "/templates/{calendar_template_id}/lines",
    response={201: CalendarTemplateLineOut, **ERRORS},
    summary="添加模板事项",
)
def add_line(request, calendar_template_id: int, payload: CalendarTemplateLineIn):
    template = ct.template_for(request.user, calendar_template_id)
    return Status(201, ct.add_line(actor=request.user, template=template, data=payload.dict()))


@router.put(
    "/templates/{calendar_template_id}/lines/{template_line_id}",
    response={200: CalendarTemplateLineOut, **ERRORS},
    summary="修改模板事项",
)
def change_line(request, calendar_template_id: int, template_line_id: int, payload: CalendarTemplateLineIn):
    line = ct.line_for(ct.template_for(request.user, calendar_template_id), template_line_id)
    return ct.change_line(actor=request.user, line=line, data=payload.dict())


@router.delete(
    "/templates/{calendar_template_id}/lines/{template_line_id}",
    response={204: None, **ERRORS},
    summary="删除模板事项",
)
def remove_line(request, calendar_template_id: int, template_line_id: int):
    line = ct.line_for(ct.template_for(request.user, calendar_template_id), template_line_id)
    ct.remove_line(actor=request.user, line=line)
    return Status(204, None)

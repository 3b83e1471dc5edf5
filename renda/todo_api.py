"""GET /api/v1/todo: the home page's to-do list (issue 16 item 8), the same lines for an outside client."""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema

from apps.common import conf
from apps.common.api import ErrorOut, Page
from apps.common.params import PageArg, PageSizeArg

router = Router(tags=["workflow"])


class TodoOut(Schema):
    kind: str = Field(..., description="事项类别（社情民意、代表建议、履职记录、监票……）")
    action: str = Field(..., description="要做的事（交办、评价答复、审核……）")
    title: str
    due: date | None = Field(None, description="办理时限或日期")
    overdue: bool
    url: str = Field(..., description="办理这件事的页面")
    key: str = Field(..., description="事项的稳定标识（类别:编号）")


class TodoFilters(Schema):
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/todo", response={200: Page[TodoOut], 422: ErrorOut}, summary="待办事项")
def list_todo(request, filters: Query[TodoFilters]):
    """当前登录人的待办事项：已超期的在前，再按时限先后；每条给出办理页面。只含其权限范围内的事项。"""
    from renda.todo import todo

    lines = todo(request.user)
    size = max(1, min(filters.page_size or conf.get("RENDA_PAGE_SIZE"), conf.get("RENDA_MAX_PAGE_SIZE")))
    start = (filters.page - 1) * size
    return {
        "items": lines[start : start + size],
        "count": len(lines),
        "page": filters.page,
        "page_size": size,
    }

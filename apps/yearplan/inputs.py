"""What each step of a calendar item takes (one schema per step: API body, HTML form, OpenAPI)."""

from __future__ import annotations

import datetime

from ninja import Field

from apps.workflow.inputs import N_, NoteIn, ReasonIn


class PlanItemMoveIn(NoteIn):
    date: datetime.date = Field(
        ...,
        description="新的日期（本年度内的工作日）",
        json_schema_extra={"label": N_("新的日期"), "widget": "date", "missing": N_("请选择新的日期")},
    )


class PlanItemCancelIn(ReasonIn):
    pass

"""What each step of the assessment takes (one schema per step: API body, HTML form, OpenAPI)."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field

from apps.workflow.inputs import N_, ActionIn, NoteIn, ReasonIn

POINTS_FIELD = {"ge": Decimal(-1000), "le": Decimal(1000), "max_digits": 7, "decimal_places": 2}


class AssessmentScoreIn(ActionIn):
    points: Decimal = Field(
        ...,
        **POINTS_FIELD,
        description="得分（扣分项填负数），在指标的扣分上限与最高分之间",
        json_schema_extra={"label": N_("得分"), "missing": N_("请填写得分")},
    )
    note: str = Field(
        "",
        max_length=2000,
        description="评分说明：依据哪些佐证材料",
        json_schema_extra={"label": N_("评分说明"), "widget": "textarea"},
    )


class AssessmentNoteIn(NoteIn):
    """A step of the table or a review that may carry a note."""


class AssessmentReasonIn(ReasonIn):
    """A step that needs its reason (a return, a withdrawal)."""

"""What each step of a deliberation digest takes (one schema per step: API body, HTML form, OpenAPI)."""

from __future__ import annotations

import datetime

from ninja import Field

from apps.workflow.inputs import N_, ActionIn, NoteIn, ReasonIn


class DigestAnswerIn(ActionIn):
    answer_text: str = Field(
        ...,
        min_length=1,
        max_length=20000,
        description="对审议意见的研究处理情况",
        json_schema_extra={
            "label": N_("研究处理情况"),
            "widget": "textarea",
            "missing": N_("请填写对审议意见的研究处理情况"),
        },
    )


class DigestAcceptIn(NoteIn):
    pass


class DigestReturnIn(ReasonIn):
    pass


class ResolutionReportIn(ActionIn):
    text: str = Field(
        ...,
        min_length=1,
        max_length=5000,
        description="决议决定实施事项的进展情况（可多次报告）",
        json_schema_extra={"label": N_("进展情况"), "widget": "textarea", "missing": N_("请填写进展情况")},
    )


class ResolutionDoneIn(NoteIn):
    pass


class ResolutionReturnIn(ReasonIn):
    target_date: datetime.date | None = Field(
        None,
        description="新的完成时限（可选；不填则沿用原时限）",
        json_schema_extra={"label": N_("新的完成时限"), "widget": "date"},
    )

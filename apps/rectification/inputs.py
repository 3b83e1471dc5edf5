"""What each step of a rectification item takes (one schema per step: API body, HTML form, OpenAPI)."""

from __future__ import annotations

from ninja import Field

from apps.workflow.inputs import N_, ActionIn, NoteIn, ReasonIn


class RectificationPlanIn(ActionIn):
    plan_text: str = Field(
        ...,
        min_length=1,
        max_length=5000,
        description="整改方案：措施、责任人和完成时间",
        json_schema_extra={"label": N_("整改方案"), "widget": "textarea", "missing": N_("请填写整改方案")},
    )


class RectificationReportIn(ActionIn):
    report_text: str = Field(
        ...,
        min_length=1,
        max_length=10000,
        description="整改情况报告（证明材料另行上传为附件）",
        json_schema_extra={
            "label": N_("整改情况报告"),
            "widget": "textarea",
            "missing": N_("请填写整改情况报告"),
        },
    )


class RectificationAcceptIn(NoteIn):
    pass


class RectificationReturnIn(ReasonIn):
    pass


class RectificationReferIn(ReasonIn):
    pass


class RectificationPresidiumAcceptIn(NoteIn):
    pass


class RectificationOrderAgainIn(ReasonIn):
    pass

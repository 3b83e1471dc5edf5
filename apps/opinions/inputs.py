"""What each step of an opinion takes (one schema per step: the API body, the HTML form and OpenAPI all read
it; workflow.py names each in its transition)."""

from __future__ import annotations

from typing import Literal

from ninja import Field

from apps.workflow.inputs import N_, ActionIn, ReasonIn

VisitMethodValue = Literal["in_person", "phone", "written"]  # models.VisitMethod
SatisfactionValue = Literal["satisfied", "basic", "dissatisfied"]  # common.choices.Satisfaction.rated()


class OpinionTakeIn(ActionIn):
    deputy: int | None = Field(
        None,
        ge=1,
        description="接单代表；不填则为企业选定的代表",
        json_schema_extra={"label": N_("接单代表"), "widget": "select", "choices": "deputies"},
    )


class OpinionConvertIn(ActionIn):
    deputy: int | None = Field(
        None,
        ge=1,
        description="提出建议的代表；代表本人转办时不填",
        json_schema_extra={"label": N_("提出建议的代表"), "widget": "select", "choices": "deputies"},
    )


class OpinionAssignIn(ActionIn):
    unit: int = Field(
        ...,
        ge=1,
        description="承办单位",
        json_schema_extra={
            "label": N_("承办单位"),
            "widget": "select",
            "choices": "units",
            "missing": N_("请选择承办单位"),
        },
    )
    responsible_person: str = Field(
        "", max_length=50, description="责任人", json_schema_extra={"label": N_("责任人")}
    )


class OpinionReassignIn(ReasonIn):
    unit: int | None = Field(
        None,
        ge=1,
        description="承办单位；不填则仍由原单位办理",
        json_schema_extra={"label": N_("承办单位"), "widget": "select", "choices": "units"},
    )
    responsible_person: str = Field(
        "", max_length=50, description="责任人", json_schema_extra={"label": N_("责任人")}
    )


class OpinionReplyIn(ActionIn):
    reply: str = Field(
        ...,
        min_length=1,
        max_length=4000,
        description="答复内容",
        json_schema_extra={"label": N_("答复内容"), "widget": "textarea", "missing": N_("请填写答复内容")},
    )


class OpinionAnswerOnSpotIn(OpinionReplyIn):
    pass


class OpinionVisitIn(ActionIn):
    visit_method: VisitMethodValue = Field(
        ...,
        description="回访方式",
        json_schema_extra={
            "label": N_("回访方式"),
            "widget": "radio",
            "choices": "visit_methods",
            "missing": N_("请选择回访方式"),
        },
    )
    satisfaction: SatisfactionValue = Field(
        ...,
        description="满意度",
        json_schema_extra={
            "label": N_("满意度"),
            "widget": "radio",
            "choices": "satisfactions",
            "missing": N_("请选择满意度"),
        },
    )
    solved: bool = Field(
        ...,
        description="问题是否解决",
        json_schema_extra={"label": N_("问题是否解决"), "widget": "yesno", "missing": N_("请选择是否已解决")},
    )
    visit_note: str = Field(
        "",
        max_length=2000,
        description="回访情况",
        json_schema_extra={"label": N_("回访情况"), "widget": "textarea"},
    )


class OpinionMergeIn(ActionIn):
    into: str = Field(
        ...,
        min_length=1,
        max_length=20,
        description="并入事项的查询码（或编号）",
        json_schema_extra={"label": N_("并入事项的查询码"), "missing": N_("请填写要合并到的事项查询码")},
    )


class OpinionRefuseIn(ReasonIn):
    pass


class OpinionSendBackIn(ReasonIn):
    pass

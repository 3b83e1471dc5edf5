"""What each step of a suggestion, a co-handling part and a motion takes (one schema per step: the API body,
the HTML form and OpenAPI all read it; workflow.py names each in its transition)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field

from apps.workflow.inputs import N_, ActionIn, NoteIn, ReasonIn


class SuggestionMergeIn(ActionIn):
    into: str = Field(
        ...,
        min_length=1,
        max_length=40,
        description="并入的建议：立案号或编号",
        json_schema_extra={
            "label": N_("并入的建议（选择相似建议，或填写立案号）"),
            "widget": "combo",
            "choices": "similar",
            "missing": N_("请选择要并入的建议"),
            "help": N_("并案后本建议与所并入的建议一并办理，答复分别送达每位代表，由每位代表评价。"),
        },
    )


class SuggestionReturnIn(ReasonIn):
    pass


class SuggestionDeclineIn(ReasonIn):
    to_opinion: bool = Field(
        False,
        description="同时作为社情民意登记交办",
        json_schema_extra={"label": N_("同时作为社情民意登记交办"), "widget": "checkbox"},
    )


class SuggestionAssignIn(ActionIn):
    unit: int = Field(
        ...,
        ge=1,
        description="主办单位",
        json_schema_extra={
            "label": N_("主办单位"),
            "widget": "select",
            "choices": "units",
            "missing": N_("请选择主办单位"),
        },
    )
    co_units: list[int] = Field(
        [],
        max_length=20,
        description="协办单位（可多选）",
        json_schema_extra={
            "label": N_("协办单位（可多选）"),
            "widget": "checkboxes",
            "choices": "units",
            "help": N_("主办单位须在交办后3个月内答复；协办单位1个月内向主办单位提交协办意见。"),
        },
    )
    responsible_person: str = Field(
        "", max_length=50, description="责任人", json_schema_extra={"label": N_("责任人")}
    )


class SuggestionSendBackIn(ReasonIn):
    pass


class SuggestionExtendIn(ReasonIn):
    reason: str = Field(
        ...,
        min_length=1,
        max_length=500,
        description="延期理由（将告知代表）",
        json_schema_extra={
            "label": N_("延期理由（将告知代表）"),
            "widget": "textarea",
            "missing": N_("请填写理由"),
        },
    )


class SuggestionReplyIn(ActionIn):
    category: Literal["A", "B", "C", "D"] = Field(
        ...,
        description="答复类别：A 已解决或基本解决，B 正在解决或列入计划，C 暂时不能解决，D 留作参考",
        json_schema_extra={
            "label": N_("答复类别"),
            "widget": "radio",
            "choices": "categories",
            "missing": N_("请选择答复类别（A、B、C、D）"),
        },
    )
    doc_number: str = Field(
        ...,
        min_length=1,
        max_length=50,
        description="答复文号",
        json_schema_extra={"label": N_("答复文号"), "missing": N_("请填写答复文号")},
    )
    signer: str = Field(
        ...,
        min_length=1,
        max_length=50,
        description="签发人",
        json_schema_extra={"label": N_("签发人"), "missing": N_("请填写签发人")},
    )
    done_text: str = Field(
        "",
        max_length=6000,
        description="已办理情况",
        json_schema_extra={"label": N_("已办理情况"), "widget": "textarea"},
    )
    planned_text: str = Field(
        "",
        max_length=6000,
        description="计划办理及时间",
        json_schema_extra={"label": N_("计划办理及时间"), "widget": "textarea"},
    )
    planned_by: date | None = Field(
        None, description="计划完成日期（B 类必填）", json_schema_extra={"label": N_("计划完成日期")}
    )
    not_adopted_text: str = Field(
        "",
        max_length=6000,
        description="未采纳的原因",
        json_schema_extra={"label": N_("未采纳或暂不能解决的原因"), "widget": "textarea"},
    )
    reply_text: str = Field(
        ...,
        min_length=1,
        max_length=20000,
        description="答复全文",
        json_schema_extra={
            "label": N_("答复全文"),
            "widget": "textarea",
            "missing": N_("请填写答复全文"),
            "help": N_("B类须写明计划和完成时间，C类须写明暂不能解决的原因。"),
        },
    )


class SuggestionSolvedIn(ActionIn):
    reply_text: str = Field(
        ...,
        min_length=1,
        max_length=20000,
        description="解决情况的答复",
        json_schema_extra={
            "label": N_("解决情况"),
            "widget": "textarea",
            "missing": N_("请填写解决情况的答复"),
        },
    )


class CoHandlingInputIn(ActionIn):
    input_text: str = Field(
        ...,
        min_length=1,
        max_length=6000,
        description="协办意见",
        json_schema_extra={"label": N_("协办意见"), "widget": "textarea", "missing": N_("请填写协办意见")},
    )


class MotionDecisionIn(NoteIn):
    reason: str = Field(
        "",
        max_length=500,
        description="处理意见",
        json_schema_extra={"label": N_("处理意见"), "widget": "textarea"},
    )


class MotionToSuggestionIn(MotionDecisionIn):
    pass

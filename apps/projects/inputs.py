"""What each step of a proposal, a candidate list and a project takes (API body, HTML form, OpenAPI)."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field

from apps.workflow.inputs import N_, ActionIn, NoteIn, ReasonIn

BUDGET = {"ge": 0, "le": Decimal("999999.99"), "max_digits": 8, "decimal_places": 2}


class ProposalListIn(ActionIn):
    budget: Decimal = Field(
        ...,
        **BUDGET,
        description="列入候选清单的投资预算（万元）",
        json_schema_extra={"label": N_("投资预算（万元）"), "missing": N_("请填写投资预算")},
    )
    schedule: str = Field(
        "",
        max_length=200,
        description="实施计划（起止时间）",
        json_schema_extra={"label": N_("实施计划")},
    )


class ProposalNotListedIn(ReasonIn):
    """The reason is shown to the proposer."""


class ProposalMergeIn(ActionIn):
    into: int = Field(
        ...,
        ge=1,
        le=2**31,
        description="并入的同类项目建议",
        json_schema_extra={
            "label": N_("并入"),
            "widget": "select",
            "choices": "similar",
            "missing": N_("请选择并入的项目建议"),
        },
    )


class ListSubmitIn(NoteIn):
    pass


class ListVoteIn(NoteIn):
    pass


class ListFinishIn(ReasonIn):
    pass


class ProjectAssignIn(ActionIn):
    leader: int = Field(
        ...,
        ge=1,
        le=2**31,
        description="牵头的主席团成员（本镇代表）",
        json_schema_extra={
            "label": N_("牵头主席团成员"),
            "widget": "select",
            "choices": "deputies",
            "missing": N_("请选择牵头的主席团成员"),
        },
    )
    unit: int = Field(
        ...,
        ge=1,
        le=2**31,
        description="责任单位",
        json_schema_extra={
            "label": N_("责任单位"),
            "widget": "select",
            "choices": "units",
            "missing": N_("请选择责任单位"),
        },
    )
    monitors: list[int] = Field(
        [],
        max_length=30,
        description="监督代表",
        json_schema_extra={"label": N_("监督代表"), "widget": "checkboxes", "choices": "deputies"},
    )


class ProjectCompleteIn(NoteIn):
    pass

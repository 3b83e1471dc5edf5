"""Commitments (实事承诺) and report-back meetings (述职) as data (DOMAIN §8).

A commitment: open → fulfilled or unfulfilled at the town office's year-end rating (partly fulfilled counts as
unfulfilled), or withdrawn by its deputy with a reason. A report-back meeting: planned → prepared (the office
names a second staff member: the rating's ballot box is made with the two as its tellers, issue 15) → rating
(opened once both tellers made their key shares on the teller desk) → counting (the box is closed; it closes
once the town's share of the expected voters has rated, one third by default [local]; short of it, only by
the `close_rating_anyway` step, whose reason is recorded) → closed: the platform's own `file_results` step,
taken when the last teller's share has decrypted the totals, files each deputy's result once and counts it
in the duty record."""

from typing import Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field

from apps.accounts import permissions as perms
from apps.workflow.effects import Run
from apps.workflow.inputs import N_, ActionIn
from apps.workflow.machine import State, Transition, Workflow

from . import steps


class CommitmentWithdrawIn(ActionIn):
    reason: str = Field(
        ...,
        min_length=1,
        max_length=500,
        description="撤回原因",
        json_schema_extra={"label": N_("撤回原因"), "widget": "textarea", "missing": N_("请说明撤回原因")},
    )


class CommitmentFulfilledIn(ActionIn):
    reason: str = Field(
        "", max_length=300, description="评定说明", json_schema_extra={"label": N_("评定说明")}
    )


class CommitmentNotFulfilledIn(ActionIn):
    rating: Literal["partial", "unfulfilled"] = Field(
        ...,
        description="评定结果：partial 部分兑现，unfulfilled 未兑现",
        json_schema_extra={
            "label": N_("评定结果"),
            "widget": "radio",
            "choices": "ratings",
            "missing": N_("请选择评定结果：已兑现、部分兑现或未兑现"),
        },
    )
    reason: str = Field(
        ...,
        min_length=1,
        max_length=300,
        description="原因（必填）",
        json_schema_extra={
            "label": N_("原因"),
            "widget": "textarea",
            "missing": N_("部分兑现或未兑现须说明原因"),
        },
    )


class ReportBackPrepareIn(ActionIn):
    second_teller: int = Field(
        ...,
        ge=1,
        le=2**31 - 1,
        description="第二名监票人的用户编号：本镇（街道）或县人大办的在职工作人员，不能是操作人本人；"
        "操作人与其共同担任本场测评的监票人",
        json_schema_extra={
            "label": N_("第二名监票人"),
            "widget": "select",
            "choices": "tellers",
            "missing": N_("请指定第二名监票人"),
        },
    )


class ReportBackCloseAnywayIn(ActionIn):
    reason: str = Field(
        ...,
        min_length=1,
        max_length=500,
        description="参评人数不足仍结束测评的理由（必填，记入办理过程和审计日志）",
        json_schema_extra={
            "label": N_("仍结束测评的理由"),
            "widget": "textarea",
            "missing": N_("参评人数不足，须说明仍结束测评的理由"),
        },
    )


def _not_fulfilled_choices(item, actor):
    from .models import CommitmentRating

    return [(v, label) for v, label in CommitmentRating.choices if v != CommitmentRating.FULFILLED]


COMMITMENT_WORKFLOW = Workflow(
    key="archive.commitment",
    model="archive.Commitment",
    label=_("实事承诺"),
    initial="open",
    states=[
        State("open", _("进行中"), responsible="deputy"),
        State("fulfilled", _("已兑现"), final=True),
        State("unfulfilled", _("未兑现"), final=True),
        State("withdrawn", _("已撤回"), final=True),
    ],
    transitions=[
        Transition(
            "withdraw",
            _("撤回承诺"),
            ("open",),
            "withdrawn",
            perms.COMMITMENT_WITHDRAW,
            input=CommitmentWithdrawIn,
            who=perms.office_or_deputy(),
            event="withdrawn",
            danger=True,
            waits=(),  # one may withdraw; nobody waits for it
        ),
        Transition(
            "fulfilled",
            _("评定：已兑现"),
            ("open",),
            "fulfilled",
            perms.COMMITMENT_RATE,
            input=CommitmentFulfilledIn,
            apply=steps.rate_fulfilled,
            effects=(Run("duty_record", steps.commitment_duty_record),),
            event="rated",
        ),
        Transition(
            "not_fulfilled",
            _("评定：部分兑现或未兑现"),
            ("open",),
            "unfulfilled",
            perms.COMMITMENT_RATE,
            input=CommitmentNotFulfilledIn,
            apply=steps.rate_not_fulfilled,
            choices={"ratings": _not_fulfilled_choices},
            effects=(Run("duty_record", steps.commitment_duty_record),),
            event="rated",
        ),
    ],
)

REPORT_BACK_WORKFLOW = Workflow(
    key="archive.report_back",
    model="archive.ReportBackMeeting",
    label=_("述职测评"),
    initial="planned",
    states=[
        State("planned", _("已安排")),
        State("prepared", _("待监票人生成密钥")),
        State("rating", _("测评中")),
        State("counting", _("计票中")),
        State("closed", _("测评结束"), final=True),
    ],
    transitions=[
        Transition(
            "prepare_rating",
            _("准备测评（指定第二名监票人）"),
            ("planned",),
            "prepared",
            perms.REPORT_BACK_MANAGE,
            input=ReportBackPrepareIn,
            choices={"tellers": steps.second_teller_choices},
            # issue 15: a rating has no tellers of its own, so two office staff act together
            effects=(Run("box", steps.make_box),),
            event="rating_prepared",
        ),
        Transition(
            "open_rating",
            _("开启测评"),
            ("prepared",),
            "rating",
            perms.REPORT_BACK_MANAGE,
            guard=steps.keys_made,
            apply=steps.rating_opened,
            effects=(Run("box", steps.open_box),),
            event="rating_opened",
        ),
        Transition(
            "close_rating",
            _("结束测评"),
            ("rating",),
            "counting",
            perms.REPORT_BACK_MANAGE,
            guard=steps.enough_rated,  # [local] a share of the expected voters must have rated
            apply=steps.rating_closed,
            effects=(Run("box", steps.close_box),),
            event="rating_closed",
        ),
        Transition(
            "close_rating_anyway",
            _("参评人数不足，仍结束测评"),
            ("rating",),
            "counting",
            perms.REPORT_BACK_MANAGE,
            input=ReportBackCloseAnywayIn,  # the reason is the step's and the audit event's
            guard=steps.too_few_rated,
            apply=steps.rating_closed,
            effects=(Run("box", steps.close_box),),
            danger=True,
            event="rating_closed_anyway",
        ),
        Transition(
            "file_results",
            _("归档测评结果"),
            ("counting",),
            "closed",
            None,
            effects=(Run("results", steps.file_results),),
            system=True,  # taken by the platform when the last teller's share has decrypted the totals
            event="results_filed",
        ),
    ],
)

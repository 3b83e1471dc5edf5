"""Supervision's tracked items as data (DOMAIN §7, issue 18).

- The plan (监督工作计划): draft → submitted → approved by the presidium (the office enters its decision), or
  returned with a reason → submitted again.
- An activity (监督事项): planned → under way → done (its summary; every deputy who led or joined it gets a
  duty record), or cancelled with a reason.
- An appointment or special inquiry (约见、专题询问): requested by deputies → arranged (date) → answered
  (at the meeting or in writing, with a date; the requesting deputies then rate it) → closed; or declined
  with a reason.
"""

from datetime import date as Date
from typing import Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field

from apps.accounts import permissions as perms
from apps.duty.choices import ActivityKind as DutyKind
from apps.duty.effects import DutyRecords
from apps.workflow.effects import Notify
from apps.workflow.inputs import N_, ActionIn
from apps.workflow.machine import State, Transition, Workflow

from .choices import AnswerMode


class PlanReturnIn(ActionIn):
    reason: str = Field(
        ...,
        min_length=1,
        max_length=500,
        description="退回修改的原因（必填）",
        json_schema_extra={"label": N_("退回原因"), "widget": "textarea", "missing": N_("请说明退回原因")},
    )


class ActivityCancelIn(ActionIn):
    reason: str = Field(
        ...,
        min_length=1,
        max_length=500,
        description="取消原因（必填）",
        json_schema_extra={"label": N_("取消原因"), "widget": "textarea", "missing": N_("请说明取消原因")},
    )


class AppointmentDeclineIn(ActionIn):
    reason: str = Field(
        ...,
        min_length=1,
        max_length=500,
        description="不予安排的理由（必填，告知提出的代表）",
        json_schema_extra={"label": N_("理由"), "widget": "textarea", "missing": N_("请说明理由")},
    )


class ActivityDoneIn(ActionIn):
    summary: str = Field(
        ...,
        min_length=1,
        max_length=2000,
        description="活动开展情况（必填）",
        json_schema_extra={"label": N_("活动情况"), "widget": "textarea", "missing": N_("请填写活动情况")},
    )


class AppointmentArrangeIn(ActionIn):
    meets_on: Date = Field(
        ...,
        description="约见（询问）日期",
        json_schema_extra={"label": N_("约见（询问）日期"), "widget": "date", "missing": N_("请填写日期")},
    )


class AppointmentAnswerIn(ActionIn):
    answer_mode: Literal["at_meeting", "written"] = Field(
        ...,
        description="答复方式：at_meeting 当面答复，written 书面答复",
        json_schema_extra={
            "label": N_("答复方式"),
            "widget": "radio",
            "choices": "modes",
            "missing": N_("请选择答复方式"),
        },
    )
    answer: str = Field(
        ...,
        min_length=1,
        max_length=4000,
        description="答复内容（必填）",
        json_schema_extra={"label": N_("答复内容"), "widget": "textarea", "missing": N_("请填写答复内容")},
    )
    answered_on: Date = Field(
        ...,
        description="答复日期",
        json_schema_extra={"label": N_("答复日期"), "widget": "date", "missing": N_("请填写答复日期")},
    )


def _returned(item, data, actor, today):
    item.return_reason = str(data["reason"]).strip()


def _approved(item, data, actor, today):
    item.approved_on = today
    item.return_reason = ""


def _done(item, data, actor, today):
    item.summary = str(data["summary"]).strip()


def _cancelled(item, data, actor, today):
    item.cancel_reason = str(data["reason"]).strip()


def _plan_approved(item, actor, today):
    if not item.items.exists():
        return _("监督计划还没有监督事项，不能提交")
    return None


def _arranged(item, data, actor, today):
    item.meets_on = data["meets_on"]


def _answered(item, data, actor, today):
    if data["answered_on"] > today:
        from apps.common.errors import field_error

        raise field_error("answered_on", _("答复日期不能晚于今天"))
    item.answer_mode = data["answer_mode"]
    item.answer = str(data["answer"]).strip()
    item.answered_on = data["answered_on"]


def _declined(item, data, actor, today):
    item.close_reason = str(data["reason"]).strip()


def _mode_choices(item, actor):
    return list(AnswerMode.choices)


def _members(ctx):
    return [m.deputy for m in ctx.item.members.select_related("deputy")]


def _duty_title(ctx):
    return f"{ctx.item.get_kind_display()}：{ctx.item.topic}"


def _requesters(ctx):
    return [r.deputy for r in ctx.item.requesters.select_related("deputy")]


def _appointment_title(ctx):
    return f"{ctx.item.get_kind_display()}{ctx.item.official}：{ctx.item.subject}"


PLAN_WORKFLOW = Workflow(
    key="supervision.plan",
    model="supervision.SupervisionPlan",
    label=_("监督工作计划"),
    initial="draft",
    states=[
        State("draft", _("草拟中")),
        State("submitted", _("待主席团审定")),
        State("returned", _("退回修改")),
        State("approved", _("已审定"), final=True),
    ],
    transitions=[
        Transition(
            "submit",
            _("提交主席团审定"),
            ("draft", "returned"),
            "submitted",
            perms.SUPERVISION_PLAN,
            guard=_plan_approved,
        ),
        Transition(
            "approve",
            _("主席团审定通过"),
            ("submitted",),
            "approved",
            perms.SUPERVISION_APPROVE,
            apply=_approved,
            event="approved",
        ),
        Transition(
            "return",
            _("退回修改"),
            ("submitted",),
            "returned",
            perms.SUPERVISION_APPROVE,
            input=PlanReturnIn,
            apply=_returned,
            danger=True,
            event="returned",
        ),
    ],
)

ACTIVITY_WORKFLOW = Workflow(
    key="supervision.activity",
    model="supervision.Activity",
    label=_("监督事项"),
    initial="planned",
    states=[
        State("planned", _("计划中")),
        State("under_way", _("进行中")),
        State("done", _("已完成"), final=True),
        State("cancelled", _("已取消"), final=True),
    ],
    transitions=[
        Transition(
            "start",
            _("开始活动"),
            ("planned",),
            "under_way",
            perms.SUPERVISION_PLAN,
            effects=(Notify(("deputies",)),),
        ),
        Transition(
            "finish",
            _("活动完成"),
            ("under_way",),
            "done",
            perms.SUPERVISION_PLAN,
            input=ActivityDoneIn,
            apply=_done,
            # 代表参加视察、调研、检查计入履职记录 (DOMAIN §8)
            effects=(DutyRecords(DutyKind.INSPECTION, _members, _duty_title),),
        ),
        Transition(
            "cancel",
            _("取消活动"),
            ("planned", "under_way"),
            "cancelled",
            perms.SUPERVISION_PLAN,
            input=ActivityCancelIn,
            apply=_cancelled,
            danger=True,
            effects=(Notify(("deputies",)),),
        ),
    ],
)

APPOINTMENT_WORKFLOW = Workflow(
    key="supervision.appointment",
    model="supervision.Appointment",
    label=_("约见和专题询问"),
    initial="requested",
    states=[
        State("requested", _("已提出")),
        State("arranged", _("已安排")),
        State("answered", _("已答复"), responsible="deputy"),
        State("closed", _("已办结"), final=True),
        State("declined", _("未予安排"), final=True),
    ],
    transitions=[
        Transition(
            "arrange",
            _("安排约见（询问）"),
            ("requested",),
            "arranged",
            perms.SUPERVISION_ARRANGE,
            input=AppointmentArrangeIn,
            apply=_arranged,
            effects=(Notify(("deputies",)),),
        ),
        Transition(
            "answer",
            _("记录答复"),
            ("arranged",),
            "answered",
            perms.SUPERVISION_ARRANGE,
            input=AppointmentAnswerIn,
            apply=_answered,
            choices={"modes": _mode_choices},
            effects=(Notify(("deputies",)),),
        ),
        Transition(
            "close",
            _("办结"),
            ("answered",),
            "closed",
            perms.SUPERVISION_ARRANGE,
            # the requesting deputies' part in it counts in their duty records (DOMAIN §8)
            effects=(DutyRecords(DutyKind.OTHER, _requesters, _appointment_title),),
        ),
        Transition(
            "decline",
            _("不予安排"),
            ("requested",),
            "declined",
            perms.SUPERVISION_ARRANGE,
            input=AppointmentDeclineIn,
            apply=_declined,
            danger=True,
            effects=(Notify(("deputies",)),),
        ),
    ],
)

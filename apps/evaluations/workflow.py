"""Department evaluations (工作评议) and their satisfaction survey as data (DOMAIN §7, issue 18 part 3).

The evaluation: planned → the eight steps of the Hanyin method, each a state entered by one step the office
takes with the step's date and a note (预先通知 → 提前调研 → 评议会议 → 书面评议意见 → 督促整改 → 整改验收 →
公布结果 → 归档); the engine refuses a step out of order and records who and when. Written opinions wait for
the survey's result. The survey, as the report-back rating (archive/workflow.py): planned → prepared (the
office names a second staff member: the ballot box is made with the two as tellers) → open (once both made
their key shares) → counting (the box is closed) → closed: the platform's `file_results`, taken when the
last teller's share has decrypted the totals, files each department's result once."""

import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Field

from apps.accounts import permissions as perms
from apps.workflow.effects import Run
from apps.workflow.inputs import N_, ActionIn
from apps.workflow.machine import State, Transition, Workflow

from . import steps


class EvaluationStepIn(ActionIn):
    date: datetime.date = Field(
        ...,
        description="该步骤的日期（如通知发出、调研、会议召开之日）",
        json_schema_extra={"label": N_("日期"), "widget": "date", "missing": N_("请填写日期")},
    )
    reason: str = Field(
        "",
        max_length=1000,
        description="说明（可选；记入办理过程）",
        json_schema_extra={"label": N_("说明"), "widget": "textarea"},
    )


class SurveyPrepareIn(ActionIn):
    second_teller: int = Field(
        ...,
        ge=1,
        le=2**31 - 1,
        description="第二名监票人的用户编号：本镇（或县）人大办的在职工作人员，不能是操作人本人",
        json_schema_extra={
            "label": N_("第二名监票人"),
            "widget": "select",
            "choices": "tellers",
            "missing": N_("请指定第二名监票人"),
        },
    )


def _step(key, label, source, target, **kw):
    return Transition(
        key,
        label,
        (source,),
        target,
        perms.EVALUATION_MANAGE,
        input=EvaluationStepIn,
        apply=steps.date_step,
        **kw,
    )


EVALUATION_WORKFLOW = Workflow(
    key="evaluations.evaluation",
    model="evaluations.DepartmentEvaluation",
    label=_("工作评议"),
    initial="planned",
    states=[
        State("planned", _("已立项")),
        State("notice", _("已预先通知")),
        State("research", _("提前调研")),
        State("meeting", _("评议会议与满意度测评")),
        State("opinions", _("已提出书面评议意见")),
        State("rectification", _("督促整改")),
        State("acceptance", _("整改验收")),
        State("published", _("已公布结果")),
        State("archived", _("已归档"), final=True),
    ],
    transitions=[
        _step("give_notice", _("预先通知"), "planned", "notice"),
        _step("research", _("提前调研"), "notice", "research"),
        _step("hold_meeting", _("召开评议会议"), "research", "meeting"),
        _step("give_opinions", _("提出书面评议意见"), "meeting", "opinions", guard=steps.survey_done),
        # issue 18 parts 3-4: each department rated dissatisfied beyond the town's share gets its item
        _step(
            "supervise",
            _("督促整改"),
            "opinions",
            "rectification",
            effects=(Run("rectification", steps.open_rectifications),),
        ),
        _step("review", _("整改验收"), "rectification", "acceptance"),
        _step("publish", _("公布评议结果"), "acceptance", "published"),
        _step("archive", _("归档评议材料"), "published", "archived"),
    ],
)

SURVEY_WORKFLOW = Workflow(
    key="evaluations.survey",
    model="evaluations.Survey",
    label=_("满意度测评"),
    initial="planned",
    states=[
        State("planned", _("待准备")),
        State("prepared", _("待监票人生成密钥")),
        State("open", _("测评中")),
        State("counting", _("计票中")),
        State("closed", _("测评结束"), final=True),
    ],
    transitions=[
        Transition(
            "prepare",
            _("准备测评（指定第二名监票人）"),
            ("planned",),
            "prepared",
            perms.EVALUATION_MANAGE,
            input=SurveyPrepareIn,
            choices={"tellers": steps.second_teller_choices},
            # issue 15: a survey has no tellers of its own, so two office staff act together
            effects=(Run("box", steps.make_box),),
            event="prepared",
        ),
        Transition(
            "open",
            _("开启测评"),
            ("prepared",),
            "open",
            perms.EVALUATION_MANAGE,
            guard=steps.keys_made,
            effects=(Run("box", steps.open_box),),
            event="opened",
        ),
        Transition(
            "close",
            _("结束测评"),
            ("open",),
            "counting",
            perms.EVALUATION_MANAGE,
            apply=steps.survey_closed,
            effects=(Run("box", steps.close_box),),
            event="closed",
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


# The vice-mayors' rating (issue 18 part 6) runs the same steps as the survey, on its own table.
OFFICIAL_RATING_WORKFLOW = Workflow(
    key="evaluations.official_rating",
    model="evaluations.OfficialRating",
    label=_("副镇长述职评议"),
    initial="planned",
    states=SURVEY_WORKFLOW.states,
    transitions=[
        *[t for t in SURVEY_WORKFLOW.transitions if t.key != "file_results"],
        Transition(
            "file_results",
            _("归档测评结果"),
            ("counting",),
            "closed",
            None,
            effects=(Run("results", steps.file_official_results),),
            system=True,
            event="results_filed",
        ),
    ],
)

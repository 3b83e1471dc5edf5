"""The digest of a report's deliberation opinions (审议意见汇总, issue 16 item 4) as data.

sent (the unit answers within DELIBERATION_ANSWER_WORKING_DAYS [local]) → answered (the office reviews)
→ accepted, or returned to the unit to answer again (the same deadline). Reminders and escalation come from
the workflow sweep, as for suggestions' replies.
"""

from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.workflow.effects import Notify, Run
from apps.workflow.machine import Due, State, Transition, Workflow

from .inputs import (
    DigestAcceptIn,
    DigestAnswerIn,
    DigestReturnIn,
    ResolutionDoneIn,
    ResolutionReportIn,
    ResolutionReturnIn,
)


def _answer(item, data, actor, today):
    item.answer_text = str(data["answer_text"]).strip()
    item.answered_on = today


def _note(item, data, actor, today):
    item.review_note = str(data.get("reason") or "").strip()[:500]


DIGEST_WORKFLOW = Workflow(
    key="digest",
    model="meetings.DeliberationDigest",
    label=_("审议意见汇总"),
    initial="sent",
    states=[
        State("sent", _("已送交政府"), Due(setting="DELIBERATION_ANSWER_WORKING_DAYS"), responsible="unit"),
        State("answered", _("已答复"), Due(working_days=5)),
        State(
            "returned", _("退回重新研究"), Due(setting="DELIBERATION_ANSWER_WORKING_DAYS"), responsible="unit"
        ),
        State("accepted", _("已办结"), final=True),
    ],
    transitions=[
        Transition(
            "answer",
            _("答复"),
            ("sent", "returned"),
            "answered",
            perms.DELIBERATION_ANSWER,
            input=DigestAnswerIn,
            apply=_answer,
            effects=(Notify(("office",)),),
        ),
        Transition(
            "accept",
            _("认可答复"),
            ("answered",),
            "accepted",
            perms.MEETING_MANAGE,
            input=DigestAcceptIn,
            apply=_note,
            effects=(Notify(("unit",)),),
        ),
        Transition(
            "return",
            _("退回重新研究"),
            ("answered",),
            "returned",
            perms.MEETING_MANAGE,
            input=DigestReturnIn,
            apply=_note,
            effects=(Notify(("unit",)),),
            danger=True,
        ),
    ],
)


# --- resolutions followed up (决议决定执行, issue 16 item 6) ------------------------------------------------
# assigned → reported (the unit reports progress, again and again) → done (the office accepts), or returned
# to the unit (with a new date if the office gives one). The deadline of every open state is the item's own
# target date (a fixed date, or working days counted when assigned); the sweep reminds the unit before it
# and escalates once after it.


def _report(item, data, actor, today):
    item.progress_text = str(data["text"]).strip()
    item.reported_on = today
    item.reports_count += 1


def _progress_row(ctx):
    from .models import ResolutionProgress

    user = ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None
    row = ResolutionProgress.objects.create(
        task=ctx.item, date=ctx.today, text=ctx.item.progress_text, created_by=user
    )
    return row.pk


def _return(item, data, actor, today):
    _note(item, data, actor, today)
    if data.get("target_date"):
        item.target_date = data["target_date"]


TASK_DUE = Due(field="target_date")

RESOLUTION_WORKFLOW = Workflow(
    key="resolution_task",
    model="meetings.ResolutionTask",
    label=_("决议实施事项"),
    initial="assigned",
    states=[
        State("assigned", _("已交办"), TASK_DUE, responsible="unit"),
        State("reported", _("已报告进展"), TASK_DUE, responsible="unit"),
        State("returned", _("退回继续落实"), TASK_DUE, responsible="unit"),
        State("done", _("已办结"), final=True),
    ],
    transitions=[
        Transition(
            "report",
            _("报告进展"),
            ("assigned", "reported", "returned"),
            "reported",
            perms.RESOLUTION_REPORT,
            input=ResolutionReportIn,
            apply=_report,
            effects=(Run("progress", _progress_row), Notify(("office",))),
            waits=("assigned", "returned"),  # once reported it waits for the office
        ),
        Transition(
            "done",
            _("确认办结"),
            ("reported",),
            "done",
            perms.MEETING_MANAGE,
            input=ResolutionDoneIn,
            apply=_note,
            effects=(Notify(("unit",)),),
        ),
        Transition(
            "return",
            _("退回继续落实"),
            ("reported",),
            "returned",
            perms.MEETING_MANAGE,
            input=ResolutionReturnIn,
            apply=_return,
            effects=(Notify(("unit",)),),
            danger=True,
        ),
    ],
)

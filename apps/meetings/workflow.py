"""The digest of a report's deliberation opinions (审议意见汇总, issue 16 item 4) as data.

sent (the unit answers within DELIBERATION_ANSWER_WORKING_DAYS [local]) → answered (the office reviews)
→ accepted, or returned to the unit to answer again (the same deadline). Reminders and escalation come from
the workflow sweep, as for suggestions' replies.
"""

from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.workflow.effects import Notify
from apps.workflow.machine import Due, State, Transition, Workflow

from .inputs import DigestAcceptIn, DigestAnswerIn, DigestReturnIn


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

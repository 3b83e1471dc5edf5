"""The rectification item (整改事项, DOMAIN §7, issue 18 part 4) as data.

assigned (the unit has until `deadline`: RECTIFICATION_WORKING_DAYS [local], default 20 working days)
→ planned (the unit filed its plan) → reported (its report, evidence files attached) → accepted by the
reviewing deputies (or the office), or returned to the unit with a reason and a new deadline. After
RECTIFICATION_MAX_RETURNS returns [local, default 2] the next one is a referral to the presidium, which
accepts or orders the unit to rectify again. Reminders, overdue flags and escalation come from the workflow
sweep, as for opinions.
"""

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import own_deputy
from apps.duty.effects import DutyRecords
from apps.duty.models import ActivityKind
from apps.workflow.effects import Notify
from apps.workflow.machine import Due, State, Transition, Workflow

from . import rules
from .inputs import (
    RectificationAcceptIn,
    RectificationOrderAgainIn,
    RectificationPlanIn,
    RectificationPresidiumAcceptIn,
    RectificationReferIn,
    RectificationReportIn,
    RectificationReturnIn,
)

WORKING_DAYS = "RECTIFICATION_WORKING_DAYS"
MAX_RETURNS = "RECTIFICATION_MAX_RETURNS"


def _local(key: str, where) -> int:
    """A [local] rule read where the item is (`where`: the item, or the town while it is being opened)."""
    from apps.localrules.selectors import local_value

    place = where.rules_place() if hasattr(where, "rules_place") else where
    return int(local_value(key, place))


def new_deadline(item, today):
    from apps.calendar.services import add_working_days

    return add_working_days(today, _local(WORKING_DAYS, item))


def _plan(item, data, actor, today):
    item.plan_text = str(data["plan_text"]).strip()
    item.plan_filed_on = today


def _report(item, data, actor, today):
    item.report_text = str(data["report_text"]).strip()
    item.reported_on = today


def _note(item, data, actor, today):
    item.review_note = str(data.get("reason") or "").strip()[:500]


def _accept(item, data, actor, today):
    _note(item, data, actor, today)
    item.accepted_on = today


def _return(item, data, actor, today):
    _note(item, data, actor, today)
    item.returns_count += 1
    item.deadline = new_deadline(item, today)


def _again(item, data, actor, today):
    _note(item, data, actor, today)
    item.deadline = new_deadline(item, today)


def _may_return(item, actor, today):
    return rules.return_objection(item.returns_count, _local(MAX_RETURNS, item))


def _may_refer(item, actor, today):
    return rules.refer_objection(item.returns_count, _local(MAX_RETURNS, item))


def _reviewing_deputy(ctx):
    """A reviewer's own review (accept, return, refer) counts once an item in their duty record."""
    deputy = own_deputy(ctx.actor) if ctx.actor is not None else None
    if deputy is None or not ctx.item.reviewers.filter(pk=deputy.pk).exists():
        return []
    return [deputy]


# 整改验收 is the deputies' supervision of the unit's work: one duty record per deputy and item.
REVIEW_DUTY = DutyRecords(
    ActivityKind.INSPECTION,
    deputies=_reviewing_deputy,
    title=lambda ctx: _t("整改验收：%(t)s") % {"t": ctx.item.title},
)

UNIT_DUE = Due(field="deadline")

RECTIFICATION_WORKFLOW = Workflow(
    key="rectification",
    model="rectification.RectificationItem",
    label=_("整改事项"),
    initial="assigned",
    states=[
        State("assigned", _("已交办"), UNIT_DUE, responsible="unit"),
        State("planned", _("已报送整改方案"), UNIT_DUE, responsible="unit"),
        State("reported", _("待验收"), Due(working_days=10), responsible="reviewers"),
        State("returned", _("退回重新整改"), UNIT_DUE, responsible="unit"),
        State("presidium", _("提请主席团决定"), Due(working_days=10), responsible="presidium"),
        State("accepted", _("验收通过"), final=True),
    ],
    transitions=[
        Transition(
            "plan",
            _("报送整改方案"),
            ("assigned", "returned"),
            "planned",
            perms.RECTIFICATION_HANDLE,
            input=RectificationPlanIn,
            apply=_plan,
            effects=(Notify(("office",)),),
        ),
        Transition(
            "report",
            _("报告整改情况"),
            ("planned", "returned"),
            "reported",
            perms.RECTIFICATION_HANDLE,
            input=RectificationReportIn,
            apply=_report,
            effects=(Notify(("reviewers", "office")),),
        ),
        Transition(
            "accept",
            _("验收通过"),
            ("reported",),
            "accepted",
            perms.RECTIFICATION_REVIEW,
            input=RectificationAcceptIn,
            apply=_accept,
            effects=(REVIEW_DUTY, Notify(("unit", "office"))),
        ),
        Transition(
            "return",
            _("退回重新整改"),
            ("reported",),
            "returned",
            perms.RECTIFICATION_REVIEW,
            input=RectificationReturnIn,
            guard=_may_return,
            apply=_return,
            effects=(REVIEW_DUTY, Notify(("unit", "office"))),
            danger=True,
        ),
        Transition(
            "refer",
            _("不认可，提请主席团决定"),
            ("reported",),
            "presidium",
            perms.RECTIFICATION_REVIEW,
            input=RectificationReferIn,
            guard=_may_refer,
            apply=_note,
            effects=(REVIEW_DUTY, Notify(("presidium",))),
            danger=True,
        ),
        Transition(
            "presidium_accept",
            _("主席团认可整改"),
            ("presidium",),
            "accepted",
            perms.RECTIFICATION_DECIDE,
            input=RectificationPresidiumAcceptIn,
            apply=_accept,
            effects=(Notify(("unit", "reviewers")),),
        ),
        Transition(
            "order_again",
            _("主席团责令重新整改"),
            ("presidium",),
            "returned",
            perms.RECTIFICATION_DECIDE,
            input=RectificationOrderAgainIn,
            apply=_again,
            effects=(Notify(("unit", "reviewers")),),
            danger=True,
        ),
    ],
)

"""The calendar item (日历事项, issue 20 part 4) as data: planned → moved (still planned, a new date) or
cancelled with a reason. Compliance is never a state: it is read from the records (selectors.compliance)."""

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.workflow.machine import State, Transition, Workflow

from . import rules
from .inputs import PlanItemCancelIn, PlanItemMoveIn


def _move(item, data, actor, today):
    from apps.calendar.services import is_workday
    from apps.common.errors import field_error

    new = data["date"]
    if new.year != item.year:
        raise field_error("date", _t("日期须在 %(y)s 年内") % {"y": item.year})
    if not is_workday(new):
        raise field_error("date", _t("%(d)s 不是工作日") % {"d": new.isoformat()})
    item.date = new
    item.window_start, item.window_end = rules.window(item.kind, new)
    note = str(data.get("reason") or "").strip()
    if note:
        item.note = note[:500]


def _cancel(item, data, actor, today):
    item.cancel_reason = str(data["reason"]).strip()[:500]


PLAN_ITEM_WORKFLOW = Workflow(
    key="yearplan",
    model="yearplan.PlanItem",
    label=_("日历事项"),
    initial="planned",
    states=[
        State("planned", _("已安排")),
        State("cancelled", _("已取消"), final=True),
    ],
    transitions=[
        Transition(
            "move",
            _("调整日期"),
            ("planned",),
            "planned",
            perms.YEARPLAN_EDIT,
            input=PlanItemMoveIn,
            apply=_move,
            waits=(),
        ),
        Transition(
            "cancel",
            _("取消事项"),
            ("planned",),
            "cancelled",
            perms.YEARPLAN_EDIT,
            input=PlanItemCancelIn,
            apply=_cancel,
            danger=True,
            waits=(),
        ),
    ],
)

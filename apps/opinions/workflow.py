"""The opinion lifecycle (DOMAIN §3) as data: who may take each step, and the deadline each state sets.

registered → accepted (or 不予受理 with a reason, merged into a duplicate, turned into a suggestion)
→ assigned to a handling unit (15 working days [local]) → the unit may send it back within 3 working days
[local] → replied (or answered on the spot) → return visit with satisfaction and "solved" → closed out.
Enterprise requests (four orders 点单/定单/接单/验单) are the same path: the deputy "takes" the order.
"""

from django.conf import settings
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.calendar.services import add_working_days
from apps.common.errors import ValidationFailed
from apps.workflow.machine import OFFICES, Due, State, Transition, Workflow

KEEPER, DEPUTY, UNIT = Role.STATION_KEEPER, Role.DEPUTY, Role.UNIT_STAFF


def _required(data: dict, name: str, message) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        raise ValidationFailed(message, fields={name: [message]})
    return value


def _enterprise_only(item, today):
    return None if item.source == "enterprise" else _t("只有企业点单才由代表接单")


def _take(item, data, actor, today):
    """定单: the deputy the enterprise chose takes the order, or the office names the deputy who will."""
    from apps.people.models import Deputy

    if data.get("deputy"):
        deputy = Deputy.objects.filter(pk=data["deputy"], county_id=item.county_id).first()
        if deputy is None:
            raise ValidationFailed(_t("请选择本县的代表"), fields={"deputy": [_t("请选择本县的代表")]})
        item.deputy = deputy
    elif item.deputy_id is None:
        raise ValidationFailed(_t("请选择接单代表"), fields={"deputy": [_t("请选择接单代表")]})


def _assign(item, data, actor, today):
    from .selectors import assignable_units

    unit_id = _required(data, "unit", _t("请选择承办单位"))
    unit = assignable_units(item).filter(pk=unit_id).first()
    if unit is None:
        raise ValidationFailed(_t("该单位不能承办本事项"), fields={"unit": [_t("该单位不能承办本事项")]})
    record_assignment(item, unit.pk, data.get("responsible_person"), today)


def record_assignment(item, unit_id: int, responsible_person, today):
    """The fields an assignment sets, once the unit is known to be assignable (the demo seed, which holds
    valid ids already, calls this directly)."""
    item.unit_id = unit_id
    item.responsible_person = str(responsible_person or "").strip()[:50]
    item.assigned_on = today
    item.reply, item.replied_on, item.reply_on_time = "", None, None


def clear_visit(item):
    item.visit_method, item.satisfaction, item.solved, item.visited_on = "", "", None, None


def _reassign(item, data, actor, today):
    if not data.get("unit"):
        data = {**data, "unit": item.unit_id, "responsible_person": item.responsible_person}
    _assign(item, data, actor, today)
    clear_visit(item)


def _send_back_guard(item, today):
    days = int(settings.RENDA["OPINION_SEND_BACK_WORKING_DAYS"])
    if item.assigned_on and today > add_working_days(item.assigned_on, days):
        return _t("交办后 %(days)s 个工作日内才能退回，已超过期限，请办理并答复") % {"days": days}
    return None


def _send_back(item, data, actor, today):
    item.unit, item.responsible_person, item.assigned_on = None, "", None


def _reply(item, data, actor, today):
    item.reply = _required(data, "reply", _t("请填写答复内容"))[:4000]
    item.replied_on = today
    item.reply_on_time = item.due_date is None or today <= item.due_date


def _answer_on_spot(item, data, actor, today):
    _reply(item, data, actor, today)
    item.on_spot, item.reply_on_time = True, True


def _visit(item, data, actor, today):
    from .models import Satisfaction, VisitMethod

    method = _required(data, "visit_method", _t("请选择回访方式"))
    satisfaction = _required(data, "satisfaction", _t("请选择满意度"))
    if method not in VisitMethod.values:
        raise ValidationFailed(_t("回访方式不正确"), fields={"visit_method": [_t("回访方式不正确")]})
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_t("满意度不正确"), fields={"satisfaction": [_t("满意度不正确")]})
    solved = data.get("solved")
    if solved in (None, ""):
        raise ValidationFailed(_t("请选择是否已解决"), fields={"solved": [_t("请选择是否已解决")]})
    item.visit_method, item.satisfaction = method, satisfaction
    item.solved = solved in (True, "true", "1", "yes", "on")
    item.visit_note = str(data.get("visit_note") or "").strip()[:2000]
    item.visited_on = today


def _close(item, data, actor, today):
    item.closed_on = today


def _merge(item, data, actor, today):
    from .models import Opinion

    code = _required(data, "into", _t("请填写要合并到的事项查询码"))
    target = (
        Opinion.objects.filter(town_id=item.town_id, county_id=item.county_id)
        .exclude(pk=item.pk)
        .filter(**({"pk": code} if code.isdigit() else {"tracking_code": code.upper()}))
        .first()
    )
    if target is None or target.is_final:
        msg = _t("找不到本镇未办结的该事项")
        raise ValidationFailed(msg, fields={"into": [msg]})
    item.merged_into = target
    item.outcome_note = _t("与 %(code)s 合并办理") % {"code": target.tracking_code}


def _not_accept(item, data, actor, today):
    item.outcome_note = str(data.get("reason") or "")[:500]


def _convert(item, data, actor, today):
    """The suggestion is drafted in the name of a deputy: the one converting it, the one who received the
    item, or the one the office names; the service creates it, linked both ways."""
    if not (data.get("deputy") or item.deputy_id or data.get("_actor_is_deputy")):
        msg = _t("请选择提出建议的代表")
        raise ValidationFailed(msg, fields={"deputy": [msg]})
    item.outcome_note = _t("转为代表建议")


OPEN_INTAKE = ("registered", "accepted")
INTAKE_ROLES = OFFICES | {KEEPER, DEPUTY}

OPINION_WORKFLOW = Workflow(
    key="opinion",
    label=_("社情民意"),
    initial="registered",
    states=[
        State("registered", _("已登记"), Due(setting="OPINION_ACCEPT_WORKING_DAYS")),
        State("accepted", _("已受理"), Due(setting="OPINION_ACCEPT_WORKING_DAYS")),
        State("assigned", _("已交办"), Due(setting="OPINION_REPLY_WORKING_DAYS"), responsible="unit"),
        State("replied", _("已答复"), Due(setting="OPINION_VISIT_WORKING_DAYS")),
        State("visited", _("已回访")),
        State("closed", _("已销号"), final=True),
        State("not_accepted", _("不予受理"), final=True),
        State("merged", _("已合并"), final=True),
        State("converted", _("已转为代表建议"), final=True),
    ],
    transitions=[
        Transition("accept", _("受理"), ("registered",), "accepted", OFFICES, notify=("submitter",)),
        Transition(
            "take",
            _("代表接单"),
            ("registered",),
            "accepted",
            OFFICES | {DEPUTY},
            apply=_take,
            guard=_enterprise_only,
            notify=("office", "submitter"),
        ),
        Transition(
            "not_accept",
            _("不予受理"),
            ("registered",),
            "not_accepted",
            OFFICES,
            reason_required=True,
            apply=_not_accept,
            notify=("submitter",),
            danger=True,
        ),
        Transition(
            "answer_on_spot",
            _("当场答复"),
            OPEN_INTAKE,
            "replied",
            INTAKE_ROLES,
            apply=_answer_on_spot,
            notify=("submitter",),
        ),
        Transition("assign", _("交办"), ("accepted",), "assigned", OFFICES, apply=_assign, notify=("unit",)),
        Transition(
            "send_back",
            _("退回（非本单位职责）"),
            ("assigned",),
            "accepted",
            frozenset({UNIT}),
            reason_required=True,
            guard=_send_back_guard,
            apply=_send_back,
            notify=("office",),
            danger=True,
        ),
        Transition(
            "reply",
            _("答复"),
            ("assigned",),
            "replied",
            OFFICES | {UNIT},
            apply=_reply,
            notify=("office", "submitter"),
        ),
        Transition("visit", _("回访"), ("replied",), "visited", INTAKE_ROLES, apply=_visit),
        Transition(
            "reassign",
            _("重新交办"),
            ("visited",),
            "assigned",
            OFFICES,
            reason_required=True,
            apply=_reassign,
            notify=("unit",),
        ),
        Transition("close", _("销号"), ("visited",), "closed", OFFICES, apply=_close, notify=("submitter",)),
        Transition("merge", _("合并重复事项"), OPEN_INTAKE, "merged", OFFICES, apply=_merge),
        Transition(
            "convert", _("转为代表建议"), OPEN_INTAKE, "converted", OFFICES | {DEPUTY}, apply=_convert
        ),
    ],
)

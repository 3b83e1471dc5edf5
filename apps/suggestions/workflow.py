"""Suggestions, their co-handling parts and motions (DOMAIN §4) as data.

Suggestion: draft → submitted (co-signers have all answered) → registered (立案, numbered) | merged (并案)
| returned for revision | declined (不予立案, may become an opinion) → assigned to a lead unit and co-handlers
(reply within 3 months [law]; one approved extension to 6 months in all [law]; a unit sends a wrong
assignment back within 7 working days [local]) → replied with category A/B/C/D (after the consultation
面商 is recorded) → every signer rates handling and result within 20 working days [local] → closed, or
re-handled within 1 month [local] on any "dissatisfied", or kept tracked (B/C) until replied to again.
"""

from django.conf import settings
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.calendar.services import add_working_days, deadline
from apps.common.errors import ValidationFailed
from apps.workflow.machine import OFFICES, SYSTEM, Due, State, Transition, Workflow

DEPUTY, UNIT = Role.DEPUTY, Role.UNIT_STAFF
REPLY_MONTHS, EXTENDED_MONTHS = 3, 6  # 代表法: reply within 3 months; 6 in all with one extension


def _fail(field, message):
    raise ValidationFailed(message, fields={field: [message]})


def _text(data, name, message, limit=6000) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        _fail(name, message)
    return value[:limit]


# --- guards ------------------------------------------------------------------------------------------------


def _signers_answered(item, today):
    from .models import SignatureStatus

    if item.signatures.filter(status=SignatureStatus.INVITED).exists():
        return _t("还有联名代表未确认，请等待确认或撤回邀请后再提交")
    return None


def _send_back_in_time(item, today):
    days = int(settings.RENDA["SUGGESTION_SEND_BACK_WORKING_DAYS"])
    if item.assigned_on and today > add_working_days(item.assigned_on, days):
        return _t("交办后 %(days)s 个工作日内才能退回，已超过期限") % {"days": days}
    return None


def _not_extended(item, today):
    return _t("已延期一次，不能再次延期") if item.extended else None


def _consulted(item, today):
    return None if item.consult_method else _t("答复前须先登记与代表的面商情况（没有面商也须登记“未沟通”）")


def _min_signers(item, today):
    from .rules import motion_signer_problem

    return motion_signer_problem(item, int(settings.RENDA["MOTION_MIN_SIGNERS"]))


# --- applies -----------------------------------------------------------------------------------------------


def _submit(item, data, actor, today):
    item.submitted_on = today


def _register(item, data, actor, today):
    from .rules import next_number

    item.number = next_number(item, today.year)


def _merge(item, data, actor, today):
    from .models import Suggestion

    ref = _text(data, "into", _t("请选择要并入的建议"))
    target = (
        Suggestion.objects.filter(town_id=item.town_id, county_id=item.county_id)
        .exclude(pk=item.pk)
        .filter(**({"pk": ref} if ref.isdigit() else {"number": ref}))
        .first()
    )
    if target is None or target.is_final or target.state in ("draft", "returned"):
        _fail("into", _t("找不到本镇已立案、未办结的该建议"))
    item.merged_into = target
    item.outcome_note = _t("并入 %(n)s 一并办理") % {"n": str(target)}


def _reason_note(item, data, actor, today):
    item.outcome_note = str(data.get("reason") or "")[:500]


def _assign(item, data, actor, today):
    from .selectors import assignable_units

    units = assignable_units(item)
    unit = units.filter(pk=_text(data, "unit", _t("请选择主办单位"))).first()
    if unit is None:
        _fail("unit", _t("该单位不能承办本建议"))
    co_ids = {int(u) for u in data.get("co_units") or [] if str(u).strip()} - {unit.pk}
    if co_ids and units.filter(pk__in=co_ids).count() != len(co_ids):
        _fail("co_units", _t("协办单位不正确"))
    item.unit = unit
    item.responsible_person = str(data.get("responsible_person") or "").strip()[:50]
    item.assigned_on = today
    item._co_units = sorted(co_ids)  # created by the service after the transition


def _send_back(item, data, actor, today):
    item.unit, item.responsible_person, item.assigned_on = None, "", None
    item._co_units = []


def _extend(item, data, actor, today):
    # The one extension counts from the assignment: 6 months in all [law], not 6 more.
    item.extended = True
    item.extension_reason = str(data.get("reason") or "")[:500]
    item._due_override = deadline(item.assigned_on, months=EXTENDED_MONTHS)


def _reply(item, data, actor, today):
    from .models import Category

    category = str(data.get("category") or "")
    if category not in Category.values:
        _fail("category", _t("请选择答复类别（A、B、C、D）"))
    item.category = category
    item.doc_number = _text(data, "doc_number", _t("请填写答复文号"), 50)
    item.signer = _text(data, "signer", _t("请填写签发人"), 50)
    item.done_text = str(data.get("done_text") or "").strip()[:6000]
    item.planned_text = str(data.get("planned_text") or "").strip()[:6000]
    item.not_adopted_text = str(data.get("not_adopted_text") or "").strip()[:6000]
    item.reply_text = _text(data, "reply_text", _t("请填写答复全文"), 20000)
    planned_by = data.get("planned_by") or None
    if category in ("B", "C") and not (item.planned_text or item.not_adopted_text):
        _fail("planned_text", _t("B类须写明计划和时间，C类须写明暂不能解决的原因"))
    if category == "B" and not planned_by:
        _fail("planned_by", _t("B类答复须写明计划完成时间"))
    if isinstance(planned_by, str):
        from datetime import date

        try:
            planned_by = date.fromisoformat(planned_by)
        except ValueError:
            _fail("planned_by", _t("日期格式应为 YYYY-MM-DD"))
    item.planned_by = planned_by
    item.replied_on = today
    item.reply_on_time = item.due_date is None or today <= item.due_date
    item.rounds += 1


def _close(item, data, actor, today):
    item.closed_on = today


def _solved(item, data, actor, today):
    item.reply_text = _text(data, "reply_text", _t("请填写解决情况的答复"), 20000) + (
        "\n\n" + item.reply_text if item.reply_text else ""
    )
    item.solved_on = today
    item.closed_on = today


def _co_input(item, data, today):
    item.input_text = _text(data, "input_text", _t("请填写协办意见"))
    item.input_on = today


def _to_suggestion(item, data, actor, today):
    item.decision_note = str(data.get("reason") or _t("转为代表建议"))[:500]


def _on_agenda(item, data, actor, today):
    item.decision_note = str(data.get("reason") or _t("列入大会议程"))[:500]


SUGGESTION_WORKFLOW = Workflow(
    key="suggestion",
    label=_("代表建议"),
    initial="draft",
    states=[
        State("draft", _("草稿"), responsible="deputy"),
        State("submitted", _("已提交"), Due(setting="SUGGESTION_REVIEW_WORKING_DAYS")),
        State("returned", _("退回修改"), responsible="deputy"),
        State("registered", _("已立案"), Due(setting="SUGGESTION_ASSIGN_WORKING_DAYS")),
        State("assigned", _("办理中"), Due(months=REPLY_MONTHS), responsible="unit"),
        State("replied", _("已答复"), Due(setting="SUGGESTION_FEEDBACK_WORKING_DAYS"), responsible="deputy"),
        State(
            "rehandling", _("重新办理"), Due(months_setting="SUGGESTION_REHANDLE_MONTHS"), responsible="unit"
        ),
        State("tracking", _("跟踪落实"), responsible="unit"),
        State("closed", _("已办结"), final=True),
        State("declined", _("不予立案"), final=True),
        State("merged", _("已并案"), final=True),
    ],
    transitions=[
        Transition(
            "submit",
            _("提交"),
            ("draft", "returned"),
            "submitted",
            OFFICES | {DEPUTY, SYSTEM},
            guard=_signers_answered,
            apply=_submit,
            notify=("office",),
        ),
        Transition(
            "register", _("立案"), ("submitted",), "registered", OFFICES, apply=_register, notify=("deputy",)
        ),
        Transition("merge", _("并案"), ("submitted",), "merged", OFFICES, apply=_merge, notify=("deputy",)),
        Transition(
            "return",
            _("退回修改"),
            ("submitted",),
            "returned",
            OFFICES,
            reason_required=True,
            apply=_reason_note,
            notify=("deputy",),
            danger=True,
        ),
        Transition(
            "decline",
            _("不予立案"),
            ("submitted",),
            "declined",
            OFFICES,
            reason_required=True,
            apply=_reason_note,
            notify=("deputy",),
            danger=True,
        ),
        Transition(
            "assign",
            _("交办"),
            ("registered",),
            "assigned",
            OFFICES,
            apply=_assign,
            notify=("unit", "deputy"),
        ),
        Transition(
            "send_back",
            _("退回（非本单位职责）"),
            ("assigned",),
            "registered",
            frozenset({UNIT}),
            reason_required=True,
            guard=_send_back_in_time,
            apply=_send_back,
            notify=("office",),
            danger=True,
        ),
        Transition(
            "extend",
            _("批准延期"),
            ("assigned",),
            "assigned",
            OFFICES,
            reason_required=True,
            guard=_not_extended,
            apply=_extend,
            notify=("unit", "deputy"),
        ),
        Transition(
            "reply",
            _("答复"),
            ("assigned", "rehandling"),
            "replied",
            OFFICES | {UNIT},
            guard=_consulted,
            apply=_reply,
            notify=("deputy", "office"),
        ),
        Transition(
            "rehandle",
            _("重新办理"),
            ("replied",),
            "rehandling",
            OFFICES | {SYSTEM},
            notify=("unit", "office"),
        ),
        Transition("track", _("跟踪落实"), ("replied",), "tracking", OFFICES | {SYSTEM}, notify=("unit",)),
        Transition(
            "close", _("办结"), ("replied",), "closed", OFFICES | {SYSTEM}, apply=_close, notify=("deputy",)
        ),
        Transition(
            "solved",
            _("答复解决情况"),
            ("tracking",),
            "closed",
            OFFICES | {UNIT},
            apply=_solved,
            notify=("deputy", "office"),
        ),
    ],
)

COHANDLING_WORKFLOW = Workflow(
    key="cohandling",
    label=_("协办"),
    initial="requested",
    states=[
        State(
            "requested",
            _("待提交协办意见"),
            Due(months_setting="SUGGESTION_COHANDLING_MONTHS"),
            responsible="unit",
        ),
        State("submitted", _("已提交协办意见"), final=True),
    ],
    transitions=[
        Transition(
            "submit_input",
            _("提交协办意见"),
            ("requested",),
            "submitted",
            frozenset({UNIT}),
            apply=lambda item, data, actor, today: _co_input(item, data, today),
            notify=("lead",),
        ),
    ],
)

MOTION_WORKFLOW = Workflow(
    key="motion",
    label=_("议案"),
    initial="draft",
    states=[
        State("draft", _("草稿"), responsible="deputy"),
        State("submitted", _("已提交"), Due(working_days=1)),
        State("on_agenda", _("列入大会议程"), final=True),
        State("to_suggestion", _("转为代表建议"), final=True),
    ],
    transitions=[
        Transition(
            "submit",
            _("提交"),
            ("draft",),
            "submitted",
            OFFICES | {DEPUTY},
            guard=_min_signers,
            notify=("office",),
        ),
        Transition(
            "put_on_agenda",
            _("列入议程"),
            ("submitted",),
            "on_agenda",
            OFFICES,
            apply=_on_agenda,
            notify=("deputy",),
        ),
        Transition(
            "to_suggestion",
            _("转为建议"),
            ("submitted",),
            "to_suggestion",
            OFFICES,
            apply=_to_suggestion,
            notify=("deputy",),
        ),
    ],
)

"""The opinion lifecycle (DOMAIN §3) as data: who may take each step, and the deadline each state sets.

registered → accepted (or 不予受理 with a reason, merged into a duplicate, turned into a suggestion)
→ assigned to a handling unit (15 working days [local]) → the unit may send it back within 3 working days
[local] → replied (or answered on the spot) → return visit with satisfaction and "solved" → closed out.
Enterprise requests (four orders 点单/定单/接单/验单) are the same path: the deputy "takes" the order.
"""

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.accounts.models import Role
from apps.accounts.scopes import own_deputy, own_deputy_id
from apps.calendar.services import add_working_days
from apps.common.choices import Satisfaction
from apps.common.errors import ValidationFailed
from apps.duty.effects import DutyRecords
from apps.duty.models import ActivityKind
from apps.localrules.selectors import local_value
from apps.places.terms import terms_for
from apps.workflow.effects import Notify, Run
from apps.workflow.machine import Due, State, Transition, Workflow

from .inputs import (
    OpinionAnswerOnSpotIn,
    OpinionAssignIn,
    OpinionConvertIn,
    OpinionMergeIn,
    OpinionReassignIn,
    OpinionRefuseIn,
    OpinionReplyIn,
    OpinionSendBackIn,
    OpinionTakeIn,
    OpinionVisitIn,
)

KEEPER, DEPUTY, UNIT = Role.STATION_KEEPER, Role.DEPUTY, Role.UNIT_STAFF


# --- guards and field changes -------------------------------------------------------------------------------


def _enterprise_only(item, actor, today):
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

    unit = assignable_units(item).filter(pk=data["unit"]).first()
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


def _send_back_guard(item, actor, today):
    days = int(local_value("OPINION_SEND_BACK_WORKING_DAYS", item))
    if item.assigned_on and today > add_working_days(item.assigned_on, days):
        return _t("交办后 %(days)s 个工作日内才能退回，已超过期限，请办理并答复") % {"days": days}
    return None


def _send_back(item, data, actor, today):
    item.unit, item.responsible_person, item.assigned_on = None, "", None


def _reply(item, data, actor, today):
    item.reply = data["reply"].strip()
    item.replied_on = today
    item.reply_on_time = item.due_date is None or today <= item.due_date


def _answer_on_spot(item, data, actor, today):
    _reply(item, data, actor, today)
    item.on_spot, item.reply_on_time = True, True


def _visit(item, data, actor, today):
    item.visit_method, item.satisfaction, item.solved = (
        data["visit_method"],
        data["satisfaction"],
        data["solved"],
    )
    item.visit_note = data["visit_note"].strip()
    item.visited_on = today


def _close(item, data, actor, today):
    item.closed_on = today


def _merge(item, data, actor, today):
    from .models import Opinion

    code = data["into"].strip()
    target = (
        Opinion.objects.filter(town_id=item.town_id, county_id=item.county_id)
        .exclude(pk=item.pk)
        .filter(**({"pk": code} if code.isascii() and code.isdigit() else {"tracking_code": code.upper()}))
        .first()
    )
    if target is None or target.is_final:
        msg = _t("找不到%(here)s未办结的该事项") % terms_for(item.town).words()
        raise ValidationFailed(msg, fields={"into": [msg]})
    item.merged_into = target
    item.outcome_note = _t("与 %(code)s 合并办理") % {"code": target.tracking_code}


def _not_accept(item, data, actor, today):
    item.outcome_note = str(data.get("reason") or "")[:500]


def _convert(item, data, actor, today):
    """The suggestion is drafted in the name of a deputy: the one converting it, the one who received the
    item, or the one the office names; the `draft_suggestion` effect creates it, linked both ways."""
    if not (data.get("deputy") or item.deputy_id or own_deputy_id(actor)):
        msg = _t("请选择提出建议的代表")
        raise ValidationFailed(msg, fields={"deputy": [msg]})
    item.outcome_note = _t("转为代表建议")


def _household_visitor(ctx):
    """A deputy's own return visit to the person counts in the deputy's duty record."""
    deputy = own_deputy(ctx.actor) if ctx.actor is not None else None
    return [deputy] if deputy is not None and deputy.pk == ctx.item.deputy_id else []


# How an opinion becomes a draft suggestion is the suggestions app's business (it depends on opinions,
# never the other way round): it plugs its drafter in here when it loads (suggestions/apps.py).
SUGGESTION_DRAFTER: list = []


def _draft_suggestion(ctx):
    """An opinion turned into a deputy's suggestion: a draft for the deputy to finish and submit, linked."""
    drafter = SUGGESTION_DRAFTER[0]
    return drafter(ctx.actor, ctx.item, own_deputy(ctx.actor), ctx.data.get("deputy")).pk


def _labels(name):
    from . import models

    return getattr(models, name).choices


def _unit_choices(item):
    """Assignable units, the suggested ones first and marked with their share of the vote."""
    from . import selectors

    scores = {u.pk: score for u, score in selectors.suggested_units(item)}
    units = list(selectors.assignable_units(item).order_by("level", "name"))
    top = sorted((u for u in units if u.pk in scores), key=lambda u: -scores[u.pk])
    rest = [u for u in units if u.pk not in scores]
    marked = _t("【推荐 %(pct)s%%】")
    return [(u.pk, marked % {"pct": round(scores[u.pk] * 100)} + u.name) for u in top] + [
        (u.pk, u.name) for u in rest
    ]


def _town_deputies(item, actor):
    """The deputies an office may name (an office only: a deputy takes or converts in their own name)."""
    from apps.people import selectors as people

    if not perms.roles_over(actor, item) & perms.OFFICES:
        return []
    return [(d.pk, d.name) for d in people.deputies(actor, region=item.town)[:500]]


OPEN_INTAKE = ("registered", "accepted")
INTAKE_ROLES = perms.OFFICES | {KEEPER, DEPUTY}

OPINION_WORKFLOW = Workflow(
    key="opinion",
    model="opinions.Opinion",
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
        Transition(
            "accept",
            _("受理"),
            ("registered",),
            "accepted",
            perms.OPINION_ACCEPT,
            effects=(Notify(("submitter",)),),
        ),
        Transition(
            "take",
            _("代表接单"),
            ("registered",),
            "accepted",
            perms.OPINION_TAKE,
            input=OpinionTakeIn,
            apply=_take,
            guard=_enterprise_only,
            choices={"deputies": lambda item, actor: _town_deputies(item, actor)},
            effects=(Notify(("office", "submitter")),),
        ),
        Transition(
            "not_accept",
            _("不予受理"),
            ("registered",),
            "not_accepted",
            perms.OPINION_REFUSE,
            input=OpinionRefuseIn,
            apply=_not_accept,
            effects=(Notify(("submitter",)),),
            danger=True,
        ),
        Transition(
            "answer_on_spot",
            _("当场答复"),
            OPEN_INTAKE,
            "replied",
            perms.OPINION_ANSWER_ON_SPOT,
            input=OpinionAnswerOnSpotIn,
            apply=_answer_on_spot,
            effects=(Notify(("submitter",)),),
        ),
        Transition(
            "assign",
            _("交办"),
            ("accepted",),
            "assigned",
            perms.OPINION_ASSIGN,
            input=OpinionAssignIn,
            apply=_assign,
            choices={"units": lambda item, actor: _unit_choices(item)},
            effects=(Notify(("unit",)),),
        ),
        Transition(
            "send_back",
            _("退回（非本单位职责）"),
            ("assigned",),
            "accepted",
            perms.OPINION_SEND_BACK,
            input=OpinionSendBackIn,
            guard=_send_back_guard,
            apply=_send_back,
            effects=(Notify(("office",)),),
            danger=True,
        ),
        Transition(
            "reply",
            _("答复"),
            ("assigned",),
            "replied",
            perms.OPINION_REPLY,
            input=OpinionReplyIn,
            apply=_reply,
            effects=(Notify(("office", "submitter")),),
        ),
        Transition(
            "visit",
            _("回访"),
            ("replied",),
            "visited",
            perms.OPINION_VISIT,
            input=OpinionVisitIn,
            apply=_visit,
            choices={
                "visit_methods": lambda i, a: _labels("VisitMethod"),
                "satisfactions": lambda i, a: Satisfaction.rated(),
            },
            effects=(
                DutyRecords(
                    ActivityKind.HOUSEHOLD_VISIT,
                    deputies=_household_visitor,
                    title=lambda ctx: _t("回访：%(title)s") % {"title": ctx.item.title},
                    on_step=True,
                ),
            ),
        ),
        Transition(
            "reassign",
            _("重新交办"),
            ("visited",),
            "assigned",
            perms.OPINION_ASSIGN,
            input=OpinionReassignIn,
            apply=_reassign,
            choices={"units": lambda item, actor: _unit_choices(item)},
            effects=(Notify(("unit",)),),
        ),
        Transition(
            "close",
            _("销号"),
            ("visited",),
            "closed",
            perms.OPINION_CLOSE,
            apply=_close,
            effects=(Notify(("submitter",)),),
        ),
        Transition(
            "merge",
            _("合并重复事项"),
            OPEN_INTAKE,
            "merged",
            perms.OPINION_MERGE,
            input=OpinionMergeIn,
            apply=_merge,
        ),
        Transition(
            "convert",
            _("转为代表建议"),
            OPEN_INTAKE,
            "converted",
            perms.OPINION_CONVERT,
            input=OpinionConvertIn,
            apply=_convert,
            choices={"deputies": lambda item, actor: _town_deputies(item, actor)},
            effects=(Run("draft_suggestion", _draft_suggestion),),
        ),
    ],
)

"""Suggestions, their co-handling parts and motions (DOMAIN §4) as data.

Suggestion: draft → submitted (co-signers have all answered) → registered (立案, numbered) | merged (并案)
| returned for revision | declined (不予立案, may become an opinion) → assigned to a lead unit and co-handlers
(reply within 3 months [law]; one approved extension to 6 months in all [law]; a unit sends a wrong
assignment back within 7 working days [local]) → replied with category A/B/C/D (after the consultation
面商 is recorded) → every signer rates handling and result within 20 working days [local] → closed, or
re-handled within 1 month [local] on any "dissatisfied", or kept tracked (B/C) until replied to again.
"""

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.calendar.services import add_working_days
from apps.common import conf
from apps.common.errors import ValidationFailed
from apps.duty.effects import DutyRecords
from apps.duty.models import ActivityKind
from apps.localrules.selectors import local_value
from apps.places.terms import terms_for
from apps.workflow.effects import Notify, Run, SetDue
from apps.workflow.machine import Due, State, Transition, Workflow

from . import rules
from .effects import (
    cancel_parts,
    category_choices,
    create_parts,
    decline_to_opinion,
    similar_choices,
    suggestion_from_motion,
    unit_choices,
)
from .inputs import (
    CoHandlingInputIn,
    MotionDecisionIn,
    MotionToSuggestionIn,
    SuggestionAssignIn,
    SuggestionDeclineIn,
    SuggestionExtendIn,
    SuggestionMergeIn,
    SuggestionReplyIn,
    SuggestionReturnIn,
    SuggestionSendBackIn,
    SuggestionSolvedIn,
)
from .numbering import allocate

REPLY_MONTHS, EXTENDED_MONTHS = 3, 6  # 代表法: reply within 3 months; 6 in all with one extension


def _fail(field, message):
    raise ValidationFailed(message, fields={field: [message]})


def _text(data, name, message, limit=6000) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        _fail(name, message)
    return value[:limit]


# --- guards ------------------------------------------------------------------------------------------------


def _signers_answered(item, actor, today):
    from .models import SignatureStatus

    if item.signatures.filter(status=SignatureStatus.INVITED).exists():
        return _t("还有联名代表未确认，请等待确认或撤回邀请后再提交")
    return None


def _send_back_in_time(item, actor, today):
    days = int(local_value("SUGGESTION_SEND_BACK_WORKING_DAYS", item))
    if item.assigned_on and today > add_working_days(item.assigned_on, days):
        return _t("交办后 %(days)s 个工作日内才能退回，已超过期限") % {"days": days}
    return None


def _not_extended(item, actor, today):
    return _t("已延期一次，不能再次延期") if item.extended else None


def _consulted(item, actor, today):
    return None if item.consult_method else _t("答复前须先登记与代表的面商情况（没有面商也须登记“未沟通”）")


def _min_signers(item, actor, today):
    from .selectors import motion_signers

    if item.by_presidium:
        return None
    counted, not_counted = motion_signers(item, today)
    return rules.motion_signer_problem(
        by_presidium=False,
        confirmed=len(counted),
        minimum=int(conf.get("MOTION_MIN_SIGNERS")),
        not_counted=[d.name for d in not_counted],
        words=terms_for(item.town).words(),
    )


# --- applies -----------------------------------------------------------------------------------------------


def _submit(item, data, actor, today):
    item.submitted_on = today


def _register(item, data, actor, today):
    item.number = allocate(item, kind="suggestion", setting="SUGGESTION_NUMBER_FORMAT", year=today.year)


def _submit_motion(item, data, actor, today):
    # A motion is numbered when it reaches the presidium office (issue 16 item 11); the number stays.
    if not item.number:
        item.number = allocate(item, kind="motion", setting="MOTION_NUMBER_FORMAT", year=today.year)


def _merge(item, data, actor, today):
    from .models import Suggestion

    ref = _text(data, "into", _t("请选择要并入的建议"))
    target = (
        Suggestion.objects.filter(town_id=item.town_id, county_id=item.county_id)
        .exclude(pk=item.pk)
        .filter(**({"pk": ref} if ref.isascii() and ref.isdigit() else {"number": ref}))
        .first()
    )
    if target is None or target.is_final or target.state in ("draft", "returned"):
        _fail("into", _t("找不到%(here)s已立案、未办结的该建议") % terms_for(item.town).words())
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
    co_ids = set(data.get("co_units") or []) - {unit.pk}
    if co_ids and units.filter(pk__in=co_ids).count() != len(co_ids):
        _fail("co_units", _t("协办单位不正确"))
    item.unit = unit
    item.responsible_person = str(data.get("responsible_person") or "").strip()[:50]
    item.assigned_on = today


def _send_back(item, data, actor, today):
    item.unit, item.responsible_person, item.assigned_on = None, "", None


def _extend(item, data, actor, today):
    # The one extension counts from the assignment: 6 months in all [law], not 6 more.
    item.extended = True
    item.extension_reason = str(data.get("reason") or "")[:500]


def _reply(item, data, actor, today):
    """The schema has checked the category and the required texts; what is left are the rules between them."""
    item.category = data["category"]
    item.doc_number, item.signer = data["doc_number"].strip(), data["signer"].strip()
    item.done_text, item.planned_text = data["done_text"].strip(), data["planned_text"].strip()
    item.not_adopted_text = data["not_adopted_text"].strip()
    item.reply_text = data["reply_text"].strip()
    if item.category in ("B", "C") and not (item.planned_text or item.not_adopted_text):
        _fail("planned_text", _t("B类须写明计划和时间，C类须写明暂不能解决的原因"))
    if item.category == "B" and not data.get("planned_by"):
        _fail("planned_by", _t("B类答复须写明计划完成时间"))
    item.planned_by = data.get("planned_by")
    item.replied_on = today
    item.reply_on_time = item.due_date is None or today <= item.due_date
    item.rounds += 1


def _close(item, data, actor, today):
    item.closed_on = today
    _rated(item, data, actor, today)


def _rated(item, data, actor, today):
    # Every signer rated this round's reply (or one was dissatisfied): the public may read it now, unless
    # marked not for publication (DOMAIN §4, issue 16 item 10). The sweep does it once the window passed.
    item.published_round = item.rounds


def _solved(item, data, actor, today):
    item.reply_text = _text(data, "reply_text", _t("请填写解决情况的答复"), 20000) + (
        "\n\n" + item.reply_text if item.reply_text else ""
    )
    item.solved_on = today
    item.closed_on = today


def _co_input(item, data, actor, today):
    item.input_text = _text(data, "input_text", _t("请填写协办意见"))
    item.input_on = today


def _to_suggestion(item, data, actor, today):
    item.decision_note = str(data.get("reason") or _t("转为代表建议"))[:500]


def _on_agenda(item, data, actor, today):
    item.decision_note = str(data.get("reason") or _t("列入大会议程"))[:500]


def _lead_unless_from_motion(ctx):
    from .models import Motion

    # a motion turned into a suggestion was counted once already, as the motion (提出议案) and its
    # co-signatures; its suggestion adds no record
    return [] if Motion.objects.filter(suggestion=ctx.item).exists() else [ctx.item.lead]


# A suggestion counts once in the duty records (DOMAIN §8): 提出建议 for the lead when first submitted (once
# per item, so a resubmission after 退回修改 adds none), 联名附议 for each co-signer when they confirm
# (services.respond); registering (立案) and every later step add nothing.
_LEAD = DutyRecords(
    ActivityKind.SUGGESTION,
    deputies=_lead_unless_from_motion,
    title=lambda ctx: _t("提出建议：%(t)s") % {"t": ctx.item.title},
)
_MOTION_LEAD = DutyRecords(
    ActivityKind.MOTION,
    deputies=lambda ctx: [ctx.item.lead] if ctx.item.lead_id else [],
    title=lambda ctx: _t("提出议案：%(t)s") % {"t": ctx.item.title},
)
_UNITS = {"units": unit_choices}


SUGGESTION_WORKFLOW = Workflow(
    key="suggestion",
    model="suggestions.Suggestion",
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
            perms.SUGGESTION_SUBMIT,
            who=perms.office_or_deputy("lead_id"),  # the lead submits; an office, a paper one
            guard=_signers_answered,
            apply=_submit,
            system=True,
            effects=(_LEAD, Notify(("office",))),
        ),
        Transition(
            "register",
            _("立案"),
            ("submitted",),
            "registered",
            perms.SUGGESTION_REVIEW,
            apply=_register,
            effects=(Notify(("deputy",)),),
        ),
        Transition(
            "merge",
            _("并案"),
            ("submitted",),
            "merged",
            perms.SUGGESTION_REVIEW,
            input=SuggestionMergeIn,
            apply=_merge,
            choices={"similar": similar_choices},
            effects=(Notify(("deputy",)),),
        ),
        Transition(
            "return",
            _("退回修改"),
            ("submitted",),
            "returned",
            perms.SUGGESTION_REVIEW,
            input=SuggestionReturnIn,
            apply=_reason_note,
            effects=(Notify(("deputy",)),),
            danger=True,
        ),
        Transition(
            "decline",
            _("不予立案"),
            ("submitted",),
            "declined",
            perms.SUGGESTION_REVIEW,
            input=SuggestionDeclineIn,
            apply=_reason_note,
            effects=(
                Run("to_opinion", decline_to_opinion, when=lambda ctx: ctx.data.get("to_opinion")),
                Notify(("deputy",)),
            ),
            danger=True,
        ),
        Transition(
            "assign",
            _("交办"),
            ("registered",),
            "assigned",
            perms.SUGGESTION_ASSIGN,
            input=SuggestionAssignIn,
            apply=_assign,
            choices=_UNITS,
            effects=(Run("cohandling", create_parts), Notify(("unit", "deputy"))),
        ),
        Transition(
            "send_back",
            _("退回（非本单位职责）"),
            ("assigned",),
            "registered",
            perms.SUGGESTION_SEND_BACK,
            input=SuggestionSendBackIn,
            guard=_send_back_in_time,
            apply=_send_back,
            effects=(Run("cohandling_cancelled", cancel_parts), Notify(("office",))),
            danger=True,
        ),
        Transition(
            "extend",
            _("批准延期"),
            ("assigned",),
            "assigned",
            perms.SUGGESTION_EXTEND,
            input=SuggestionExtendIn,
            guard=_not_extended,
            apply=_extend,
            # The one extension counts from the assignment: 6 months in all [law], not 6 more.
            effects=(SetDue(months=EXTENDED_MONTHS, since="assigned_on"), Notify(("unit", "deputy"))),
        ),
        Transition(
            "reply",
            _("答复"),
            ("assigned", "rehandling"),
            "replied",
            perms.SUGGESTION_REPLY,
            input=SuggestionReplyIn,
            guard=_consulted,
            apply=_reply,
            choices={"categories": category_choices},
            effects=(Notify(("deputy", "office")),),
        ),
        Transition(
            "rehandle",
            _("重新办理"),
            ("replied",),
            "rehandling",
            perms.SUGGESTION_CONCLUDE,
            apply=_rated,
            system=True,
            effects=(Notify(("unit", "office")),),
        ),
        Transition(
            "track",
            _("跟踪落实"),
            ("replied",),
            "tracking",
            perms.SUGGESTION_CONCLUDE,
            apply=_rated,
            system=True,
            effects=(Notify(("unit",)),),
        ),
        Transition(
            "close",
            _("办结"),
            ("replied",),
            "closed",
            perms.SUGGESTION_CONCLUDE,
            apply=_close,
            system=True,
            effects=(Notify(("deputy",)),),
        ),
        Transition(
            "solved",
            _("答复解决情况"),
            ("tracking",),
            "closed",
            perms.SUGGESTION_REPLY,
            input=SuggestionSolvedIn,
            apply=_solved,
            effects=(Notify(("deputy", "office")),),
        ),
    ],
)

COHANDLING_WORKFLOW = Workflow(
    key="cohandling",
    model="suggestions.CoHandling",
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
            perms.COHANDLING_INPUT,
            input=CoHandlingInputIn,
            apply=_co_input,
            effects=(Notify(("lead",)),),
        ),
    ],
)

MOTION_WORKFLOW = Workflow(
    key="motion",
    model="suggestions.Motion",
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
            perms.MOTION_SUBMIT,
            guard=_min_signers,
            apply=_submit_motion,
            effects=(_MOTION_LEAD, Notify(("office",))),
        ),
        Transition(
            "put_on_agenda",
            _("列入议程"),
            ("submitted",),
            "on_agenda",
            perms.MOTION_DECIDE,
            input=MotionDecisionIn,
            apply=_on_agenda,
            effects=(Notify(("deputy",)),),
        ),
        Transition(
            "to_suggestion",
            _("转为建议"),
            ("submitted",),
            "to_suggestion",
            perms.MOTION_DECIDE,
            input=MotionToSuggestionIn,
            apply=_to_suggestion,
            effects=(Run("suggestion", suggestion_from_motion), Notify(("deputy",))),
        ),
    ],
)

"""The review of a self-reported duty record (DOMAIN §8) as data: pending → approved (counts at once) or
rejected with a reason; an edit sends it back to pending. Records the platform appends are approved when
they are written and never enter this table's steps."""

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from ninja import Field

from apps.accounts import permissions as perms
from apps.workflow.effects import Run
from apps.workflow.inputs import N_, ActionIn, NoteIn
from apps.workflow.machine import State, Transition, Workflow


class DutyRecordApproveIn(NoteIn):
    reason: str = Field(
        "", max_length=200, description="审核意见", json_schema_extra={"label": N_("审核意见")}
    )


class DutyRecordRejectIn(ActionIn):
    reason: str = Field(
        ...,
        min_length=1,
        max_length=200,
        description="退回理由",
        json_schema_extra={"label": N_("退回理由"), "widget": "textarea", "missing": N_("请填写退回理由")},
    )


def _reviewed(item, data, actor, today):
    item.review_reason, item.reviewed_by = data.get("reason", "").strip(), actor


def _revised(item, data, actor, today):
    item.review_reason, item.reviewed_by = "", None


def _rescore(ctx):
    from .services.scores import _rescore_after_commit

    _rescore_after_commit(ctx.item.deputy_id, ctx.item.date.year)


def _tell_rejected(ctx):
    from apps.notifications.services import notify

    rec = ctx.item
    if rec.deputy.user_id:
        notify(
            recipients=[rec.deputy.user],
            kind="duty.rejected",
            title=_t("履职记录被退回：%(title)s") % {"title": rec.title},
            body=_t("退回理由：%(reason)s") % {"reason": rec.review_reason},
            url=rec.get_absolute_url(),
            obj=rec,
            dedupe_key=f"duty-rejected:{rec.pk}:{ctx.step.pk}",
        )
        return rec.deputy.user_id
    return None


DUTY_RECORD_WORKFLOW = Workflow(
    key="duty.record",
    model="duty.DutyRecord",
    label=_("履职记录审核"),
    initial="pending",
    states=[
        State("pending", _("待审核")),
        State("approved", _("已通过")),
        State("rejected", _("已退回"), responsible="deputy"),
    ],
    transitions=[
        Transition(
            "approve",
            _("通过"),
            ("pending",),
            "approved",
            perms.DUTY_REVIEW,
            input=DutyRecordApproveIn,
            apply=_reviewed,
            effects=(Run("rescore", _rescore),),
            event="approved",
        ),
        Transition(
            "reject",
            _("退回"),
            ("pending",),
            "rejected",
            perms.DUTY_REVIEW,
            input=DutyRecordRejectIn,
            apply=_reviewed,
            effects=(Run("tell_deputy", _tell_rejected),),
            event="rejected",
            danger=True,
        ),
        Transition(
            "revise",
            _("修改后重新提交"),
            ("pending", "approved", "rejected"),
            "pending",
            perms.DUTY_RECORD_EDIT,
            who=perms.office_or_deputy(),
            apply=_revised,
            event="resubmitted",
            # Waits only when the office sent it back, and then for the deputy.
            waits=("rejected",),
            waits_for=perms.the_deputy(),
        ),
    ],
)

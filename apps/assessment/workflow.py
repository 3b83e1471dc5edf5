"""The assessment's two tracked kinds as data (issue 20 parts 1-3).

The indicator table: draft (the county edits aspects and indicators, or copies last year's) → scoring (each
town of the county gets its `TownAssessment`; manual indicators are scored) → published (the ranking, with
its tie-break rules, and the advanced units are kept on the towns' rows and shown on the public site); a
published table may be withdrawn to scoring again.

A manual score: scored (by one county office login, with evidence files) → reviewed by another login of
the county office, or returned with a reason and scored again; only reviewed scores count.
"""

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.workflow.effects import Notify, Run
from apps.workflow.machine import State, Transition, Workflow

from .inputs import AssessmentNoteIn, AssessmentReasonIn, AssessmentScoreIn


def _table_open(item, actor, today):
    if item.assessment.table.state != "scoring":
        return _t("考核表不在评分阶段，评分不能修改")
    return None


def _not_own_score(item, actor, today):
    if item.scored_by_id is not None and item.scored_by_id == getattr(actor, "pk", None):
        return _t("评分须由评分人以外的县人大办人员审核")
    return _table_open(item, actor, today)


def _rescore(item, data, actor, today):
    from .services import check_points

    item.points = check_points(item.indicator, data["points"])
    item.note = str(data.get("note") or "").strip()
    item.scored_by = actor if getattr(actor, "is_authenticated", False) else None
    item.review_note = ""


def _review_note(item, data, actor, today):
    item.review_note = str(data.get("reason") or "").strip()[:500]


def _create_towns(ctx):
    from .services import create_town_rows

    return create_town_rows(ctx.item)


def _freeze(ctx):
    from .services import freeze_ranking

    return freeze_ranking(ctx.item)


def _published(item, data, actor, today):
    item.published_on = today


def _withdrawn(item, data, actor, today):
    item.published_on = None


def _has_indicators(item, actor, today):
    if not item.indicators.exists():
        return _t("考核表还没有指标")
    return None


TABLE_WORKFLOW = Workflow(
    key="assessment_table",
    model="assessment.IndicatorTable",
    label=_("考核指标体系"),
    initial="draft",
    states=[
        State("draft", _("编制中")),
        State("scoring", _("评分中")),
        State("published", _("已公布")),
    ],
    transitions=[
        Transition(
            "open_scoring",
            _("开始评分"),
            ("draft",),
            "scoring",
            perms.ASSESSMENT_MANAGE,
            input=AssessmentNoteIn,
            guard=_has_indicators,
            effects=(Run("towns", _create_towns),),
        ),
        Transition(
            "publish",
            _("公布考核结果"),
            ("scoring",),
            "published",
            perms.ASSESSMENT_MANAGE,
            input=AssessmentNoteIn,
            apply=_published,
            effects=(Run("ranking", _freeze),),
        ),
        Transition(
            "withdraw",
            _("撤回重新评分"),
            ("published",),
            "scoring",
            perms.ASSESSMENT_MANAGE,
            input=AssessmentReasonIn,
            apply=_withdrawn,
            danger=True,
        ),
    ],
)

SCORE_WORKFLOW = Workflow(
    key="assessment_score",
    model="assessment.ManualScore",
    label=_("考核评分"),
    initial="scored",
    states=[
        State("scored", _("待审核")),
        State("reviewed", _("已审核")),
        State("returned", _("退回重评")),
    ],
    transitions=[
        Transition(
            "review",
            _("审核通过"),
            ("scored",),
            "reviewed",
            perms.ASSESSMENT_REVIEW,
            input=AssessmentNoteIn,
            guard=_not_own_score,
            apply=_review_note,
            effects=(Notify(("town",)),),
        ),
        Transition(
            "return",
            _("退回重评"),
            ("scored",),
            "returned",
            perms.ASSESSMENT_REVIEW,
            input=AssessmentReasonIn,
            guard=_not_own_score,
            apply=_review_note,
            danger=True,
        ),
        Transition(
            "rescore",
            _("修改评分"),
            ("scored", "returned", "reviewed"),
            "scored",
            perms.ASSESSMENT_MANAGE,
            input=AssessmentScoreIn,
            guard=_table_open,
            apply=_rescore,
            waits=("returned",),
        ),
    ],
)

__all__ = ["SCORE_WORKFLOW", "TABLE_WORKFLOW"]

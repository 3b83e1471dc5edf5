"""Every read a page or endpoint of department evaluations needs, already scoped (DOMAIN §7)."""

from __future__ import annotations

from django.db.models import Count

from apps.accounts import permissions as perms
from apps.accounts.models import Role
from apps.accounts.scopes import get_or_deny, grants_of, visible_to
from apps.localrules.selectors import local_value

from . import rules
from .models import DepartmentEvaluation, EvaluatedUnit, Survey, SurveyComment


def evaluations(user, *, year=None, state=""):
    qs = visible_to(user, DepartmentEvaluation, perms.EVALUATION_BROWSE).select_related("region")
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    return qs.annotate(units_count=Count("evaluated", distinct=True)).order_by("-year", "-id")


def evaluation(user, pk: int) -> DepartmentEvaluation:
    return get_or_deny(user, DepartmentEvaluation, perms.EVALUATION_BROWSE, pk=pk)


def survey_of(item: DepartmentEvaluation) -> Survey | None:
    return Survey.objects.filter(evaluation=item).first()


def survey(user, pk: int) -> Survey:
    return get_or_deny(user, Survey, perms.EVALUATION_BROWSE, pk=pk)


def seen_units(user, item: DepartmentEvaluation) -> set[int] | None:
    """The departments whose results and comments `user` may read: all of them for the office and the
    deputies (None), only their own for a unit's staff (a unit sees only what concerns it)."""
    if user is None:
        return None
    roles = perms.roles_over(user, item)
    if roles - {Role.UNIT_STAFF}:
        return None
    return {g.unit_id for g in grants_of(user) if g.role == Role.UNIT_STAFF and g.unit_id}


def rows(item: DepartmentEvaluation):
    return list(EvaluatedUnit.objects.filter(evaluation=item).select_related("unit").order_by("id"))


def results(item: DepartmentEvaluation, user=None) -> list[dict]:
    """Per department: counts, shares and whether it must file a rectification plan (and by when). Counts
    are None until the survey's totals are decrypted."""
    threshold = int(local_value("EVALUATION_DISSATISFIED_SHARE", item))
    seen = seen_units(user, item)
    out = []
    for row in rows(item):
        if seen is not None and row.unit_id not in seen:
            continue
        filed = row.satisfied is not None
        counts = (row.satisfied, row.basic, row.dissatisfied) if filed else (0, 0, 0)
        out.append(
            {
                "unit_id": row.unit_id,
                "unit_name": row.unit.name,
                "opinion": row.opinion,
                "filed": filed,
                "satisfied": row.satisfied,
                "basic": row.basic,
                "dissatisfied": row.dissatisfied,
                "total": row.total,
                "shares": rules.shares(*counts),
                "must_rectify": filed and rules.must_rectify(*counts, threshold),
                "plan_due": row.plan_due,
            }
        )
    return out


def comments(item: DepartmentEvaluation, user=None) -> dict[int, list[str]]:
    """The survey's comments by department: text only, never a name (none is kept)."""
    out: dict[int, list[str]] = {}
    qs = SurveyComment.objects.filter(survey__evaluation=item)
    seen = seen_units(user, item)
    if seen is not None:
        qs = qs.filter(unit_id__in=seen)
    for unit_id, text in qs.values_list("unit_id", "text"):
        out.setdefault(unit_id, []).append(text)
    return out


def departments_needing_rectification(evaluation: DepartmentEvaluation) -> list[EvaluatedUnit]:
    """The departments whose 不满意 share exceeded the town's [local] EVALUATION_DISSATISFIED_SHARE in the
    counted survey, each with `plan_due` (the date its rectification plan is due). The lead opens a
    rectification item (apps.rectification.services.open_item) for each; the source is the evaluation."""
    return list(
        EvaluatedUnit.objects.filter(evaluation=evaluation, plan_due__isnull=False)
        .select_related("unit", "evaluation")
        .order_by("id")
    )


def plan_items_to_evaluate(town_ids):
    """The plan items an evaluation may carry out: the towns' supervision activities of kind 部门评议 that
    are not cancelled, newest plan first."""
    from apps.supervision.choices import ActivityKind
    from apps.supervision.models import Activity

    return (
        Activity.objects.filter(town_id__in=town_ids, kind=ActivityKind.DEPARTMENT_EVALUATION)
        .exclude(state="cancelled")
        .select_related("region", "plan")
        .order_by("-plan__year", "starts_on", "id")
    )


def plan_item(item: DepartmentEvaluation, user):
    """The plan item the evaluation carries out, if `user` sees it (a unit does not see plan items)."""
    if not item.activity_id:
        return None
    from apps.supervision import selectors as supervision

    return supervision.activities(user).filter(pk=item.activity_id).first()


def rectifications(item: DepartmentEvaluation, user) -> list:
    """The rectification items the evaluation's `supervise` step opened (one per department rated
    dissatisfied), as far as `user` sees them (a unit its own, a deputy those they review), with the unit."""
    from django.contrib.contenttypes.models import ContentType

    from apps.rectification import selectors as rectification

    rows = EvaluatedUnit.objects.filter(evaluation=item).values("pk")
    ctype = ContentType.objects.get_for_model(EvaluatedUnit)
    return list(rectification.items(user).filter(content_type=ctype, object_id__in=rows))


def surveys_to_answer(user):
    """Open surveys of evaluations the user (a deputy) rates."""
    return visible_to(user, Survey, perms.EVALUATION_RATE).filter(state="open").select_related("evaluation")


# --- the vice-mayors' report-back rating (issue 18 part 6) ------------------------------------------------


def official_ratings(user):
    from .models import OfficialRating

    qs = visible_to(user, OfficialRating, perms.EVALUATION_BROWSE).select_related("meeting")
    return qs.order_by("-id")


def official_rating(user, pk: int):
    from .models import OfficialRating

    return get_or_deny(user, OfficialRating, perms.EVALUATION_BROWSE, pk=pk)


def official_results(item) -> list[dict]:
    """Each official, their report's file and, once filed, counts and shares (hall screen, minutes)."""
    out = []
    for o in item.officials.select_related("report").order_by("id"):
        filed = o.satisfied is not None
        counts = (o.satisfied, o.basic, o.dissatisfied) if filed else (0, 0, 0)
        out.append(
            {
                "id": o.pk,
                "name": o.name,
                "post": o.post,
                "report": o.report_id,
                "report_name": o.report.name if o.report_id else "",
                "filed": filed,
                "satisfied": o.satisfied,
                "basic": o.basic,
                "dissatisfied": o.dissatisfied,
                "shares": rules.shares(*counts),
            }
        )
    return out

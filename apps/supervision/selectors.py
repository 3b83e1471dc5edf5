"""Reads for supervision (issue 18), each scoped: plans, activities, findings and appointments as the
caller may see them, and the opinion roll-up (民情清单) as one GROUP BY in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, visible_to
from apps.common.errors import field_error
from apps.opinions.models import Opinion, Topic
from apps.places.models import Region
from apps.rectification import selectors as rectification

from . import rules
from .models import Activity, Appointment, Finding, SupervisionPlan

EXAMPLES = 3  # example opinions shown per topic
ROLLUP_MAX = 50  # topics a roll-up lists, most raised first


def plans(user):
    return visible_to(user, SupervisionPlan, perms.SUPERVISION_BROWSE).select_related("region")


def plan_for(user, pk: int) -> SupervisionPlan:
    return get_or_deny(user, SupervisionPlan, perms.SUPERVISION_BROWSE, pk=pk)


def plan_items(plan):
    return (
        plan.items.select_related("unit")
        .prefetch_related("members__deputy")
        .annotate(findings_count=Count("findings"))
        .order_by("starts_on", "id")
    )


def activities(user):
    return (
        visible_to(user, Activity, perms.SUPERVISION_BROWSE)
        .select_related("unit", "plan", "region")
        .order_by("-starts_on", "-id")
    )


def activity_for(user, pk: int) -> Activity:
    return get_or_deny(user, Activity, perms.SUPERVISION_BROWSE, pk=pk)


def activity_members(activity):
    return list(activity.members.select_related("deputy").order_by("role", "id"))


def _labelled(rows):
    """Findings with the state label of the rectification item each opened (`with_item`)."""
    rows = list(rows)
    for f in rows:
        f.rectification_label = rectification.state_label(f.rectification_state)
    return rows


def activity_findings(activity):
    """An activity's findings, each with the rectification item it opened (id, state), in one query."""
    return _labelled(
        rectification.with_item(activity.findings.select_related("unit")).order_by("created_at", "id")
    )


def appointment_findings(appointment):
    """An appointment's follow-up items, each with the rectification item it opened."""
    return _labelled(
        rectification.with_item(appointment.findings.select_related("unit")).order_by("created_at", "id")
    )


def linked_counts(user) -> dict:
    """What the supervision home links to, counted as `user` sees it: department evaluations (all, and
    those not yet archived) and rectification items (open, and overdue)."""
    evaluation = Activity._meta.get_field("evaluations").related_model
    evaluations = visible_to(user, evaluation, perms.EVALUATION_BROWSE)
    items = rectification.items(user).order_by()
    return {
        "evaluations": evaluations.count(),
        "evaluations_open": evaluations.exclude(state="archived").count(),
        "rectifications_open": items.filter(state__in=rectification.OPEN_STATES).count(),
        "rectifications_overdue": items.filter(rectification.overdue_q()).count(),
    }


def activity_evaluations(user, activity) -> list:
    """The department evaluations (apps.evaluations) that carry out this plan item, as far as `user` sees
    them (through the reverse relation: supervision does not import evaluations)."""
    model = activity.evaluations.model
    return list(
        visible_to(user, model, perms.EVALUATION_BROWSE).filter(activity=activity).order_by("-year", "-id")
    )


def activity_opinions(activity):
    return list(
        activity.opinions.only("id", "title", "tracking_code", "received_on", "topic").order_by(
            "-received_on", "-id"
        )
    )


def findings(user):
    """The findings the caller sees: the office's town or county, the deputy's own activities and
    appointments, a unit only those that concern it."""
    return rectification.with_item(
        visible_to(user, Finding, perms.SUPERVISION_BROWSE).select_related("unit", "activity", "appointment")
    ).order_by("-created_at", "-id")


def finding_for(user, pk: int) -> Finding:
    return get_or_deny(user, Finding, perms.SUPERVISION_BROWSE, pk=pk)


def appointments(user):
    return (
        visible_to(user, Appointment, perms.SUPERVISION_BROWSE)
        .select_related("unit", "region")
        .order_by("-created_at", "-id")
    )


def appointment_for(user, pk: int) -> Appointment:
    return get_or_deny(user, Appointment, perms.SUPERVISION_BROWSE, pk=pk)


def appointment_requesters(appointment):
    return list(appointment.requesters.select_related("deputy").order_by("id"))


# --- the roll-up (民情清单 → 监督清单, issue 18 part 2) -----------------------------------------------------


@dataclass
class RolledTopic:
    key: str
    count: int
    places: int
    examples: list = field(default_factory=list)
    listed: bool = False  # already an item of a plan of the region

    @property
    def category(self) -> str:
        return rules.topic_category(self.key)

    @property
    def category_label(self) -> str:
        return str(Topic(self.category).label) if self.category in Topic.values else self.category

    @property
    def word(self) -> str:
        return rules.topic_word(self.key)

    @property
    def label(self) -> str:
        return f"{self.category_label}·{self.word}" if self.word else self.category_label


def rollup_region(user, region_id: int | None, *, required: bool = True) -> Region | None:
    """The town or county the caller rolls up: one their office grant covers (404 for another's); by
    default their widest office region (none for an administrator without one, unless `required`)."""
    if region_id is None:
        from apps.accounts.scopes import office_regions

        regions = office_regions(user)
        if not regions:
            perms.require(user, perms.SUPERVISION_PLAN)
            if not required:
                return None
            raise field_error("region", _("请选择镇或县"))
        return regions[0]
    region = Region.objects.filter(pk=region_id, level__in=("town", "county")).first()
    if region is None:
        from apps.common.errors import NotFound

        raise NotFound()
    perms.require_in(user, perms.SUPERVISION_PLAN, region)
    return region


def period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """The roll-up's period: to today by default, from a year before the end."""
    from datetime import timedelta

    from django.utils import timezone

    date_to = date_to or timezone.localdate()
    return date_from or date_to - timedelta(days=365), date_to


def _period_rows(region: Region, date_from: date, date_to: date):
    where = {"county_id": region.pk} if region.level == "county" else {"town_id": region.pk}
    return Opinion.objects.filter(**where, received_on__gte=date_from, received_on__lte=date_to)


def rollup_figures(region: Region, date_from: date, date_to: date, limit: int = ROLLUP_MAX) -> dict:
    """{topic key: RolledTopic} of the period's most raised topics: count and places, one GROUP BY over
    the topic index (the county's supervision figures)."""
    if not rules.period_ok(date_from, date_to):
        raise field_error("date_to", _("时间段须先后有序，且不超过两年"))
    grouped = (
        _period_rows(region, date_from, date_to)
        .exclude(topic_key="")
        .values("topic_key")
        .annotate(n=Count("*"), places=Count("region_id", distinct=True))
        .order_by("-n", "topic_key")[:limit]
    )
    return {r["topic_key"]: RolledTopic(r["topic_key"], r["n"], r["places"]) for r in grouped}


def rollup(region: Region, date_from: date, date_to: date, limit: int = ROLLUP_MAX) -> list[RolledTopic]:
    """Topics raised in the region over the period, most raised first: the count, the number of places
    (villages, communities) it came from, and up to EXAMPLES recent opinions each. Three queries whatever
    the size: the figures, the examples of the listed topics by a window, the topics already listed."""
    topics = rollup_figures(region, date_from, date_to, limit)
    if not topics:
        return []
    examples = (
        _period_rows(region, date_from, date_to)
        .filter(topic_key__in=list(topics))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("topic_key"),
                order_by=[F("received_on").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=EXAMPLES)
        .values("id", "topic_key", "title", "received_on")
    )
    for row in examples:
        topics[row["topic_key"]].examples.append(row)
    where = {"county_id": region.pk} if region.level == "county" else {"town_id": region.pk}
    listed = Activity.objects.filter(**where, topic_key__in=list(topics), plan__year__gte=date_from.year)
    for key in listed.values_list("topic_key", flat=True).distinct():
        topics[key].listed = True
    return list(topics.values())

"""The livelihood projects' computed indicators for the township assessment (issue 20 part 2): projects
completed by their last milestone's date, and projects the deputies' year-end rating left without a
rectification item (not rated dissatisfied past the township's line). Registered in the assessment's metric
registry from `ProjectsConfig.ready`; each is one GROUP BY town, as the assessment's own are."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from apps.assessment.metrics import Metric, Unit, register

from .models import Milestone, Project


def _completed(year):
    last_due = Milestone.objects.filter(project=OuterRef("pk")).order_by("-due_on").values("due_on")[:1]
    return Project.objects.filter(year=year, state="completed").annotate(last_due=Subquery(last_due))


def _rated(year):
    return Project.objects.filter(year=year, candidate__candidate_list__rating__state="filed")


def _no_rectification(year):
    from apps.rectification.models import RectificationItem

    opened = RectificationItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), object_id=OuterRef("pk")
    )
    return ~Q(Exists(opened))


def register_metrics() -> None:
    register(
        Metric(
            "projects_on_time",
            _("民生实事项目按期完成率"),
            Unit.PERCENT,
            _completed,
            Q(last_due__isnull=True) | Q(completed_on__lte=F("last_due")),
            what=_("本年已完成的民生实事项目（计入者为在最后节点日期前完成）"),
        )
    )
    register(
        Metric(
            "projects_rated_satisfactory",
            _("民生实事项目测评满意率"),
            Unit.PERCENT,
            _rated,
            _no_rectification,
            what=_("本年已公布年终测评的民生实事项目（计入者为未因不满意转为整改）"),
        )
    )

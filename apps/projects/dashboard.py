"""The livelihood projects' share of the dashboards (issue 20 part 5 with issue 19): per town and year the
proposals taken in, the projects adopted by the deputies' vote, those completed and those completed by their
last milestone's date. Two grouped SQL aggregates; registered when the dashboards app imports this module."""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from apps.dashboards.builtins import grouped, merge, where
from apps.dashboards.providers import RATE, Chart, Figure, Provider, register

from .models import Milestone, Project, Proposal


def _counts(region, year: int) -> dict:
    proposals = grouped(
        Proposal.objects.filter(**where(region), year=year)
        .order_by()
        .values("town_id")
        .annotate(projects_proposed=Count("pk"))
    )
    last_due = Milestone.objects.filter(project=OuterRef("pk")).order_by("-due_on").values("due_on")[:1]
    done = Q(state="completed")
    adopted = grouped(
        Project.objects.filter(**where(region), year=year)
        .annotate(last_due=Subquery(last_due))
        .order_by()
        .values("town_id")
        .annotate(
            projects_adopted=Count("pk"),
            projects_completed=Count("pk", filter=done),
            projects_on_time=Count(
                "pk", filter=done & (Q(last_due__isnull=True) | Q(completed_on__lte=F("last_due")))
            ),
        )
    )
    return merge(proposals, adopted)


PROJECTS = register(
    Provider(
        "projects",
        _("民生实事项目"),
        (
            Figure("projects_proposed", _("征集项目建议")),
            Figure("projects_adopted", _("票决确定项目")),
            Figure("projects_completed", _("项目已完成")),
            Figure("projects_on_time", _("按期完成")),
            Figure(
                "projects_on_time_rate",
                _("按期完成率（%）"),
                kind=RATE,
                of=("projects_on_time", "projects_completed"),
            ),
        ),
        _counts,
        charts=(
            Chart(
                "projects",
                _("民生实事项目"),
                ("projects_proposed", "projects_adopted", "projects_completed", "projects_on_time"),
            ),
        ),
        live=("projects_proposed",),
    )
)

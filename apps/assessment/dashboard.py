"""The township assessment's standing on the dashboards (issue 20 part 5): per town the total of the year's
published table and whether it was chosen an advanced unit; the county's figure is the towns' average. Only
a published table counts (a table being scored is not a standing yet). One grouped SQL aggregate."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from apps.dashboards.builtins import grouped, where
from apps.dashboards.providers import RATE, Chart, Figure, Provider, register

from .models import TownAssessment


def _counts(region, year: int) -> dict:
    rows = grouped(
        TownAssessment.objects.filter(
            **where(region), table__year=year, table__state="published", total__isnull=False
        )
        .order_by()
        .values("town_id")
        .annotate(
            assessed_towns=Count("pk"),
            assessment_points=Sum("total"),
            advanced_units=Count("pk", filter=Q(advanced=True)),
        )
    )
    for numbers in rows.values():  # points are decimals in the table; a figure is a plain number
        numbers["assessment_points"] = float(numbers["assessment_points"])
    return rows


ASSESSMENT = register(
    Provider(
        "assessment",
        _("镇人大工作考核"),
        (
            Figure("assessed_towns", _("已公布考核的镇")),
            Figure("assessment_points", _("考核总分合计")),
            Figure("advanced_units", _("先进单位")),
            Figure(
                "assessment_score",
                _("考核得分（镇平均）"),
                kind=RATE,
                of=("assessment_points", "assessed_towns"),
                scale=1,
            ),
        ),
        _counts,
        charts=(Chart("assessment", _("镇人大工作考核得分"), ("assessment_score",)),),
    )
)

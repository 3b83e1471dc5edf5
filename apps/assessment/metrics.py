"""Computed indicators (issue 20 part 2): a registry of named SQL aggregates, one per indicator key.

A `Metric` names the records it counts as a queryset (`base(year)`: every record that could count, e.g.
the opinions received in the year that were replied to) and, for a rate, which of them count (`part`, e.g.
replied on time). `values(keys, county_id, year)` runs ONE grouped statement per metric over every town of
the county (`GROUP BY town` with a conditional count), never rows in Python; the drill-down
(`records(metric, town_id, year)`) is the same base filtered to one town, each row marked counted or not.

Another app adds its own indicator by calling `register(Metric(...))` from its `AppConfig.ready` (the
livelihood projects app, once it exists: projects completed on time and their ratings); the assessment app
never imports it. A table's indicator names a metric by its key; a key not registered counts nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractQuarter, Now, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Unit
from .rules import rate


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # Unit.COUNT: the number of records counted; Unit.PERCENT: part / all of them
    base: Callable[[int], QuerySet]  # year -> every record that could count (all towns)
    part: Q | Callable[[int], Q] | None = None  # which of them count (None: all); a Q, or year -> Q
    town: str = "town_id"  # the path from a record to its town
    county: str = "county_id"
    # The count itself when it is not "how many records" (e.g. distinct quarters with a meeting).
    counted: Callable[[], object] | None = None
    what: str = ""  # the records, for the drill-down's heading

    def part_q(self, year: int) -> Q | None:
        return self.part(year) if callable(self.part) else self.part

    def aggregate(self, year: int) -> dict:
        q = self.part_q(year)
        part = self.counted() if self.counted else Count("pk", filter=q) if q is not None else Count("pk")
        out = {"part": part}
        if self.unit == Unit.PERCENT:
            out["whole"] = Count("pk")
        return out


REGISTRY: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.key in REGISTRY:
        raise ValueError(f"metric {metric.key} registered twice")
    REGISTRY[metric.key] = metric
    return metric


def choices() -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in REGISTRY.values()]


def grouped(metric: Metric, county_ids: list[int], year: int) -> QuerySet:
    """The metric's one statement for some counties (one, or a province's): {t: town id, part, whole?} per
    town."""
    return (
        metric.base(year)
        .filter(**{f"{metric.county}__in": county_ids})
        .order_by()
        .values(t=F(metric.town))
        .annotate(**metric.aggregate(year))
    )


def value_of(metric: Metric, row: dict | None) -> Decimal | None:
    if metric.unit == Unit.PERCENT:
        return rate(row["part"], row["whole"]) if row else None
    return Decimal(row["part"] if row else 0)


def values(keys, county_ids, year: int) -> dict[str, dict[int, dict]]:
    """{metric key: {town id: {"value", "part", "whole"}}} for a county's towns (`county_ids` one id) or
    several counties' at once (a list): one grouped statement per metric whatever their number."""
    county_ids = list(county_ids) if isinstance(county_ids, list | tuple | set) else [county_ids]
    out = {}
    for key in dict.fromkeys(keys):
        metric = REGISTRY.get(key)
        if metric is None:
            out[key] = {}
            continue
        rows = {r.pop("t"): r for r in grouped(metric, county_ids, year)}
        out[key] = {t: {**r, "value": value_of(metric, r)} for t, r in rows.items() if t is not None}
    return out


def records(metric: Metric, town_id: int, year: int) -> QuerySet:
    """The records behind one town's figure, each with `counted` (whether it is in the part)."""
    qs = metric.base(year).filter(**{metric.town: town_id})
    q = metric.part_q(year)
    if q is None or metric.counted is not None:
        return qs.annotate(counted=Value(True, output_field=BooleanField()))
    return qs.annotate(counted=Case(When(q, then=True), default=False, output_field=BooleanField()))


# --- the records the platform keeps, as indicators ----------------------------------------------------------
# Today in the project's time zone, on the database's clock (as supervision.figures): a session "held" has
# begun by today.
_TODAY = TruncDate(Now(), tzinfo=timezone.get_default_timezone())
HAPPY = ("satisfied", "basic")


def _sessions(year):
    from apps.meetings.models import Session

    return Session.objects.filter(starts_on__year=year, starts_on__lte=_TODAY)


def _presidium(year):
    from apps.meetings.models import Meeting

    return Meeting.objects.filter(kind="presidium", state="closed", starts_at__year=year)


def _reception(year):
    from apps.opinions.models import ReceptionDay

    # held: the station recorded the day (who came, how many voters)
    return ReceptionDay.objects.filter(date__year=year, recorded_at__isnull=False)


def _opinions(year):
    from apps.opinions.models import Opinion

    return Opinion.objects.filter(received_on__year=year)


def _suggestions(year):
    from apps.suggestions.models import Suggestion

    return Suggestion.objects.filter(submitted_on__year=year).exclude(
        state__in=("draft", "declined", "merged")
    )


def _feedback(year):
    from apps.suggestions.models import Feedback

    return (
        Feedback.objects.filter(
            suggestion__submitted_on__year=year,
        )
        .exclude(suggestion__state__in=("draft", "declined", "merged"))
        .exclude(result="no_opinion")
    )


def _deputies(year):
    from apps.people.models import Deputy

    return Deputy.objects.filter(status="in_office", town__isnull=False)


def _reported_back(year):
    from apps.archive.models import ReportBackSpeaker

    return ReportBackSpeaker.objects.filter(meeting__state="closed", meeting__date__year=year).values(
        "deputy_id"
    )


def _recorded(year):
    from apps.duty.models import DutyRecord

    return DutyRecord.objects.filter(review_state="approved", date__year=year).values("deputy_id")


def _activities(year):
    from apps.supervision.models import Activity

    return Activity.objects.filter(plan__year=year, state="done")


def _rectifications(year):
    from apps.rectification.models import RectificationItem

    return RectificationItem.objects.filter(opened_on__year=year)


def _covered(inner):
    """Which serving deputies count: those found in `inner(year)` (a subquery in the same statement)."""
    return lambda year: Q(pk__in=inner(year))


for _metric in (
    Metric("sessions_held", _("召开人代会次数"), Unit.COUNT, _sessions, what=_("本年已召开的人代会")),
    Metric(
        "presidium_quarters",
        _("召开主席团会议的季度数"),
        Unit.COUNT,
        _presidium,
        counted=lambda: Count(ExtractQuarter("starts_at"), distinct=True),
        what=_("本年已召开的主席团会议"),
    ),
    Metric(
        "reception_days_held",
        _("选民接待日开展次数"),
        Unit.COUNT,
        _reception,
        what=_("已登记接待情况的接待日"),
    ),
    Metric(
        "opinion_reply_on_time",
        _("社情民意按时答复率"),
        Unit.PERCENT,
        lambda y: _opinions(y).filter(reply_on_time__isnull=False),
        Q(reply_on_time=True),
        what=_("本年受理并已答复的社情民意（计入者为按时答复）"),
    ),
    Metric(
        "opinion_solved",
        _("社情民意解决率"),
        Unit.PERCENT,
        lambda y: _opinions(y).filter(solved__isnull=False),
        Q(solved=True),
        what=_("本年已回访的社情民意（计入者为已解决）"),
    ),
    Metric(
        "opinion_satisfaction",
        _("社情民意满意率"),
        Unit.PERCENT,
        lambda y: _opinions(y).exclude(satisfaction=""),
        Q(satisfaction__in=HAPPY),
        what=_("本年已回访评价的社情民意（计入者为满意或基本满意）"),
    ),
    Metric(
        "suggestion_reply_on_time",
        _("代表建议按时答复率"),
        Unit.PERCENT,
        lambda y: _suggestions(y).filter(reply_on_time__isnull=False),
        Q(reply_on_time=True),
        what=_("本年提出并已答复的代表建议（计入者为按时答复）"),
    ),
    Metric(
        "suggestion_solved",
        _("代表建议解决率"),
        Unit.PERCENT,
        lambda y: _suggestions(y).exclude(category=""),
        Q(category="A") | Q(category="B", solved_on__isnull=False),
        what=_("本年已答复分类的代表建议（计入者为A类或已解决的B类）"),
    ),
    Metric(
        "suggestion_satisfaction",
        _("代表建议满意率"),
        Unit.PERCENT,
        _feedback,
        Q(result__in=HAPPY),
        town="suggestion__town_id",
        county="suggestion__county_id",
        what=_("代表对本年建议办理结果的评价（计入者为满意或基本满意）"),
    ),
    Metric(
        "report_back_coverage",
        _("代表向选民述职覆盖率"),
        Unit.PERCENT,
        _deputies,
        _covered(_reported_back),
        what=_("在任代表（计入者为本年已在测评结束的述职会上述职）"),
    ),
    Metric(
        "supervision_done",
        _("监督活动开展次数"),
        Unit.COUNT,
        _activities,
        what=_("本年监督计划中已完成的监督事项"),
    ),
    Metric(
        "rectification_accepted",
        _("问题整改验收率"),
        Unit.PERCENT,
        _rectifications,
        Q(state="accepted"),
        what=_("本年交办的整改事项（计入者为已验收通过）"),
    ),
    Metric(
        "duty_record_coverage",
        _("代表履职登记覆盖率"),
        Unit.PERCENT,
        _deputies,
        _covered(_recorded),
        what=_("在任代表（计入者为本年有审核通过的履职记录）"),
    ),
):
    register(_metric)

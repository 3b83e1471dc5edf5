"""The county's supervision figures (issue 18 part 7, "Speed"): per township and year, what the reports
quote and the county office compares. Activities planned and done (optionally of one kind), problems found,
rectification items opened, accepted, overdue and accepted on time, department evaluations published, the
departments evaluated and those rated dissatisfied beyond the town's share, appointments and special
inquiries held.

Every number is counted in the database: one GROUP BY town per model, with conditional counts (never rows
in Python); the county total adds the town rows up. Scope: the office's region (`selectors.rollup_region`,
which refuses another's town or county like a missing one): a town office gets its own row, a county office
every town of its county and the total.

What counts in a year:
- activities: the items of the year's plans; planned = not cancelled, done = state done;
- findings: recorded in the year (local time);
- rectification items: opened in the year; overdue = still open past the state's deadline (the list's
  `overdue` filter), accepted on time = accepted on or before the item's deadline;
- evaluations: of the year; held = published or archived (step 7 reached); departments evaluated = those
  with a filed survey result; dissatisfied = those given a rectification plan date (不满意 share beyond
  [local] EVALUATION_DISSATISFIED_SHARE);
- appointments and inquiries: held (answered or closed) with the meeting date in the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q
from django.db.models.functions import Now, TruncDate
from django.utils import timezone

from apps.accounts import permissions as perms
from apps.evaluations.models import DepartmentEvaluation
from apps.places.models import Region
from apps.rectification.models import RectificationItem
from apps.rectification.selectors import OPEN_STATES

from .choices import MeetingKind
from .models import Activity, Appointment, Finding
from .selectors import rollup_region

# The numbers of a row, in the order the page, the Excel sheet and the API give them.
NUMBERS = (
    "activities_planned",
    "activities_done",
    "findings",
    "rectifications_opened",
    "rectifications_accepted",
    "rectifications_overdue",
    "rectifications_on_time",
    "evaluations_held",
    "departments_evaluated",
    "departments_dissatisfied",
    "appointments_held",
    "inquiries_held",
)
PUBLISHED = ("published", "archived")
HELD = ("answered", "closed")


@dataclass
class FigureRow:
    town_id: int | None
    name: str
    plan_id: int | None = None
    numbers: dict = field(default_factory=lambda: dict.fromkeys(NUMBERS, 0))

    def __getattr__(self, name):  # row.findings in templates
        numbers = self.__dict__.get("numbers", {})
        if name in numbers:
            return numbers[name]
        raise AttributeError(name)


@dataclass
class Figures:
    region: Region
    year: int
    kind: str
    rows: list[FigureRow]
    total: FigureRow | None  # a county's sum of its towns; None for one town


def _where(region: Region) -> dict:
    return {"county_id": region.pk} if region.level == "county" else {"town_id": region.pk}


def _by_town(qs) -> dict[int, dict]:
    return {r.pop("town_id"): r for r in qs}


# Each count is declared once, grouped by town: a call only adds its filters (WHERE), so the annotations
# are not built and resolved again on every request. For a county's few hundred rows the ORM's own work is
# most of the time (bench/NOTES.md, "The county's supervision figures").
_ACTIVITIES = (
    Activity.objects.order_by()
    .values("town_id")
    .annotate(
        activities_planned=Count("pk", filter=~Q(state="cancelled")),
        activities_done=Count("pk", filter=Q(state="done")),
        plan_id=Max("plan_id"),
    )
)
_FINDINGS = Finding.objects.order_by().values("town_id").annotate(findings=Count("pk"))
_ACCEPTED = Q(state="accepted")
# Today in the project's time zone, on the database's clock: the rectification list's `overdue` filter
# (`rectification.selectors.overdue_q`) in a form that is declared once.
_TODAY = TruncDate(Now(), tzinfo=timezone.get_default_timezone())
_RECTIFICATIONS = (
    RectificationItem.objects.order_by()
    .values("town_id")
    .annotate(
        rectifications_opened=Count("pk"),
        rectifications_accepted=Count("pk", filter=_ACCEPTED),
        rectifications_overdue=Count("pk", filter=Q(state__in=OPEN_STATES, due_date__lt=_TODAY)),
        rectifications_on_time=Count(
            "pk", filter=_ACCEPTED & Q(accepted_on__isnull=False, accepted_on__lte=F("deadline"))
        ),
    )
)
# One query over the evaluations joined to their departments: an evaluation without departments still
# counts once (distinct), each department once.
_EVALUATIONS = (
    DepartmentEvaluation.objects.order_by()
    .values("town_id")
    .annotate(
        evaluations_held=Count("pk", filter=Q(state__in=PUBLISHED), distinct=True),
        departments_evaluated=Count("evaluated", filter=Q(evaluated__satisfied__isnull=False)),
        departments_dissatisfied=Count("evaluated", filter=Q(evaluated__plan_due__isnull=False)),
    )
)
_APPOINTMENTS = (
    Appointment.objects.filter(state__in=HELD)
    .order_by()
    .values("town_id")
    .annotate(
        appointments_held=Count("pk", filter=Q(kind=MeetingKind.APPOINTMENT)),
        inquiries_held=Count("pk", filter=Q(kind=MeetingKind.INQUIRY)),
    )
)
_TOWNS = Region.objects.filter(level="town").order_by("code").values_list("id", "name")


def activity_counts(region, year: int, kind: str = "") -> dict[int, dict]:
    """The counts of the items of the year's plans, and each town's plan (one a town and year: what the
    counts link to; a town whose plan has no item of the kind gets no link, there is nothing to list)."""
    qs = _ACTIVITIES.filter(**_where(region), plan__year=year)
    return _by_town(qs.filter(kind=kind) if kind else qs)


def finding_counts(region, year: int) -> dict[int, dict]:
    # `__year` on a time is the local year's bounds (USE_TZ): a range on the column, as on the dates below
    return _by_town(_FINDINGS.filter(**_where(region), created_at__year=year))


def rectification_counts(region, year: int) -> dict[int, dict]:
    return _by_town(_RECTIFICATIONS.filter(**_where(region), opened_on__year=year))


def evaluation_counts(region, year: int) -> dict[int, dict]:
    return _by_town(_EVALUATIONS.filter(**_where(region), year=year))


def appointment_counts(region, year: int) -> dict[int, dict]:
    return _by_town(_APPOINTMENTS.filter(**_where(region), meets_on__year=year))


def towns_of(region: Region) -> list[tuple[int, str]]:
    if region.level == "town":
        return [(region.pk, region.name)]
    return list(_TOWNS.filter(county_id=region.pk))


def figures_of(region: Region, year: int, kind: str = "") -> Figures:
    """The figures of a town or a county (every town of it and the total), unscoped: callers pass a
    region the user's office covers (`figures`), or the benchmark its own."""
    rows = {pk: FigureRow(pk, name) for pk, name in towns_of(region)}
    for part in (
        activity_counts(region, year, kind),
        finding_counts(region, year),
        rectification_counts(region, year),
        evaluation_counts(region, year),
        appointment_counts(region, year),
    ):
        for town_id, counts in part.items():
            if town_id in rows:
                rows[town_id].plan_id = counts.pop("plan_id", rows[town_id].plan_id)
                rows[town_id].numbers.update(counts)
    listed = list(rows.values())
    total = None
    if region.level == "county":
        total = FigureRow(None, region.name)
        for key in NUMBERS:
            total.numbers[key] = sum(r.numbers[key] for r in listed)
    return Figures(region=region, year=year, kind=kind, rows=listed, total=total)


def figures(user, *, year: int, region_id: int | None = None, kind: str = "") -> Figures:
    """The figures the user's office may read: its own town, or its county (by default its widest office
    region; another's region is refused like a missing one). Offices only."""
    perms.require(user, perms.SUPERVISION_PLAN)
    region = rollup_region(user, region_id)
    return figures_of(region, year, kind)

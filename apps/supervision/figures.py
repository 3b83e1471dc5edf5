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

from django.db import connection
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


def _parts(where: dict, year: int, kind: str) -> dict:
    """The five grouped counts as querysets (not run): each the declaration above with its WHERE."""
    activities = _ACTIVITIES.filter(**where, plan__year=year)
    return {
        # the items of the year's plans and each town's plan (what the counts link to)
        "activities": activities.filter(kind=kind) if kind else activities,
        # `__year` on a time is the local year's bounds (USE_TZ): a range on the column
        "findings": _FINDINGS.filter(**where, created_at__year=year),
        "rectifications": _RECTIFICATIONS.filter(**where, opened_on__year=year),
        "evaluations": _EVALUATIONS.filter(**where, year=year),
        "appointments": _APPOINTMENTS.filter(**where, meets_on__year=year),
    }


# The ORM's statements are compiled once per shape (a town or a county, a year, with or without a kind) with
# stand-in values for the region and the kind, and run with the request's own: building and compiling five
# querysets cost about as much as running them (bench/NOTES.md, "The county's supervision figures"). The SQL
# is the ORM's, from the one declaration above; only those two values change, and a test compares the result
# with the querysets built and run afresh.
_REGION, _KIND = 2_147_483_000, "\x1fkind"
_COMPILED: dict[tuple, dict] = {}


def _statements(level: str, year: int, with_kind: bool) -> dict:
    key = (level, year, with_kind)
    if key not in _COMPILED:
        if len(_COMPILED) > 64:  # a few years asked at most; never grown without bound
            _COMPILED.clear()
        where = {"county_id": _REGION} if level == "county" else {"town_id": _REGION}
        out = {}
        for name, qs in _parts(where, year, _KIND if with_kind else "").items():
            sql, params = qs.query.sql_with_params()
            columns = [*qs.query.values_select, *qs.query.annotation_select]
            out[name] = (sql, tuple(params), columns)
        _COMPILED[key] = out
    return _COMPILED[key]


def _bound(value, region_id: int, kind: str):
    if isinstance(value, int) and value == _REGION:
        return region_id
    if value == _KIND:
        return kind
    return value


def counts(region: Region, year: int, kind: str = "") -> dict[str, dict[int, dict]]:
    """{part: {town id: {number: n}}} for a town or a county, by the statements compiled once."""
    out = {}
    with connection.cursor() as cursor:
        for name, (sql, params, columns) in _statements(region.level, year, bool(kind)).items():
            cursor.execute(sql, [_bound(v, region.pk, kind) for v in params])
            rows = (dict(zip(columns, row, strict=True)) for row in cursor.fetchall())
            out[name] = {r.pop("town_id"): r for r in rows}
    return out


def counts_by_orm(region: Region, year: int, kind: str = "") -> dict[str, dict[int, dict]]:
    """The same as `counts`, each queryset built and run afresh (what the tests compare it with)."""
    parts = _parts(_where(region), year, kind)
    return {name: {r.pop("town_id"): r for r in qs} for name, qs in parts.items()}


def towns_of(region: Region) -> list[tuple[int, str]]:
    if region.level == "town":
        return [(region.pk, region.name)]
    return list(_TOWNS.filter(county_id=region.pk))


def figures_of(region: Region, year: int, kind: str = "") -> Figures:
    """The figures of a town or a county (every town of it and the total), unscoped: callers pass a
    region the user's office covers (`figures`), or the benchmark its own."""
    rows = {pk: FigureRow(pk, name) for pk, name in towns_of(region)}
    for part in counts(region, year, kind).values():
        for town_id, numbers in part.items():
            if town_id in rows:
                rows[town_id].plan_id = numbers.pop("plan_id", rows[town_id].plan_id)
                rows[town_id].numbers.update(numbers)
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

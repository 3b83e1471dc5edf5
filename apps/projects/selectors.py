"""Reads of the livelihood projects, each scoped through the one permission layer (`visible_to`), and what
the public site may show (adopted projects with their progress and photos; a proposal by its tracking
code, never the proposer's phone); the county's figures per township are SQL aggregates."""

from __future__ import annotations

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    F,
    FloatField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, scope_key, visible_to
from apps.common.api import page_bounds
from apps.common.rates import satisfaction_rate
from apps.common.statements import Statement

from .models import (
    CandidateList,
    Milestone,
    Progress,
    Project,
    ProjectRating,
    Proposal,
    RoundState,
    VoteRound,
)

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def proposals(user, *, year: int | None = None, state: str = "", town: int | None = None):
    qs = visible_to(user, Proposal, perms.PROJECT_BROWSE)
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    if town:
        qs = qs.filter(town_id=town)
    return qs.select_related("region", "village").order_by("-year", "-id")


def proposal_for(user, pk: int) -> Proposal:
    return get_or_deny(user, Proposal, perms.PROJECT_BROWSE, pk=pk)


def by_tracking_code(code: str) -> Proposal | None:
    code = str(code or "").strip().upper()[:16]
    if not code:
        return None
    return Proposal.objects.select_related("region", "merged_into").filter(tracking_code=code).first()


def lists(user, *, year: int | None = None):
    qs = visible_to(user, CandidateList, perms.PROJECT_BROWSE)
    if year:
        qs = qs.filter(year=year)
    return (
        qs.select_related("region")
        .annotate(n_candidates=Count("candidates", distinct=True))
        .order_by("-year", "region__code")
    )


def list_for(user, pk: int) -> CandidateList:
    return get_or_deny(user, CandidateList, perms.PROJECT_BROWSE, pk=pk)


def candidates_of(cl):
    return cl.candidates.select_related("village", "proposal").order_by("order")


def rounds_of(cl) -> list[VoteRound]:
    """Every round with its lines, best first once counted (the stored result, shown live)."""
    return list(cl.rounds.prefetch_related("lines__candidate").order_by("number"))


def current_round(cl) -> VoteRound | None:
    return cl.rounds.exclude(state=RoundState.COUNTED).order_by("-number").first()


def projects(user, *, year: int | None = None, state: str = "", town: int | None = None):
    qs = visible_to(user, Project, perms.PROJECT_BROWSE)
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    if town:
        qs = qs.filter(town_id=town)
    return with_progress(qs.select_related("region", "unit", "leader")).order_by(
        "-year", "town_id", "candidate__order"
    )


def _of_milestones(expr):
    return Subquery(
        Milestone.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(v=expr)
        .values("v")
    )


def with_progress(qs):
    """Each project's milestones' money spent and mean % done, in the same query: correlated subqueries,
    so a page reads only its own projects' milestones and the page's COUNT none."""
    return qs.annotate(
        spent=Coalesce(_of_milestones(Sum("spent")), ZERO),
        percent=Coalesce(_of_milestones(Avg("percent_done") * 1.0), 0.0, output_field=FloatField()),
    )


def project_for(user, pk: int) -> Project:
    return get_or_deny(user, Project, perms.PROJECT_BROWSE, pk=pk)


def milestones_of(project):
    latest = Progress.objects.order_by("-reported_on", "-id")
    return list(project.milestones.prefetch_related(Prefetch("reports", queryset=latest)).order_by("order"))


def inspections_of(project):
    return list(project.inspections.prefetch_related("deputies").order_by("-on", "-id"))


def rating_for(user, pk: int) -> ProjectRating:
    return get_or_deny(user, ProjectRating, perms.PROJECT_BROWSE, pk=pk)


def overdue_milestones(today=None):
    today = today or timezone.localdate()
    return Milestone.objects.filter(due_on__lt=today, done_on__isnull=True)


# --- the public site ------------------------------------------------------------------------------------


def public_projects(*, town=None, county=None, year: int | None = None):
    """Adopted projects with their progress (public: 上墙公示); never a proposer's or a rater's name."""
    qs = Project.objects.all()
    if town is not None:
        qs = qs.filter(town_id=town.pk)
    if county is not None:
        qs = qs.filter(county_id=county.pk)
    if year:
        qs = qs.filter(year=year)
    # only the town joined: the unit and village widened every row the sort reads (64 ms for the province's
    # first page); the public page prefetches the unit it shows
    return with_progress(qs.select_related("region")).order_by("-year", "town_id", "candidate__order")


_PUBLIC_PAGE = Statement("projects.public_page")


def public_page(*, town=None, year: int | None = None, page: int = 1, page_size: int | None = None) -> dict:
    """One page of `public_projects` as the public API gives it (dicts: the town's name, the state's label,
    the filed year-end rating), with the total from the same statement (`COUNT(*) OVER ()`); a page past the
    end counts apart. Compiled once per town, year and page (`common.statements`)."""
    size, page, start = page_bounds(page, page_size)
    town_id = town.pk if town is not None else None

    def build():
        return (
            public_projects(town=town, year=year)
            .annotate(town_name=F("region__name"), total=Window(Count("pk")))
            .values(*PUBLIC_FIELDS, "town_id", "town_name", "total")[start : start + size]
        )

    rows = _PUBLIC_PAGE((town_id, year or None, start, size), build)
    if rows:
        total = rows[0]["total"]
    else:
        total = public_projects(town=town, year=year).count() if start else 0
    state, categories = Project.workflow.state, dict(Project._meta.get_field("category").flatchoices)
    ratings = public_ratings({(r["town_id"], r["year"]) for r in rows})
    items = [
        dict(
            {k: r[k] for k in PUBLIC_FIELDS},
            town=r["town_name"],
            state_label=str(state(r["state"]).label),
            category_label=str(categories.get(r["category"], r["category"])),
            rating=ratings.get(r["id"]),
        )
        for r in rows
    ]
    return {"items": items, "count": total, "page": page, "page_size": size}


PUBLIC_FIELDS = ("id", "year", "title", "category", "budget", "votes", "state", "percent", "spent")


def with_public_ratings(projects: list) -> list:
    """Each project's filed year-end rating (`p.rating`, see `public_ratings`) on the page's projects."""
    ratings = public_ratings({(p.town_id, p.year) for p in projects})
    for p in projects:
        p.rating = ratings.get(p.pk)
    return projects


_PUBLIC_RATINGS = Statement("projects.public_ratings")


def public_ratings(lists: set[tuple[int, int]]) -> dict[int, dict]:
    """The filed year-end ratings of the candidate lists of these (town, year) pairs, by project: satisfied /
    basic / dissatisfied and the satisfaction in %; a project whose list's rating is not filed is absent.
    Published totals only, one query for a page whatever its size (a list is one per town and year)."""
    if not lists:
        return {}
    towns, years = tuple(sorted({t for t, _ in lists})), tuple(sorted({y for _, y in lists}))

    def build():
        return ProjectRating.objects.filter(
            state="filed", town_id__in=towns, candidate_list__year__in=years
        ).values("town_id", "candidate_list__year", "results")

    out: dict[int, dict] = {}
    for r in _PUBLIC_RATINGS((towns, years), build):
        if (r["town_id"], r["candidate_list__year"]) not in lists:
            continue
        for pk, counts in (r["results"] or {}).items():
            row = out[int(pk)] = {"satisfied": 0, "basic": 0, "dissatisfied": 0, "satisfaction": None}
            add_ratings(row, {pk: counts})
    return out


def public_years(town) -> list[int]:
    return list(
        Project.objects.filter(town_id=town.pk).order_by("-year").values_list("year", flat=True).distinct()
    )


# --- the county's figures per township -------------------------------------------------------------------


def figures(user, *, year: int) -> list[dict]:
    """Per town the user sees: proposed, adopted, completed, completed on time (by the last milestone's
    date), budget, money spent and the deputies' year-end satisfaction (the filed ratings of the year's
    list). Two grouped SQL aggregates and one read of the filed ratings, whatever the number of towns or
    projects."""

    rows: dict[int, dict] = {}

    def town(pk, name):
        return rows.setdefault(
            pk,
            {
                "town_id": pk,
                "town": name,
                "proposed": 0,
                "adopted": 0,
                "completed": 0,
                "on_time": 0,
                "budget": 0,
                "spent": 0,
                "satisfied": 0,
                "basic": 0,
                "dissatisfied": 0,
                "satisfaction": None,
            },
        )

    key = (scope_key(user), year)
    for r in _PROPOSED(key, lambda: _proposed(user, year)):
        town(r["town_id"], r["region__name"])["proposed"] = r["n"]
    for r in _ADOPTED(key, lambda: _adopted(user, year)):
        row = town(r["town_id"], r["region__name"])
        row.update({k: r[k] for k in ("adopted", "budget", "spent", "completed", "on_time")})
    for r in _RATED(key, lambda: _rated(user, year)):
        add_ratings(town(r["town_id"], r["region__name"]), r["results"] or {})
    return sorted(rows.values(), key=lambda r: r["town"])


# The figures' three reads, compiled once per user scope and year (`common.statements`): the ORM's building
# and compiling cost more than the database's grouping of a county's rows.
_PROPOSED, _ADOPTED, _RATED = (Statement(f"projects.figures.{n}") for n in ("proposed", "adopted", "rated"))


def _proposed(user, year):
    return (
        visible_to(user, Proposal, perms.PROJECT_BROWSE)
        .filter(year=year)
        .order_by()
        .values("town_id", "region__name")
        .annotate(n=Count("pk", distinct=True))
    )


def _adopted(user, year):
    done = Q(state="completed")
    return (
        visible_to(user, Project, perms.PROJECT_BROWSE)
        .filter(year=year)
        .annotate(last_due=_of_milestones(Max("due_on")), spent_p=_of_milestones(Sum("spent")))
        .order_by()
        .values("town_id", "region__name")
        .annotate(
            adopted=Count("pk"),
            budget=Coalesce(Sum("budget"), ZERO),
            spent=Coalesce(Sum("spent_p"), ZERO),
            completed=Count("pk", filter=done),
            on_time=Count(
                "pk", filter=done & (Q(last_due__isnull=True) | Q(completed_on__lte=F("last_due")))
            ),
        )
    )


def _rated(user, year):
    return (
        visible_to(user, ProjectRating, perms.PROJECT_BROWSE)
        .filter(candidate_list__year=year, state="filed")
        .values("town_id", "region__name", "results")
    )


def figures_total(rows: list[dict]) -> dict:
    """The county's line under the towns' figures: the sums, and the satisfaction of all the ratings."""
    total = {k: sum(r[k] for r in rows) for k in FIGURE_SUMS}
    total["satisfaction"] = satisfaction_of(total)
    return total


FIGURE_SUMS = ("proposed", "adopted", "completed", "on_time", "budget", "spent", "satisfied", "basic")
FIGURE_SUMS += ("dissatisfied",)


def add_ratings(row: dict, results: dict) -> None:
    """A filed rating's totals (per project: satisfied / basic / dissatisfied) added to a town's row, and its
    satisfaction (满意率: satisfied and basically satisfied of all the ratings, in %, one decimal)."""
    for counts in results.values():
        for key in ("satisfied", "basic", "dissatisfied"):
            row[key] += int(counts.get(key, 0))
    row["satisfaction"] = satisfaction_of(row)


def satisfaction_of(row: dict) -> float | None:
    return satisfaction_rate(row["satisfied"], row["basic"], row["dissatisfied"])

"""Livelihood projects for the benchmark sets (issue 19 "Speed"): for every town and each of three years a
filed candidate list with 12 candidates (one counted round), 14 proposals (12 listed, 2 not), 6 adopted
projects with 3 milestones each (past years built, one late; this year under way) and, for the past years,
the year-end rating filed with its totals. Written with bulk_create (no saves, no steps, no audit): each row
gets its county and town here, as `InRegion.save` would."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.places.models import HandlingUnit, Region
from apps.projects.models import (
    Candidate,
    CandidateList,
    Milestone,
    Project,
    ProjectRating,
    Proposal,
    RoundLine,
    VoteRound,
)

from .projects import IDEAS, MILESTONES, NOT_LISTED, PLACES

MODELS = (Proposal, CandidateList, Candidate, VoteRound, RoundLine, Project, Milestone, ProjectRating)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def seed_bench_projects(*, today: date | None = None, province: str = "") -> dict:
    """Every town's projects (of the province whose code is given, else of all); the rows per table."""
    today = today or timezone.localdate()
    qs = Region.objects.filter(level="town").order_by("id")
    if province:
        qs = qs.filter(code__startswith=province[:2])
    towns = list(qs.values_list("id", "county_id"))
    units: dict[int, list[int]] = {}
    for pk, region_id in HandlingUnit.objects.filter(region__level="town").values_list("id", "region_id"):
        units.setdefault(region_id, []).append(pk)
    years = (today.year - 2, today.year - 1, today.year)
    inr = lambda t, c: {"region_id": t, "county_id": c, "town_id": t}  # noqa: E731
    with transaction.atomic():
        lists = CandidateList.objects.bulk_create(
            CandidateList(
                **inr(t, c),
                year=y,
                title=f"{y}年民生实事候选项目",
                places=PLACES,
                state="decided",
                state_since=_at(date(y, 1, 20)),
            )
            for t, c in towns
            for y in years
        )
        proposals = Proposal.objects.bulk_create(
            Proposal(
                **inr(cl.region_id, cl.county_id),
                year=cl.year,
                title=IDEAS[i % len(IDEAS)][0].format(v=f"第{i + 1}村"),
                category=IDEAS[i % len(IDEAS)][1],
                estimated_budget=Decimal(IDEAS[i % len(IDEAS)][2]),
                source="public",
                tracking_code=f"B{cl.pk:08d}{i:02d}",
                state="listed" if i < 12 else "not_listed",
                screening_reason="" if i < 12 else NOT_LISTED,
                state_since=_at(date(cl.year - 1, 9, 15)),
            )
            for cl in lists
            for i in range(14)
        )
        rounds = VoteRound.objects.bulk_create(
            VoteRound(
                candidate_list=cl,
                number=1,
                kind="first",
                places=PLACES,
                state="counted",
                ballots_cast=48,
                ballots_valid=47,
                ballots_void=1,
                total_deputies=50,
                present=48,
                needed=26,
            )
            for cl in lists
        )
        cands = Candidate.objects.bulk_create(
            Candidate(
                candidate_list=cl,
                proposal=proposals[n * 14 + i],
                order=i + 1,
                title=proposals[n * 14 + i].title,
                category=proposals[n * 14 + i].category,
                budget=proposals[n * 14 + i].estimated_budget,
                schedule=f"{cl.year}年3月至11月",
            )
            for n, cl in enumerate(lists)
            for i in range(12)
        )
        RoundLine.objects.bulk_create(
            RoundLine(
                round=rounds[n],
                candidate=cands[n * 12 + i],
                order=i + 1,
                votes=45 - i if i < PLACES else 20 - i,
                result="adopted" if i < PLACES else "not_adopted",
            )
            for n in range(len(lists))
            for i in range(12)
        )
        projects = []
        for n, cl in enumerate(lists):
            own = units.get(cl.region_id) or [None]
            for i in range(PLACES):
                cand = cands[n * 12 + i]
                past = cl.year < today.year
                late = past and i == PLACES - 1 and n % 3 == 1
                done = date(cl.year, 11, 20) if past else None
                if late:
                    done = date(cl.year, 12, 20)
                projects.append(
                    Project(
                        **inr(cl.region_id, cl.county_id),
                        candidate=cand,
                        year=cl.year,
                        title=cand.title,
                        category=cand.category,
                        budget=cand.budget,
                        votes=45 - i,
                        adopted_on=date(cl.year, 1, 20),
                        unit_id=own[i % len(own)],
                        completed_on=done,
                        state="completed" if past else "under_way",
                        state_since=_at(done or date(cl.year, 2, 1)),
                    )
                )
        projects = Project.objects.bulk_create(projects)
        Milestone.objects.bulk_create(
            Milestone(
                project=p,
                order=k,
                title=title,
                due_on=date(p.year, month, 28),
                budget=(p.budget * Decimal(str(share))).quantize(Decimal("0.01")),
                percent_done=100 if p.completed_on else 40,
                spent=(p.budget * Decimal(str(share)) * (1 if p.completed_on else Decimal("0.4"))).quantize(
                    Decimal("0.01")
                ),
            )
            for p in projects
            for k, (title, share, month) in enumerate(MILESTONES, 1)
        )
        by_list: dict[int, list[int]] = {}
        for p in projects:
            by_list.setdefault(p.candidate.candidate_list_id, []).append(p.pk)
        ProjectRating.objects.bulk_create(
            ProjectRating(
                **inr(cl.region_id, cl.county_id),
                candidate_list=cl,
                state="filed",
                opens_at=_at(date(cl.year, 12, 1)),
                closes_at=_at(date(cl.year, 12, 10)),
                results={
                    str(pk): {"satisfied": 30 + k, "basic": 12, "dissatisfied": 6 - k % 4}
                    for k, pk in enumerate(by_list[cl.pk])
                },
            )
            for cl in lists
            if cl.year < today.year
        )
    return {m._meta.db_table: m.objects.count() for m in MODELS}

"""The benchmark sets get livelihood projects (issue 19 "Speed"): seed_bench writes them for every town."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.projects.models import Milestone, Project, ProjectRating, Proposal

pytestmark = pytest.mark.django_db


def test_seed_bench_gives_every_town_three_years_of_projects():
    call_command(
        "seed_bench", "--scale", "county", "--towns", "2", "--opinions-per-town", "10", stdout=io.StringIO()
    )
    year = timezone.localdate().year
    assert Project.objects.count() == 2 * 3 * 6
    assert Proposal.objects.filter(state="not_listed").count() == 2 * 3 * 2
    assert Milestone.objects.count() == 2 * 3 * 6 * 3
    assert ProjectRating.objects.filter(state="filed").count() == 2 * 2  # the past years rated
    assert not Project.objects.filter(year=year, state="completed").exists()
    assert all(p.county_id and p.town_id == p.region_id for p in Project.objects.all())

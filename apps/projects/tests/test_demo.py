"""The demo's livelihood projects (apps/demo/projects.py): three years in every town, adopted projects in
progress with photos, and figures that add up."""

import pytest

from apps.demo.logins import create_demo_logins
from apps.demo.projects import PLACES, seed_demo_projects
from apps.demo.tests.test_demo_opinions import TODAY, small_county
from apps.projects.models import CandidateList, Project, Proposal
from apps.projects.rules import ratio_problem
from apps.projects.selectors import figures

pytestmark = pytest.mark.django_db


def test_demo_seeds_three_years_with_projects_in_progress_and_photos(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    builder = small_county("projects")
    create_demo_logins(builder)
    counts = seed_demo_projects(builder, today=TODAY)
    years = set(CandidateList.objects.values_list("year", flat=True))
    assert years == {TODAY.year - 2, TODAY.year - 1, TODAY.year}
    for cl in CandidateList.objects.all():
        assert ratio_problem(candidates=cl.candidates.count(), places=cl.places, min_percent=200) == ""
    assert Project.objects.filter(year=TODAY.year, state="under_way").count() >= PLACES
    assert Project.objects.filter(state="completed").exists()
    assert counts["project_photos"] > 0
    assert Proposal.objects.filter(state="not_listed").exclude(screening_reason="").exists()
    from apps.accounts.models import User

    office = User.objects.get(username="county")
    rows = figures(office, year=TODAY.year - 1)
    assert rows and all(r["adopted"] == PLACES and r["budget"] > 0 for r in rows)
    assert all(r["satisfied"] and 50 < r["satisfaction"] <= 100 for r in rows)  # the past years rated
    assert not any(r["satisfaction"] for r in figures(office, year=TODAY.year))  # this year not yet

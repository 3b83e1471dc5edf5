"""The projects' figures on the dashboards: proposals taken in, projects adopted, completed and completed by
their last milestone's date, counted per town in SQL (issue 20 part 5 reading issue 19's records)."""

import datetime

from apps.dashboards import figures as dashboards
from apps.dashboards.providers import figure, providers
from apps.projects.dashboard import PROJECTS
from apps.projects.models import Milestone, Project

from .conftest import Vote


def test_the_projects_figures_count_what_the_vote_adopted_and_what_was_built(world):
    v = Vote(world, total=10)
    v.open()
    for i in range(10):
        v.ballot(i, v.c[0], v.c[1])
    v.count()
    first, second = Project.objects.order_by("pk")
    due = datetime.date(2027, 6, 30)
    for p in (first, second):
        Milestone.objects.create(project=p, title="竣工", order=1, due_on=due, budget=10)
    # fixture: one built by its last milestone's date, one after it
    Project.objects.filter(pk=first.pk).update(state="completed", completed_on=due)
    Project.objects.filter(pk=second.pk).update(state="completed", completed_on=due + datetime.timedelta(1))

    counts = PROJECTS.counts(world.county, 2027)
    assert counts[world.town_a.pk] == {
        "projects_adopted": 2,
        "projects_completed": 2,
        "projects_on_time": 1,
    }
    assert world.town_b.pk not in counts and not PROJECTS.counts(world.county, 2026)
    assert PROJECTS in providers() and figure("projects_on_time_rate").of == (
        "projects_on_time",
        "projects_completed",
    )
    board = dashboards.dashboard_of(world.county, 2027)
    town_a = next(r for r in board.rows if r.town_id == world.town_a.pk)
    assert town_a.numbers["projects_on_time_rate"] == 50.0
    assert board.total.numbers["projects_adopted"] == 2

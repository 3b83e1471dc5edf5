"""The projects' indicators in the township assessment (issue 20 part 2 reading issue 19): completed by the
last milestone's date, and rated without a rectification item; counted per town in one statement each."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.assessment import metrics
from apps.projects.models import Milestone, Project, ProjectRating
from apps.rectification.services import open_item

from .conftest import Vote


def test_projects_on_time_and_rated_satisfactory_match_the_hand_count(world):
    v = Vote(
        world, total=10, titles=("村道硬化", "饮水安全", "路灯", "文化广场", "便民桥", "垃圾站"), places=3
    )
    v.open()
    for i in range(10):
        v.ballot(i, *v.c[:3])
    v.count()
    a, b, c = Project.objects.order_by("pk")
    due = datetime.date(2027, 9, 30)
    for p in (a, b, c):
        Milestone.objects.create(project=p, title="竣工", order=1, due_on=due, budget=10)
    # fixture: a done by its date, b done late, c still under way
    Project.objects.filter(pk=a.pk).update(state="completed", completed_on=due)
    Project.objects.filter(pk=b.pk).update(state="completed", completed_on=due + datetime.timedelta(days=3))
    now = timezone.now()
    ProjectRating.objects.create(
        candidate_list=v.cl,
        region=world.town_a,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=1),
        state="filed",
    )
    # the rating sent c to rectification: 2 of the 3 rated projects count
    open_item(
        actor=None,
        source=c,
        source_label="年终测评",
        region=world.town_a,
        unit=world.unit_a.pk,
        title="民生实事项目测评不满意",
        detail="不满意率过线",
        reviewers=[world.deputy_a.pk],
    )

    keys = ["projects_on_time", "projects_rated_satisfactory"]
    with CaptureQueriesContext(connection) as ctx:
        got = metrics.values(keys, world.county.pk, 2027)
    town = world.town_a.pk
    assert (got["projects_on_time"][town]["part"], got["projects_on_time"][town]["whole"]) == (1, 2)
    assert got["projects_on_time"][town]["value"] == 50
    assert (
        got["projects_rated_satisfactory"][town]["part"],
        got["projects_rated_satisfactory"][town]["whole"],
    ) == (2, 3)
    assert world.town_b.pk not in got["projects_on_time"]
    assert len([q for q in ctx.captured_queries if "projects_project" in q["sql"]]) == 2
    # the drill-down marks which records count
    counted = dict(
        metrics.records(metrics.REGISTRY["projects_on_time"], town, 2027).values_list("pk", "counted")
    )
    assert counted == {a.pk: True, b.pk: False}

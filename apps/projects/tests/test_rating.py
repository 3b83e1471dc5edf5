"""The year-end rating (issue 19 part 6): secret through the ballot box, one per deputy, in a window; a
project rated dissatisfied at or over the township's threshold gets a rectification item."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from apps.common.errors import DomainError
from apps.projects import rating, selectors
from apps.projects.models import Project, ProjectRating
from apps.rectification.models import RectificationItem
from apps.workflow.services import transition

from .conftest import Vote


def _adopted(world):
    v = Vote(world, total=10)
    v.open()
    for i in range(10):
        v.ballot(i, v.c[0], v.c[1])
    v.count()
    for p in Project.objects.all():
        transition(
            p,
            "assign",
            actor=v.office,
            data={"leader": world.deputy_a.pk, "unit": world.unit_a.pk, "monitors": [world.deputy_a2.pk]},
        )
    return v


def _open_rating(world):
    """The adopted list's year-end rating, keyed by the tellers and open for an hour: (hall, rating, its
    two projects)."""
    v = _adopted(world)
    now = timezone.now()
    r = rating.create_rating(
        actor=v.office,
        list_id=v.cl.pk,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=1),
    )
    v.hall.keys()
    r = transition(r, "open", actor=v.office, data={})
    first, second = rating.projects_of(r)
    return v, r, first, second


def test_the_rating_is_secret_once_per_deputy_and_dissatisfied_opens_a_rectification(world, client):
    v, r, first, second = _open_rating(world)
    for i in range(10):  # the second project: 3 of 10 dissatisfied, at the 30% threshold
        choice = "dissatisfied" if i < 3 else "basic"
        rating.rate(
            actor=v.hall.user(i), rating_id=r.pk, choices={str(first.pk): "satisfied", str(second.pk): choice}
        )
    with pytest.raises(DomainError) as exc:
        rating.rate(
            actor=v.hall.user(0),
            rating_id=r.pk,
            choices={str(first.pk): "satisfied", str(second.pk): "basic"},
        )
    assert exc.value.code == "project_already_voted"
    client.force_login(v.hall.user(0))
    page = client.get(f"/projects/lists/{v.cl.pk}/").content.decode()
    section = page[page.index("年终测评") - 40 : page.index("年终测评") + 1500]
    assert "您已测评" in section, section
    transition(r, "close", actor=v.office, data={})
    v.hall.shares()
    r = ProjectRating.objects.get(pk=r.pk)
    assert r.state == "filed"
    assert r.results[str(second.pk)] == {"satisfied": 0, "basic": 7, "dissatisfied": 3}
    item = RectificationItem.objects.get()
    assert item.object_id == second.pk and item.unit == world.unit_a
    assert list(item.reviewers.all()) == [world.deputy_a2]
    # the county's figures: the town's satisfaction from the filed rating (20 ratings: 10 + 7 + 3), Excel too
    row = selectors.figures(world.county_user, year=v.cl.year)[0]
    assert (row["satisfied"], row["basic"], row["dissatisfied"], row["satisfaction"]) == (10, 7, 3, 85.0)
    client.force_login(world.county_user)
    xlsx = client.get(f"/api/v1/projects/figures.xlsx?year={v.cl.year}")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in ws[1]][-4:] == ["满意", "基本满意", "不满意", "满意率（%）"]
    assert [c.value for c in ws[2]][-4:] == [10, 7, 3, 85]


def test_a_rating_outside_its_window_is_refused(world):
    v = _adopted(world)
    now = timezone.now()
    r = rating.create_rating(
        actor=v.office, list_id=v.cl.pk, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(hours=2)
    )
    v.hall.keys()
    transition(r, "open", actor=v.office, data={})
    first, second = rating.projects_of(r)
    with pytest.raises(DomainError, match="测评时间"):
        rating.rate(
            actor=v.hall.user(0),
            rating_id=r.pk,
            choices={str(first.pk): "satisfied", str(second.pk): "basic"},
        )


def test_a_login_that_is_no_deputy_of_the_congress_is_refused_the_rating_and_the_refusal_is_logged(world):
    from apps.audit.models import AuditEvent

    v, r, _first, _second = _open_rating(world)
    with pytest.raises(DomainError) as exc:  # the office sees the rating but rates nothing
        rating.rate(actor=v.office, rating_id=r.pk, choices={})
    assert (exc.value.status, exc.value.code) == (403, "project_not_a_voter")
    assert str(exc.value.message) == "只有本次大会的代表可以测评"
    refused = AuditEvent.objects.get(action="access.denied", actor=v.office)
    assert refused.summary == {"attempted": "project_rating.rated"}
    assert (refused.object_type, refused.object_id) == ("projects.projectrating", str(r.pk))


def test_the_public_page_shows_a_projects_rating_once_it_is_filed(world, client):
    v, r, first, second = _open_rating(world)
    for i in range(4):
        rating.rate(
            actor=v.hall.user(i),
            rating_id=r.pk,
            choices={str(first.pk): "satisfied", str(second.pk): ("basic", "dissatisfied")[i % 2]},
        )
    public = f"/p/projects/?town={world.town_a.code}&year={v.cl.year}"
    assert "代表年终测评" not in client.get(public).content.decode()  # nothing shown while it runs
    transition(r, "close", actor=v.office, data={})
    v.hall.shares()
    page = client.get(public).content.decode()
    shown = page[page.index(first.title) :]
    assert "代表年终测评：满意 4 · 基本满意 0 · 不满意 0 · 满意率 100.0%" in shown[: shown.index("</li>")]
    shown = page[page.index(second.title) :]
    assert "满意 0 · 基本满意 2 · 不满意 2 · 满意率 50.0%" in shown[: shown.index("</li>")]

"""Dissatisfied department → rectification (issue 18 parts 3 and 4): the `supervise` step (督促整改) opens one
rectification item per department rated dissatisfied beyond the town's share, exactly once, due by its plan
deadline and reviewed by the evaluation's deputies; the evaluation's page and API list them."""

import pytest
from django.test import Client

from apps.accounts.services import issue_token
from apps.audit.models import AuditEvent
from apps.calendar.services import add_working_days
from apps.evaluations import selectors, services, steps
from apps.evaluations.models import EvaluatedUnit
from apps.rectification.models import RectificationItem
from apps.workflow.errors import IllegalTransition
from apps.workflow.services import steps_of

from .factories import close_and_tally, evaluation, open_survey, step
from .test_services import _deputies

pytestmark = pytest.mark.django_db


def rated(world):
    """An evaluation whose second department 4 deputies rated half dissatisfied, at the opinions step."""
    item = evaluation(world)
    for key in ("give_notice", "research", "hold_meeting"):
        item = step(world, item, key)
    s = open_survey(world, item)
    rows = selectors.rows(item)
    a, b = rows[0].unit_id, rows[1].unit_id
    users = [world.deputy_user, *_deputies(world, 3)]
    item.deputies.set([g.deputy for u in users for g in u.grants.all()])
    answers = [("satisfied", "dissatisfied"), ("basic", "dissatisfied"), ("satisfied", "satisfied")]
    answers.append(("satisfied", "basic"))
    for user, (x, y) in zip(users, answers, strict=True):
        services.respond(actor=user, survey_id=s.pk, choices={a: x, b: y})
    close_and_tally(world, s)
    return step(world, item, "give_opinions"), rows[1]


def test_supervise_opens_one_item_per_dissatisfied_department_exactly_once(world):
    item, flagged = rated(world)
    assert not RectificationItem.objects.exists()
    item = step(world, item, "supervise")
    got = RectificationItem.objects.get()
    flagged = EvaluatedUnit.objects.get(pk=flagged.pk)
    assert got.source == flagged and got.unit_id == flagged.unit_id and got.state == "assigned"
    assert got.deadline == flagged.plan_due
    assert got.source_label == item.title and "不满意 2" in got.detail
    assert set(got.reviewers.values_list("pk", flat=True)) == set(item.deputies.values_list("pk", flat=True))
    event = AuditEvent.objects.filter(action="evaluations.evaluation.supervise").get()
    assert event.summary["effects"]["rectification"] == {"rectifications": [got.pk]}
    assert [s.transition for s in steps_of(item)][-1] == "supervise"
    with pytest.raises(IllegalTransition):
        step(world, item, "supervise")

    class Ctx:  # the effect again (a replay) opens nothing more
        pass

    ctx = Ctx()
    ctx.item, ctx.actor, ctx.today = item, world.town_user, got.opened_on
    assert steps.open_rectifications(ctx) == {"rectifications": []}
    assert RectificationItem.objects.count() == 1
    # the unit sees its item; the other town's office does not see the evaluation
    assert [r.pk for r in selectors.rectifications(item, world.town_user)] == [got.pk]
    assert selectors.rectifications(item, world.town_b_user) == []


def test_no_dissatisfied_department_opens_nothing(world):
    item = evaluation(world)
    for key in ("give_notice", "research", "hold_meeting", "give_opinions", "supervise"):
        item = step(world, item, key)
    assert item.state == "rectification" and not RectificationItem.objects.exists()


def test_the_page_and_the_api_list_the_items_with_their_state(world, client):
    item, flagged = rated(world)
    step(world, item, "supervise")
    got = RectificationItem.objects.get()
    client.force_login(world.town_user)
    html = client.get(f"/supervision/evaluations/{item.pk}/").content.decode()
    assert f"/supervision/rectifications/{got.pk}/" in html and str(got.state_label) in html
    assert f'href="{item.get_absolute_url()}"' in client.get(got.get_absolute_url()).content.decode()
    body = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=world.town_user)}").get(
        f"/api/v1/supervision/evaluations/{item.pk}"
    )
    assert body.status_code == 200, body.content
    out = body.json()["rectifications"]
    assert [(r["id"], r["unit"], r["state"]) for r in out] == [(got.pk, flagged.unit_id, "assigned")]
    assert out[0]["state_label"] and out[0]["deadline"] == got.deadline.isoformat()


def test_working_days_until_counts_to_the_plan_deadline(world):
    from datetime import date

    start = date(2026, 3, 2)
    for n in (1, 5, 10, 23):
        assert steps.working_days_until(start, add_working_days(start, n)) == n
    assert steps.working_days_until(start, start) == 1

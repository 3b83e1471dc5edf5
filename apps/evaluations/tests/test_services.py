"""The eight steps in order, the survey (once each, secret, a window), results and the rectification flag."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.accounts.tests.factories import user_with
from apps.common.errors import DomainError, NotFound
from apps.evaluations import selectors, services
from apps.evaluations.models import EvaluatedUnit, SurveyComment, SurveyParticipation
from apps.evaluations.rules import EIGHT_STEPS, must_rectify, shares
from apps.people.tests.factories import DeputyFactory
from apps.workflow.errors import IllegalTransition
from apps.workflow.services import steps_of

from .factories import close_and_tally, evaluation, open_survey, step

pytestmark = pytest.mark.django_db


def _deputies(world, n):
    """n more deputies of 城关镇 with logins (deputy_a is the first rater)."""
    out = []
    for i in range(n):
        d = DeputyFactory(name=f"代表{i}", region=world.village_a, station=world.station_a)
        out.append(user_with("deputy", f"dep{i}", deputy=d))
    return out


def test_the_eight_steps_go_in_order_and_a_skipped_step_is_refused(world):
    item = evaluation(world)
    with pytest.raises(IllegalTransition):
        step(world, item, "research")
    for n, (state, key) in enumerate(EIGHT_STEPS):
        if key == "give_opinions":
            with pytest.raises(IllegalTransition):
                step(world, item, "publish")
        item = step(world, item, key, note=f"第{n + 1}步")
        assert item.state == state
    assert item.is_final
    assert sorted(item.step_dates) == sorted(s for s, _k in EIGHT_STEPS)  # jsonb keeps no key order
    done = [s.transition for s in steps_of(item)]
    assert done == ["create"] + [k for _s, k in EIGHT_STEPS]
    assert all(s.actor_id == world.town_user.pk for s in steps_of(item)[1:])


def test_another_towns_office_cannot_see_or_move_an_evaluation(world):
    item = evaluation(world)
    with pytest.raises(NotFound):
        services.act_on_evaluation(
            actor=world.town_b_user, item=item, key="give_notice", data={"date": "2026-03-01"}
        )
    assert not selectors.evaluations(world.town_b_user).exists()
    assert selectors.evaluations(world.unit_user).filter(pk=item.pk).exists()
    assert selectors.evaluations(world.deputy_user).filter(pk=item.pk).exists()


def test_a_unit_not_of_the_town_or_county_is_refused(world):
    from apps.places.tests.factories import HandlingUnitFactory

    other = HandlingUnitFactory(name="涧池镇政府", region=world.town_b)
    with pytest.raises(DomainError):
        evaluation(world, units=[world.unit_a, other])


def test_survey_once_each_and_results_with_rectification_flag(world):
    item = evaluation(world)
    item = step(world, item, "give_notice")
    item = step(world, item, "research")
    item = step(world, item, "hold_meeting")
    s = open_survey(world, item)
    rows = selectors.rows(item)
    a, b = rows[0].unit_id, rows[1].unit_id
    users = [world.deputy_user, *_deputies(world, 3)]
    item.deputies.set([g.deputy for u in users for g in u.grants.all()])
    answers = [
        ("satisfied", "dissatisfied"),
        ("basic", "dissatisfied"),
        ("satisfied", "satisfied"),
        ("satisfied", "basic"),
    ]
    for user, (x, y) in zip(users, answers, strict=True):
        services.respond(
            actor=user, survey_id=s.pk, choices={a: x, str(b): {"choice": y, "comment": "窗口办事慢"}}
        )
    with pytest.raises(services.AlreadyResponded):
        services.respond(actor=users[0], survey_id=s.pk, choices={a: "basic", b: "basic"})
    with pytest.raises(IllegalTransition):
        step(world, item, "give_opinions")
    s = close_and_tally(world, s)
    assert s.state == "closed" and s.participants == 4
    res = {r["unit_id"]: r for r in selectors.results(item)}
    assert (res[a]["satisfied"], res[a]["basic"], res[a]["dissatisfied"]) == (3, 1, 0)
    assert (res[b]["satisfied"], res[b]["basic"], res[b]["dissatisfied"]) == (1, 1, 2)
    assert res[b]["shares"]["dissatisfied"] == 50.0 and res[b]["must_rectify"] and res[b]["plan_due"]
    assert not res[a]["must_rectify"]
    assert [r.unit_id for r in selectors.departments_needing_rectification(item)] == [b]
    from apps.duty.models import DutyRecord

    assert DutyRecord.objects.filter(kind="inspection", source_id=str(s.pk)).count() == 4
    assert selectors.comments(item) == {b: ["窗口办事慢"] * 4}
    item = step(world, item, "give_opinions")
    assert item.state == "opinions"


def test_a_deputy_of_another_town_cannot_answer(world):
    item = evaluation(world)
    s = open_survey(world, item)
    outsider = user_with("deputy", "depb", deputy=world.deputy_b)
    with pytest.raises(NotFound):
        services.respond(actor=outsider, survey_id=s.pk, choices={})


def test_every_department_must_be_rated(world):
    item = evaluation(world)
    s = open_survey(world, item)
    with pytest.raises(DomainError):
        services.respond(actor=world.deputy_user, survey_id=s.pk, choices={world.unit_a.pk: "satisfied"})
    assert not SurveyParticipation.objects.exists()


def test_no_answer_outside_the_window(world):
    item = evaluation(world)
    s = open_survey(world, item)
    type(s).objects.filter(pk=s.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1), opens_at=timezone.now() - timedelta(days=1)
    )
    rows = selectors.rows(item)
    with pytest.raises(services.SurveyClosed):
        services.respond(actor=world.deputy_user, survey_id=s.pk, choices={r.unit_id: "basic" for r in rows})


def test_no_table_links_a_deputy_to_a_choice(world):
    """Every row of every table after one answer: the deputy's id or name never sits beside a choice, and
    the participation is a keyed hash without time or choice."""
    item = evaluation(world)
    s = open_survey(world, item)
    rows = selectors.rows(item)
    services.respond(
        actor=world.deputy_user, survey_id=s.pk, choices={r.unit_id: "dissatisfied" for r in rows}
    )
    (p,) = SurveyParticipation.objects.all()
    assert len(p.voter_key) == 64 and world.deputy_a.name not in p.voter_key
    assert {f.name for f in SurveyParticipation._meta.get_fields()} == {"id", "survey", "voter_key"}
    assert {f.name for f in SurveyComment._meta.get_fields()} == {"id", "survey", "unit", "text"}
    words = {"dissatisfied", "不满意"}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith("evaluations_") or table.startswith("ballotbox_"):
                cursor.execute(f'SELECT * FROM "{table}"')
                for row in cursor.fetchall():
                    text = "|".join(map(str, row))
                    if table == "ballotbox_box":
                        continue  # the box's labels name the options, not a choice
                    assert not (words & set(text.split("|"))), table
    assert EvaluatedUnit.objects.filter(satisfied__isnull=False).count() == 0


def test_rules_share_and_threshold():
    assert shares(0, 0, 0)["satisfied"] is None
    assert shares(1, 1, 2)["dissatisfied"] == 50.0
    assert not must_rectify(8, 0, 2, 20)  # exactly the threshold: no plan
    assert must_rectify(7, 0, 3, 20)
    assert not must_rectify(0, 0, 0, 20)


def test_a_unit_sees_only_its_own_result_and_comments(world):
    item = evaluation(world)
    s = open_survey(world, item)
    rows = selectors.rows(item)
    services.respond(
        actor=world.deputy_user,
        survey_id=s.pk,
        choices={r.unit_id: {"choice": "basic", "comment": f"意见{r.unit_id}"} for r in rows},
    )
    assert [r["unit_id"] for r in selectors.results(item, world.unit_user)] == [world.unit_a.pk]
    assert list(selectors.comments(item, world.unit_user)) == [world.unit_a.pk]
    assert len(selectors.results(item, world.town_user)) == len(rows) == 2
    assert len(selectors.comments(item, world.deputy_user)) == 2

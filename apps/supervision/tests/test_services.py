"""Supervision (issue 18 parts 1 and 5): the plan approved by the presidium, its activities on the engine,
findings, appointments with their minimum of deputies and the deputies' satisfaction, and scoping."""

from datetime import date

import pytest

from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.duty.models import DutyRecord
from apps.localrules.services import set_value
from apps.supervision import selectors, services
from apps.supervision.errors import ErrorCode
from apps.supervision.models import Finding
from apps.workflow.errors import IllegalTransition

from .factories import activity, plan, three_deputies, year

pytestmark = pytest.mark.django_db


def _act(user, item, key, **data):
    return services.act(actor=user, item=item, key=key, data=data)


def test_a_plan_is_submitted_returned_with_a_reason_and_approved(world):
    p = plan(world)
    assert p.state == "draft" and p.town_id == world.town_a.pk
    with pytest.raises(IllegalTransition):  # nothing in it yet
        _act(world.town_user, p, "submit")
    activity(world, p)
    p = _act(world.town_user, p, "submit")
    with pytest.raises(ValidationFailed):
        _act(world.town_user, p, "return")  # a reason is required
    p = _act(world.town_user, p, "return", reason="增加执法检查")
    assert p.state == "returned" and p.return_reason == "增加执法检查"
    p = _act(world.town_user, _act(world.town_user, p, "submit"), "approve")
    assert p.state == "approved" and p.approved_on
    assert AuditEvent.objects.filter(action="supervision.plan.approved").exists()
    with pytest.raises(ValidationFailed) as e:
        activity(world, p)
    assert e.value.code == ErrorCode.PLAN_APPROVED


def test_one_plan_per_town_and_year(world):
    plan(world)
    with pytest.raises(ValidationFailed) as e:
        plan(world)
    assert e.value.code == ErrorCode.PLAN_EXISTS


def test_another_towns_office_cannot_plan_here(world):
    with pytest.raises(NotFound):
        services.create_plan(actor=world.town_b_user, region_id=world.town_a.pk, year=year())
    p = plan(world)
    with pytest.raises(NotFound):
        services.add_activity(
            actor=world.town_b_user, plan_id=p.pk, kind="inspection", topic="x",
            starts_on=date(year(), 1, 1), ends_on=date(year(), 1, 2),
        )  # fmt: skip


def test_an_activity_names_only_the_townships_deputies(world):
    p = plan(world)
    with pytest.raises(ValidationFailed) as e:
        activity(world, p, leads=[world.deputy_b])
    assert "leads" in e.value.fields


def test_an_activity_runs_and_its_deputies_get_duty_records(world):
    a = activity(world)
    assert a.state == "planned"
    assert {m.role for m in a.members.all()} == {"lead", "member"}
    with pytest.raises(ValidationFailed):
        services.record_finding(actor=world.town_user, activity_id=a.pk, text_value="管网老化")
    a = _act(world.town_user, a, "start")
    f = services.record_finding(
        actor=world.deputy_user, activity_id=a.pk, text_value="月河村管网老化", unit_id=world.unit_a.pk
    )
    assert f.unit == world.unit_a and f.town_id == world.town_a.pk
    a = _act(world.town_user, a, "finish", summary="检查了三个村的供水站")
    assert a.state == "done"
    assert (
        DutyRecord.objects.filter(kind="inspection", deputy__in=[world.deputy_a, world.deputy_a2]).count()
        == 2
    )
    with pytest.raises(IllegalTransition):
        _act(world.town_user, a, "cancel", reason="x")


def test_a_deputy_outside_the_activity_cannot_record_a_finding(world):
    a = _act(world.town_user, activity(world, members=[]), "start")
    from apps.accounts.tests.factories import user_with

    other = user_with("deputy", "other-deputy", deputy=world.deputy_a2)
    with pytest.raises(NotFound):
        services.record_finding(actor=other, activity_id=a.pk, text_value="x")
    assert not Finding.objects.exists()


def test_a_unit_sees_only_the_findings_that_concern_it(world):
    from apps.accounts.tests.factories import user_with
    from apps.places.tests.factories import HandlingUnitFactory

    a = _act(world.town_user, activity(world), "start")
    other_unit = HandlingUnitFactory(name="城关镇农业站", region=world.town_a)
    mine = services.record_finding(
        actor=world.town_user, activity_id=a.pk, text_value="供水", unit_id=world.unit_a.pk
    )
    services.record_finding(actor=world.town_user, activity_id=a.pk, text_value="农技", unit_id=other_unit.pk)
    assert list(selectors.findings(world.unit_user)) == [mine]
    other_staff = user_with("unit_staff", "unit-other", unit=other_unit)
    assert mine not in selectors.findings(other_staff)
    # a unit does not see the activity itself: like a missing one
    with pytest.raises(NotFound):
        selectors.activity_for(world.unit_user, a.pk)
    assert selectors.findings(world.town_b_user).count() == 0


def test_deputies_see_the_activities_they_lead_or_join(world):
    a = activity(world, members=[])
    assert list(selectors.activities(world.deputy_user)) == [a]
    from apps.accounts.tests.factories import user_with

    a2_user = user_with("deputy", "deputy-a2", deputy=world.deputy_a2)
    assert list(selectors.activities(a2_user)) == []
    with pytest.raises(NotFound):
        selectors.activity_for(a2_user, a.pk)


def _appointment(world, deputies, **kw):
    return services.request_appointment(
        actor=kw.pop("actor", world.town_user),
        region_id=world.town_a.pk,
        kind=kw.pop("kind", "appointment"),
        subject="农村公路养护",
        official="王某 副镇长",
        body="城关镇人民政府",
        deputy_ids=[d.pk for d in deputies],
        **kw,
    )


def test_an_appointment_needs_the_local_minimum_of_deputies(world):
    deputies = three_deputies(world)
    with pytest.raises(ValidationFailed) as e:
        _appointment(world, deputies[:2])
    assert e.value.code == ErrorCode.TOO_FEW_DEPUTIES and "3" in str(e.value.message)
    assert _appointment(world, deputies).state == "requested"
    # a special inquiry has no such minimum
    assert _appointment(world, deputies[:1], kind="inquiry").kind == "inquiry"
    set_value(actor=world.county_user, region=world.town_a, key="APPOINTMENT_MIN_DEPUTIES", value=2)
    assert _appointment(world, deputies[:2]).requesters.count() == 2


def test_a_deputy_requests_and_is_counted_among_the_requesters(world):
    deputies = three_deputies(world)
    item = _appointment(world, deputies[1:], actor=world.deputy_user)
    assert item.requesters.count() == 3


def test_the_answer_is_rated_by_each_requesting_deputy_openly(world):
    deputies = three_deputies(world)
    item = _appointment(world, deputies)
    with pytest.raises(ValidationFailed) as e:
        services.rate_appointment(actor=world.deputy_user, appointment_id=item.pk, satisfaction="satisfied")
    assert e.value.code == ErrorCode.NOT_ANSWERED
    item = _act(world.town_user, item, "arrange", meets_on=date(year(), 5, 6).isoformat())
    today = date.today().isoformat()
    item = _act(world.town_user, item, "answer", answer_mode="written", answer="年内完成", answered_on=today)
    row = services.rate_appointment(
        actor=world.deputy_user, appointment_id=item.pk, satisfaction="basic", comment="进度要快"
    )
    assert row.deputy == world.deputy_a and row.satisfaction == "basic"
    with pytest.raises(PermissionDenied):
        services.rate_appointment(actor=world.town_user, appointment_id=item.pk, satisfaction="satisfied")
    f = services.record_finding(actor=world.town_user, appointment_id=item.pk, text_value="跟进养护资金")
    assert f.appointment == item
    assert _act(world.town_user, item, "close").state == "closed"
    assert DutyRecord.objects.filter(kind="other", title__startswith="约见").count() == 3

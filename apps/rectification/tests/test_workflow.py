"""Rectification items (整改, issue 18 part 4): opened through the one service from anywhere, deadlines in
working days by the [local] rule, every step and refusal on the engine, the return limit and then the
presidium, overdue items flagged and escalated by the one sweep, and scoping."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.calendar.services import add_working_days
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.duty.models import ActivityKind, DutyRecord
from apps.localrules.services import set_value
from apps.places.tests.factories import HandlingUnitFactory
from apps.rectification import selectors, services
from apps.rectification.models import RectificationItem
from apps.workflow.errors import IllegalTransition
from apps.workflow.sweep import sweep
from apps.workflow.todo import tracked_lines

from .conftest import step

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _report(item, world):
    item = step(item, world.unit_user, "plan", plan_text="加装护栏300米，月底完成")
    return step(item, world.unit_user, "report", report_text="护栏已安装完毕")


def test_an_item_is_due_in_the_towns_working_days_and_audited(item, world):
    today = timezone.localdate()
    assert item.state == "assigned" and item.unit == world.unit_a
    assert item.deadline == add_working_days(today, 20) == item.due_date
    assert list(item.reviewers.all()) == [world.deputy_a]
    assert item.town_id == world.town_a.pk and item.source_label == "2026年道路交通安全执法检查"
    assert AuditEvent.objects.filter(action="rectification.create", object_id=str(item.pk)).exists()


def test_the_towns_own_rule_and_the_callers_days_set_the_deadline(world):
    set_value(actor=world.county_user, region=world.town_a, key="RECTIFICATION_WORKING_DAYS", value=7)
    today = timezone.localdate()
    kw = {"actor": world.town_user, "region": world.town_a, "unit": world.unit_a.pk, "title": "问题"}
    assert services.open_item(**kw).deadline == add_working_days(today, 7)
    assert services.open_item(**kw, due_days=3).deadline == add_working_days(today, 3)
    with pytest.raises(ValidationFailed):
        services.open_item(**kw, due_days=0)


def test_any_object_can_be_the_source(world):
    found = services.open_item(
        actor=world.town_user, source=world.station_a, region=world.village_a, unit=world.unit_a,
        title="联络站无障碍通道损坏",
    )  # fmt: skip
    assert found.source == world.station_a and found.source_label == str(world.station_a)
    assert list(selectors.items_of_source(world.town_user, world.station_a)) == [found]
    assert not selectors.items_of_source(world.town_b_user, world.station_a).exists()
    assert found.region == world.town_a  # a village's item belongs to its town
    assert services.open_item(actor=None, region=world.town_a, unit=world.unit_a, title="系统").pk
    # without a region: the source's town, else the unit's
    assert (
        services.open_item(
            actor=world.town_user, source=world.station_a, unit=world.unit_a.pk, title="甲"
        ).town_id
        == world.town_a.pk
    )
    assert services.open_item(actor=world.town_user, unit=world.unit_a, title="乙").town_id == world.town_a.pk


def test_only_the_office_opens_items_and_only_with_its_towns_unit_and_deputies(world):
    kw = {"region": world.town_a, "unit": world.unit_a, "title": "问题"}
    with pytest.raises(PermissionDenied):
        services.open_item(actor=world.unit_user, **kw)
    with pytest.raises(NotFound):
        services.open_item(actor=world.town_b_user, **kw)
    other = HandlingUnitFactory(name="涧池镇人民政府", region=world.town_b)
    with pytest.raises(ValidationFailed) as e:
        services.open_item(actor=world.town_user, **{**kw, "unit": other})
    assert "unit" in e.value.fields
    with pytest.raises(ValidationFailed) as e:
        services.open_item(actor=world.town_user, **kw, reviewers=[world.deputy_b])
    assert "reviewers" in e.value.fields
    with pytest.raises(ValidationFailed):
        services.open_item(actor=world.town_user, **{**kw, "title": "  "})
    assert AuditEvent.objects.filter(action="access.denied", actor=world.unit_user).exists()


def test_the_unit_plans_reports_and_the_reviewing_deputy_accepts(item, world):
    item = step(item, world.unit_user, "plan", plan_text="加装护栏")
    assert item.state == "planned" and item.plan_filed_on == timezone.localdate()
    item = step(item, world.unit_user, "report", report_text="已完成")
    assert item.state == "reported" and item.due_date == add_working_days(timezone.localdate(), 10)
    item = step(item, world.deputy_user, "accept", reason="现场查看，护栏已装")
    assert item.state == "accepted" and item.accepted_on and item.is_final
    actions = set(
        AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="rectification.").values_list(
            "action", flat=True
        )
    )
    assert {"rectification.plan", "rectification.report", "rectification.accept"} <= actions
    record = DutyRecord.objects.get(deputy=world.deputy_a, kind=ActivityKind.INSPECTION)
    assert record.title == "整改验收：月河村道路缺少安全护栏" and record.source_id == str(item.pk)


def test_the_office_accepting_writes_no_duty_record(item, world):
    item = step(_report(item, world), world.town_user, "accept")
    assert item.state == "accepted" and not DutyRecord.objects.exists()


def test_steps_out_of_order_or_by_the_wrong_person_are_refused(item, world):
    with pytest.raises(IllegalTransition):
        step(item, world.unit_user, "report", report_text="x")
    with pytest.raises(IllegalTransition):
        step(item, world.deputy_user, "accept")
    with pytest.raises(PermissionDenied):
        step(item, world.town_user, "plan", plan_text="办公室不能代报方案")
    with pytest.raises(NotFound):
        step(item, world.town_b_user, "plan", plan_text="x")
    with pytest.raises(ValidationFailed):
        step(item, world.unit_user, "plan", plan_text="")
    item = _report(item, world)
    with pytest.raises(PermissionDenied):
        step(item, world.unit_user, "accept")
    with pytest.raises(ValidationFailed):
        step(item, world.deputy_user, "return", reason="")


def test_a_deputy_who_is_not_a_reviewer_cannot_see_or_review(item, world):
    from apps.accounts.tests.factories import user_with

    other = user_with("deputy", "deputy2", deputy=world.deputy_a2)
    item = _report(item, world)
    with pytest.raises(NotFound):
        step(item, other, "accept")
    assert not selectors.items(other).exists()
    assert list(selectors.items(world.deputy_user)) == [item]


def test_two_returns_then_the_next_goes_to_the_presidium(item, world):
    item = _report(item, world)
    for n in (1, 2):
        with pytest.raises(IllegalTransition):
            step(item, world.deputy_user, "refer", reason="还可以退回")
        item = step(item, world.deputy_user, "return", reason=f"第{n}次：护栏高度不够")
        assert item.state == "returned" and item.returns_count == n
        assert item.deadline == add_working_days(timezone.localdate(), 20) == item.due_date
        item = step(item, world.unit_user, "report", report_text=f"第{n}次整改后")
    with pytest.raises(IllegalTransition):
        step(item, world.deputy_user, "return", reason="第三次")
    item = step(item, world.deputy_user, "refer", reason="仍不合格")
    assert item.state == "presidium"
    with pytest.raises(PermissionDenied):
        step(item, world.deputy_user, "presidium_accept")
    item = step(item, world.town_user, "order_again", reason="主席团责令重新整改")
    assert item.state == "returned"
    item = step(item, world.unit_user, "report", report_text="再次整改")
    with pytest.raises(IllegalTransition):  # past the limit every further return is the presidium's
        step(item, world.deputy_user, "return", reason="x")
    item = step(item, world.deputy_user, "refer", reason="仍不合格")
    item = step(item, world.town_user, "presidium_accept", reason="基本完成")
    assert item.state == "accepted"


def test_the_return_limit_is_the_towns_rule(item, world):
    set_value(actor=world.county_user, region=world.town_a, key="RECTIFICATION_MAX_RETURNS", value=0)
    item = _report(item, world)
    with pytest.raises(IllegalTransition):
        step(item, world.deputy_user, "return", reason="x")
    assert step(item, world.deputy_user, "refer", reason="x").state == "presidium"


def test_an_overdue_item_is_flagged_and_escalated_once_by_the_sweep(item, world):
    later = item.deadline + timedelta(days=1)
    RectificationItem.objects.filter(pk=item.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    assert selectors.items(world.town_user, overdue=True).count() == 1
    result = sweep(today=later)
    item.refresh_from_db()
    assert item.escalated_at is not None and result.escalated >= 1
    assert AuditEvent.objects.filter(action="rectification.escalated", object_id=str(item.pk)).exists()
    assert sweep(today=later).escalated == 0


def test_the_unit_sees_only_its_own_items_and_another_town_sees_none(item, world):
    other_unit = HandlingUnitFactory(name="城关镇交通运输所", region=world.town_a)
    services.open_item(actor=world.town_user, region=world.town_a, unit=other_unit, title="别的单位")
    assert list(selectors.items(world.unit_user)) == [item]
    assert selectors.items(world.town_user).count() == 2
    assert selectors.items(world.county_user).count() == 2
    assert selectors.items(world.town_b_user).count() == 0
    with pytest.raises(NotFound):
        selectors.item_for(world.town_b_user, item.pk)
    assert selectors.items(world.town_user, unit=other_unit.pk).count() == 1
    assert selectors.items(world.town_user, state="accepted").count() == 0


def test_the_to_do_list_shows_the_unit_its_items_and_the_deputy_the_reports(item, world):
    assert any(line.url == item.get_absolute_url() for line in tracked_lines(world.unit_user))
    assert not any(line.url == item.get_absolute_url() for line in tracked_lines(world.deputy_user))
    item = _report(item, world)
    assert any(line.url == item.get_absolute_url() for line in tracked_lines(world.deputy_user))
    assert not any(line.url == item.get_absolute_url() for line in tracked_lines(world.unit_user))


def _png(name="a.png"):
    return SimpleUploadedFile(name, PNG)


def test_evidence_files_by_the_unit_until_accepted(item, world):
    att = services.attach_file(actor=world.unit_user, item_id=item.pk, upload=_png())
    assert att.kind == "png"
    with pytest.raises(PermissionDenied):
        services.attach_file(actor=world.deputy_user, item_id=item.pk, upload=_png())
    item = step(_report(item, world), world.deputy_user, "accept")
    with pytest.raises(ValidationFailed):
        services.attach_file(actor=world.unit_user, item_id=item.pk, upload=_png())

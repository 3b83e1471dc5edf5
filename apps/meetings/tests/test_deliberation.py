"""Group deliberation (分组审议, issue 16 item 4): groups and their recorder, opinions per report, the digest
in Word sent to the government, and its answer tracked on the workflow engine."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.meetings import services
from apps.meetings.models import AgendaItem, DeliberationDigest
from apps.meetings.services.deliberation import DigestSent
from apps.meetings.word import digest_docx, digest_title
from apps.workflow import services as engine
from apps.workflow.errors import IllegalTransition
from apps.workflow.sweep import sweep
from tests import official_papers

from .factories import plan, ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world):
    ready(world)
    meeting = plan(world, agenda=["听取和审议镇人民政府工作报告"])
    report = meeting.agenda.get()
    group = services.form_group(
        actor=world.town_user,
        session_id=meeting.session_id,
        name="第一代表小组",
        recorder_id=world.deputy_user.pk,
        member_ids=[world.deputy_a.pk, world.deputy_a2.pk],
    )
    return world, meeting, report, group


def test_the_recorder_enters_each_deputys_opinion_on_a_report(desk):
    world, _meeting, report, group = desk
    o = services.record_opinion(
        actor=world.deputy_user,
        group_id=group.pk,
        agenda_item_id=report.pk,
        deputy_id=world.deputy_a2.pk,
        text="建议加大农村道路养护投入",
    )
    assert o.entered_by == world.deputy_user and o.deputy == world.deputy_a2
    assert AuditEvent.objects.filter(action="meeting.deliberation.recorded").count() == 1


def test_a_member_who_is_not_the_recorder_is_refused_and_the_refusal_audited(desk):
    world, _meeting, report, group = desk
    other = world.deputy_a2.user
    with pytest.raises(PermissionDenied):
        services.record_opinion(
            actor=other, group_id=group.pk, agenda_item_id=report.pk, deputy_id=world.deputy_a.pk, text="x"
        )
    assert AuditEvent.objects.filter(action="access.denied", actor=other).count() == 1


def test_another_towns_office_cannot_reach_the_group(desk):
    world, _meeting, report, group = desk
    with pytest.raises(NotFound):
        services.record_opinion(
            actor=world.town_b_user,
            group_id=group.pk,
            agenda_item_id=report.pk,
            deputy_id=world.deputy_a.pk,
            text="x",
        )


def test_an_opinion_names_a_report_of_the_session_and_a_member(desk):
    world, meeting, report, group = desk
    other = AgendaItem.objects.create(meeting=meeting, order=9, title="选举", kind=AgendaItem.Kind.ELECTION)
    with pytest.raises(ValidationFailed) as e:
        services.record_opinion(
            actor=world.town_user,
            group_id=group.pk,
            agenda_item_id=other.pk,
            deputy_id=world.deputy_a.pk,
            text="x",
        )
    assert "agenda_item" in e.value.fields
    with pytest.raises(ValidationFailed) as e:
        services.record_opinion(
            actor=world.town_user,
            group_id=group.pk,
            agenda_item_id=report.pk,
            deputy_id=world.deputy_b.pk,
            text="x",
        )
    assert "deputy" in e.value.fields


def test_a_group_takes_only_the_towns_deputies(world):
    meeting = plan(world)
    with pytest.raises(ValidationFailed) as e:
        services.form_group(
            actor=world.town_user,
            session_id=meeting.session_id,
            name="甲组",
            recorder_id=None,
            member_ids=[world.deputy_a.pk, world.deputy_b.pk],
        )
    assert "members" in e.value.fields


def _send(desk):
    world, _meeting, report, group = desk
    for d, text in ((world.deputy_a, "建议一"), (world.deputy_a2, "建议二\n第二段")):
        services.record_opinion(
            actor=world.town_user, group_id=group.pk, agenda_item_id=report.pk, deputy_id=d.pk, text=text
        )
    return services.send_digest(actor=world.town_user, agenda_item_id=report.pk, unit_id=world.unit_a.pk)


def test_the_digest_is_sent_to_the_unit_with_a_working_day_deadline(desk):
    world = desk[0]
    digest = _send(desk)
    assert digest.state == "sent" and digest.opinions_count == 2
    assert digest.title == "关于《镇人民政府工作报告》的审议意见汇总"
    assert digest.due_date and digest.due_date > timezone.localdate()
    assert digest.audience("unit") == [world.unit_user]


def test_opinions_are_frozen_once_the_digest_is_sent(desk):
    world, _meeting, report, group = desk
    _send(desk)
    with pytest.raises(DigestSent):
        services.record_opinion(
            actor=world.town_user,
            group_id=group.pk,
            agenda_item_id=report.pk,
            deputy_id=world.deputy_a.pk,
            text="y",
        )
    with pytest.raises(DigestSent):
        services.send_digest(actor=world.town_user, agenda_item_id=report.pk, unit_id=world.unit_a.pk)


def test_the_unit_answers_and_the_office_returns_then_accepts(desk):
    world = desk[0]
    digest = _send(desk)
    with pytest.raises(IllegalTransition):
        engine.transition(digest, "accept", actor=world.town_user, data={})
    digest = services.act_on_digest(
        actor=world.unit_user, item=digest, key="answer", data={"answer_text": "已列入年度计划"}
    )
    assert digest.state == "answered" and digest.answered_on == timezone.localdate()
    digest = services.act_on_digest(
        actor=world.town_user, item=digest, key="return", data={"reason": "请写明时间"}
    )
    assert digest.state == "returned" and digest.due_date
    digest = services.act_on_digest(
        actor=world.unit_user, item=digest, key="answer", data={"answer_text": "年底前完成"}
    )
    digest = services.act_on_digest(actor=world.town_user, item=digest, key="accept", data={})
    assert digest.state == "accepted" and digest.is_final


def test_the_unit_cannot_accept_its_own_answer(desk):
    world = desk[0]
    digest = services.act_on_digest(
        actor=world.unit_user, item=_send(desk), key="answer", data={"answer_text": "已研究"}
    )
    with pytest.raises(PermissionDenied):
        services.act_on_digest(actor=world.unit_user, item=digest, key="accept", data={})


def test_the_sweep_escalates_an_unanswered_digest(desk):
    digest = _send(desk)
    result = sweep(today=digest.due_date + timedelta(days=1))
    assert result.escalated >= 1
    digest.refresh_from_db()
    assert digest.escalated_at is not None


def test_the_digest_is_an_official_paper_grouped_by_group(desk):
    world, _meeting, report, _group = desk
    digest = _send(desk)
    from apps.meetings.selectors_deliberation import report_opinions

    data = digest_docx(
        report, report_opinions(report), unit=world.unit_a, due=digest.due_date, on=digest.sent_on
    )
    doc = official_papers.check(data, title=digest.title, issuer="城关镇人民代表大会主席团")
    text = "\n".join(official_papers.texts(doc))
    assert "城关镇人民政府：" in text and "第一代表小组（2条）" in text and "第二段" in text


def test_the_digest_title_says_about_once():
    assert digest_title("关于2026年财政预算的报告") == "关于《2026年财政预算的报告》的审议意见汇总"
    assert digest_title("《政府工作报告》") == "关于《政府工作报告》的审议意见汇总"
    assert digest_title("听取和审议镇人民政府工作报告") == "关于《镇人民政府工作报告》的审议意见汇总"


def test_a_digest_needs_opinions(desk):
    world, _meeting, report, _group = desk
    with pytest.raises(ValidationFailed):
        services.send_digest(actor=world.town_user, agenda_item_id=report.pk, unit_id=world.unit_a.pk)
    assert not DeliberationDigest.objects.exists()

"""Resolutions followed up (决议决定执行, issue 16 item 6): implementation items of an adopted resolution
assigned to units with dates, progress reported again and again, the office accepting or returning them on
the workflow engine, the pages and API, and the report to the presidium in Word."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.calendar.services import add_working_days
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.meetings import services
from apps.meetings.models import ResolutionProgress, Vote, VoteState
from apps.meetings.selectors_resolutions import meeting_tasks
from apps.meetings.word_resolutions import REPORT_TITLE, implementation_docx
from apps.workflow.errors import IllegalTransition
from apps.workflow.sweep import sweep
from tests import official_papers

from .factories import plan, ready

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _close(vote, *, adopted=True):
    # The vote's stored result, as close_vote writes it (the tally itself is tested in test_services).
    Vote.objects.filter(pk=vote.pk).update(
        state=VoteState.CLOSED, adopted=adopted, closed_at=timezone.now(), total_deputies=3, present=3,
        votes_for=3 if adopted else 0, votes_against=0, votes_abstain=0, not_voted=0,
    )  # fmt: skip
    vote.refresh_from_db()
    return vote


@pytest.fixture
def adopted(world):
    ready(world)
    meeting = plan(world, agenda=["关于2026年民生实事项目的决议"])
    item = meeting.agenda.get()
    vote = services.create_vote(actor=world.town_user, meeting_id=meeting.pk, agenda_item_id=item.pk)
    return world, _close(vote)


def _assign(world, vote, **kw):
    kw.setdefault("working_days", 10)
    return services.assign_task(
        actor=world.town_user, vote_id=vote.pk, unit_id=world.unit_a.pk, title="新修村道5公里", **kw
    )


def test_the_office_assigns_an_item_due_in_working_days(adopted):
    world, vote = adopted
    task = _assign(world, vote)
    today = timezone.localdate()
    assert task.state == "assigned" and task.unit == world.unit_a
    assert task.target_date == add_working_days(today, 10) == task.due_date
    assert task.audience("unit") == [world.unit_user]
    assert AuditEvent.objects.filter(action="resolution_task.create").count() == 1


def test_an_item_may_have_a_fixed_date_and_not_both_kinds(adopted):
    world, vote = adopted
    day = timezone.localdate() + timedelta(days=40)
    task = _assign(world, vote, working_days=None, target_date=day)
    assert task.due_date == day
    with pytest.raises(ValidationFailed) as e:
        _assign(world, vote, working_days=5, target_date=day)
    assert "target_date" in e.value.fields
    with pytest.raises(ValidationFailed):
        _assign(world, vote, working_days=None, target_date=timezone.localdate() - timedelta(days=1))


def test_only_an_adopted_vote_gets_items(world):
    ready(world)
    meeting = plan(world)
    vote = services.create_vote(
        actor=world.town_user, meeting_id=meeting.pk, agenda_item_id=meeting.agenda.get().pk
    )
    with pytest.raises(ValidationFailed) as e:
        _assign(world, vote)
    assert "vote" in e.value.fields
    with pytest.raises(ValidationFailed):
        _assign(world, _close(vote, adopted=False))


def test_another_town_and_the_unit_cannot_assign(adopted):
    world, vote = adopted
    with pytest.raises(NotFound):
        services.assign_task(
            actor=world.town_b_user, vote_id=vote.pk, unit_id=world.unit_a.pk, title="x", working_days=3
        )
    with pytest.raises((NotFound, PermissionDenied)):
        services.assign_task(
            actor=world.unit_user, vote_id=vote.pk, unit_id=world.unit_a.pk, title="x", working_days=3
        )


def test_the_unit_reports_again_and_again_then_the_office_returns_and_accepts(adopted):
    world, vote = adopted
    task = _assign(world, vote)
    with pytest.raises(IllegalTransition):
        services.act_on_task(actor=world.town_user, item=task, key="done", data={})
    task = services.act_on_task(actor=world.unit_user, item=task, key="report", data={"text": "已完成选线"})
    task = services.act_on_task(actor=world.unit_user, item=task, key="report", data={"text": "已开工2公里"})
    assert task.state == "reported" and task.reports_count == 2 and task.progress_text == "已开工2公里"
    assert list(ResolutionProgress.objects.filter(task=task).values_list("text", flat=True)) == [
        "已完成选线",
        "已开工2公里",
    ]
    with pytest.raises(PermissionDenied):
        services.act_on_task(actor=world.unit_user, item=task, key="done", data={})
    later = timezone.localdate() + timedelta(days=90)
    task = services.act_on_task(
        actor=world.town_user, item=task, key="return", data={"reason": "进度滞后", "target_date": later}
    )
    assert task.state == "returned" and task.due_date == later == task.target_date
    task = services.act_on_task(actor=world.unit_user, item=task, key="report", data={"text": "全部完工"})
    task = services.act_on_task(actor=world.town_user, item=task, key="done", data={})
    assert task.state == "done" and task.is_final
    actions = set(AuditEvent.objects.filter(object_id=str(task.pk)).values_list("action", flat=True))
    assert {"resolution_task.report", "resolution_task.return", "resolution_task.done"} <= actions


def test_another_unit_cannot_see_or_report(adopted):
    world, vote = adopted
    task = _assign(world, vote)
    with pytest.raises(NotFound):
        services.act_on_task(actor=world.town_b_user, item=task, key="report", data={"text": "x"})


def test_the_sweep_reminds_and_escalates_an_item_past_its_date(adopted):
    world, vote = adopted
    task = _assign(world, vote)
    result = sweep(today=task.target_date + timedelta(days=1))
    assert result.escalated >= 1
    task.refresh_from_db()
    assert task.escalated_at is not None


def test_the_unit_adds_files_until_the_item_is_done(adopted):
    world, vote = adopted
    task = _assign(world, vote)
    att = services.attach_task_file(
        actor=world.unit_user, task_id=task.pk, upload=SimpleUploadedFile("p.png", PNG)
    )
    assert att.kind == "png"
    task = services.act_on_task(actor=world.unit_user, item=task, key="report", data={"text": "完工"})
    services.act_on_task(actor=world.town_user, item=task, key="done", data={})
    with pytest.raises(ValidationFailed):
        services.attach_task_file(
            actor=world.unit_user, task_id=task.pk, upload=SimpleUploadedFile("q.png", PNG)
        )


def test_the_report_to_the_presidium_is_an_official_paper_with_each_items_progress(adopted):
    world, vote = adopted
    task = _assign(world, vote)
    services.act_on_task(actor=world.unit_user, item=task, key="report", data={"text": "已开工2公里"})
    _assign(world, vote)
    data = implementation_docx(vote.meeting, meeting_tasks(vote.meeting))
    doc = official_papers.check(data, title=REPORT_TITLE, issuer="城关镇人民代表大会主席团")
    text = "\n".join(official_papers.texts(doc))
    assert "共交办实施事项2项，已办结0项" in text
    assert "已开工2公里" in text and "尚未报告进展" in text and "城关镇人民政府" in text


def test_the_api_assigns_reports_and_scopes(client, adopted):
    world, vote = adopted
    client.force_login(world.town_user)
    body = {"unit": world.unit_a.pk, "title": "新修村道", "working_days": 10}
    r = client.post(f"/api/v1/resolutions/{vote.pk}/tasks", body, content_type="application/json")
    assert r.status_code == 201, r.content
    task_id = r.json()["id"]
    assert client.get("/api/v1/resolutions").json()["items"][0]["tasks_count"] == 1
    huge = {**body, "working_days": 10**12}
    bad = client.post(f"/api/v1/resolutions/{vote.pk}/tasks", huge, content_type="application/json")
    assert bad.status_code == 422
    client.force_login(world.unit_user)
    assert client.get("/api/v1/resolution-tasks").json()["count"] == 1
    url = f"/api/v1/resolution-tasks/{task_id}/actions/report"
    r = client.post(url, {"text": "进展"}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "reported"
    r = client.post(f"/api/v1/resolution-tasks/{task_id}/files", {"file": SimpleUploadedFile("p.png", PNG)})
    assert r.status_code == 201, r.content
    assert client.get(f"/api/v1/resolution-tasks/{task_id}/progress").json()[0]["text"] == "进展"
    client.force_login(world.town_b_user)
    assert client.get(f"/api/v1/resolution-tasks/{task_id}").status_code == 404
    assert client.get("/api/v1/resolution-tasks").json()["count"] == 0
    client.force_login(world.town_user)
    docx = client.get(f"/api/v1/meetings/{vote.meeting_id}/resolution-report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_the_pages_assign_and_show_the_item_to_the_unit(client, adopted):
    world, vote = adopted
    client.force_login(world.town_user)
    assert "关于2026年民生实事项目的决议" in client.get("/resolutions/").content.decode()
    r = client.post(
        f"/resolutions/{vote.pk}/", {"unit": world.unit_a.pk, "title": "修建文化广场", "working_days": "15"}
    )
    assert r.status_code == 302
    task = vote.tasks.get()
    assert task.title == "修建文化广场"
    client.force_login(world.unit_user)
    assert "修建文化广场" in client.get("/resolutions/").content.decode()
    page = client.get(f"/resolutions/tasks/{task.pk}/").content.decode()
    assert "报告进展" in page
    client.force_login(world.town_b_user)
    assert client.get(f"/resolutions/tasks/{task.pk}/").status_code == 404

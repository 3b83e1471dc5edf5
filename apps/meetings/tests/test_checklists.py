"""Agenda checklists per kind of meeting (会议议程和内容清单, issue 16 item 7): a new meeting starts from its
kind's township checklist (the shipped default until the town edits its own), and its page says what is
still missing before the meeting."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied
from apps.meetings import rules, services
from apps.meetings.models import ChecklistEntry, MeetingKind
from apps.meetings.selectors_deliberation import checklist

from .factories import plan

pytestmark = pytest.mark.django_db


def _missing(meeting):
    return [line.label for line in checklist(meeting)[1]]


def test_a_congress_meeting_starts_from_the_default_checklist_and_lists_what_is_missing(world):
    meeting = plan(world, agenda=["听取和审议镇人民政府工作报告", "审查2026年财政预算执行情况的报告"])
    labels = [line.label for line in meeting.checklist.all()]
    assert "政府工作报告" in labels and "选举办法" in labels
    missing = _missing(meeting)
    assert "政府工作报告" not in missing and "财政预决算报告" not in missing
    assert "人大主席团工作报告" in missing and "会议通知" in missing


def test_an_uploaded_document_meets_its_line(world):
    meeting = plan(world)
    pdf = SimpleUploadedFile("会议日程.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    services.add_document(actor=world.town_user, meeting_id=meeting.pk, upload=pdf)
    assert "日程" not in _missing(meeting)


def test_the_clerk_settles_a_line_and_it_is_audited(world):
    meeting = plan(world)
    line = meeting.checklist.get(label="选举办法")
    services.settle_checklist_item(actor=world.town_user, item_id=line.pk, status="waived")
    assert "选举办法" not in _missing(meeting)
    assert AuditEvent.objects.filter(action="meeting.checklist.settled").count() == 1
    with pytest.raises(NotFound):
        services.settle_checklist_item(actor=world.town_b_user, item_id=line.pk, status="open")


def test_a_township_edits_its_own_list_and_new_meetings_follow_it(world):
    services.add_checklist_entry(
        actor=world.town_user,
        region=world.town_a,
        kind=MeetingKind.PRESIDIUM,
        part="document",
        label="代表建议办理情况汇总表",
        keywords="汇总表",
    )
    own = ChecklistEntry.objects.filter(region=world.town_a, meeting_kind=MeetingKind.PRESIDIUM)
    # the first edit copied the default, then added the line
    assert own.count() == sum(len(v) for v in rules.DEFAULT_CHECKLISTS["presidium"].values()) + 1
    services.remove_checklist_entry(actor=world.town_user, entry_id=own.get(label="会议通知").pk)
    meeting = plan(world, kind=MeetingKind.PRESIDIUM, agenda=["听取政府专项工作报告"])
    labels = {line.label for line in meeting.checklist.all()}
    assert "代表建议办理情况汇总表" in labels and "会议通知" not in labels
    assert AuditEvent.objects.filter(action="meeting.checklist.added").exists()


def test_another_town_cannot_edit_the_list(world):
    with pytest.raises((PermissionDenied, NotFound)):
        services.add_checklist_entry(
            actor=world.town_b_user, region=world.town_a, kind="plenary", part="agenda", label="x"
        )
    assert not ChecklistEntry.objects.exists()


def test_checklist_rules_match_words_of_titles_and_names():
    assert rules.checklist_words("财政预决算报告", "预算、决算") == ["财政预决算报告", "预算", "决算"]
    assert rules.checklist_met("财政预决算报告", "预算 决算", ["关于2025年决算的报告"])
    assert not rules.checklist_met("选举办法", "", ["表决办法"])


def test_the_meeting_page_says_what_is_missing(client, world):
    meeting = plan(world)
    client.force_login(world.town_user)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "还缺：" in page and "人大主席团工作报告" in page


def test_the_checklist_api_lists_missing_and_settles(client, world):
    meeting = plan(world)
    client.force_login(world.town_user)
    body = client.get(f"/api/v1/meetings/{meeting.pk}/checklist").json()
    assert "会议通知" in body["missing"]
    line = next(x for x in body["lines"] if x["label"] == "会议通知")
    r = client.post(
        f"/api/v1/meetings/{meeting.pk}/checklist/{line['id']}",
        {"status": "done"},
        content_type="application/json",
    )
    assert r.status_code == 200 and "会议通知" not in r.json()["missing"]
    town = client.get(f"/api/v1/checklists?town={world.town_a.pk}&kind=plenary").json()
    assert town["custom"] is False and any(x["label"] == "政府工作报告" for x in town["lines"])

"""Group deliberation through the pages and the API: the recorder enters an opinion from a phone page, the
office sends the digest, the unit answers through the actions API, and the Word download is served."""

import pytest

from apps.meetings import services
from apps.meetings.models import DeliberationDigest, DeliberationOpinion

from .factories import plan, ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world):
    ready(world)
    meeting = plan(world, agenda=["听取和审议镇人民政府工作报告"])
    group = services.form_group(
        actor=world.town_user,
        session_id=meeting.session_id,
        name="第一代表小组",
        recorder_id=world.deputy_user.pk,
        member_ids=[world.deputy_a.pk, world.deputy_a2.pk],
    )
    return world, meeting, meeting.agenda.get(), group


def test_the_recorder_enters_an_opinion_on_the_group_page(client, desk):
    world, _meeting, report, group = desk
    client.force_login(world.deputy_user)
    page = client.get(f"/deliberation/groups/{group.pk}/").content.decode()
    assert report.title in page and 'name="text"' in page
    r = client.post(
        f"/deliberation/groups/{group.pk}/",
        {"agenda_item": report.pk, "deputy": world.deputy_a2.pk, "text": "建议改善村道"},
    )
    assert r.status_code == 302
    assert DeliberationOpinion.objects.get().text == "建议改善村道"


def test_a_member_sees_the_group_but_gets_no_form(client, desk):
    world, _meeting, _report, group = desk
    client.force_login(world.deputy_a2.user)
    page = client.get(f"/deliberation/groups/{group.pk}/").content.decode()
    assert group.name in page and 'name="text"' not in page


def test_the_office_forms_a_group_and_sends_the_digest_from_the_pages(client, desk):
    world, meeting, report, group = desk
    client.force_login(world.town_user)
    r = client.post(
        f"/deliberation/sessions/{meeting.session_id}/",
        {"name": "第二代表小组", "recorder": world.town_user.pk, "members": [world.deputy_a.pk]},
    )
    assert r.status_code == 302 and meeting.session.groups.count() == 2
    services.record_opinion(
        actor=world.town_user,
        group_id=group.pk,
        agenda_item_id=report.pk,
        deputy_id=world.deputy_a.pk,
        text="一",
    )
    assert "一" in client.get(f"/deliberation/reports/{report.pk}/").content.decode()
    docx = client.get(f"/deliberation/reports/{report.pk}/digest.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    client.post(f"/deliberation/reports/{report.pk}/", {"unit": world.unit_a.pk})
    digest = DeliberationDigest.objects.get()
    assert digest.unit == world.unit_a and digest.state == "sent"


def test_the_unit_answers_through_the_actions_api(client, desk):
    world, _meeting, report, group = desk
    services.record_opinion(
        actor=world.town_user,
        group_id=group.pk,
        agenda_item_id=report.pk,
        deputy_id=world.deputy_a.pk,
        text="一",
    )
    client.force_login(world.town_user)
    r = client.post(
        f"/api/v1/deliberation/reports/{report.pk}/digest",
        {"unit": world.unit_a.pk},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    digest_id = r.json()["id"]
    client.force_login(world.unit_user)
    actions = client.get(f"/api/v1/deliberation/digests/{digest_id}/actions").json()
    assert [a["name"] for a in actions] == ["answer"]
    r = client.post(
        f"/api/v1/deliberation/digests/{digest_id}/actions/answer",
        {"answer_text": "已研究，年内实施"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["state"] == "answered"
    assert client.get("/api/v1/deliberation/digests").json()["count"] == 1
    client.force_login(world.town_b_user)
    assert client.get(f"/api/v1/deliberation/digests/{digest_id}").status_code == 404


def test_the_recorder_api_records_and_refuses_another_member(client, desk):
    world, _meeting, report, group = desk
    client.force_login(world.deputy_user)
    body = {"agenda_item": report.pk, "deputy": world.deputy_a.pk, "text": "意见"}
    r = client.post(f"/api/v1/deliberation/groups/{group.pk}/opinions", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["deputy_name"] == world.deputy_a.name
    client.force_login(world.deputy_a2.user)
    r = client.post(f"/api/v1/deliberation/groups/{group.pk}/opinions", body, content_type="application/json")
    assert r.status_code == 403
    assert client.get(f"/api/v1/deliberation/groups/{group.pk}").json()["opinions"][0]["text"] == "意见"

"""候选人与代表见面会 (DOMAIN §5, issue 16 item 5): planned from a post, statements and photos, the deputies'
phone page, attendance through the meeting's own check-in, every refusal answered and audited."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.services import issue_token
from apps.audit.models import AuditEvent
from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.meetings import services as meetings
from apps.meetings.models import Attendee, MeetingKind

from .. import meet, services
from .factories import Hall

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def hall(world):
    return Hall(world, total=12)


@pytest.fixture
def post(hall):
    p = hall.post(kind="vice_chair", seats=2, margin=1)
    services.nominate(actor=hall.world.town_user, post_id=p.pk, by="presidium", deputy_id=hall.deputies[1].pk)
    hall.nominate(p, "李华")
    return p


@pytest.fixture
def call(client):
    def do(user, method, path, body=None, **extra):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}", **extra}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return do


def _plan(hall, post, **kw):
    return meet.plan_candidates_meeting(
        actor=hall.world.town_user,
        post_id=post.pk,
        starts_at=hall.meeting.starts_at - timedelta(hours=2),
        place="镇政府三楼会议室",
        **kw,
    )


def test_office_plans_the_meeting_for_every_post_of_the_sitting(hall, post):
    other = hall.post(kind="head")
    m = _plan(hall, post)
    assert m.kind == MeetingKind.CANDIDATES and m.region_id == hall.meeting.region_id
    post.refresh_from_db()
    other.refresh_from_db()
    assert post.candidates_meeting_id == m.pk == other.candidates_meeting_id
    assert set(Attendee.objects.filter(meeting=m, voting=True).values_list("deputy_id", flat=True)) >= {
        d.pk for d in hall.deputies[1:]
    }
    assert AuditEvent.objects.filter(action="election.candidates_meeting_planned").exists()
    with pytest.raises(DomainError) as e:
        _plan(hall, post)
    assert e.value.status == 409


def test_meeting_after_the_election_sitting_is_refused(hall, post):
    with pytest.raises(DomainError) as e:
        meet.plan_candidates_meeting(
            actor=hall.world.town_user, post_id=post.pk, starts_at=hall.meeting.starts_at + timedelta(days=1)
        )
    assert "starts_at" in e.value.fields


def test_other_town_and_deputies_cannot_plan(hall, post):
    with pytest.raises(NotFound):
        _plan_as(hall, post, hall.world.town_b_user)
    with pytest.raises(PermissionDenied):
        _plan_as(hall, post, hall.user(2))
    attempted = [e.summary["attempted"] for e in AuditEvent.objects.filter(action="access.denied")]
    assert attempted == ["election.manage", "election.manage"]
    assert post.__class__.objects.get(pk=post.pk).candidates_meeting_id is None


def _plan_as(hall, post, user):
    return meet.plan_candidates_meeting(
        actor=user, post_id=post.pk, starts_at=timezone.now() - timedelta(hours=3)
    )


def test_candidate_writes_own_statement_but_not_anothers(hall, post):
    own, other = post.candidates.order_by("id")
    assert own.deputy_id == hall.deputies[1].pk
    c = meet.set_statement(actor=hall.user(1), candidate_id=own.pk, statement="  我将尽职尽责。 ")
    assert c.statement == "我将尽职尽责。" and c.statement_by == hall.user(1)
    assert AuditEvent.objects.filter(action="election.statement_set").count() == 1
    with pytest.raises(PermissionDenied):
        meet.set_statement(actor=hall.user(1), candidate_id=other.pk, statement="冒名")
    assert AuditEvent.objects.filter(action="access.denied", summary__attempted="election.statement").exists()
    with pytest.raises(PermissionDenied):
        meet.set_statement(actor=hall.user(2), candidate_id=own.pk, statement="冒名")
    with pytest.raises(NotFound):
        meet.set_statement(actor=hall.world.town_b_user, candidate_id=own.pk, statement="x")
    other.refresh_from_db()
    assert other.statement == ""


def test_statement_is_bounded_and_frozen_once_the_election_starts(hall, post):
    c = post.candidates.first()
    with pytest.raises(DomainError) as e:
        meet.set_statement(actor=hall.world.town_user, candidate_id=c.pk, statement="长" * 2001)
    assert "statement" in e.value.fields
    hall.nominate(post, "张强", by="joint", signers=hall.signers(0, 10))
    services.start(actor=hall.world.town_user, post_id=post.pk, paper=True)
    with pytest.raises(DomainError) as e:
        meet.set_statement(actor=hall.world.town_user, candidate_id=c.pk, statement="晚了")
    assert e.value.status == 409


def test_photo_must_be_an_image_and_replaces_the_old_one(hall, post):
    c = post.candidates.first()
    with pytest.raises(DomainError):
        meet.set_photo(
            actor=hall.world.town_user, candidate_id=c.pk, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
        )
    meet.set_photo(actor=hall.world.town_user, candidate_id=c.pk, upload=SimpleUploadedFile("a.png", PNG))
    second = meet.set_photo(
        actor=hall.world.town_user, candidate_id=c.pk, upload=SimpleUploadedFile("b.png", PNG)
    )
    assert meet.photo_of(c) == second
    rows = meet.candidates_with_statements(post)
    assert [r.photo_id for r in rows if r.pk == c.pk] == [second.pk]


def test_attendance_is_the_meetings_check_in(hall, post):
    m = _plan(hall, post)
    post.refresh_from_db()
    state = meet.attendance(post)
    assert not state.held and state.present == [] and state.expected >= 11
    meetings.open_checkin(actor=hall.world.town_user, meeting_id=m.pk)
    meetings.check_in(actor=hall.user(2), meeting_id=m.pk)
    state = meet.attendance(post)
    assert state.held and [a.deputy_id for a in state.present] == [hall.deputies[2].pk]


def test_the_api_path(hall, post, call, client):
    w = hall.world
    starts = (hall.meeting.starts_at - timedelta(hours=1)).isoformat()
    r = call(w.town_user, "post", f"/elections/posts/{post.pk}/candidates-meeting", {"starts_at": starts})
    assert r.status_code == 201, r.content
    assert r.json()["meeting"] and r.json()["held"] is False
    c = post.candidates.order_by("id").first()
    r = call(hall.user(1), "put", f"/elections/candidates/{c.pk}/statement", {"statement": "介绍"})
    assert r.status_code == 200 and r.json()["statement"] == "介绍"
    r = call(hall.user(2), "put", f"/elections/candidates/{c.pk}/statement", {"statement": "x"})
    assert r.status_code == 403 and r.json()["code"]
    r = call(w.town_b_user, "put", f"/elections/candidates/{c.pk}/statement", {"statement": "x"})
    assert r.status_code == 404
    r = call(w.town_user, "put", f"/elections/candidates/{c.pk}/statement", {"statement": "长" * 5000})
    assert r.status_code in (400, 422)
    up = call(
        w.town_user, "post", f"/elections/candidates/{c.pk}/photo", None, data={"file": io.BytesIO(PNG)}
    )
    assert up.status_code == 201, up.content
    photo_url = up.json()["photo_url"]
    planned = call(w.town_user, "get", f"/elections/posts/{post.pk}/candidates-meeting").json()
    meeting_id = planned["meeting"]["id"]
    call(w.town_user, "post", f"/meetings/{meeting_id}/checkin/open")
    assert call(hall.user(3), "post", f"/meetings/{meeting_id}/checkin").status_code in (200, 201)
    seen = call(hall.user(4), "get", f"/elections/posts/{post.pk}/candidates-meeting").json()
    assert seen["held"] is True and [p["name"] for p in seen["present"]] == [hall.deputies[3].name]
    assert [x["statement"] for x in seen["candidates"] if x["id"] == c.pk] == ["介绍"]
    assert (
        client.get(photo_url, HTTP_AUTHORIZATION=f"Bearer {issue_token(user=hall.user(4))}").status_code
        == 200
    )
    assert call(w.town_b_user, "get", f"/elections/candidates/{c.pk}/photo").status_code == 404
    assert call(w.town_b_user, "get", f"/elections/posts/{post.pk}/candidates-meeting").status_code == 404


def test_the_pages_plan_enter_read_and_show_attendance(client, hall, post):
    from django.urls import reverse

    w = hall.world
    client.force_login(w.town_user)
    starts = timezone.localtime(hall.meeting.starts_at - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(reverse("elections:meet_plan", args=[post.pk]), {"starts_at": starts, "place": "会议室"})
    assert r.status_code == 302
    post.refresh_from_db()
    m = post.candidates_meeting
    assert m is not None and m.place == "会议室"
    body = client.get(reverse("elections:post", args=[post.pk])).content.decode()
    assert "尚未举行" in body and m.title in body
    c = post.candidates.order_by("id").last()
    r = client.post(
        reverse("elections:statement", args=[c.pk]),
        {"statement": "从事农业技术推广二十年", "file": SimpleUploadedFile("p.png", PNG)},
    )
    assert r.status_code == 302
    meetings.open_checkin(actor=w.town_user, meeting_id=m.pk)
    meetings.check_in(actor=hall.user(5), meeting_id=m.pk)
    body = client.get(reverse("elections:post", args=[post.pk])).content.decode()
    assert "已举行" in body and hall.deputies[5].name in body

    client.force_login(hall.user(6))  # a deputy of the congress reads on the phone
    body = client.get(reverse("elections:meet", args=[post.pk])).content.decode()
    assert "从事农业技术推广二十年" in body and reverse("elections:candidate_photo", args=[c.pk]) in body
    assert reverse("elections:statement", args=[c.pk]) not in body
    assert client.get(reverse("elections:candidate_photo", args=[c.pk])).status_code == 200
    assert (
        reverse("elections:meet", args=[post.pk])
        in client.get(reverse("meetings:my", args=[m.pk])).content.decode()
    )
    assert client.get(reverse("elections:statement", args=[c.pk])).status_code == 403
    r = client.post(reverse("elections:statement", args=[c.pk]), {"statement": "冒名"})
    assert r.status_code == 403
    c.refresh_from_db()
    assert c.statement == "从事农业技术推广二十年"

    client.force_login(w.town_b_user)
    assert client.get(reverse("elections:meet", args=[post.pk])).status_code == 404
    assert client.get(reverse("elections:candidate_photo", args=[c.pk])).status_code == 404

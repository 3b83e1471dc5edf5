"""The pages: the office's meeting page and controls, the chair's and the hall screens, the deputy's phone
page with check-in, leave and the three vote buttons, the QR landing; another town sees none of it."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.meetings import services
from apps.meetings.models import Attendee, Meeting, MeetingKind, OpenBallot

from .factories import open_with_vote, plan, ready


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def office(world):
    return _as(world.town_user)


def test_office_plans_a_meeting_with_the_form(world, office):
    r = office.post(
        reverse("meetings:new"),
        {
            "kind": "plenary",
            "term": "18",
            "number": "6",
            "title": "第一次全体会议",
            "starts_at": "2026-01-10T09:00",
            "agenda": "政府工作报告\n财政预算报告",
            "non_voting": "镇长",
        },
    )
    assert r.status_code == 302, r.content.decode()[:500]
    m = Meeting.objects.get(title="第一次全体会议")
    assert m.session.number == 6 and m.agenda.count() == 2 and m.attendees.filter(voting=False).count() == 1
    r = office.post(
        reverse("meetings:new"), {"kind": "plenary", "title": "x", "starts_at": "2026-01-10T09:00"}
    )
    assert r.status_code == 400 and "届次" in r.content.decode()


def test_office_pages_render_and_controls_work(world, office):
    ready(world)
    meeting = plan(world, kind=MeetingKind.PRESIDIUM)
    for name in ("detail", "chair", "hall"):
        r = office.get(reverse(f"meetings:{name}", args=[meeting.pk]))
        assert r.status_code == 200, name
    assert office.get(reverse("meetings:list")).status_code == 200
    act = lambda a, **data: office.post(reverse("meetings:act", args=[meeting.pk, a]), data)  # noqa: E731
    assert act("checkin_open").status_code == 302
    assert office.get(reverse("meetings:checkin_qr", args=[meeting.pk]))["Content-Type"] == "image/svg+xml"
    a = meeting.attendees.get(deputy=world.deputy_a)
    act("staff_checkin", attendee=a.pk)
    act("open")
    item = meeting.agenda.first()
    act("vote_create", agenda_item=item.pk)
    vote = meeting.votes.get()
    act("vote_open", vote=vote.pk)
    r = office.get(reverse("meetings:hall", args=[meeting.pk]) + "?names=1")
    body = r.content.decode()
    assert f'data-live-meeting="{meeting.pk}"' in body and 'data-live="attendance.present"' in body
    assert "renda/live.js" in body
    act("vote_close", vote=vote.pk)
    act("close")
    meeting.refresh_from_db()
    assert meeting.state == "closed"
    assert office.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 200
    # An error shows as a message, not a 500.
    r = act("vote_open", vote=vote.pk)
    assert r.status_code == 302


def test_deputy_checks_in_and_votes_on_the_phone_page(world):
    meeting, vote = open_with_vote(world, [], kind=MeetingKind.PRESIDIUM)
    services.open_checkin(actor=world.town_user, meeting_id=meeting.pk)
    phone = _as(world.deputy_user)
    r = phone.get(reverse("meetings:my", args=[meeting.pk]))
    assert r.status_code == 200 and "请先签到再投票" in r.content.decode()
    phone.post(reverse("meetings:my_checkin", args=[meeting.pk]))
    r = phone.get(reverse("meetings:my", args=[meeting.pk]))
    assert "赞成" in r.content.decode() and 'data-live-view="phone"' in r.content.decode()
    phone.post(reverse("meetings:my_ballot", args=[meeting.pk, vote.pk]), {"choice": "against"})
    assert OpenBallot.objects.get(vote=vote).choice == "against"
    r = phone.get(reverse("meetings:my", args=[meeting.pk]))
    assert "您已投票" in r.content.decode()
    r = phone.post(reverse("meetings:my_ballot", args=[meeting.pk, vote.pk]), {"choice": "for"}, follow=True)
    assert "不能改票" in r.content.decode()
    # The office page sends a deputy to the phone page; the chair's screen is refused.
    assert phone.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 302
    assert phone.get(reverse("meetings:chair", args=[meeting.pk])).status_code == 403


def test_qr_landing_checks_the_deputy_in_with_method_qr(world):
    meeting = plan(world, kind=MeetingKind.PRESIDIUM)
    services.open_checkin(actor=world.town_user, meeting_id=meeting.pk)
    meeting.refresh_from_db()
    phone = _as(world.deputy_user)
    r = phone.get(reverse("meetings:checkin", args=[meeting.pk]) + "?t=bad", follow=True)
    assert "失效" in r.content.decode()
    phone.get(reverse("meetings:checkin", args=[meeting.pk]) + f"?t={meeting.checkin_token}")
    assert Attendee.objects.get(meeting=meeting, deputy=world.deputy_a).checkin_method == "qr"


def test_leave_request_from_the_phone(world):
    meeting = plan(world, kind=MeetingKind.PRESIDIUM)
    _as(world.deputy_user).post(reverse("meetings:my_leave", args=[meeting.pk]), {"reason": "外出务工"})
    assert Attendee.objects.get(meeting=meeting, deputy=world.deputy_a).leave == "requested"


def test_another_town_sees_no_page(world):
    meeting = plan(world, kind=MeetingKind.PRESIDIUM)
    other = _as(world.town_b_user)
    for name in ("detail", "hall", "my", "checkin_qr"):
        assert other.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404, name
    assert other.get(reverse("meetings:chair", args=[meeting.pk])).status_code in (403, 404)
    assert other.post(reverse("meetings:act", args=[meeting.pk, "open"])).status_code in (403, 404)
    assert other.get(reverse("meetings:minutes", args=[meeting.pk])).status_code in (403, 404)
    assert meeting.__class__.objects.get(pk=meeting.pk).state == "planned"
    assert "第一次全体会议" not in other.get(reverse("meetings:list")).content.decode()

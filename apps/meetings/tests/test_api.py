"""The meetings API through bearer tokens: the whole path of a vote, errors as {"code", "message",
"fields"}, and every endpoint refusing another town's office and a deputy not expected."""

import io

import pytest
from django.test import Client
from docx import Document

from apps.accounts.services import issue_token
from apps.meetings.models import MeetingKind, Vote

from .factories import add_deputies, attendee_of, plan, ready

API = "/api/v1"


def _client(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def _post(client, path, body=None):
    return client.post(API + path, body or {}, content_type="application/json")


@pytest.fixture
def session_path(world):
    """A plenary meeting of town A run to a closed vote over the API."""
    deputies = [*ready(world), *add_deputies(world, 1)]
    office = _client(world.town_user)
    r = _post(
        office,
        "/meetings",
        {
            "region": world.town_a.code,
            "kind": "plenary",
            "title": "第一次全体会议",
            "starts_at": "2026-01-10T09:00:00+08:00",
            "place": "镇政府三楼会议室",
            "new_session": {"term": 18, "number": 5},
            "non_voting": ["镇长"],
            "agenda": ["政府工作报告", "财政预算报告"],
        },
    )
    assert r.status_code == 201, r.content
    m = r.json()
    assert len([a for a in m["attendees"] if a["voting"]]) == 3
    mid = m["id"]
    assert _post(office, f"/meetings/{mid}/checkin/open").status_code == 200
    phones = [_client(d.user) for d in deputies]
    for c in phones[:2]:
        assert _post(c, f"/meetings/{mid}/checkin", {}).status_code == 200
    assert _post(phones[2], f"/meetings/{mid}/leave", {"reason": "外出"}).status_code == 200
    assert _post(office, f"/meetings/{mid}/open").status_code == 200
    item = m["agenda"][0]["id"]
    r = _post(office, f"/meetings/{mid}/votes", {"agenda_item": item, "secret": False})
    assert r.status_code == 201, r.content
    vid = r.json()["id"]
    assert _post(office, f"/votes/{vid}/open").status_code == 200
    r = _post(phones[0], f"/votes/{vid}/ballot", {"choice": "for"})
    assert r.status_code == 200 and r.json() == {"ok": True, "vote": vid, "receipt": ""}
    return {
        "meeting": mid,
        "vote": vid,
        "item": item,
        "office": office,
        "phones": phones,
        "deputies": deputies,
    }


def test_a_vote_over_the_api_from_planning_to_the_stored_result(world, session_path):
    s = session_path
    office, phones, vid = s["office"], s["phones"], s["vote"]
    r = _post(phones[0], f"/votes/{vid}/ballot", {"choice": "against"})
    assert r.status_code == 409 and r.json()["code"] == "already_voted"
    r = _post(phones[2], f"/votes/{vid}/ballot", {"choice": "for"})
    assert r.status_code == 400 and r.json()["code"] == "not_checked_in"
    r = _post(phones[1], f"/votes/{vid}/ballot", {"choice": "maybe"})
    assert r.status_code == 422
    live = office.get(f"{API}/meetings/{s['meeting']}/live", {"view": "chair"}).json()
    assert live["vote"]["for"] == 1 and live["not_voted"] == [s["deputies"][1].name]
    assert live["attendance"]["present"] == 2 and live["attendance"]["quorum"] == 2
    r = _post(office, f"/votes/{vid}/close")
    assert r.status_code == 200
    body = r.json()
    assert (body["total_deputies"], body["present"], body["votes_for"], body["adopted"]) == (3, 2, 1, False)
    assert _post(office, f"/votes/{vid}/close").status_code == 409
    r = _post(phones[1], f"/votes/{vid}/ballot", {"choice": "for"})
    assert r.status_code == 409 and r.json()["code"] == "vote_closed"
    assert phones[0].get(f"{API}/votes/{vid}").json()["votes_for"] == 1
    r = _post(office, f"/meetings/{s['meeting']}/votes", {"agenda_item": s["item"]})
    assert r.status_code == 201 and r.json()["round"] == 2


def test_word_exports_open_and_hold_the_figures(world, session_path):
    s = session_path
    office, vid = s["office"], s["vote"]
    _post(s["phones"][1], f"/votes/{vid}/ballot", {"choice": "for"})
    _post(office, f"/votes/{vid}/close")
    r = office.get(f"{API}/meetings/{s['meeting']}/minutes.docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "应到代表3人" in text and "赞成2票" in text and "外出" not in text  # leave not approved: absent
    assert "政府工作报告" in text and "镇政府三楼会议室" in text
    r = office.get(f"{API}/meetings/{s['meeting']}/resolutions.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "城关镇第十八届人民代表大会第五次会议" in text and "赞成2票" in text and "通过" in text
    assert s["phones"][0].get(f"{API}/meetings/{s['meeting']}/minutes.docx").status_code == 403


def test_documents_upload_for_the_office_and_download_for_expected_deputies(
    world, session_path, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    s = session_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("报告.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = s["office"].post(f"{API}/meetings/{s['meeting']}/documents", {"file": pdf, "agenda_item": s["item"]})
    assert r.status_code == 201, r.content
    doc = r.json()["id"]
    assert s["phones"][0].get(f"{API}/meetings/{s['meeting']}/documents/{doc}").status_code == 200
    bad = SimpleUploadedFile("x.txt", b"hello", content_type="text/plain")
    r = s["office"].post(f"{API}/meetings/{s['meeting']}/documents", {"file": bad})
    assert r.status_code == 400 and "file" in r.json()["fields"]
    r = s["phones"][0].post(f"{API}/meetings/{s['meeting']}/documents", {"file": pdf})
    assert r.status_code == 403
    other = _client(world.town_b_user)
    assert other.get(f"{API}/meetings/{s['meeting']}/documents/{doc}").status_code == 404


def test_every_endpoint_refuses_another_towns_office(world, session_path):
    s = session_path
    other = _client(world.town_b_user)
    mid, vid = s["meeting"], s["vote"]
    att = attendee_of_id(s)
    assert other.get(f"{API}/meetings/{mid}").status_code == 404
    assert other.get(f"{API}/meetings/{mid}/live").status_code == 404
    assert other.get(f"{API}/votes/{vid}").status_code == 404
    # Out of sight, so writes and office-only reads answer 404 exactly like a missing meeting (issue #13).
    assert other.get(f"{API}/meetings/{mid}/minutes.docx").status_code == 404
    assert other.get(f"{API}/meetings/{mid}/resolutions.docx").status_code == 404
    assert other.get(f"{API}/meetings").json()["count"] == 0
    for path, body in [
        (f"/meetings/{mid}/agenda", {"title": "x"}),
        (f"/meetings/{mid}/open", {}),
        (f"/meetings/{mid}/close", {}),
        (f"/meetings/{mid}/checkin/open", {}),
        (f"/meetings/{mid}/attendees/{att}/checkin", {}),
        (f"/meetings/{mid}/attendees/{att}/leave", {"approve": True, "reason": "x"}),
        (f"/meetings/{mid}/votes", {"agenda_item": s["item"]}),
        (f"/votes/{vid}/open", {}),
        (f"/votes/{vid}/close", {}),
    ]:
        assert _post(other, path, body).status_code == 404, path
    r = _post(
        other,
        "/meetings",
        {
            "region": world.town_a.code,
            "kind": "presidium",
            "title": "x",
            "starts_at": "2026-01-10T09:00:00+08:00",
        },
    )
    assert r.status_code == 404  # another town is out of sight
    assert Vote.objects.get(pk=vid).state == "open"


def attendee_of_id(s):
    from apps.meetings.models import Attendee

    return Attendee.objects.filter(meeting_id=s["meeting"], voting=True).first().pk


def test_a_deputy_not_expected_sees_and_does_nothing(world, session_path):
    s = session_path
    mid, vid = s["meeting"], s["vote"]
    stranger = _client(add_deputies(world, 1, town=world.town_b, prefix="外镇")[0].user)
    assert stranger.get(f"{API}/meetings/{mid}").status_code == 404
    assert stranger.get(f"{API}/meetings/{mid}/live").status_code == 404
    assert stranger.get(f"{API}/meetings").json()["count"] == 0
    assert _post(stranger, f"/meetings/{mid}/checkin", {}).status_code == 404
    assert _post(stranger, f"/meetings/{mid}/leave", {"reason": "x"}).status_code == 404
    assert _post(stranger, f"/votes/{vid}/ballot", {"choice": "for"}).status_code == 404
    # An expected deputy sees the meeting and the phone view, but not the chair's view nor office actions.
    phone = s["phones"][0]
    assert phone.get(f"{API}/meetings").json()["count"] == 1
    assert phone.get(f"{API}/meetings/{mid}/live", {"view": "phone"}).status_code == 200
    assert phone.get(f"{API}/meetings/{mid}/live", {"view": "chair"}).status_code == 403
    assert _post(phone, f"/votes/{vid}/close").status_code == 403
    assert _post(phone, f"/meetings/{mid}/votes", {"agenda_item": s["item"]}).status_code == 403


def test_county_office_sees_the_towns_meetings_and_unit_staff_none(world, session_path):
    assert _client(world.county_user).get(f"{API}/meetings").json()["count"] == 1
    assert _client(world.unit_user).get(f"{API}/meetings").json()["count"] == 0
    assert _client(world.keeper_user).get(f"{API}/meetings/{session_path['meeting']}").status_code == 404


def test_bad_input_gets_chinese_field_errors_not_500(world):
    office = _client(world.town_user)
    r = _post(
        office,
        "/meetings",
        {
            "region": world.town_a.code,
            "kind": "plenary",
            "title": "x",
            "starts_at": "2026-01-10T09:00:00+08:00",
        },
    )
    assert r.status_code == 400 and "session" in r.json()["fields"]
    r = _post(
        office,
        "/meetings",
        {"region": world.town_a.code, "kind": "nope", "title": "x", "starts_at": "2026-01-10T09:00:00+08:00"},
    )
    assert r.status_code == 400 and "kind" in r.json()["fields"]
    m = plan(world, kind=MeetingKind.PRESIDIUM)
    r = _post(office, f"/meetings/{m.pk}/votes", {"agenda_item": 999999})
    assert r.status_code == 400 and "agenda_item" in r.json()["fields"]
    a = attendee_of(m, world.deputy_a)
    r = _post(office, f"/meetings/{m.pk}/attendees/{a.pk}/leave", {"approve": True})
    assert r.status_code == 400 and "reason" in r.json()["fields"]


def test_the_ballot_path_is_lean(world, session_path, django_assert_max_num_queries):
    """The load benchmark's path: a handful of statements, none per deputy and no nested savepoint."""
    phone = session_path["phones"][1]
    phone.get(f"{API}/meetings")  # warm the token cache, as a phone that has opened the page
    # The vote with the seat, the ballot, the last audit event and the new one (PostgreSQL: one statement
    # for both); the transaction's own statements (here a savepoint and its release) make the rest.
    with django_assert_max_num_queries(7) as ctx:
        r = _post(phone, f"/votes/{session_path['vote']}/ballot", {"choice": "abstain"})
    assert r.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    # One transaction (inside the test's own, so a savepoint here), none nested in it.
    assert sum(q.startswith("SAVEPOINT") for q in sql) <= 1
    # The ballot and its audit event (on PostgreSQL appended by one call of `audit_append`).
    assert sum("INSERT" in q or "audit_append" in q for q in sql) == 2


def test_phone_check_in_needs_no_body(world):
    meeting = plan(world, kind=MeetingKind.PRESIDIUM)
    _post(_client(world.town_user), f"/meetings/{meeting.pk}/checkin/open")
    r = _client(world.deputy_user).post(f"{API}/meetings/{meeting.pk}/checkin")
    assert r.status_code == 200, r.content
    assert r.json()["checkin_method"] == "phone"

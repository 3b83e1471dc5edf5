"""报送 (issue 18 part 7): the office records that an evaluation's result, an activity's report or a
rectification notice was sent to the Party committee or a unit's superior, with the Word document generated
then; one service behind the three pages' form and the API; audited; scoped like the object."""

import io
import zipfile

import pytest

from apps.audit.models import AuditEvent
from apps.dispatch import services
from apps.dispatch.models import Dispatch
from apps.evaluations.tests.factories import evaluation
from apps.rectification import services as rectification
from apps.supervision.tests.factories import activity

pytestmark = pytest.mark.django_db
API = "/api/v1/supervision/dispatches"


def _is_docx(data: bytes) -> bool:
    return any(n.startswith("word/") for n in zipfile.ZipFile(io.BytesIO(data)).namelist())


def _item(world):
    return rectification.open_item(
        actor=world.town_user, region=world.town_a, unit=world.unit_a, title="护栏缺失", reviewers=[]
    )


def test_office_sends_an_evaluation_result_from_its_page(client, world):
    ev = evaluation(world)
    client.force_login(world.town_user)
    page = client.get(ev.get_absolute_url()).content.decode()
    assert 'id="dispatch"' in page and "尚未报送" in page
    r = client.post(
        f"/supervision/dispatch/evaluations/{ev.pk}/",
        {"recipient_kind": "party_committee", "recipient": "中共城关镇委员会", "sent_on": "2026-01-05"},
    )
    assert r.status_code == 302 and r.url == ev.get_absolute_url()
    d = Dispatch.objects.get()
    assert (d.recipient, d.sent_by, d.town_id, str(d.sent_on)) == (
        "中共城关镇委员会", world.town_user, world.town_a.pk, "2026-01-05",
    )  # fmt: skip
    assert "公告" in d.document_title
    page = client.get(ev.get_absolute_url()).content.decode()
    assert "中共城关镇委员会" in page and f"/supervision/dispatch/{d.pk}/document" in page
    doc = client.get(f"/supervision/dispatch/{d.pk}/document")
    assert doc.status_code == 200 and _is_docx(b"".join(doc.streaming_content))
    assert AuditEvent.objects.filter(action="dispatch.sent", object_id=str(ev.pk)).exists()


def test_activity_and_rectification_go_through_the_api(client, world):
    a = activity(world)
    item = _item(world)
    client.force_login(world.town_user)
    for kind, pk in (("activity", a.pk), ("rectification", item.pk)):
        body = {"kind": kind, "object_id": pk, "recipient_kind": "superior", "recipient": "县水利局"}
        r = client.post(API, body, content_type="application/json")
        assert r.status_code == 201, r.content
        assert r.json()["kind"] == kind and r.json()["sent_by"] == world.town_user.get_username()
        doc = client.get(r.json()["document_url"])
        assert doc.status_code == 200 and _is_docx(b"".join(doc.streaming_content))
    listed = client.get(API, {"kind": "activity", "object_id": a.pk}).json()
    assert listed["count"] == 1 and listed["items"][0]["recipient"] == "县水利局"
    assert client.get(API).json()["count"] == 2
    assert "县水利局" in client.get(a.get_absolute_url()).content.decode()


def test_bad_input_is_refused_naming_the_field(client, world):
    ev = evaluation(world)
    client.force_login(world.town_user)
    body = {"kind": "evaluation", "object_id": ev.pk, "recipient_kind": "party_committee", "recipient": " "}
    r = client.post(API, body, content_type="application/json")
    assert r.status_code == 400 and "recipient" in r.json()["fields"]
    r = client.post(
        API, {**body, "recipient": "镇党委", "sent_on": "2999-01-01"}, content_type="application/json"
    )
    assert r.status_code in (400, 422)
    assert client.post(API, {**body, "kind": "opinion"}, content_type="application/json").status_code == 422
    assert not Dispatch.objects.exists()


def test_another_town_gets_404_and_a_deputy_403(client, world):
    ev = evaluation(world)
    d = services.send(
        actor=world.town_user, kind="evaluation", object_id=ev.pk, recipient_kind="superior", recipient="县委"
    )
    body = {"kind": "evaluation", "object_id": ev.pk, "recipient_kind": "superior", "recipient": "县委"}
    client.force_login(world.town_b_user)
    assert client.post(API, body, content_type="application/json").status_code == 404
    assert client.post(f"/supervision/dispatch/evaluations/{ev.pk}/", body).status_code == 404
    assert client.get(f"{API}/{d.pk}/document").status_code == 404
    assert client.get(f"/supervision/dispatch/{d.pk}/document").status_code == 404
    assert client.get(API, {"kind": "evaluation", "object_id": ev.pk}).status_code == 404
    assert client.get(API).json()["count"] == 0
    client.force_login(world.deputy_user)  # a deputy of the evaluation sees it but may not send it
    ev.deputies.add(world.deputy_a)
    assert client.post(API, body, content_type="application/json").status_code == 403
    assert client.get(f"{API}/{d.pk}/document").status_code in (403, 404)
    assert "报送党委" not in client.get(ev.get_absolute_url()).content.decode()
    assert Dispatch.objects.count() == 1
    refused = AuditEvent.objects.filter(action="access.denied", summary__attempted="dispatch.send")
    assert refused.exists()


def test_the_county_office_sends_for_its_towns(client, world):
    item = _item(world)
    client.force_login(world.county_user)
    body = {
        "kind": "rectification",
        "object_id": item.pk,
        "recipient_kind": "superior",
        "recipient": "县住建局",
    }
    assert client.post(API, body, content_type="application/json").status_code == 201


def test_the_activity_report_is_an_official_paper_with_summary_and_findings(world):
    from apps.supervision import services as supervision
    from apps.supervision.word_report import activity_report_docx, activity_report_title
    from tests import official_papers

    a = activity(world)
    a = supervision.act(actor=world.town_user, item=a, key="start", data={})
    supervision.record_finding(
        actor=world.town_user, activity_id=a.pk, text_value="管网老化", unit_id=world.unit_a.pk
    )
    a = supervision.act(actor=world.town_user, item=a, key="finish", data={"summary": "走访三个村的水厂"})
    data = activity_report_docx(a)
    doc = official_papers.check(data, title=activity_report_title(a), issuer="城关镇人民代表大会主席团")
    text = "\n".join(official_papers.texts(doc))
    assert "走访三个村的水厂" in text and "管网老化" in text and world.unit_a.name in text
    assert world.deputy_a.name in text

"""An activity's materials (issue 18 part 7, its archive): the office or one of its deputies uploads them on
the page or through the API, they are listed and downloaded there, and anyone outside the activity's scope
sees nothing of them (404); an upload refused is audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEvent
from apps.supervision import services
from apps.supervision.tests.factories import activity

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _headers(user):
    from apps.accounts.services import issue_token

    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}


def test_the_office_and_a_deputy_of_the_activity_attach_through_the_api(world, client):
    a = activity(world)
    api = f"/api/v1/supervision/activities/{a.pk}/files"
    r = client.post(api, {"file": _png("notice.png")}, **_headers(world.town_user))
    assert r.status_code == 201 and r.json()["name"] == "notice.png"
    r = client.post(api, {"file": _png("site.png")}, **_headers(world.deputy_user))
    assert r.status_code == 201
    listed = client.get(api, **_headers(world.deputy_user)).json()
    assert [f["name"] for f in listed] == ["notice.png", "site.png"]
    got = client.get(f"{api}/{listed[0]['id']}", **_headers(world.town_user))
    assert got.status_code == 200
    for user in (world.town_b_user, world.unit_user):
        assert client.get(api, **_headers(user)).status_code == 404
        assert client.get(f"{api}/{listed[0]['id']}", **_headers(user)).status_code == 404
        assert client.post(api, {"file": _png()}, **_headers(user)).status_code == 404


def test_a_deputy_outside_the_activity_sees_nothing_and_is_audited(world, client):
    from apps.meetings.tests.factories import add_deputies

    a = activity(world)
    outsider = add_deputies(world, 1)[0]
    api = f"/api/v1/supervision/activities/{a.pk}/files"
    r = client.post(api, {"file": _png()}, **_headers(outsider.user))
    assert r.status_code == 404  # a deputy sees only the activities they lead or join
    assert AuditEvent.objects.filter(actor=outsider.user).exists()


def test_the_page_lists_uploads_and_serves_the_materials(world, client):
    a = activity(world)
    client.force_login(world.deputy_user)
    r = client.post(f"/supervision/activities/{a.pk}/files/", {"file": _png("minutes.png")})
    assert r.status_code == 302
    page = client.get(a.get_absolute_url()).content.decode()
    assert 'id="activity-files"' in page and "minutes.png" in page
    from apps.workflow.uploads import attachments_of

    att = attachments_of(a).get()
    assert client.get(f"/supervision/activities/{a.pk}/files/{att.pk}/").status_code == 200
    client.force_login(world.town_b_user)
    assert client.get(f"/supervision/activities/{a.pk}/files/{att.pk}/").status_code == 404


def test_a_cancelled_activity_takes_no_more_materials(world, client):
    from apps.common.errors import DomainError

    a = activity(world)
    a = services.act(actor=world.town_user, item=a, key="cancel", data={"reason": "天气原因"})
    assert a.state == "cancelled"
    with pytest.raises(DomainError):
        services.attach_file(actor=world.town_user, activity_id=a.pk, upload=_png())
    api = f"/api/v1/supervision/activities/{a.pk}/files"
    r = client.post(api, {"file": _png()}, **_headers(world.town_user))
    assert r.status_code in (400, 422) and "file" in r.json()["fields"]

import pytest

from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world, client):
    from apps.accounts.tests.factories import user_with

    admin = user_with("admin", "sysadmin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    return client


def test_admin_edit_appends_audit_event(world, admin_client):
    url = f"/admin/places/handlingunit/{world.unit_a.pk}/change/"
    resp = admin_client.post(
        url,
        {
            "name": "城关镇人民政府办公室",
            "level": "town",
            "region": world.town_a.pk,
            "contact_person": "",
            "contact_phone": "",
            "is_active": "on",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    ev = AuditEvent.objects.get(action="admin.places.handlingunit.changed")
    assert ev.summary["fields"] == ["name"] and ev.object_id == str(world.unit_a.pk)


def test_admin_delete_appends_audit_event(world, admin_client):
    url = f"/admin/people/household/{world.household_b.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(
        action="admin.people.household.deleted", object_id=str(world.household_b.pk)
    ).exists()

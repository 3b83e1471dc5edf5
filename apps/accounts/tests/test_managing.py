"""Accounts an office runs itself (issue 17, part 1), as each role: who manages which logins, out of scope is
404 exactly like a missing login, deputies' logins in bulk from the register, auto-disable with the mandate,
first sign-in sets a new password. Every change is audited."""

import pytest
from django.urls import reverse

from apps.accounts import managing
from apps.accounts.models import RoleGrant, User
from apps.accounts.tests.factories import user_with
from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied
from apps.people.models import MandateStatus
from apps.people.tests.factories import DeputyFactory, MandateFactory
from apps.places.tests.factories import HandlingUnitFactory

pytestmark = pytest.mark.django_db
BASE = "http://testserver/"


@pytest.fixture
def w(world):
    world.unit_b = HandlingUnitFactory(name="涧池镇人民政府", region=world.town_b)
    world.unit_b_user = user_with("unit_staff", "unitb", unit=world.unit_b)
    world.county_unit = HandlingUnitFactory(name="县住建局", region=world.county)
    world.county_unit_user = user_with("unit_staff", "zhujian", unit=world.county_unit)
    return world


def _ids(actor):
    return set(managing.managed_users(actor).values_list("username", flat=True))


def test_county_manages_town_offices_and_the_countys_unit_staff(w):
    assert _ids(w.county_user) == {"town", "townb", "unit", "unitb", "zhujian"}


def test_a_town_manages_its_own_units_keepers_and_deputies_only(w):
    assert _ids(w.town_user) == {"unit", "station", "deputy"}
    assert _ids(w.town_b_user) == {"unitb"}


@pytest.mark.parametrize("role", ["keeper_user", "deputy_user", "unit_user"])
def test_station_deputy_and_unit_manage_nobody(w, role, client):
    user = getattr(w, role)
    client.force_login(user)
    assert client.get("/api/v1/accounts/users").status_code == 403
    assert client.get(reverse("accounts:account_list")).status_code == 403
    with pytest.raises(PermissionDenied):
        managing.reset_password(actor=user, user_id=w.unit_user.pk, delivery="password", base_url=BASE)


def test_anonymous_is_asked_to_sign_in(client, w):
    assert client.get("/api/v1/accounts/users").status_code == 401
    assert client.get(reverse("accounts:account_list")).status_code == 302


def test_a_login_of_another_town_looks_missing_and_the_refusal_is_logged(w, client):
    client.force_login(w.town_user)
    foreign = client.get(f"/api/v1/accounts/users/{w.unit_b_user.pk}")
    missing = client.get("/api/v1/accounts/users/987654")
    assert foreign.status_code == missing.status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=w.town_user).exists()
    assert client.post(f"/accounts/users/{w.unit_b_user.pk}/", {"action": "disable"}).status_code == 404
    assert User.objects.get(pk=w.unit_b_user.pk).is_active


def test_someone_who_is_also_another_towns_office_is_not_this_towns(w):
    RoleGrant.objects.create(user=w.unit_user, role="town_office", region=w.town_b)
    assert "unit" not in _ids(w.town_user)
    with pytest.raises(NotFound):
        managing.get_managed(w.town_user, w.unit_user.pk)


def test_town_creates_a_unit_login_shows_the_password_once_and_audits_it(w, client):
    client.force_login(w.town_user)
    body = {
        "phone": "13900001111",
        "display_name": "王五",
        "role": "unit_staff",
        "target_id": w.unit_a.pk,
        "delivery": "password",
    }
    response = client.post("/api/v1/accounts/users", body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    user = User.objects.get(pk=data["user_id"])
    assert user.username == user.phone == "13900001111" and user.must_change_password
    assert user.check_password(data["password"]) and data["password"] not in user.password
    assert AuditEvent.objects.filter(action="accounts.user.created", object_id=str(user.pk)).exists()


def test_roles_are_assigned_within_the_offices_own_region_only(w, client):
    client.force_login(w.town_user)
    foreign = {"role": "unit_staff", "target_id": w.unit_b.pk}
    url = f"/api/v1/accounts/users/{w.unit_user.pk}/grants"
    assert client.post(url, foreign, content_type="application/json").status_code == 404
    town_office = {"role": "town_office", "target_id": w.town_a.pk}
    assert client.post(url, town_office, content_type="application/json").status_code == 403
    assert RoleGrant.objects.filter(user=w.unit_user).count() == 1
    own = {"role": "station_keeper", "target_id": w.station_a.pk}
    assert client.post(url, own, content_type="application/json").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.grant.created").exists()


def test_county_gives_a_town_office_login_but_not_a_deputy_role(w):
    issued = managing.create_login(
        actor=w.county_user,
        phone="13900002222",
        display_name="镇人大办",
        role="town_office",
        target_id=w.town_b.pk,
        delivery="password",
        base_url=BASE,
    )
    assert issued.user.grants.get().region == w.town_b
    with pytest.raises(managing.RoleOutOfReach):  # a deputy role is not the county office's to give
        managing.add_grant(
            actor=w.county_user, user_id=issued.user.pk, role="deputy", target_id=w.deputy_b.pk
        )


def test_reset_and_disable_are_audited_and_end_the_old_password(w, client):
    client.force_login(w.town_user)
    response = client.post(
        f"/api/v1/accounts/users/{w.unit_user.pk}/reset",
        {"delivery": "slip"},
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["password"] and data["link"].startswith("http://testserver/accounts/link/")
    user = User.objects.get(pk=w.unit_user.pk)
    assert not user.check_password("renda-test-pw") and user.must_change_password
    response = client.post(
        f"/api/v1/accounts/users/{w.unit_user.pk}/active",
        {"active": False, "reason": "离职"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accounts.password.reset", "accounts.user.disabled"} <= actions


def test_the_printed_slip_page_shows_a_qr_code(w, client):
    client.force_login(w.town_user)
    response = client.post(f"/accounts/users/{w.unit_user.pk}/", {"action": "reset", "delivery": "slip"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "登录条" in page


def test_bulk_deputy_logins_one_per_person_whatever_the_mandates(w, client):
    two = DeputyFactory(name="钱七", region=w.village_a, station=w.station_a, phone="13912345678")
    MandateFactory(deputy=two, congress_region=w.town_a)
    MandateFactory(deputy=two, congress_region=w.county, level="county")
    no_phone = DeputyFactory(name="孙八", region=w.village_a, station=w.station_a, phone="")
    MandateFactory(deputy=no_phone, congress_region=w.town_a)
    client.force_login(w.town_user)
    body = {"town_id": w.town_a.pk, "delivery": "password"}
    response = client.post("/api/v1/accounts/deputy-logins", body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    by_name = {i["display_name"]: i for i in data["issued"]}
    assert set(by_name) >= {"钱七", "孙八"}
    assert "张三" in {s["name"] for s in data["skipped"]}  # has a login already
    assert by_name["钱七"]["username"] == "13912345678"
    assert by_name["孙八"]["link"]  # no phone: a printed slip
    two.refresh_from_db()
    assert two.user.grants.get().deputy == two
    assert RoleGrant.objects.filter(role="deputy", deputy=two).count() == 1
    again = client.post("/api/v1/accounts/deputy-logins", body, content_type="application/json").json()
    assert not again["issued"]
    assert AuditEvent.objects.filter(action="accounts.deputy_logins.created").count() == 2


def test_bulk_logins_are_a_town_offices_in_its_own_town(w, client):
    client.force_login(w.town_user)
    body = {"town_id": w.town_b.pk, "delivery": "password"}
    assert (
        client.post("/api/v1/accounts/deputy-logins", body, content_type="application/json").status_code
        == 404
    )
    client.force_login(w.county_user)
    assert (
        client.post("/api/v1/accounts/deputy-logins", body, content_type="application/json").status_code
        == 403
    )


def test_bulk_logins_page_lists_and_creates(w, client):
    client.force_login(w.town_user)
    page = client.get(reverse("accounts:deputy_logins"))
    assert page.status_code == 200 and "赵六" in page.content.decode()
    response = client.post(
        reverse("accounts:deputy_logins"),
        {"town": w.town_a.pk, "deputy": [w.deputy_a2.pk], "delivery": "slip"},
    )
    assert response.status_code == 200 and "<svg" in response.content.decode()
    w.deputy_a2.refresh_from_db()
    assert w.deputy_a2.user is not None


@pytest.mark.parametrize("status", [MandateStatus.RECALLED, MandateStatus.TERMINATED, MandateStatus.RESIGNED])
def test_a_deputys_login_is_disabled_when_the_mandate_ends(w, status):
    mandate = w.deputy_a.mandates.get()
    mandate.status = status
    mandate.save()
    assert not User.objects.get(pk=w.deputy_user.pk).is_active
    event = AuditEvent.objects.get(action="accounts.user.disabled", object_id=str(w.deputy_user.pk))
    assert event.actor is None


def test_a_recalled_deputy_status_disables_the_login_too(w):
    w.deputy_a.status = MandateStatus.RECALLED
    w.deputy_a.save()
    assert not User.objects.get(pk=w.deputy_user.pk).is_active


def test_one_ended_mandate_of_two_keeps_the_login(w):
    MandateFactory(deputy=w.deputy_a, congress_region=w.county, level="county")
    mandate = w.deputy_a.mandates.get(level="town")
    mandate.status = MandateStatus.TERMINATED
    mandate.save()
    assert User.objects.get(pk=w.deputy_user.pk).is_active


def test_a_deputy_who_is_also_staff_keeps_the_login_but_loses_the_deputy_role(w):
    RoleGrant.objects.create(user=w.deputy_user, role="station_keeper", station=w.station_a)
    w.deputy_a.status = MandateStatus.RECALLED
    w.deputy_a.save()
    user = User.objects.get(pk=w.deputy_user.pk)
    assert user.is_active and not user.grants.filter(role="deputy").exists()


def test_first_sign_in_asks_for_a_new_password(w, client):
    issued = managing.reset_password(
        actor=w.town_user, user_id=w.unit_user.pk, delivery="password", base_url=BASE
    )
    response = client.post(reverse("accounts:login"), {"username": "unit", "password": issued.password})
    assert response.status_code == 302
    response = client.get(reverse("opinions:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:password"))
    assert client.get("/api/v1/notifications").json()["code"] == "password_change_required"
    weak = client.post(reverse("accounts:password"), {"new_password": "123"})
    assert weak.status_code == 400
    response = client.post(reverse("accounts:password"), {"new_password": "Yuehe-River-2026"})
    assert response.status_code == 302
    assert client.get(reverse("opinions:list")).status_code == 200  # still signed in
    user = User.objects.get(pk=w.unit_user.pk)
    assert not user.must_change_password and user.check_password("Yuehe-River-2026")


def test_a_token_serves_only_the_password_change_until_the_new_password_is_set(w, client):
    issued = managing.reset_password(
        actor=w.town_user, user_id=w.unit_user.pk, delivery="password", base_url=BASE
    )
    body = {"username": "unit", "password": issued.password}
    token = client.post("/api/v1/auth/token", body, content_type="application/json").json()["token"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.get("/api/v1/notifications", **bearer)
    assert response.status_code == 403 and response.json()["code"] == "password_change_required"
    new = {"new_password": "Yuehe-River-2026"}
    assert (
        client.post("/api/v1/accounts/password", new, content_type="application/json", **bearer).status_code
        == 204
    )
    assert client.get("/api/v1/notifications", **bearer).status_code == 200


def test_django_admin_stays_the_system_administrators(w, client):
    w.town_user.is_staff = True
    w.town_user.save()
    client.force_login(w.town_user)
    assert client.get("/admin/").status_code == 302

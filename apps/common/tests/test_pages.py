"""Every page answers for every role it is meant for, in Chinese, and shows only that role's region."""

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_county_home_lists_its_towns_with_counts(world, client):
    client.force_login(world.county_user)
    page = client.get(reverse("home")).content.decode()
    assert "城关镇" in page and "涧池镇" in page and "汉阴县各镇" in page


def test_town_home_shows_only_its_town(world, client):
    client.force_login(world.town_user)
    page = client.get(reverse("home")).content.decode()
    assert "城关镇" in page and "涧池镇" not in page


def test_deputy_home_links_own_profile_and_card(world, client):
    client.force_login(world.deputy_user)
    page = client.get(reverse("home")).content.decode()
    assert reverse("people:deputy_detail", args=[world.deputy_a.pk]) in page
    assert str(world.deputy_a.public_code) in page


@pytest.mark.parametrize("user_attr", ["county_user", "town_user", "keeper_user", "deputy_user", "unit_user"])
@pytest.mark.parametrize(
    "name", ["home", "people:deputy_list", "places:station_list", "places:unit_list", "people:quota"]
)
def test_pages_render_for_every_role(world, client, user_attr, name):
    client.force_login(getattr(world, user_attr))
    resp = client.get(reverse(name), follow=True)
    assert resp.status_code == 200


def test_village_page_shows_grids_and_households(world, client):
    client.force_login(world.town_user)
    page = client.get(reverse("places:region_detail", args=[world.village_a.code])).content.decode()
    assert "月河村总网格" in page and world.household_a.head_name in page
    assert "汉阴县" not in page.split("<h1>")[0].split('class="small muted"')[-1]  # no link above the town


def test_station_page_edits_checklist_with_audit(world, client):
    from apps.audit.models import AuditEvent

    client.force_login(world.town_user)
    resp = client.post(
        reverse("places:station_detail", args=[world.station_a.pk]),
        {
            "name": world.station_a.name,
            "address": "城关镇人民路8号",
            "keeper_name": "王站长",
            "keeper_phone": "13912345678",
            "opening_schedule": "每月第一个星期二",
            "checklist": ["room", "sign"],
            "reason": "验收",
        },
    )
    assert resp.status_code == 302
    world.station_a.refresh_from_db()
    assert world.station_a.checklist_done == 2 and world.station_a.address == "城关镇人民路8号"
    assert AuditEvent.objects.filter(action="places.station.updated", reason="验收").exists()


def test_unknown_region_code_is_a_clear_404(world, client):
    client.force_login(world.county_user)
    resp = client.get(reverse("places:region_detail", args=["999999"]))
    assert resp.status_code == 404 and "未找到" in resp.content.decode()


def test_admin_is_for_system_admins_only(world, client):
    world.town_user.is_staff = True
    world.town_user.save()
    client.force_login(world.town_user)
    assert client.get("/admin/").status_code == 302


def test_english_is_available_through_the_language_switch(world, client):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)
    page = resp.content.decode()
    assert "Log in" in page and "登录人大履职平台" not in page
    client.force_login(world.town_user)
    page = html.unescape(client.get(reverse("people:deputy_list")).content.decode())
    assert "<h1>People's Congress deputy" in page and "<h1>人大代表" not in page


@pytest.mark.django_db
def test_pages_open_in_chinese_even_for_an_english_browser(client):
    resp = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in resp.content.decode()


@pytest.mark.django_db
def test_the_api_still_answers_in_english_when_asked(client):
    resp = client.get("/api/v1/deputies", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 401 and "log in" in resp.json()["message"].lower()

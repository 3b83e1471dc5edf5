"""The installable web app (issue 17 part 8): the manifest, the service worker from the root scope with the
right headers, the offline page in Chinese without personal data, and the pages linking them."""

import json

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_and_its_png_icons(client):
    resp = client.get("/manifest.webmanifest")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/manifest+json"
    data = json.loads(resp.content)
    assert data["name"] == "人大代表履职" and data["display"] == "standalone" and data["start_url"] == "/"
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert {"/duty/new/", "/opinions/new/"} <= {s["url"] for s in data["shortcuts"]}


def test_the_service_worker_is_served_from_the_root_as_javascript(client):
    resp = client.get("/sw.js")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/javascript")
    assert resp["Service-Worker-Allowed"] == "/"
    assert "no-cache" in resp["Cache-Control"]
    body = resp.content.decode()
    assert '"/offline/"' in body and "/api/" in body  # the API is passed by, never cached
    assert client.post("/sw.js").status_code == 405


def test_the_offline_page_is_chinese_and_holds_no_user(client, world):
    client.force_login(world.deputy_user)
    page = client.get("/offline/").content.decode()
    assert "暂时没有网络" in page and "已保存在手机上，联网后自动发送" in page
    assert "deputy" not in page and "data-user" not in page and "<script>" not in page


def test_pages_link_the_manifest_and_the_entry_forms_carry_a_draft_key(client, world):
    client.force_login(world.deputy_user)
    page = client.get("/duty/new/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page and "renda/drafts.js" in page
    assert 'data-draft="duty"' in page and 'name="idempotency_key"' in page
    assert f'data-user="{world.deputy_user.pk}"' in page
    assert 'data-draft="opinion"' in client.get("/opinions/new/").content.decode()

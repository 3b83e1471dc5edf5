"""The public site shows only what is published (issue 17, item 3): every public page and endpoint, found from
the URL resolver and the OpenAPI document, is crawled anonymously over a world holding unpublished replies,
drafts, a recalled deputy, an open rating and personal data; none of it may appear in any answer."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from apps.public import search
from tests import routes as R

from .world import SECRETS, build

pytestmark = pytest.mark.django_db
PHONE = re.compile(r"(?<![0-9a-fA-F])1[3-9]\d{9}(?![0-9a-fA-F])")
# The public site's own routes; the older public doors (cards, tracking, replies) have their own tests.
OURS = ("", "p/", "api/v1/public/regions", "api/v1/public/stations", "api/v1/public/search")


@pytest.fixture
def site(world):
    build(world)
    search.rebuild()
    return world


def _our_routes():
    return [
        r
        for r in R.all_routes(2026)
        if "GET" in r.methods and (r.template == "" or r.template.startswith(OURS[1:]))
    ]


def _values(world, region):
    return {
        "region": region.code,
        "pk": world.station_a.pk,
        "station_id": world.station_a.pk,
        "code": world.deputy_a.public_code,
    }


def _urls(world) -> list[str]:
    urls = []
    for route in _our_routes():
        for region in (world.county, world.town_a):
            values = _values(world, region)
            if route.template.startswith("p/suggestions/"):
                values["pk"] = world.published.pk
            if route.template.startswith("p/projects/photos/"):
                continue  # a project's photo by id: apps/projects/tests/test_api_pages.py
            path = route.fill(values)
            urls.append(path)
            if (not route.api and "{" not in route.template) or "regions/{region}" in route.template:
                urls += [f"{path}?format=csv", f"{path}?format=json"]
    for word in ("建议", "张三", "联络站", "不公开", "草稿", "罢免", "述职", "月河村"):
        urls += [f"/p/search/?q={word}", f"/api/v1/public/search?q={word}"]
    # The search page repeats its query; the endpoint does not, so the secrets themselves are asked there.
    urls += [f"/api/v1/public/search?q={SECRETS[key]}" for key in SECRETS]
    return sorted(set(urls))


def _leaks(body: str) -> list[str]:
    found = [name for name, secret in SECRETS.items() if secret in body]
    return found + [f"phone {m}" for m in PHONE.findall(body)]


def test_every_public_page_and_endpoint_shows_nothing_unpublished_or_personal(site):
    client = Client(raise_request_exception=False)
    urls = _urls(site)
    assert len(urls) > 40
    failures = []
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != 200:
            failures.append(f"{url}: {response.status_code}")
            continue
        text = body.decode("utf-8", errors="replace")
        if _leaks(text):
            failures.append(f"{url}: {_leaks(text)}")
    assert not failures, "\n".join(failures)


def test_the_pages_show_what_is_published(site, client):
    town = client.get(f"/p/regions/{site.town_a.code}/").content.decode()
    assert "城关镇代表联络站" in town and "城关镇人民路1号" in town
    station = client.get(f"/p/stations/{site.station_a.pk}/").content.decode()
    assert "赵六" in station and "接待选民日" in station  # on duty next
    replies = client.get(f"/p/regions/{site.town_a.code}/suggestions/").content.decode()
    assert "关于硬化月河村通组路的建议" in replies and "基本满意 1" in replies
    results = client.get(f"/p/regions/{site.town_a.code}/report-back/").content.decode()
    assert "2026年城关镇代表述职会" in results and "100.0%" in results


def test_searching_for_a_secret_finds_nothing(site, client):
    for secret in SECRETS.values():
        assert client.get("/api/v1/public/search", {"q": secret}).json() == [], secret
    found = client.get("/api/v1/public/search", {"q": "通组路"}).json()
    assert [r["title"] for r in found] == ["关于硬化月河村通组路的建议"]
    page = client.get("/p/search/", {"q": "张三"}).content.decode()
    assert "张三" in page and "找到 3 条" in page  # the card, the reply he led, his report-back result


def test_an_unpublished_or_draft_suggestion_is_missing(site, client):
    for item in (site.hidden, site.draft):
        assert client.get(f"/p/suggestions/{item.pk}/").status_code == 404
    assert client.get(f"/p/suggestions/{site.published.pk}/").status_code == 200


def test_a_region_that_is_a_village_or_unknown_is_missing(site, client):
    for code in (site.village_a.code, "000000"):
        assert client.get(f"/p/regions/{code}/").status_code == 404
        response = client.get(f"/api/v1/public/regions/{code}/deputies")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_anonymous_root_is_the_public_site_and_signed_in_users_keep_their_home(site, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "人大代表公开信息" in response.content.decode() and "城关镇" in response.content.decode()
    client.force_login(site.town_user)
    assert "人大代表公开信息" not in client.get("/").content.decode()


def test_the_open_data_downloads_are_csv_and_json_with_the_pages_columns(site, client):
    url = f"/p/regions/{site.town_a.code}/suggestions/"
    csv_answer = client.get(url + "?format=csv")
    assert csv_answer["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_answer["Content-Disposition"]
    text = csv_answer.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("编号,立案号,标题")
    assert "关于硬化月河村通组路的建议" in text
    items = json.loads(client.get(url + "?format=json").content)["items"]
    assert [i["title"] for i in items] == ["关于硬化月河村通组路的建议"]
    assert items[0]["basic"] == 1
    assert client.get(url + "?format=xml").status_code == 400


def test_a_csv_cell_that_looks_like_a_formula_stays_text(site, client):
    site.published.title = '=HYPERLINK("http://evil.example","点我")'
    site.published.save()
    text = client.get(f"/p/regions/{site.town_a.code}/suggestions/?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    from apps.public.opendata import csv_cell

    assert csv_cell("+1") == "'+1" and csv_cell("-x") == "'-x" and csv_cell("@a") == "'@a"
    assert csv_cell("a\x01b") == "a\\x01b" and csv_cell(3) == "3"


def test_a_station_qr_code_opens_the_station_page(site, client):
    response = client.get(f"/p/stations/{site.station_a.pk}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert client.get("/p/stations/987654/qr.svg").status_code == 404


def test_a_deputy_without_a_photo_gets_the_placeholder_and_a_recalled_one_nothing(site, client):
    response = client.get(f"/p/d/{site.deputy_a.public_code}/photo")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert client.get(f"/p/d/{site.recalled.public_code}/photo").status_code == 404

"""The projects' endpoints and pages: the same services behind both, scoped, structured errors, no 500."""

import json

from django.utils import timezone

from apps.projects import services
from apps.projects.models import Proposal

YEAR = timezone.localdate().year + 1


def _post(client, user, path, body):
    client.force_login(user)
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_deputy_proposes_through_the_api_and_the_office_screens_it(client, world):
    services.create_list(actor=world.town_user, town_id=world.town_a.pk, year=YEAR, places=1)
    r = _post(
        client,
        world.deputy_user,
        "/api/v1/projects/proposals",
        {"town": world.town_a.pk, "title": "村道硬化", "year": YEAR},
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = _post(client, world.town_user, f"/api/v1/projects/proposals/{pk}/actions/list", {"budget": "12.5"})
    assert r.status_code == 200, r.content
    r = client.get(f"/api/v1/projects/lists?year={YEAR}")
    assert r.json()["items"][0]["places"] == 1


def test_another_towns_office_gets_404_like_a_missing_id(client, world):
    item = services.propose(
        actor=world.deputy_user, town_id=world.town_a.pk, data={"title": "村道", "year": YEAR}
    )
    client.force_login(world.town_b_user)
    assert client.get(f"/api/v1/projects/proposals/{item.pk}").status_code == 404
    assert client.get(f"/projects/proposals/{item.pk}/").status_code == 404


def test_bad_input_is_a_structured_error_never_a_500(client, world):
    r = _post(
        client,
        world.town_user,
        "/api/v1/projects/lists",
        {"town": world.town_a.pk, "year": 99999999999999999999, "places": 1},
    )
    assert r.status_code in (400, 422) and "code" in r.json()
    r = _post(
        client,
        world.town_user,
        "/api/v1/projects/lists",
        {"town": world.town_a.pk, "year": YEAR, "places": None},
    )
    assert r.status_code in (400, 422)


def test_the_public_form_gives_a_tracking_code_and_the_tracking_page_the_reason(client, world):
    r = client.post(
        "/p/projects/propose/",
        {"town": world.town_a.code, "title": "月河村便民桥", "proposer_phone": "13800000000"},
    )
    assert r.status_code == 200
    item = Proposal.objects.get()
    assert item.tracking_code in r.content.decode()
    r = client.get(f"/api/v1/public/projects/proposals/{item.tracking_code}")
    assert r.status_code == 200 and r.json()["state_label"] == "待筛选"
    assert "13800000000" not in r.content.decode()
    assert client.get("/p/projects/track/", {"code": item.tracking_code}).status_code == 200


def test_the_pages_render_for_the_office(client, world):
    cl = services.create_list(actor=world.town_user, town_id=world.town_a.pk, year=YEAR, places=1)
    client.force_login(world.town_user)
    for path in (
        "/projects/",
        "/projects/proposals/",
        f"/projects/lists/{cl.pk}/",
        "/projects/figures/",
        f"/p/projects/?town={world.town_a.code}",
    ):
        assert client.get(path).status_code == 200, path


def test_the_public_photo_door_serves_project_photos_only(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.workflow.uploads import attach

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    other = attach(
        actor=world.town_user,
        item=world.station_a,
        public=True,
        upload=SimpleUploadedFile("x.png", png, content_type="image/png"),
    )
    assert client.get(f"/p/projects/photos/{other.pk}/").status_code == 404


def test_the_opinion_page_turns_an_opinion_into_a_proposal_for_offices_only(world, client):
    from apps.opinions.tests.factories import opinion as make_opinion

    opinion = make_opinion(world)
    page = f"/opinions/{opinion.pk}/"
    client.force_login(world.unit_user)
    assert "转为项目建议" not in client.get(page).content.decode()
    client.force_login(world.town_user)
    assert "转为项目建议" in client.get(page).content.decode()
    answer = client.post(f"/projects/proposals/from-opinion/{opinion.pk}/", {"year": "2031"})
    proposal = Proposal.objects.get(opinion=opinion)
    assert answer.status_code == 302 and answer["Location"] == f"/projects/proposals/{proposal.pk}/"
    assert proposal.year == 2031 and proposal.source == "opinion"
    assert proposal.tracking_code in client.get(page).content.decode()
    again = client.post(f"/projects/proposals/from-opinion/{opinion.pk}/", {"year": "2031"})
    assert again.status_code == 302 and again["Location"] == page  # refused: back with the reason

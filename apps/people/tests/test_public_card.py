"""The public deputy card behind the 代表码 (DOMAIN §8), on the demo county: every serving deputy's card
answers through the API and the page, with the activity counts of the duty records; an ended or recalled
mandate is gone (issue 14, item 4: the API answered 500 for every deputy who had a duty record)."""

import datetime
import uuid

import pytest
from django.db.models import Count

from apps.demo.opinions import seed_demo_opinions
from apps.demo.tests.test_demo_opinions import TODAY, small_county
from apps.duty.models import ActivityKind, DutyRecord, ReviewState
from apps.people.models import Deputy, DeputyLevel, Mandate, MandateStatus
from apps.people.selectors import public_deputies

pytestmark = pytest.mark.django_db

CARD_KEYS = {
    "name",
    "gender",
    "levels",
    "town",
    "station",
    "station_schedule",
    "groups",
    "occupation",
    "activity",
}


@pytest.fixture
def demo():
    builder = small_county("cards")
    seed_demo_opinions(builder, today=TODAY, per_town=20)
    return builder


def _expected_activity(deputy) -> dict[str, int]:
    labels = dict(ActivityKind.choices)
    rows = (
        DutyRecord.objects.filter(deputy=deputy, review_state=ReviewState.APPROVED)
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {str(labels[r["kind"]]): r["n"] for r in rows}


def test_every_demo_deputy_has_a_card_in_the_api_and_on_the_page(demo, client):
    serving = list(public_deputies().order_by("pk"))
    assert len(serving) == Deputy.objects.count() > 50
    with_activity = 0
    for deputy in serving:
        r = client.get(f"/api/v1/public/deputies/{deputy.public_code}")
        assert r.status_code == 200, (deputy.pk, r.content[:200])
        card = r.json()
        assert set(card) == CARD_KEYS
        assert card["name"] == deputy.name
        assert card["levels"] and all(isinstance(x, str) for x in card["levels"])
        assert all(isinstance(g, str) for g in card["groups"])
        assert card["activity"] == _expected_activity(deputy)
        assert all(isinstance(n, int) and n > 0 for n in card["activity"].values())
        with_activity += bool(card["activity"])
        # nothing private on the public card
        assert deputy.phone not in r.content.decode()

        page = client.get(f"/d/{deputy.public_code}/")
        assert page.status_code == 200, deputy.pk
        html = page.content.decode()
        assert deputy.name in html
        for label, n in card["activity"].items():
            assert f"{label}：{n}" in html
    # the demo's receptions and visits are on the cards: the case that answered 500
    assert with_activity > 10


def test_every_public_door_by_code_opens_for_every_demo_deputy(demo, client):
    from tests.test_public_doors import PUBLIC_BY_CODE

    for deputy in public_deputies().order_by("pk"):
        for path in PUBLIC_BY_CODE:
            r = client.get(path.format(code=deputy.public_code))
            assert r.status_code == 200, (path, deputy.pk, r.content[:200])


def test_the_card_labels_follow_the_language(demo, client):
    deputy = DutyRecord.objects.filter(review_state=ReviewState.APPROVED).first().deputy
    url = f"/api/v1/public/deputies/{deputy.public_code}"
    zh = client.get(url).json()["activity"]
    assert zh and all(any("\u4e00" <= ch <= "\u9fff" for ch in key) for key in zh)
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["activity"]
    assert sorted(en.values()) == sorted(zh.values())
    assert set(en) & {"Received constituents", "Visited constituents"}


@pytest.mark.parametrize("status", [MandateStatus.RECALLED, MandateStatus.RESIGNED, MandateStatus.TERMINATED])
def test_a_deputy_whose_mandates_are_over_has_no_card(demo, client, status):
    deputy = DutyRecord.objects.filter(review_state=ReviewState.APPROVED).first().deputy
    assert client.get(f"/api/v1/public/deputies/{deputy.public_code}").status_code == 200
    deputy.mandates.update(status=status)
    for path in (f"/api/v1/public/deputies/{deputy.public_code}", f"/d/{deputy.public_code}/"):
        r = client.get(path)
        assert r.status_code == 404
        assert client.get(path.replace(str(deputy.public_code), str(uuid.uuid4()))).status_code == 404


def test_a_deputy_whose_term_has_ended_has_no_card(demo, client):
    deputy = public_deputies().first()
    deputy.mandates.update(term_start=datetime.date(2016, 10, 1), term_end=datetime.date(2021, 9, 30))
    assert client.get(f"/api/v1/public/deputies/{deputy.public_code}").status_code == 404
    assert client.get(f"/d/{deputy.public_code}/").status_code == 404


def test_a_recalled_mandate_is_not_listed_beside_a_serving_one(demo, client):
    """A deputy still serving at county level whose town mandate was recalled: the card stays, showing the
    county mandate only."""
    deputy = (
        Deputy.objects.annotate(n=Count("mandates", distinct=True))
        .filter(n=1, mandates__level=DeputyLevel.COUNTY)
        .first()
    )
    county = deputy.mandates.get()
    town = Mandate.objects.create(
        deputy=deputy,
        level=DeputyLevel.TOWN,
        term=county.term,
        term_start=county.term_start,
        term_end=county.term_end,
        district=county.district,
        congress_region_id=deputy.town_id,
        status=MandateStatus.IN_OFFICE,
    )
    url = f"/api/v1/public/deputies/{deputy.public_code}"
    both = client.get(url).json()["levels"]
    assert len(both) == 2
    town.status = MandateStatus.RECALLED
    town.save()
    assert client.get(url).json()["levels"] == [county.get_level_display()]
    page = client.get(f"/d/{deputy.public_code}/").content.decode()
    assert f'<span class="badge ok">{county.get_level_display()}</span>' in page
    assert f'<span class="badge ok">{town.get_level_display()}</span>' not in page

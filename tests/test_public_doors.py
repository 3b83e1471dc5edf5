"""No side doors: a deputy whose mandate was recalled or has ended is gone from every public URL that takes a
代表码, answered exactly like a code that does not exist (DOMAIN §2: the card shows serving deputies)."""

from __future__ import annotations

import datetime
import uuid

import pytest

from apps.people.models import MandateStatus
from apps.people.selectors import public_card, public_deputies

# Every public GET that takes a deputy's code; `{code}` is filled with it.
PUBLIC_BY_CODE = [
    "/d/{code}/",
    "/d/{code}/qr.svg",
    "/p/d/{code}/photo",
    "/o/new/?deputy={code}",
    "/api/v1/public/deputies/{code}",
    "/api/v1/public/duty/deputies/{code}/counts",
    "/api/v1/public/archive/deputies/{code}/commitments",
]


def _answers(client, code):
    return {path: client.get(path.format(code=code)).status_code for path in PUBLIC_BY_CODE}


def test_the_public_urls_by_code_are_all_listed_here():
    """A new public route that takes a deputy's code must be added above (and so checked below)."""
    from tests import routes as R

    by_code = {
        r.template
        for r in R.all_routes(2026)
        if any(p.kind == "public_code" or (p.name == "code" and "deputies" in r.template) for p in r.params)
    }
    listed = {p.split("?")[0].lstrip("/") for p in PUBLIC_BY_CODE}
    assert {t.replace("{public_code}", "{code}") for t in by_code} <= listed


@pytest.mark.parametrize("status", [MandateStatus.RECALLED, MandateStatus.TERMINATED, MandateStatus.RESIGNED])
def test_a_recalled_or_resigned_deputy_is_gone_from_every_public_url(world, client, status):
    code = world.deputy_a.public_code
    assert set(_answers(client, code).values()) == {200}
    world.deputy_a.status = status
    world.deputy_a.save()
    world.deputy_a.mandates.update(status=status)
    assert _answers(client, code) == _answers(client, uuid.uuid4())
    assert set(_answers(client, code).values()) == {404}


def test_a_deputy_whose_every_mandate_has_ended_is_gone_too(world, client):
    code = world.deputy_a.public_code
    world.deputy_a.mandates.update(term_start=datetime.date(2016, 10, 1), term_end=datetime.date(2021, 9, 30))
    assert public_card(code) is None
    assert set(_answers(client, code).values()) == {404}


def test_a_recalled_mandate_hides_the_card_even_if_the_deputy_row_was_not_updated(world):
    world.deputy_a.mandates.update(status=MandateStatus.RECALLED)
    assert public_card(world.deputy_a.public_code) is None
    assert world.deputy_a not in public_deputies()
    assert world.deputy_a2 in public_deputies()


def test_a_malformed_code_is_a_missing_one(world):
    assert public_card("not-a-code") is None
    assert public_card(str(world.deputy_a.public_code)) == world.deputy_a


def test_the_public_opinion_api_refuses_a_recalled_deputys_code(world, client):
    world.deputy_a.status = MandateStatus.RECALLED
    world.deputy_a.save()
    world.deputy_a.mandates.update(status=MandateStatus.RECALLED)
    body = {
        "deputy_code": str(world.deputy_a.public_code),
        "title": "路灯坏了",
        "content": "月河村三组路灯坏了一个月",
        "submitter_phone": "13900000009",
    }
    response = client.post("/api/v1/public/opinions", body)
    missing = client.post("/api/v1/public/opinions", {**body, "deputy_code": str(uuid.uuid4())})
    assert response.status_code == missing.status_code != 201

"""The public survey, where the office opened it: one answer per phone number proved by an SMS code (a
keyed hash of the number kept, never the number); a survey not opened to the public is missing."""

import pytest
from django.test import Client

from apps.accounts.signin import CodeInvalid
from apps.evaluations import selectors, services
from apps.evaluations.models import Survey, SurveyParticipation

from .factories import evaluation, open_survey

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def _public(world):
    item = evaluation(world)
    s = open_survey(world, item)
    Survey.objects.filter(pk=s.pk).update(public=True)
    return item, Survey.objects.get(pk=s.pk)


def test_one_answer_per_phone_proved_by_code(world):
    item, s = _public(world)
    rows = {r.unit_id: "satisfied" for r in selectors.rows(item)}
    code = services.request_public_code(token=s.token, phone=PHONE)
    with pytest.raises(CodeInvalid):
        services.respond_public(
            token=s.token, phone=PHONE, code="000000" if code != "000000" else "111111", choices=rows
        )
    services.respond_public(token=s.token, phone=PHONE, code=code, choices=rows)
    code = services.request_public_code(token=s.token, phone=PHONE)
    with pytest.raises(services.AlreadyResponded):
        services.respond_public(token=s.token, phone=PHONE, code=code, choices=rows)
    (p,) = SurveyParticipation.objects.all()
    assert PHONE not in p.voter_key


def test_the_public_api_and_page(world):
    _item, s = _public(world)
    c = Client()
    r = c.get(f"/api/v1/public/supervision/evaluations/rate/{s.token}")
    assert r.status_code == 200 and r.json()["open"] is True
    assert (
        c.post(
            f"/api/v1/public/supervision/evaluations/rate/{s.token}/code",
            {"phone": PHONE},
            content_type="application/json",
        ).status_code
        == 204
    )
    assert c.get(f"/supervision/evaluations/rate/{s.token}/").status_code == 200


def test_a_survey_not_opened_to_the_public_is_missing(world):
    item = evaluation(world)
    s = open_survey(world, item)
    c = Client()
    assert c.get(f"/api/v1/public/supervision/evaluations/rate/{s.token}").status_code == 404
    assert c.get(f"/supervision/evaluations/rate/{s.token}/").status_code == 404

"""The pages: the office runs the steps and opens the survey; a deputy rates on the phone page once."""

import pytest
from django.test import Client

from apps.evaluations import selectors
from apps.evaluations.models import SurveyParticipation

from .factories import evaluation, open_survey

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_office_takes_a_step_from_the_page(world):
    item = evaluation(world)
    c = _client(world.town_user)
    page = c.get("/supervision/evaluations/")
    assert page.status_code == 200 and item.title in page.content.decode()
    r = c.get(item.get_absolute_url())
    assert r.status_code == 200 and "预先通知" in r.content.decode()
    r = c.post(
        f"/supervision/evaluations/{item.pk}/do/give_notice/", {"date": "2026-03-02", "reason": "已发函"}
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.state == "notice" and item.step_dates["notice"] == "2026-03-02"
    r = c.post(f"/supervision/evaluations/{item.pk}/do/publish/", {"date": "2026-03-02"})
    assert r.status_code == 409
    assert c.get(f"/supervision/evaluations/{item.pk}/opinions.docx").status_code == 200


def test_office_creates_an_evaluation_from_the_page(world):
    c = _client(world.town_user)
    assert c.get("/supervision/evaluations/new/").status_code == 200
    r = c.post(
        "/supervision/evaluations/new/",
        {"region": world.town_a.pk, "year": 2026, "title": "评议镇卫生院", "units": [world.unit_a.pk]},
    )
    assert r.status_code == 302


def test_deputy_rates_once_on_the_phone_page_and_no_name_is_shown(world):
    item = evaluation(world)
    s = open_survey(world, item)
    rows = selectors.rows(item)
    c = _client(world.deputy_user)
    assert c.get("/supervision/evaluations/").status_code == 200
    r = c.get(f"/supervision/evaluations/surveys/{s.pk}/rate/")
    assert r.status_code == 200 and "rate-form" in r.content.decode()
    data = {f"unit_{x.unit_id}": "satisfied" for x in rows} | {f"comment_{rows[0].unit_id}": "办事效率高"}
    r = c.post(f"/supervision/evaluations/surveys/{s.pk}/rate/", data)
    assert "rate-done" in r.content.decode()
    assert SurveyParticipation.objects.count() == 1
    r = c.post(f"/supervision/evaluations/surveys/{s.pk}/rate/", data)
    assert SurveyParticipation.objects.count() == 1
    office = _client(world.town_user).get(item.get_absolute_url()).content.decode()
    assert "办事效率高" in office and world.deputy_a.name not in office


def test_another_town_gets_404(world):
    item = evaluation(world)
    c = _client(world.town_b_user)
    assert c.get(item.get_absolute_url()).status_code == 404
    assert (
        c.post(f"/supervision/evaluations/{item.pk}/do/give_notice/", {"date": "2026-03-02"}).status_code
        == 404
    )

"""The opinion pages read their query and form parameters through the one parser (common.params): a page,
id, year or choice that is malformed or out of bounds is the Chinese 400 page naming the field, never a
500 and never silently the first page or every year."""

from datetime import date

import pytest
from django.urls import reverse

from apps.opinions.models import ReceptionDay

from .factories import opinion

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def _get(client, user, name, *args, **params):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=args), params)


def _refused(resp, *words):
    body = resp.content.decode()
    assert resp.status_code == 400, (resp.status_code, body[:300])
    for word in words:
        assert word in body, word
    return body


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"page": "abc"}, ["页码应为1到100000之间的整数"]),
        ({"page": HUGE}, ["页码"]),
        ({"page": "0"}, ["页码"]),
        ({"unit": "\x00"}, ["承办单位应为"]),
        ({"station": HUGE}, ["联络站应为"]),
        ({"year": "二〇二六"}, ["年度应为2000到2100之间的整数"]),
        ({"year": "1999"}, ["年度"]),
        ({"state": "nonsense"}, ["状态不在可选范围内"]),
        ({"source": "\x00"}, ["来源不在可选范围内"]),
        ({"topic": "x"}, ["类别不在可选范围内"]),
        ({"q": "路灯\x00"}, ["关键词最多100个字，且不能含有控制字符"]),
        ({"region": "\x00"}, ["区划代码"]),
    ],
)
def test_the_ledger_refuses_a_bad_parameter_with_the_chinese_400_page(world, client, params, words):
    opinion(world, station=world.station_a.pk)
    _refused(_get(client, world.town_user, "opinions:list", **params), *words)


def test_the_ledger_still_reads_good_parameters_and_keeps_them_in_the_pager(world, client):
    for _n in range(3):
        opinion(world, station=world.station_a.pk)
    resp = _get(client, world.town_user, "opinions:list", station=world.station_a.pk, page=2, page_size=2)
    assert resp.status_code == 200 and resp.context["page"].number == 2
    assert resp.context["query"] == f"station={world.station_a.pk}&page_size=2&year={date.today().year}"
    resp = _get(client, world.town_user, "opinions:list", year="", page=99)  # past the end: the last page
    assert resp.status_code == 200 and resp.context["year"] is None and resp.context["page"].number == 1
    assert "year=" in resp.context["query"]  # "every year" stays every year on the next page


def test_the_figures_refuse_a_bad_year_or_region(world, client):
    _refused(_get(client, world.town_user, "opinions:stats", year="abc"), "年度")
    _refused(_get(client, world.town_user, "opinions:stats", region="6109\x00"), "区划代码")
    assert _get(client, world.town_user, "opinions:stats", year="2025").context["year"] == 2025


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": HUGE}, {"station": "x"}, {"station": "\x00"}])
def test_the_reception_list_refuses_a_bad_page_or_station(world, client, params):
    _refused(_get(client, world.keeper_user, "opinions:reception_list", **params))


def test_planning_a_malformed_year_is_refused_and_nothing_is_planned(world, client):
    client.force_login(world.keeper_user)
    url = reverse("opinions:reception_plan", args=[world.station_a.pk])
    for year in ("abc", HUGE):
        _refused(client.post(url, {"year": year}), "年度")
    assert not ReceptionDay.objects.exists()


def test_intake_from_a_malformed_reception_day_is_refused(world, client):
    _refused(_get(client, world.keeper_user, "opinions:new", reception_day="abc"), "接待日应为")
    _refused(_get(client, world.keeper_user, "opinions:new", reception_day=HUGE), "接待日")


def test_the_public_form_refuses_a_malformed_station(world, client):
    _refused(_get(client, None, "opinions:public_new", station="abc"), "联络站应为")
    _refused(_get(client, None, "opinions:public_new", station=HUGE), "联络站")
    assert _get(client, None, "opinions:public_new", station=world.station_a.pk).status_code == 200


def test_a_malformed_deputy_on_the_rota_is_shown_beside_the_form(world, client):
    day = ReceptionDay.objects.create(station=world.station_a, region=world.town_a, date=date(2099, 3, 3))
    client.force_login(world.town_user)
    url = reverse("opinions:reception_day", args=[day.pk])
    for bad in ("abc", HUGE):
        resp = client.post(url, {"action": "rota", "rota": [world.deputy_a.pk, bad]})
        _refused(resp)
        assert resp.context["failed"] == "rota" and "deputies" in resp.context["errors"]
    assert not day.rota.exists()


def test_tracking_a_code_that_cannot_exist_is_not_found(world, client):
    resp = _get(client, None, "opinions:track", code="X" * 40)
    assert resp.status_code == 404 and "查询码不存在" in resp.content.decode()
    assert _get(client, None, "opinions:public_thanks", code="X" * 40).status_code == 404


def test_tracking_a_code_with_nul_is_refused_at_the_door(world, client):
    """NUL in any text is refused with 400 and a message (common.middleware.TextGuardMiddleware), here too."""
    for name in ("opinions:track", "opinions:public_thanks"):
        resp = _get(client, None, name, code="AB\x00")
        assert resp.status_code == 400 and "控制字符" in resp.content.decode()

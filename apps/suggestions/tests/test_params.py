"""The suggestion and motion pages read their parameters through the one parser (common.params) and page
through common.pages: a page, id, year or choice that is malformed or out of bounds is the Chinese 400 page
naming the field (or the message beside the form it came from), never a 500 and never silently ignored."""

from datetime import date

import pytest
from django.urls import reverse

from apps.suggestions import services
from apps.suggestions.models import Award, Motion, Suggestion

from .factories import draft
from .test_pages import assigned, replied

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
        ({"page": "-1"}, ["页码"]),
        ({"unit": "\x00"}, ["承办单位应为"]),
        ({"unit": HUGE}, ["承办单位"]),
        ({"year": "abc"}, ["年度应为2000到2100之间的整数"]),
        ({"year": HUGE}, ["年度"]),
        ({"state": "\x00"}, ["状态不在可选范围内"]),
        ({"period": "never"}, ["提出时间不在可选范围内"]),
        ({"topic": "x"}, ["类别不在可选范围内"]),
        ({"q": "\x00"}, ["关键词"]),
        ({"region": "\x00"}, ["区划代码"]),
    ],
)
def test_the_list_refuses_a_bad_parameter_with_the_chinese_400_page(world, client, params, words):
    draft(world)
    _refused(_get(client, world.town_user, "suggestions:list", **params), *words)


def test_the_list_pages_with_the_common_pager_and_keeps_the_filters(world, client):
    for _n in range(3):
        services.act(actor=world.deputy_user, item=draft(world, co_signers=[]), key="submit")
    resp = _get(client, world.town_user, "suggestions:list", topic="road", page=2, page_size=2)
    assert resp.status_code == 200 and resp.context["page"].number == 2
    assert len(resp.context["page"].object_list) == 1
    assert resp.context["query"] == f"topic=road&page_size=2&year={date.today().year}"


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": HUGE}, {"state": "nonsense"}])
def test_the_motion_list_refuses_a_bad_page_or_state(world, client, params):
    _refused(_get(client, world.town_user, "suggestions:motion_list", **params))


def test_the_motion_list_pages_with_the_common_pager(world, client):
    for n in range(3):
        services.create_motion(
            actor=world.town_user,
            data={"title": f"议案{n}", "content": "……", "by_presidium": True, "region": world.town_a.code},
        )
    resp = _get(client, world.town_user, "suggestions:motion_list", state="draft", page=2, page_size=2)
    assert resp.status_code == 200 and resp.context["page"].number == 2
    assert resp.context["query"] == "state=draft&page_size=2" and Motion.objects.count() == 3


@pytest.mark.parametrize("bad", ["abc", HUGE, "\x00"])
def test_the_published_replies_refuse_a_bad_page(world, client, bad):
    _refused(_get(client, None, "suggestions:public_list", page=bad), "页码")


def test_the_published_replies_page_with_the_common_pager(world, client):
    item = replied(world)
    Suggestion.objects.filter(pk=item.pk).update(publish=True, published_round=item.rounds)
    resp = _get(client, None, "suggestions:public_list", page="7")  # past the end: the last page
    assert resp.status_code == 200 and resp.context["page"].number == 1
    assert item.title in resp.content.decode()


def test_the_figures_refuse_a_bad_year(world, client):
    _refused(_get(client, world.town_user, "suggestions:stats", year="abc"), "年度")
    _refused(_get(client, world.town_user, "suggestions:stats", year="1900"), "年度")
    _refused(_get(client, world.county_user, "suggestions:stats", region="\x00"), "区划代码")


def test_a_malformed_opinion_to_draft_from_is_refused(world, client):
    _refused(_get(client, world.deputy_user, "suggestions:new", opinion="abc"), "社情民意应为")
    _refused(_get(client, world.deputy_user, "suggestions:new", opinion=HUGE), "社情民意")


def test_a_malformed_presidium_member_is_shown_beside_the_key_form(world, client):
    item = assigned(world)
    client.force_login(world.town_user)
    for bad in ("abc", HUGE):
        resp = client.post(reverse("suggestions:key", args=[item.pk]), {"is_key": "1", "key_member": bad})
        _refused(resp, "督办的主席团成员应为")
        assert resp.context["failed"] == "key"
    item.refresh_from_db()
    assert not item.is_key


def test_a_malformed_award_is_shown_on_the_figures_page_and_nothing_is_saved(world, client):
    item = replied(world)
    client.force_login(world.town_user)
    url = reverse("suggestions:awards")
    for bad in ("abc", HUGE):
        resp = client.post(url, {"town": world.town_a.code, "suggestions": [item.pk, bad]})
        _refused(resp, "编号应为")
        assert resp.context["award_error"] is not None
    assert not Award.objects.exists()
    _refused(client.post(url, {"town": world.town_a.code, "year": "abc"}), "年度")
    _refused(client.post(url, {"town": "\x00"}), "控制字符")  # refused at the door (TextGuardMiddleware)


def test_a_malformed_co_signer_is_a_field_error_not_a_500(world):
    from apps.common.errors import ValidationFailed

    for bad in ("abc", HUGE):
        with pytest.raises(ValidationFailed) as caught:
            draft(world, co_signers=[world.deputy_a2.pk, bad])
        assert "co_signers" in caught.value.fields

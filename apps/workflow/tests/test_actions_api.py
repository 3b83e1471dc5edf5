"""One API shape for every item kind: GET .../{id}/actions lists what this caller may do now with the input
each needs; POST .../{id}/actions/{name} takes one; the OpenAPI document names every action's body."""

import pytest
from django.test import Client

from apps.accounts.services import issue_token
from apps.opinions import services
from apps.opinions.tests.factories import opinion

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def test_the_actions_list_depends_on_who_asks_and_names_each_input(world):
    item = services.act(actor=world.town_user, item=opinion(world), key="accept")
    office = _client(world.town_user).get(f"{API}/opinions/{item.pk}/actions").json()
    names = {a["name"]: a for a in office}
    assert set(names) >= {"assign", "answer_on_spot", "merge", "convert"}
    assign = names["assign"]
    assert assign["input_schema"] == "OpinionAssignIn" and assign["blocked_reason"] is None
    unit_field = next(f for f in assign["fields"] if f["name"] == "unit")
    assert unit_field["required"] and str(world.unit_a.pk) in [c["value"] for c in unit_field["choices"]]
    # the unit has nothing to do on an accepted item; another town's office cannot even see it
    assert _client(world.unit_user).get(f"{API}/opinions/{item.pk}/actions").status_code == 404
    assert _client(world.town_b_user).get(f"{API}/opinions/{item.pk}/actions").status_code == 404


def test_taking_an_action_validates_its_input_after_checking_it_is_open(world):
    item = services.act(actor=world.town_user, item=opinion(world), key="accept")
    c = _client(world.town_user)
    bad = c.post(f"{API}/opinions/{item.pk}/actions/assign", {"unit": "x"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["fields"] == {"unit": ["请填写整数"]}
    closed = c.post(f"{API}/opinions/{item.pk}/actions/close", {}, content_type="application/json")
    assert closed.status_code == 409 and closed.json()["code"] == "illegal_transition"
    junk = c.post(f"{API}/opinions/{item.pk}/actions/assign", "[1]", content_type="application/json")
    assert junk.status_code == 400 and junk.json()["code"] == "validation_failed"
    ok = c.post(
        f"{API}/opinions/{item.pk}/actions/assign", {"unit": world.unit_a.pk}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["state"] == "assigned"


def test_the_openapi_document_describes_every_actions_body_by_its_own_name(world):
    doc = _client(world.town_user).get(f"{API}/openapi.json").json()
    schemas = doc["components"]["schemas"]
    op = doc["paths"]["/api/v1/opinions/{opinion_id}/actions/{name}"]["post"]
    refs = {
        r["$ref"].rsplit("/", 1)[1]
        for r in op["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    }
    assert {"OpinionAssignIn", "OpinionVisitIn", "OpinionReplyIn"} <= refs
    assert all(name in schemas for name in refs)
    assert schemas["OpinionAssignIn"]["required"] == ["unit"]
    suggestion_op = doc["paths"]["/api/v1/suggestions/{suggestion_id}/actions/{name}"]["post"]
    assert "SuggestionReplyIn" in str(suggestion_op["requestBody"])
    assert set(schemas["SuggestionReplyIn"]["properties"]["category"]["enum"]) == {"A", "B", "C", "D"}


def test_bad_text_and_huge_numbers_in_an_action_body_are_field_errors_not_500(world):
    item = services.act(actor=world.town_user, item=opinion(world), key="accept")
    c = _client(world.town_user)
    url = f"{API}/opinions/{item.pk}/actions/assign"
    for body in ('{"unit": 1e400}', '{"unit": 99999999999999999999999}', '{"unit": null}'):
        resp = c.post(url, body, content_type="application/json")
        assert resp.status_code == 400 and "unit" in resp.json()["fields"], body
    nul = c.post(
        url,
        '{"unit": ' + str(world.unit_a.pk) + ', "responsible_person": "\\u0000\\ud800"}',
        content_type="application/json",
    )
    assert nul.status_code == 400 and "responsible_person" in nul.json()["fields"]
    item.refresh_from_db()
    assert item.state == "accepted"

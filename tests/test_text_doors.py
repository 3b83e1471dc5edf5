"""The one text cleaner (common/text.py) and the door that applies it (TextGuardMiddleware, TextParser)."""

import json

import pytest
from django.test import Client, RequestFactory

from apps.common import text
from apps.common.api import TextParser
from apps.opinions.models import Opinion


def test_crlf_becomes_lf_and_forbidden_characters_are_named():
    assert text.clean("一\r\n二\r三\t四") == "一\n二\n三\t四"
    for bad in ("\x00", "\x01", "\x0b", "\x1b", "\x7f", "\ud800", "\udfff"):
        with pytest.raises(ValueError):
            text.clean(f"a{bad}b")
    assert text.first_bad({"a": "ok", "b": [{"c": "x\x00"}]}) == "b.0.c"
    assert text.first_bad({"a": "ok\r\n", "b": [1, None, True]}) is None


def test_scrub_removes_and_escape_shows_what_a_file_cannot_hold():
    assert text.scrub("路灯\x01坏了\r\n\ud800") == "路灯坏了\n"
    assert text.escape_controls("a\x01b\x00") == "a\\x01b\\x00"
    assert text.escape_controls("行\t一\n二") == "行\t一\n二"


def test_the_api_parser_gives_lf_line_ends_in_bodies_and_queries():
    request = RequestFactory().post(
        "/api/v1/x", json.dumps({"a": "一\r\n二", "b": ["三\r"]}), "application/json"
    )
    assert TextParser().parse_body(request) == {"a": "一\n二", "b": ["三\n"]}
    with pytest.raises(ValueError):
        TextParser().parse_body(RequestFactory().post("/x", '{"a": "\\u0000"}', "application/json"))


@pytest.mark.django_db
def test_a_nul_in_the_login_form_is_refused_with_a_chinese_page():
    response = Client().post("/accounts/login/", {"username": "office\x00", "password": "x"})
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_the_tracking_code_lookup_is_refused():
    assert Client().get("/o/track/?code=AB%00CD").status_code == 400
    response = Client().get("/api/v1/public/opinions/AB%00CD")
    assert response.status_code == 400 and response.json()["code"] == "bad_text"


def test_a_public_opinion_with_a_control_character_is_refused_and_not_stored(world):
    client = Client()
    data = {"station": world.station_a.pk, "content": "路灯坏了\x01", "submitter_phone": "13911112222"}
    response = client.post("/api/v1/public/opinions", data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_text" and body["fields"] == {"content": [body["message"]]}
    assert not Opinion.objects.exists()
    response = client.post("/o/new/", {**data, "content": "路灯坏了\x00"})
    assert response.status_code == 400 and not Opinion.objects.exists()


def test_a_public_opinion_keeps_its_lines_with_lf(world):
    data = {
        "station": world.station_a.pk,
        "content": "第一行\r\n第二行\r\n",
        "submitter_phone": "13911112222",
    }
    response = Client().post("/api/v1/public/opinions", data)
    assert response.status_code == 201, response.content
    assert Opinion.objects.get().content.startswith("第一行\n第二行")


@pytest.mark.django_db
def test_an_api_body_that_is_not_utf8_or_not_json_is_a_json_error():
    client = Client()
    response = client.post("/api/v1/auth/token", b'{"username": "\xed\xa0\x80"}', "application/json")
    assert response.status_code == 400 and response.json()["code"] == "bad_text"
    response = client.post("/api/v1/auth/token", b'{"username": ', "application/json")
    assert response.status_code == 400 and response.json()["code"] == "malformed_body"
    response = client.post(
        "/api/v1/auth/token", '{"username": "\\ud800", "password": "x"}', "application/json"
    )
    assert response.status_code == 400 and response.json()["fields"] == {
        "username": [response.json()["message"]]
    }


@pytest.mark.django_db
def test_an_api_body_over_the_size_limit_is_a_json_error(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"username": "x" * 2000, "password": "x"})
    response = Client().post("/api/v1/auth/token", body, "application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and response.json()["message"]


def test_the_api_parser_refuses_a_form_field_the_middleware_did_not_see():
    """Django leaves a PUT or PATCH form to ninja: the parser refuses it there, naming the field."""
    from django.http import QueryDict

    from apps.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        TextParser().parse_querydict(QueryDict("a=1&content=x%01y"), [], None)
    assert list(caught.value.fields) == ["content"] and caught.value.code == "bad_text"
    assert TextParser().parse_querydict(QueryDict("content=x%0D%0Ay"), [], None) == {"content": "x\ny"}


@pytest.mark.django_db
def test_a_form_body_django_cannot_read_is_a_400_not_a_500():
    response = Client().generic(
        "POST", "/api/v1/public/opinions", b"--x--", content_type="multipart/form-data"
    )
    assert response.status_code == 400 and response.json()["code"] == "malformed_body"
    assert (
        Client().generic("POST", "/o/new/", b"--x--", content_type="multipart/form-data").status_code == 400
    )

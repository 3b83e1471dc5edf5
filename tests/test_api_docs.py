import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/auth/token",
        "/api/v1/deputies",
        "/api/v1/deputies/{deputy_id}",
        "/api/v1/regions",
        "/api/v1/stations",
        "/api/v1/households",
        "/api/v1/units",
        "/api/v1/public/deputies/{public_code}",
    ]:
        assert path in doc["paths"], path


def test_interactive_docs_load_nothing_from_a_cdn(world, client):
    client.force_login(world.county_user)
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger" in page.lower() and "cdn." not in page and "https://" not in page.split("</head>")[0]


def test_api_answers_readable_utf8_json(world, api_get):
    resp = api_get(world.town_user, "/api/v1/deputies")
    assert "张三".encode() in resp.content

import pytest

from apps.accounts.models import ApiToken, RoleGrant

pytestmark = pytest.mark.django_db


def test_removed_grant_stops_a_cached_token_at_once(world, client):
    from apps.accounts.services import issue_token

    token = issue_token(user=world.town_user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/deputies", **auth).json()["count"] == 2
    RoleGrant.objects.filter(user=world.town_user).delete()
    assert client.get("/api/v1/deputies", **auth).json()["count"] == 0


def test_revoked_token_stops_at_once(world, client):
    from apps.accounts.services import issue_token

    token = issue_token(user=world.town_user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/auth/me", **auth).status_code == 200
    ApiToken.objects.filter(user=world.town_user).delete()
    assert client.get("/api/v1/auth/me", **auth).status_code == 401

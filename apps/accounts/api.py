from ninja import Router, Schema

from apps.common.api import ErrorOut

from .scopes import grants_of
from .services import issue_token, log_in

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class GrantOut(Schema):
    role: str
    region: str | None = None
    station_id: int | None = None
    unit_id: int | None = None
    deputy_id: int | None = None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    grants: list[GrantOut]


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
def token(request, payload: TokenIn):
    """Exchange a username (or phone number) and password for a bearer token."""
    user = log_in(identifier=payload.username, password=payload.password, request=request)
    return {"token": issue_token(user=user)}


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "grants": [
            {
                "role": g.role,
                "region": g.region.code if g.region else None,
                "station_id": g.station_id,
                "unit_id": g.unit_id,
                "deputy_id": g.deputy_id,
            }
            for g in grants_of(user)
        ],
    }

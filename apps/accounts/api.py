from django.http import HttpResponse
from ninja import Router, Schema, Status

from apps.common.api import ErrorOut
from apps.common.params import IdArg

from .scopes import grants_of
from .services import LoginThrottled, issue_token, log_in

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class GrantOut(Schema):
    role: str
    region: str | None = None
    station_id: IdArg = None
    unit_id: IdArg = None
    deputy_id: IdArg = None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    grants: list[GrantOut]


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
def token(request, payload: TokenIn, response: HttpResponse):
    """Exchange a username (or phone number) and password for a bearer token. Too many failures for the
    account or from the client's address answer 429 with `Retry-After` (seconds). The token of a login an
    office has just issued or reset serves only `POST /accounts/password` until its person sets a new one
    (elsewhere 403 `password_change_required`)."""
    try:
        user = log_in(identifier=payload.username, password=payload.password, request=request)
    except LoginThrottled as exc:
        response["Retry-After"] = str(exc.retry_after)
        return Status(429, exc.as_dict())
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

"""/api/v1/accounts/...: accounts an office runs itself, sign-in by SMS code and one-time link, forgotten
passwords, one's own password and message preferences (issue 17). Everything the pages do."""

from __future__ import annotations

from typing import Literal

from django.contrib.auth import update_session_auth_hash
from django.db.models import Q
from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from apps.common.api import ErrorOut, Page, paginate
from apps.common.params import ID, SEARCH, PageArg, PageSizeArg

from . import managing, signin
from .api import TokenOut
from .services import LoginThrottled, issue_token

router = Router(tags=["accounts"])

Id = ID.required()
Phone = Field(..., min_length=11, max_length=11, pattern=r"^1[3-9]\d{9}$", description="手机号码（11位）")
Code = Field(..., min_length=6, max_length=6, pattern=r"^\d{6}$", description="六位短信验证码")
Password = Field(..., min_length=1, max_length=128)
Delivery = Literal["password", "sms", "slip"]
GrantableRole = Literal["town_office", "unit_staff", "station_keeper", "deputy"]


class AccountGrantOut(Schema):
    id: int
    role: str
    role_label: str
    scope: str


class AccountOut(Schema):
    id: int
    username: str
    display_name: str
    phone: str | None
    is_active: bool
    must_change_password: bool
    grants: list[AccountGrantOut]


class AccountFilters(Schema):
    q: SEARCH.api() = None
    page: PageArg = 1
    page_size: PageSizeArg = None


class AccountCreateIn(Schema):
    phone: str = Phone
    display_name: str = Field(..., min_length=1, max_length=50)
    role: GrantableRole
    target_id: Id = Field(..., description="角色范围：镇（town_office）、承办单位、联络站或代表的 id")
    delivery: Delivery = Field(
        "password", description="初始密码当场显示一次 / 短信发送一次性登录链接 / 打印登录条"
    )


class IssuedOut(Schema):
    """Shown once: nothing of it is stored in clear."""

    user_id: int
    username: str
    display_name: str
    password: str = Field("", description="初始密码（仅此一次显示）")
    link: str = Field("", description="一次性登录链接（登录条上的二维码）")
    sms_sent: bool


class ResetIn(Schema):
    delivery: Delivery = "password"


class ActiveIn(Schema):
    active: bool
    reason: str = Field("", max_length=500)


class GrantIn(Schema):
    role: GrantableRole
    target_id: Id


class BulkIn(Schema):
    town_id: Id
    deputy_ids: list[Id] | None = Field(None, max_length=5000, description="不填：全镇尚无账号的在任代表")
    delivery: Delivery = "password"


class SkippedOut(Schema):
    deputy_id: int
    name: str
    reason: str


class BulkOut(Schema):
    issued: list[IssuedOut]
    skipped: list[SkippedOut]


class CodeRequestIn(Schema):
    phone: str = Phone
    purpose: Literal["login", "reset"] = "login"


class CodeRequestOut(Schema):
    sent: bool = Field(True, description="总是 true：不透露该号码是否有账号")
    valid_seconds: int


class CodeLoginIn(Schema):
    phone: str = Phone
    code: str = Code


class CodeResetIn(Schema):
    phone: str = Phone
    code: str = Code
    new_password: str = Password


class PasswordIn(Schema):
    old_password: str = Field("", max_length=128)
    new_password: str = Password


class PreferencesIO(Schema):
    sms_optional: bool = Field(..., description="接收非必要短信（验证码与期限提醒总会发送）")


def _account(user) -> dict:
    grants = user.grants.all()  # prefetched for a list (managing.with_grants)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
        "is_active": user.is_active,
        "must_change_password": user.must_change_password,
        "grants": [
            {
                "id": g.pk,
                "role": g.role,
                "role_label": str(g.get_role_display()),
                "scope": str(g.region or g.station or g.unit or g.deputy or ""),
            }
            for g in grants
        ],
    }


def _issued(i: managing.Issued) -> dict:
    u = i.user
    return {
        "user_id": u.pk,
        "username": u.username,
        "display_name": u.display_name,
        "password": i.password,
        "link": i.link,
        "sms_sent": i.sms_sent,
    }


def _base(request) -> str:
    return request.build_absolute_uri("/")


@router.get("/users", response={200: Page[AccountOut], 403: ErrorOut})
def list_accounts(request, filters: Query[AccountFilters]):
    """The logins this office manages (404 for any other, as if missing)."""
    from . import permissions as perms

    perms.require(request.user, perms.ACCOUNTS_MANAGE)
    qs = managing.with_grants(managing.managed_users(request.user))
    if filters.q:
        qs = qs.filter(Q(display_name__icontains=filters.q) | Q(username__icontains=filters.q))
    page = paginate(qs, filters.page, filters.page_size)
    page["items"] = [_account(u) for u in page["items"]]
    return page


@router.post("/users", response={201: IssuedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def create_account(request, body: AccountCreateIn):
    """A new login with one role within the office's reach, the phone number as its name."""
    issued = managing.create_login(actor=request.user, base_url=_base(request), **body.dict())
    return Status(201, _issued(issued))


@router.get("/users/{user_id}", response={200: AccountOut, 403: ErrorOut, 404: ErrorOut})
def get_account(request, user_id: int):
    return _account(managing.get_managed(request.user, user_id))


@router.post("/users/{user_id}/reset", response={200: IssuedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def reset_account(request, user_id: int, body: ResetIn):
    """A fresh initial password and/or one-time link; the person sets their own at next sign-in."""
    issued = managing.reset_password(
        actor=request.user, user_id=user_id, delivery=body.delivery, base_url=_base(request)
    )
    return _issued(issued)


@router.post("/users/{user_id}/active", response={200: AccountOut, 403: ErrorOut, 404: ErrorOut})
def set_account_active(request, user_id: int, body: ActiveIn):
    return _account(managing.set_active(actor=request.user, user_id=user_id, **body.dict()))


@router.post("/users/{user_id}/grants", response={200: AccountOut, 403: ErrorOut, 404: ErrorOut})
def add_account_grant(request, user_id: int, body: GrantIn):
    """Assign a role within the office's own region only."""
    managing.add_grant(actor=request.user, user_id=user_id, **body.dict())
    return _account(managing.get_managed(request.user, user_id))


@router.delete(
    "/users/{user_id}/grants/{grant_id}", response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def remove_account_grant(request, user_id: int, grant_id: int):
    managing.remove_grant(actor=request.user, user_id=user_id, grant_id=grant_id)
    return Status(204, None)


@router.post("/deputy-logins", response={200: BulkOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def deputy_logins(request, body: BulkIn):
    """Logins for the town's deputies in bulk from the register: one per person, the phone number as the
    login name; the initial passwords and links are in this answer only."""
    bulk = managing.bulk_deputy_logins(actor=request.user, base_url=_base(request), **body.dict())
    return {
        "issued": [_issued(i) for i in bulk.issued],
        "skipped": [{"deputy_id": d.pk, "name": d.name, "reason": str(why)} for d, why in bulk.skipped],
    }


@router.post("/code", auth=None, response={200: CodeRequestOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def request_code(request, body: CodeRequestIn):
    """Send a six-digit code (valid five minutes, one use) to a phone with an active login, for signing in
    or for a forgotten password. The answer is the same whether or not the phone has a login; too many
    requests for the phone or from the address answer 429."""
    from apps.common import conf

    signin.request_code(phone=body.phone, purpose=body.purpose)
    return {"sent": True, "valid_seconds": conf.get("SMS_CODE_SECONDS")}


@router.post(
    "/code/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def code_token(request, body: CodeLoginIn, response: HttpResponse):
    """Exchange a phone number and its sign-in code for a bearer token (as `POST /auth/token` does for a
    password); a login that must first set a new password may use it only for `POST /accounts/password`."""
    try:
        user = signin.log_in_with_code(phone=body.phone, code=body.code)
    except LoginThrottled as exc:
        response["Retry-After"] = str(exc.retry_after)
        return Status(429, exc.as_dict())
    return {"token": issue_token(user=user)}


@router.post("/code/reset", auth=None, response={204: None, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def code_reset(request, body: CodeResetIn, response: HttpResponse):
    """Forgot password: a reset code and a new password (Django's password validators)."""
    try:
        signin.reset_with_code(phone=body.phone, code=body.code, new_password=body.new_password)
    except LoginThrottled as exc:
        response["Retry-After"] = str(exc.retry_after)
        return Status(429, exc.as_dict())
    return Status(204, None)


@router.post("/password", response={204: None, 400: ErrorOut, 403: ErrorOut})
def change_password(request, body: PasswordIn):
    """Set one's own password (the current one is not asked right after an office issued or reset it)."""
    signin.change_own_password(user=request.user, **body.dict())
    if hasattr(request, "session") and request.session.session_key:
        update_session_auth_hash(request, request.user)
    return Status(204, None)


@router.get("/preferences", response=PreferencesIO)
def get_preferences(request):
    return {"sms_optional": request.user.sms_optional}


@router.put("/preferences", response=PreferencesIO)
def put_preferences(request, body: PreferencesIO):
    """Turn non-essential SMS on or off (sign-in codes and deadline reminders are always sent)."""
    user = signin.set_preferences(user=request.user, sms_optional=body.sms_optional)
    return {"sms_optional": user.sms_optional}

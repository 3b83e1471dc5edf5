"""Every write about accounts: logging in (with the throttle), API tokens, role grants."""

from datetime import timedelta

from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import current_ip, record
from apps.common import conf
from apps.common.errors import DomainError, Throttled

from .errors import ErrorCode
from .models import ApiToken, LoginFailure, RoleGrant, User


class LoginFailed(DomainError):
    status = 401
    code = ErrorCode.LOGIN_FAILED
    default_message = _("用户名（或手机号）或密码不正确")


def _account_key(identifier: str) -> str:
    """Failures count per account, whether the person typed the username or the phone number."""
    identifier = (identifier or "").strip()
    user = User.objects.filter(Q(username=identifier) | Q(phone=identifier)).only("username").first()
    return user.username if user else identifier.lower()[:150]


class LoginThrottled(Throttled):
    """Too many failed logins for the account or from the client's address; `retry_after` is the wait in
    seconds, for the `Retry-After` header of the page and the API."""

    def __init__(self, message, *, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message, fields={"retry_after": [str(retry_after)]})


def _wait(recent, *, free: int, per_hour: int, now) -> int:
    """Seconds still to wait given the failures of the last hour (one account's, or one address's).

    At most `per_hour` failures an hour; after `free` of them, each failure doubles the wait before the
    next attempt (growing delay), capped."""
    count = recent.count()
    if count == 0:
        return 0
    if count >= per_hour:
        oldest = recent.order_by("at").values_list("at", flat=True)[count - per_hour]
        return max(1, int((oldest + timedelta(hours=1) - now).total_seconds()))
    if count < free:
        return 0
    base, cap = conf.get("LOGIN_DELAY_BASE_SECONDS"), conf.get("LOGIN_DELAY_MAX_SECONDS")
    delay = min(base * 2 ** (count - free), cap)
    last = recent.order_by("-at").values_list("at", flat=True)[0]
    return max(0, int((last + timedelta(seconds=delay) - now).total_seconds() + 0.999))


def throttle_wait(key: str, now=None) -> int:
    """Seconds the account must still wait before the next attempt (0: may try now)."""
    now = now or timezone.now()
    return _wait(
        LoginFailure.objects.filter(username=key, at__gte=now - timedelta(hours=1)),
        free=conf.get("LOGIN_FREE_FAILURES"),
        per_hour=conf.get("LOGIN_MAX_FAILURES_PER_HOUR"),
        now=now,
    )


def address_wait(ip: str | None, now=None) -> int:
    """Seconds the client address must still wait (0: may try now), whichever accounts it tried: one
    address trying many accounts (password spraying) stays under every account's own limit."""
    if not ip:
        return 0
    now = now or timezone.now()
    return _wait(
        LoginFailure.objects.filter(ip=ip, at__gte=now - timedelta(hours=1)),
        free=conf.get("LOGIN_IP_FREE_FAILURES"),
        per_hour=conf.get("LOGIN_IP_MAX_FAILURES_PER_HOUR"),
        now=now,
    )


def _refuse_if_throttled(key: str, ip: str | None) -> None:
    account, address = throttle_wait(key), address_wait(ip)
    wait = max(account, address)
    if not wait:
        return
    limit = "account" if account >= address else "address"
    record(
        actor=None,
        action="auth.login.throttled",
        object_type="accounts.user",
        object_id=key,
        summary={"wait_seconds": wait, "limit": limit},
    )
    if limit == "account":
        message = _("登录失败次数过多，请 %(s)s 秒后再试") % {"s": wait}
    else:
        message = _("您所在的网络地址登录失败次数过多，请 %(s)s 秒后再试") % {"s": wait}
    raise LoginThrottled(message, retry_after=wait)


def log_in(*, identifier: str, password: str, request=None) -> User:
    """Check the credentials under the throttles (per account and per client address); log every
    success, failure and refusal in the audit trail."""
    key, ip = _account_key(identifier), current_ip()
    _refuse_if_throttled(key, ip)
    user = authenticate(request, username=identifier, password=password)
    if user is None:
        with transaction.atomic():
            LoginFailure.objects.create(username=key, ip=ip)
            record(actor=None, action="auth.login.failed", object_type="accounts.user", object_id=key)
        raise LoginFailed()
    record(actor=user, action="auth.login", obj=user)
    return user


def issue_token(*, user: User) -> str:
    with transaction.atomic():
        token, raw = ApiToken.issue(user, conf.get("API_TOKEN_DAYS"))
        record(actor=user, action="auth.token.issued", obj=token, summary={"expires_at": token.expires_at})
    return raw


TOKEN_CACHE_SECONDS = 60


def _token_cache_key(key_hash: str) -> str:
    return f"renda:token:{key_hash}"


def user_for_token(raw: str) -> User | None:
    """The token's user with grants loaded. Cached briefly; any change to the user, a grant or a token
    drops the cached entries at once (signals.py), so a revoked token or role stops working immediately."""
    key_hash = ApiToken.hash(raw)
    cached = cache.get(_token_cache_key(key_hash))
    if cached is not None and cached[1] > timezone.now():
        return cached[0]
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    from .scopes import grants_of

    grants_of(token.user)  # loaded once, cached with the user
    cache.set(_token_cache_key(key_hash), (token.user, token.expires_at), TOKEN_CACHE_SECONDS)
    return token.user


def forget_tokens_of(user_id: int) -> None:
    hashes = ApiToken.objects.filter(user_id=user_id).values_list("key_hash", flat=True)
    cache.delete_many([_token_cache_key(h) for h in hashes])


def grant_role(*, actor, user: User, role: str, **scope) -> RoleGrant:
    with transaction.atomic():
        grant = RoleGrant.objects.create(user=user, role=role, **scope)
        record(
            actor=actor,
            action="accounts.grant.created",
            obj=grant,
            summary={"user": user.username, "role": role, **{k: str(v) for k, v in scope.items()}},
        )
    return grant

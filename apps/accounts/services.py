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

from .models import ApiToken, LoginFailure, RoleGrant, User


class LoginFailed(DomainError):
    status = 401
    code = "login_failed"
    default_message = _("用户名（或手机号）或密码不正确")


def _account_key(identifier: str) -> str:
    """Failures count per account, whether the person typed the username or the phone number."""
    identifier = (identifier or "").strip()
    user = User.objects.filter(Q(username=identifier) | Q(phone=identifier)).only("username").first()
    return user.username if user else identifier.lower()[:150]


def throttle_wait(key: str, now=None) -> int:
    """Seconds the account must still wait before the next attempt (0: may try now).

    At most LOGIN_MAX_FAILURES_PER_HOUR failures an hour; after the first few free ones, each failure
    doubles the wait before the next attempt (growing delay), capped.
    """
    now = now or timezone.now()
    recent = LoginFailure.objects.filter(username=key, at__gte=now - timedelta(hours=1))
    count = recent.count()
    if count == 0:
        return 0
    if count >= conf.get("LOGIN_MAX_FAILURES_PER_HOUR"):
        oldest = recent.order_by("at").values_list("at", flat=True)[
            count - conf.get("LOGIN_MAX_FAILURES_PER_HOUR")
        ]
        return max(1, int((oldest + timedelta(hours=1) - now).total_seconds()))
    free = conf.get("LOGIN_FREE_FAILURES")
    if count < free:
        return 0
    base, cap = conf.get("LOGIN_DELAY_BASE_SECONDS"), conf.get("LOGIN_DELAY_MAX_SECONDS")
    delay = min(base * 2 ** (count - free), cap)
    last = recent.order_by("-at").values_list("at", flat=True)[0]
    return max(0, int((last + timedelta(seconds=delay) - now).total_seconds() + 0.999))


def log_in(*, identifier: str, password: str, request=None) -> User:
    """Check the credentials under the throttle; log every success and failure in the audit trail."""
    key = _account_key(identifier)
    wait = throttle_wait(key)
    if wait:
        record(
            actor=None,
            action="auth.login.throttled",
            object_type="accounts.user",
            object_id=key,
            summary={"wait_seconds": wait},
        )
        raise Throttled(
            _("登录失败次数过多，请 %(s)s 秒后再试") % {"s": wait}, fields={"retry_after": [str(wait)]}
        )
    user = authenticate(request, username=identifier, password=password)
    if user is None:
        with transaction.atomic():
            LoginFailure.objects.create(username=key, ip=current_ip())
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

"""Signing in without a password (issue 17, part 2): a six-digit SMS code, a one-time link; forgetting the
password; changing one's own password and message preferences.

A code is valid five minutes (SMS_CODE_SECONDS), used once, and only its keyed hash is stored. Asking for
codes is limited per phone and per client address (SMS_CODES_PER_*); wrong codes count as failed logins of
the account and the address, under the same throttle as passwords (services._refuse_if_throttled). The
answer to a request never tells whether the phone has a login.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import current_ip, record
from apps.common import conf
from apps.common.errors import DomainError, Throttled, field_error

from .errors import ErrorCode, PasswordChangeRequired
from .managing import check_password_policy
from .models import ApiToken, CodePurpose, LoginFailure, SignInLink, SmsCode, User
from .services import _account_key, _refuse_if_throttled

__all__ = ["PasswordChangeRequired"]  # raised by the middleware and the token check, declared in errors.py


class CodeInvalid(DomainError):
    status = 400
    code = ErrorCode.CODE_INVALID
    default_message = _("验证码不正确或已失效，请重新获取")


class CodeLimit(Throttled):
    code = ErrorCode.CODE_LIMIT


class LinkInvalid(DomainError):
    status = 400
    code = ErrorCode.LINK_INVALID
    default_message = _("登录链接无效、已使用或已过期，请联系镇（街道）人大办重新发放")


def _hash(phone: str, purpose: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _clean_phone(phone: str) -> str:
    from apps.people.rules import validate_phone

    phone = (phone or "").strip()
    if problem := validate_phone(phone):
        raise field_error("phone", problem)
    return phone


def _limit(phone: str, ip: str | None, now) -> None:
    hour = now - timedelta(hours=1)
    recent = SmsCode.objects.filter(created_at__gte=hour)
    limit = None
    if recent.filter(phone=phone).count() >= conf.get("SMS_CODES_PER_PHONE_PER_HOUR"):
        limit, message = "phone", _("该手机号码获取验证码过于频繁，请一小时后再试")
    elif ip and recent.filter(ip=ip).count() >= conf.get("SMS_CODES_PER_IP_PER_HOUR"):
        limit, message = "address", _("您所在的网络地址获取验证码过于频繁，请一小时后再试")
    if limit:
        record(
            actor=None,
            action="auth.code.throttled",
            object_type="accounts.user",
            object_id=phone,
            summary={"limit": limit},
        )
        raise CodeLimit(message)


def request_code(*, phone: str, purpose: str) -> str | None:
    """Send a six-digit code to the phone when an active login has it; returns the code (for the demo page
    only), or None when nothing was sent. Every request is counted for the limits and audited."""
    from apps.notifications import kinds
    from apps.notifications.services import notify_contact

    if purpose not in CodePurpose.values or purpose == CodePurpose.RATING:  # a rating's: request_rating_code
        raise field_error("purpose", _("用途无效"))
    phone, ip, now = _clean_phone(phone), current_ip(), timezone.now()
    _limit(phone, ip, now)
    user = User.objects.filter(phone=phone, is_active=True).first()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        row = SmsCode.objects.create(
            phone=phone,
            purpose=purpose,
            user=user,
            code_hash=_hash(phone, purpose, code),
            ip=ip,
            created_at=now,
            expires_at=now + timedelta(seconds=conf.get("SMS_CODE_SECONDS")),
        )
        record(
            actor=None,
            action="auth.code.requested",
            object_type="accounts.user",
            object_id=phone,
            summary={"purpose": purpose, "sent": user is not None},
        )
        if user is None:
            return None
        minutes = conf.get("SMS_CODE_SECONDS") // 60
        text = _("您的验证码为 %(code)s，%(m)s 分钟内有效，仅可使用一次。如非本人操作，请忽略。")
        notify_contact(
            phone=phone,
            text=str(text) % {"code": code, "m": minutes},
            kind=kinds.LOGIN_CODE if purpose == CodePurpose.LOGIN else kinds.RESET_CODE,
            params={"code": code},
            dedupe_key=f"smscode:{row.pk}",
        )
    return code


def _consume(phone: str, purpose: str, code: str) -> User:
    """The login the code was sent to, the code (and any older one) used up; or a counted failure."""
    phone, ip, now = (phone or "").strip(), current_ip(), timezone.now()
    key = _account_key(phone)
    _refuse_if_throttled(key, ip)
    row = (
        SmsCode.objects.filter(
            phone=phone,
            purpose=purpose,
            code_hash=_hash(phone, purpose, (code or "").strip()),
            used_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )
    # The conditional update decides between two requests with the same code: one wins.
    if row is None or not SmsCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
        with transaction.atomic():
            LoginFailure.objects.create(username=key, ip=ip)
            record(
                actor=None,
                action="auth.code.failed",
                object_type="accounts.user",
                object_id=key,
                summary={"purpose": purpose},
            )
        raise CodeInvalid(fields={"code": [CodeInvalid.default_message]})
    SmsCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(used_at=now)
    return row.user


def log_in_with_code(*, phone: str, code: str) -> User:
    user = _consume(phone, CodePurpose.LOGIN, code)
    record(actor=user, action="auth.login", obj=user, summary={"by": "sms_code"})
    return user


def reset_with_code(*, phone: str, code: str, new_password: str) -> User:
    """Forgot password: the code sent for a reset, and a new password under Django's validators."""
    check_password_policy(new_password)
    user = _consume(phone, CodePurpose.RESET, code)
    check_password_policy(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        ApiToken.objects.filter(user=user).delete()
        record(actor=user, action="auth.password.reset_by_code", obj=user)
    return user


def log_in_with_link(*, raw: str) -> User:
    """Use a one-time sign-in link; the person then sets their own password (must_change_password)."""
    now = timezone.now()
    link = (
        SignInLink.objects.filter(
            key_hash=ApiToken.hash(raw or ""), used_at__isnull=True, expires_at__gt=now, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if link is None or not SignInLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
        record(actor=None, action="auth.link.failed", object_type="accounts.signinlink", object_id="?")
        raise LinkInvalid()
    record(actor=link.user, action="auth.login", obj=link.user, summary={"by": "link"})
    return link.user


def change_own_password(*, user: User, old_password: str, new_password: str) -> User:
    """Set one's own password. The current one is asked for, except right after an office issued the login
    or reset it (the person may have come in by a one-time link and know none)."""
    if not user.must_change_password and not user.check_password(old_password or ""):
        raise field_error("old_password", _("当前密码不正确"))
    if user.check_password(new_password or ""):
        raise field_error("new_password", _("新密码不能与当前密码相同"))
    check_password_policy(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record(actor=user, action="auth.password.changed", obj=user)
    return user


def set_preferences(*, user: User, sms_optional: bool) -> User:
    """A person turns non-essential SMS on or off (sign-in codes and deadlines are sent anyway)."""
    with transaction.atomic():
        if user.sms_optional != sms_optional:
            user.sms_optional = sms_optional
            user.save(update_fields=["sms_optional"])
            record(
                actor=user,
                action="accounts.preferences.changed",
                obj=user,
                summary={"sms_optional": sms_optional},
            )
    return user


def request_rating_code(*, phone: str) -> str:
    """A code to any mobile number, for a public rating that takes one answer per phone number (issue 18):
    the same limits, hash, lifetime and single use as a sign-in code, but sent whether or not a login has
    the number (purpose `rating`); returns the code (for the demo page only)."""
    from apps.notifications import kinds
    from apps.notifications.services import notify_contact

    phone, ip, now = _clean_phone(phone), current_ip(), timezone.now()
    _limit(phone, ip, now)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        row = SmsCode.objects.create(
            phone=phone,
            purpose=CodePurpose.RATING,
            code_hash=_hash(phone, CodePurpose.RATING, code),
            ip=ip,
            created_at=now,
            expires_at=now + timedelta(seconds=conf.get("SMS_CODE_SECONDS")),
        )
        record(
            actor=None,
            action="auth.code.requested",
            object_type="accounts.user",
            object_id=phone,
            summary={"purpose": CodePurpose.RATING, "sent": True},
        )
        minutes = conf.get("SMS_CODE_SECONDS") // 60
        text = _("您的验证码为 %(code)s，%(m)s 分钟内有效，仅可使用一次。如非本人操作，请忽略。")
        notify_contact(
            phone=phone,
            text=str(text) % {"code": code, "m": minutes},
            kind=kinds.LOGIN_CODE,
            params={"code": code},
            dedupe_key=f"smscode:{row.pk}",
        )
    return code


def consume_rating_code(*, phone: str, code: str) -> str:
    """The phone number a rating code proves, the code used up; or a counted failure (400 code_invalid)."""
    phone, ip, now = (phone or "").strip(), current_ip(), timezone.now()
    key = _account_key(phone)
    _refuse_if_throttled(key, ip)
    row = SmsCode.objects.filter(
        phone=phone,
        purpose=CodePurpose.RATING,
        code_hash=_hash(phone, CodePurpose.RATING, (code or "").strip()),
        used_at__isnull=True,
        expires_at__gt=now,
    ).first()
    if row is None or not SmsCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
        with transaction.atomic():
            LoginFailure.objects.create(username=key, ip=ip)
            record(
                actor=None,
                action="auth.code.failed",
                object_type="accounts.user",
                object_id=key,
                summary={"purpose": CodePurpose.RATING},
            )
        raise CodeInvalid(fields={"code": [CodeInvalid.default_message]})
    return phone

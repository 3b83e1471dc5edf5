import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_OFFICE = "county_office", _("县人大办")
    TOWN_OFFICE = "town_office", _("镇人大办")
    STATION_KEEPER = "station_keeper", _("联络站管理员")
    DEPUTY = "deputy", _("人大代表")
    UNIT_STAFF = "unit_staff", _("承办单位")
    PUBLIC = "public", _("公众")
    ADMIN = "admin", _("系统管理员")


# Roles whose sessions end after 12 hours or 30 minutes idle (issue #3).
STAFF_ROLES = {Role.COUNTY_OFFICE, Role.TOWN_OFFICE, Role.STATION_KEEPER, Role.UNIT_STAFF, Role.ADMIN}


class User(AbstractUser):
    phone = models.CharField(_("手机号码"), max_length=20, unique=True, null=True, blank=True)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Set when an office creates the login or resets its password: the next sign-in asks for a new one.
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    # Non-essential SMS (notices); sign-in codes and deadlines are sent whatever this says.
    sms_optional = models.BooleanField(_("接收非必要短信"), default=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username


class RoleGrant(models.Model):
    """One role for one user, scoped to exactly the thing the role works in."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("区划"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    station = models.ForeignKey(
        "places.Station",
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        "places.HandlingUnit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    deputy = models.ForeignKey(
        "people.Deputy",
        verbose_name=_("代表"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            # Each role is scoped by exactly the thing it works in; the database refuses anything else.
            models.CheckConstraint(
                name="grant_scope_matches_role",
                condition=(
                    models.Q(
                        role__in=["county_office", "town_office"],
                        region__isnull=False,
                        station__isnull=True,
                        unit__isnull=True,
                        deputy__isnull=True,
                    )
                    | models.Q(
                        role="station_keeper",
                        station__isnull=False,
                        region__isnull=True,
                        unit__isnull=True,
                        deputy__isnull=True,
                    )
                    | models.Q(
                        role="unit_staff",
                        unit__isnull=False,
                        region__isnull=True,
                        station__isnull=True,
                        deputy__isnull=True,
                    )
                    | models.Q(
                        role="deputy",
                        deputy__isnull=False,
                        region__isnull=True,
                        station__isnull=True,
                        unit__isnull=True,
                    )
                    | models.Q(
                        role__in=["public", "admin"],
                        region__isnull=True,
                        station__isnull=True,
                        unit__isnull=True,
                        deputy__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self):
        target = self.region or self.station or self.unit or self.deputy or ""
        return f"{self.user} · {self.get_role_display()} {target}".strip()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.user} · {self.expires_at:%Y-%m-%d}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, days: int) -> tuple["ApiToken", str]:
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, key_hash=cls.hash(raw), expires_at=timezone.now() + timezone.timedelta(days=days)
        )
        return token, raw


class LoginFailure(models.Model):
    """A failed login, kept for the throttle and for the security log."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class CodePurpose(models.TextChoices):
    LOGIN = "login", _("短信验证码登录")
    RESET = "reset", _("找回密码")
    # A member of the public proves a phone number to rate once (issue 18: a public satisfaction survey).
    RATING = "rating", _("公众测评验证")


class SmsCode(models.Model):
    """One six-digit code sent to a phone: valid for a few minutes, used once. Only its hash is stored.

    A row is kept also when no active login has the phone (nothing is sent then), so the limits per phone and
    per address count every request and the answer does not tell who has a login."""

    phone = models.CharField(_("手机号码"), max_length=20, db_index=True)
    purpose = models.CharField(_("用途"), max_length=8, choices=CodePurpose.choices)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")

    def __str__(self):
        return f"{self.phone} {self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class SignInLink(models.Model):
    """A one-time sign-in link (sent by SMS or printed as a QR code on a slip). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signin_links")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("一次性登录链接")
        verbose_name_plural = _("一次性登录链接")

    def __str__(self):
        return f"{self.user} · {self.expires_at:%Y-%m-%d}"

"""Accounts an office runs itself (issue 17, part 1): which logins an office manages, and every write on them.

Reach, in one place: a county office manages its towns' office logins and the staff of its county's
handling units; a town office manages the staff of its own units, its stations' keepers and its deputies'
logins. A login is the office's when every role it holds lies within that reach (someone who is also
another town's office is not this town's to reset). Anything else looks exactly like a missing login (404,
the refusal logged). Django's admin stays the system administrator's alone (admin.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from operator import or_

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import record
from apps.common import conf
from apps.common.errors import DomainError, NotFound, ValidationFailed, field_error

from . import permissions as perms
from .errors import ErrorCode
from .models import ApiToken, Role, RoleGrant, SignInLink, User
from .scopes import deny, grants_of, is_admin, records_refusals

# The roles an office may grant, by the office's own role.
GRANTABLE = {
    Role.COUNTY_OFFICE: (Role.TOWN_OFFICE, Role.UNIT_STAFF),
    Role.TOWN_OFFICE: (Role.UNIT_STAFF, Role.STATION_KEEPER, Role.DEPUTY),
}
# How a new or reset login reaches its person.
PASSWORD, SMS, SLIP = "password", "sms", "slip"
DELIVERIES = (PASSWORD, SMS, SLIP)
# No 0/O, 1/l/I: read off a printed slip.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class RoleOutOfReach(DomainError):
    status = 403
    code = ErrorCode.ROLE_OUT_OF_REACH
    default_message = _("只能在本辖区内授予本级可授予的角色")


@dataclass
class Issued:
    """What an office hands a person once: an initial password and/or a one-time sign-in link."""

    user: User
    password: str = ""
    link: str = ""
    sms_sent: bool = False


@dataclass(frozen=True)
class Reach:
    counties: frozenset[int]
    towns: frozenset[int]
    everything: bool = False


def reach_of(actor) -> Reach:
    if is_admin(actor):
        return Reach(frozenset(), frozenset(), everything=True)
    grants = grants_of(actor)
    counties = {g.region_id for g in grants if g.role == Role.COUNTY_OFFICE and g.region.level == "county"}
    towns = {g.region_id for g in grants if g.role == Role.TOWN_OFFICE and g.region.level == "town"}
    return Reach(frozenset(counties), frozenset(towns))


def _grant_q(reach: Reach) -> Q | None:
    """The role grants within the reach; None: all of them."""
    if reach.everything:
        return None
    parts = []
    if reach.counties:
        parts += [
            Q(role=Role.TOWN_OFFICE, region__level="town", region__county_id__in=reach.counties),
            Q(role=Role.UNIT_STAFF, unit__county_id__in=reach.counties),
        ]
    if reach.towns:
        parts += [
            Q(role=Role.UNIT_STAFF, unit__town_id__in=reach.towns),
            Q(role=Role.STATION_KEEPER, station__town_id__in=reach.towns),
            Q(role=Role.DEPUTY, deputy__town_id__in=reach.towns),
        ]
    return reduce(or_, parts) if parts else Q(pk__in=[])


def managed_users(actor) -> QuerySet:
    """The logins the actor manages: every role they hold lies within the actor's reach."""
    q = _grant_q(reach_of(actor))
    users = User.objects.filter(is_superuser=False).exclude(pk=getattr(actor, "pk", None))
    if q is None:
        return users.order_by("username")
    inside = RoleGrant.objects.filter(q).values("user_id")
    outside = RoleGrant.objects.exclude(q).values("user_id")
    return users.filter(pk__in=inside).exclude(pk__in=outside).order_by("username")


def with_grants(users: QuerySet) -> QuerySet:
    """A list of logins with their grants and what each is scoped to: one query for all the grants whatever
    their kinds (a prefetch per relation would skip the empty ones and vary with the rows)."""
    scoped = RoleGrant.objects.select_related("region", "station", "unit", "deputy")
    return users.prefetch_related(Prefetch("grants", queryset=scoped))


def get_managed(actor, user_id: int, *, for_update: bool = False) -> User:
    """The login if the actor manages it; otherwise 404 exactly like a missing one (the refusal logged)."""
    qs = managed_users(actor) if perms.holds(actor, perms.ACCOUNTS_MANAGE) else User.objects.none()
    user = qs.filter(pk=user_id).first()
    if user is not None:
        return User.objects.select_for_update().get(pk=user.pk) if for_update else user
    hidden = User.objects.filter(pk=user_id).first()
    if hidden is None:
        raise NotFound()
    deny(actor, perms.ACCOUNTS_MANAGE, hidden, hidden=True)


def _in_reach(reach: Reach, role: str, scope: dict) -> bool:
    if reach.everything:
        return True
    if role == Role.TOWN_OFFICE and (region := scope.get("region")) is not None:
        return region.level == "town" and region.county_id in reach.counties
    if role == Role.UNIT_STAFF and (unit := scope.get("unit")) is not None:
        return unit.county_id in reach.counties or unit.town_id in reach.towns
    if role == Role.STATION_KEEPER and (station := scope.get("station")) is not None:
        return station.town_id in reach.towns
    if role == Role.DEPUTY and (deputy := scope.get("deputy")) is not None:
        return deputy.town_id in reach.towns
    return False


def scope_for(actor, role: str, target_id: int) -> dict:
    """The grant's scope for `role` from the id of what it is scoped to; out of reach looks missing."""
    from apps.people.models import Deputy
    from apps.places.models import HandlingUnit, Region, Station

    models = {
        Role.TOWN_OFFICE: ("region", Region),
        Role.UNIT_STAFF: ("unit", HandlingUnit),
        Role.STATION_KEEPER: ("station", Station),
        Role.DEPUTY: ("deputy", Deputy),
    }
    allowed = {r for roles in GRANTABLE.values() for r in roles}
    if role not in allowed or role not in models:
        raise field_error("role", _("不能授予该角色"))
    if not _may_grant(actor, role):  # the role itself is not this office's to give: nothing to hide
        raise RoleOutOfReach()
    field, model = models[role]
    obj = model._default_manager.filter(pk=target_id).first()
    if obj is None:
        raise NotFound()
    scope = {field: obj}
    if not _in_reach(reach_of(actor), role, scope):
        deny(actor, perms.ACCOUNTS_MANAGE, obj, hidden=True)
    return scope


def _may_grant(actor, role: str) -> bool:
    if is_admin(actor):
        return True
    return any(role in GRANTABLE.get(g.role, ()) for g in grants_of(actor))


def _check_role(actor, role: str, scope: dict) -> None:
    if not _may_grant(actor, role) or not _in_reach(reach_of(actor), role, scope):
        raise RoleOutOfReach()


def new_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


def check_password_policy(password: str, user=None, field: str = "new_password") -> None:
    """Django's validators (settings.AUTH_PASSWORD_VALIDATORS), their messages beside the field."""
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            _("新密码不符合密码规则"), code=ErrorCode.PASSWORD_WEAK, fields={field: list(exc.messages)}
        ) from None


def issue_link(user: User, base_url: str) -> str:
    """A one-time sign-in link (only its hash is stored)."""
    raw = secrets.token_urlsafe(24)
    SignInLink.objects.create(
        user=user,
        key_hash=ApiToken.hash(raw),
        expires_at=timezone.now() + timedelta(hours=conf.get("SIGNIN_LINK_HOURS")),
    )
    return base_url.rstrip("/") + reverse("accounts:link", args=[raw])


def _hand_over(user: User, delivery: str, base_url: str) -> Issued:
    """Set a fresh initial password (to change at first sign-in) and make what reaches the person."""
    from apps.notifications import kinds
    from apps.notifications.services import notify_contact

    if delivery not in DELIVERIES:
        raise field_error("delivery", _("请选择发放方式"))
    if delivery == SMS and not user.phone:
        raise field_error("delivery", _("该账号没有手机号码，请改用打印登录条"))
    issued = Issued(user=user)
    password = new_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    if delivery in (PASSWORD, SLIP):
        issued.password = password
    if delivery in (SMS, SLIP):
        issued.link = issue_link(user, base_url)
    if delivery == SMS:
        name = str(user)
        notify_contact(
            phone=user.phone,
            text=str(_("%(name)s，您的人大履职平台账号已开通，请用此一次性链接登录并设置密码：%(link)s"))
            % {"name": name, "link": issued.link},
            kind=kinds.SIGNIN_LINK,
            params={"name": name, "link": issued.link},
            dedupe_key=f"signin-link:{user.pk}:{secrets.token_hex(8)}",
        )
        issued.sms_sent = True
    return issued


@records_refusals()
def create_login(
    *, actor, phone: str, display_name: str, role: str, target_id: int, delivery: str, base_url: str
) -> Issued:
    """A new login (the phone number as its name) with one role in the office's reach."""
    from apps.people.rules import validate_phone

    perms.require(actor, perms.ACCOUNTS_MANAGE)
    phone = (phone or "").strip()
    if problem := validate_phone(phone):
        raise field_error("phone", problem)
    if not (display_name or "").strip():
        raise field_error("display_name", _("请填写姓名"))
    with transaction.atomic():
        scope = scope_for(actor, role, target_id)
        _check_role(actor, role, scope)
        if User.objects.filter(Q(username=phone) | Q(phone=phone)).exists():
            raise ValidationFailed(
                _("该手机号码已有账号"),
                code=ErrorCode.LOGIN_EXISTS,
                fields={"phone": [_("该手机号码已有账号")]},
            )
        user = User.objects.create(username=phone, phone=phone, display_name=display_name.strip())
        grant = RoleGrant.objects.create(user=user, role=role, **scope)
        issued = _hand_over(user, delivery, base_url)
        record(
            actor=actor,
            action="accounts.user.created",
            obj=user,
            summary={"role": role, "scope": str(grant), "delivery": delivery},
        )
    return issued


@records_refusals()
def reset_password(*, actor, user_id: int, delivery: str, base_url: str) -> Issued:
    """A fresh initial password (and/or a one-time link); the person sets their own at next sign-in."""
    perms.require(actor, perms.ACCOUNTS_MANAGE)
    with transaction.atomic():
        user = get_managed(actor, user_id, for_update=True)
        issued = _hand_over(user, delivery, base_url)
        record(actor=actor, action="accounts.password.reset", obj=user, summary={"delivery": delivery})
    return issued


@records_refusals()
def set_active(*, actor, user_id: int, active: bool, reason: str = "") -> User:
    perms.require(actor, perms.ACCOUNTS_MANAGE)
    with transaction.atomic():
        user = get_managed(actor, user_id, for_update=True)
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
            record(
                actor=actor,
                action="accounts.user.enabled" if active else "accounts.user.disabled",
                obj=user,
                reason=reason,
            )
    return user


@records_refusals()
def add_grant(*, actor, user_id: int, role: str, target_id: int) -> RoleGrant:
    """Give a managed login one more role, within the office's reach."""
    perms.require(actor, perms.ACCOUNTS_MANAGE)
    with transaction.atomic():
        user = get_managed(actor, user_id, for_update=True)
        scope = scope_for(actor, role, target_id)
        _check_role(actor, role, scope)
        grant = RoleGrant.objects.filter(user=user, role=role, **scope).first()
        if grant is None:
            grant = RoleGrant.objects.create(user=user, role=role, **scope)
            record(actor=actor, action="accounts.grant.created", obj=grant, summary={"user": user.username})
    return grant


@records_refusals()
def remove_grant(*, actor, user_id: int, grant_id: int) -> None:
    perms.require(actor, perms.ACCOUNTS_MANAGE)
    with transaction.atomic():
        user = get_managed(actor, user_id, for_update=True)
        grant = RoleGrant.objects.filter(pk=grant_id, user=user).first()
        if grant is None:
            raise NotFound()
        if RoleGrant.objects.filter(user=user).count() == 1:
            raise DomainError(_("账号至少保留一个角色；如需停用，请停用账号"), code=ErrorCode.LAST_GRANT)
        record(actor=actor, action="accounts.grant.removed", obj=user, summary={"grant": str(grant)})
        grant.delete()


# --- deputies' logins, in bulk from the register, and their end with the mandate ----------------------------


@dataclass
class Bulk:
    issued: list[Issued]
    skipped: list[tuple[object, str]]  # (deputy, why)


def _login_name(deputy) -> str:
    return deputy.phone if deputy.phone else f"deputy{deputy.pk}"


@records_refusals()
def bulk_deputy_logins(
    *, actor, town_id: int, deputy_ids: list[int] | None, delivery: str, base_url: str
) -> Bulk:
    """One login per deputy of the town's register who has none yet (a person with two mandates is one
    deputy, so one login), the phone number as the login name; a deputy without a phone gets a printed slip
    whatever was chosen. Audited per login and once for the batch."""
    from apps.people.models import Deputy, MandateStatus
    from apps.places.models import Region

    town = Region.objects.filter(pk=town_id, level="town").first()
    if town is None:
        raise NotFound()
    perms.require_in(actor, perms.DEPUTY_LOGINS, town)
    if delivery not in DELIVERIES:
        raise field_error("delivery", _("请选择发放方式"))
    result = Bulk([], [])
    with transaction.atomic():
        deputies = Deputy.objects.filter(town=town).select_for_update().order_by("name_pinyin", "pk")
        if deputy_ids is not None:
            deputies = deputies.filter(pk__in=deputy_ids)
        for deputy in deputies:
            if deputy.user_id:
                result.skipped.append((deputy, _("已有账号")))
                continue
            if not deputy.mandates.filter(status=MandateStatus.IN_OFFICE).exists():
                result.skipped.append((deputy, _("无在任代表资格")))
                continue
            name = _login_name(deputy)
            if User.objects.filter(Q(username=name) | Q(phone=name)).exists():
                result.skipped.append((deputy, _("该手机号码已被其他账号使用")))
                continue
            user = User.objects.create(username=name, phone=deputy.phone or None, display_name=deputy.name)
            RoleGrant.objects.create(user=user, role=Role.DEPUTY, deputy=deputy)
            deputy.user = user
            deputy.save(update_fields=["user"])
            issued = _hand_over(user, delivery if deputy.phone else SLIP, base_url)
            record(
                actor=actor,
                action="accounts.user.created",
                obj=user,
                summary={"role": Role.DEPUTY, "deputy": deputy.pk, "delivery": delivery},
            )
            result.issued.append(issued)
        record(
            actor=actor,
            action="accounts.deputy_logins.created",
            obj=town,
            summary={"created": len(result.issued), "skipped": len(result.skipped), "delivery": delivery},
        )
    return result


def mandate_ended(deputy) -> bool:
    """Whether the person is no longer a deputy: the deputy's status ended, or no mandate is left in office
    or suspended (a suspended deputy keeps the login)."""
    from apps.people.models import MandateStatus

    live = (MandateStatus.IN_OFFICE, MandateStatus.SUSPENDED)
    if deputy.status not in live:
        return True
    mandates = deputy.mandates.all()
    return mandates.exists() and not mandates.filter(status__in=live).exists()


def end_deputy_login(deputy) -> list[User]:
    """The platform itself disables the login of a deputy whose mandate ended or was recalled; a login that
    also holds another role only loses its deputy role. Audited as the platform's (no actor)."""
    if not mandate_ended(deputy):
        return []
    ended = []
    with transaction.atomic():
        grants = RoleGrant.objects.filter(role=Role.DEPUTY, deputy=deputy).select_related("user")
        users = {g.user for g in grants}
        if deputy.user_id:
            users.add(deputy.user)
        for user in users:
            others = RoleGrant.objects.filter(user=user).exclude(role=Role.DEPUTY, deputy=deputy)
            if others.exists():
                RoleGrant.objects.filter(user=user, role=Role.DEPUTY, deputy=deputy).delete()
                record(actor=None, action="accounts.grant.removed", obj=user, reason=str(_("代表资格终止")))
            elif user.is_active:
                User.objects.filter(pk=user.pk).update(is_active=False)
                ApiToken.objects.filter(user=user).delete()
                record(
                    actor=None,
                    action="accounts.user.disabled",
                    obj=user,
                    summary={"deputy": deputy.pk, "status": deputy.status},
                    reason=str(_("代表资格终止，账号自动停用")),
                )
            ended.append(user)
    return ended

"""The one permission layer: who may see and change what.

Every scoped model declares, next to its fields, a `scope = Scope(...)` naming the paths from the model to the
things a grant can be scoped to (county, town, station, handling unit, deputy). A user's role grants turn into
one `Q` per grant; `visible_to` ORs them together. Pages, API endpoints and selectors all start from
`visible_to`, so region scoping is written once, here, and cannot be forgotten in a view.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import NoReturn

from django.db import transaction
from django.db.models import Model, Q, QuerySet

from .models import Role, RoleGrant

VIEW, CHANGE = "view", "change"

# Which actions each role may take on what its grant covers.
ROLE_ACTIONS: dict[str, set[str]] = {
    Role.COUNTY_OFFICE: {VIEW, CHANGE},
    Role.TOWN_OFFICE: {VIEW, CHANGE},
    Role.STATION_KEEPER: {VIEW},
    Role.DEPUTY: {VIEW},
    Role.UNIT_STAFF: {VIEW},
}


@dataclass(frozen=True)
class Scope:
    """Paths (Django lookups) from a model to what grants are scoped to; None where a role sees nothing.
    A tuple of paths means any of them (a suggestion is a deputy's when they signed it, signed one merged
    into it, or supervise it)."""

    county: str | None = "county"
    town: str | None = "town"
    station: str | None = None
    unit: str | None = None
    deputy: str | tuple[str, ...] | None = None
    # Rows only the deputies the `deputy` paths name may see, and the user `author` names (a deputy's draft:
    # DOMAIN §4, private to its author and the co-signers invited until submitted); office, station and
    # unit grants do not reach them.
    private: Q | None = None
    author: str | None = None


def _path_q(path, value) -> Q:
    if isinstance(path, tuple):
        return reduce(or_, (Q(**{p: value}) for p in path))
    return Q(**{path: value})


def grants_of(user) -> list[RoleGrant]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_renda_grants", None)
    if cached is None:
        cached = list(RoleGrant.objects.filter(user=user).select_related("region"))
        user._renda_grants = cached
    return cached


def roles_of(user) -> set[str]:
    roles = {g.role for g in grants_of(user)}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    return roles


def own_deputy_id(user) -> int | None:
    """The deputy a deputy's login is (their deputy grant), from the grants cached on the user."""
    return next((g.deputy_id for g in grants_of(user) if g.role == Role.DEPUTY and g.deputy_id), None)


def own_deputy(user):
    """The `Deputy` a deputy's login is, or None."""
    return next((g.deputy for g in grants_of(user) if g.role == Role.DEPUTY and g.deputy_id), None)


def is_admin(user) -> bool:
    return Role.ADMIN in roles_of(user)


def is_staff_role(user) -> bool:
    from .models import STAFF_ROLES

    return bool(roles_of(user) & STAFF_ROLES)


def _region_q(scope: Scope, region) -> Q | None:
    # Offices are granted a county or a town; a county grant covers every town in it.
    if region.level == "county" and scope.county:
        return Q(**{scope.county: region.pk})
    if region.level == "town" and scope.town:
        return Q(**{scope.town: region.pk})
    if region.level in ("province", "city") and scope.county:
        return Q(**{f"{scope.county}__path__startswith": region.path})
    return None


def _grant_q(scope: Scope, grant: RoleGrant) -> Q | None:
    if grant.role in (Role.COUNTY_OFFICE, Role.TOWN_OFFICE):
        return _region_q(scope, grant.region)
    if grant.role == Role.STATION_KEEPER and scope.station:
        return _path_q(scope.station, grant.station_id)
    if grant.role == Role.UNIT_STAFF and scope.unit:
        return _path_q(scope.unit, grant.unit_id)
    if grant.role == Role.DEPUTY and scope.deputy:
        return _path_q(scope.deputy, grant.deputy_id)
    return None


def _roles_for(action) -> frozenset[str] | set[str]:
    """The roles that may take `action` on what their grant covers: `VIEW`/`CHANGE`, or a capability of
    `accounts.permissions` (then its own roles)."""
    roles = getattr(action, "roles", None)
    if roles is not None:
        return roles
    return {role for role, actions in ROLE_ACTIONS.items() if action in actions}


def scope_q(user, model: type[Model], action=VIEW) -> Q | None:
    """The filter for what `user` may `action` (or: hold a capability over) on `model`; None means
    everything (admins)."""
    if is_admin(user):
        return None
    scope: Scope = model.scope
    wanted = _roles_for(action)
    parts = [q for g in grants_of(user) if g.role in wanted for q in [_grant_q(scope, g)] if q is not None]
    if parts and scope.private is not None:
        parts = [q if g.role == Role.DEPUTY else q & ~scope.private for g, q in _granted(user, scope, wanted)]
        if scope.author:
            parts.append(Q(**{scope.author: user.pk}))
    if not parts:
        return Q(pk__in=[])
    return reduce(or_, parts)


def scope_key(user) -> tuple:
    """All `scope_q` depends on for this user, hashable: the login, whether an admin, and each grant (role,
    region with its level and path, station, unit, deputy). Two calls with equal keys give the same filter,
    so a statement compiled for one may run for the other (`common.statements`)."""
    grants = sorted(
        (
            g.role,
            g.region_id or 0,
            g.region.level if g.region_id else "",
            g.region.path if g.region_id else "",
            g.station_id or 0,
            g.unit_id or 0,
            g.deputy_id or 0,
        )
        for g in grants_of(user)
    )
    return (getattr(user, "pk", None), is_admin(user), tuple(grants))


def _granted(user, scope: Scope, wanted):
    return [
        (g, q) for g in grants_of(user) if g.role in wanted for q in [_grant_q(scope, g)] if q is not None
    ]


def visible_to(user, model_or_qs: type[Model] | QuerySet, action=VIEW) -> QuerySet:
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    q = scope_q(user, qs.model, action)
    return qs if q is None else qs.filter(q)


def can(user, action, obj: Model) -> bool:
    return visible_to(user, type(obj), action).filter(pk=obj.pk).exists()


def covers_region(user, region, action=CHANGE) -> bool:
    """Whether one of the user's office grants covers `region` (for creating things there); `action` may
    be a capability, then only grants of its roles count."""
    if is_admin(user):
        return True
    wanted = _roles_for(action)
    for g in grants_of(user):
        if g.role not in (Role.COUNTY_OFFICE, Role.TOWN_OFFICE) or g.role not in wanted:
            continue
        if g.region.level == "county" and region.county_id == g.region_id:
            return True
        if g.region.level == "town" and region.town_id == g.region_id:
            return True
        if g.region.level in ("province", "city") and (region.path or "").startswith(g.region.path):
            return True
    return False


def office_regions(user):
    """The regions the user works in as county or town office, widest first."""
    return sorted(
        (g.region for g in grants_of(user) if g.role in (Role.COUNTY_OFFICE, Role.TOWN_OFFICE)),
        key=lambda r: len(r.code),
    )


class Refusal:
    """A refused access: one `access.denied` event for the audit log, written exactly once and never inside
    a transaction (it would roll back with the refusal; the audit chain's lock is held to the end of a
    transaction, so it cannot go through a second connection either)."""

    def __init__(self, user, action, obj, object_type: str, object_id: str):
        self.user, self.action, self.obj = user, str(action), obj
        self.object_type, self.object_id = object_type or None, object_id or None
        self.written = False

    def write(self) -> bool:
        """Append the event now, unless written already, a transaction is still open or the refusal is left
        to a retry (`refusals_left_to_retry`); True if written."""
        from apps.audit.services import record

        if self.written or in_transaction() or _LEFT_TO_RETRY.get():
            return False
        self.written = True
        record(
            actor=self.user,
            action="access.denied",
            obj=self.obj,
            object_type=self.object_type,
            object_id=self.object_id,
            summary={"attempted": self.action},
        )
        return True


def in_transaction(using=None) -> bool:
    """Whether the code has a transaction open (a test case's own wrapping transaction does not count)."""
    blocks = transaction.get_connection(using).atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def deny(
    user,
    action,
    obj=None,
    *,
    object_type: str = "",
    object_id: str = "",
    hidden: bool = False,
    message=None,
    code=None,
) -> NoReturn:
    """Refuse: raise NotFound (reads, and anything `hidden` from the user: they cannot even see it) or
    PermissionDenied (saying `message`, if given, instead of the general words, with an app's own `code`, if
    given, instead of `permission_denied`), and log the refusal in the audit trail.

    Outside a transaction the event is written at once. Inside one it travels on the exception
    (`exc.refusal`) and is written after the rollback by whoever catches it: the API's error handler, the
    page middleware, or `records_refusals()` around the service's `transaction.atomic()`."""
    from apps.common.errors import NotFound, PermissionDenied, hold_refusal

    refusal = Refusal(user, action, obj, object_type, object_id)
    exc = NotFound() if action == VIEW or hidden else PermissionDenied(message, code=code)
    exc.refusal = refusal
    if not refusal.write():
        hold_refusal(refusal)
    raise exc


@contextmanager
def records_refusals():
    """Around a service's own transaction, so that a refusal inside it is logged once the block has rolled
    back, also when the service is called directly (tests, management commands, huey tasks):

        with records_refusals(), transaction.atomic():
            ...

    or `@records_refusals()` on the service. Inside an outer transaction the refusal is left to the next
    one out; a refusal already written is not written again."""
    from apps.common.errors import record_refusal

    try:
        yield
    except Exception as exc:
        record_refusal(exc)
        raise


# Set while an attempt runs whose refusals are left to a retry (`refusals_left_to_retry`).
_LEFT_TO_RETRY: ContextVar[bool] = ContextVar("renda_refusals_left_to_retry", default=False)


@contextmanager
def refusals_left_to_retry():
    """Around an attempt that, refused, is made again in full by another path which records the refusal
    (the ballot fast path hands every refused ballot to Django, which runs the same `cast` again): nothing
    refused inside is written, so each refusal is logged once, by the retry."""
    token = _LEFT_TO_RETRY.set(True)
    try:
        yield
    finally:
        _LEFT_TO_RETRY.reset(token)


def get_or_deny(user, model: type[Model], action=VIEW, **lookup):
    """The object if `user` may `action` it (or holds that capability over it); otherwise log the refusal
    and raise. An object the user cannot even see answers 404 exactly like a missing one, for writes as
    for reads; only one they see but may not change answers 403."""
    from apps.common.errors import NotFound

    obj = visible_to(user, model, action).filter(**lookup).first()
    if obj is not None:
        return obj
    hidden = model._default_manager.filter(**lookup).first()
    if hidden is None:
        raise NotFound()
    deny(user, action, hidden, hidden=action == VIEW or not can(user, VIEW, hidden))


def deny_unless_seen(user, action, obj, **kwargs):
    """Refuse `action` on `obj`: 403 if the user can see it, 404 (as if missing) if not; logged either way."""
    deny(user, action, obj, hidden=obj is not None and not can(user, VIEW, obj), **kwargs)


def require_region(user, region, action=CHANGE):
    if not covers_region(user, region, action):
        deny_unless_seen(user, action, region)

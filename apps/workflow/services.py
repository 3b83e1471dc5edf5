"""The workflow engine: the one place where a tracked item changes state.

`transition` checks the move against the item's workflow (apps/<app>/workflow.py), checks the actor's role
over the item through the permission layer, applies the transition's own field changes, sets the next
deadline through the calendar helper, writes the step and the audit event in the same transaction, and
tells the audiences after commit. Two people acting on the same item at once: the row lock (PostgreSQL)
and the conditional update on `version` (every database) let exactly one succeed.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.accounts.scopes import CHANGE, _grant_q, deny, grants_of, is_admin
from apps.audit.services import _json_safe, record
from apps.common.errors import ValidationFailed

from .errors import Conflict, IllegalTransition
from .machine import SYSTEM, Transition, Workflow
from .models import Step


def actor_roles(user, item) -> set[str]:
    """The roles `user` holds over this very item (a town office over an item of its town, the unit it is
    assigned to, the deputy who received it ...), read through the model's `scope`."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if is_admin(user):
        return {r.value for r in Role}
    model = type(item)
    roles: set[str] = set()
    for grant in grants_of(user):
        if grant.role in roles:
            continue
        q = _grant_q(model.scope, grant)
        if q is not None and model._default_manager.filter(q, pk=item.pk).exists():
            roles.add(grant.role)
    return roles


def allowed(user, item, t: Transition, roles: set[str] | None = None) -> bool:
    roles = actor_roles(user, item) if roles is None else roles
    return item.state in t.sources and bool(roles & t.roles)


def available(user, item, today=None) -> list[tuple[Transition, str | None]]:
    """Transitions this user may take on the item now, each with the guard's objection (None: open)."""
    today = today or timezone.localdate()
    roles = actor_roles(user, item)
    out = []
    for t in item.workflow.from_state(item.state):
        if roles & t.roles:
            out.append((t, t.guard(item, today) if t.guard else None))
    return out


def transition(
    item,
    key: str,
    *,
    actor,
    reason: str = "",
    data: dict | None = None,
    expected_version: int | None = None,
    today=None,
    system: bool = False,
):
    """Move `item` by the transition `key`; returns the fresh item. Raises IllegalTransition, Conflict,
    PermissionDenied or ValidationFailed, and then nothing has changed. `system=True` is for steps the
    platform takes by itself (e.g. after the last rating); only transitions declared with the SYSTEM role
    accept it, and the step is recorded without a person."""
    wf: Workflow = type(item).workflow
    t = wf.transition(key)
    if t is None:
        raise IllegalTransition(_("没有这个操作：%(key)s") % {"key": key})
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    model = type(item)
    with transaction.atomic():
        fresh = model._default_manager.select_for_update().get(pk=item.pk)
        if expected_version is not None and fresh.version != expected_version:
            raise Conflict()
        if fresh.state not in t.sources:
            raise IllegalTransition(
                _("当前状态为「%(state)s」，不能「%(action)s」")
                % {"state": wf.state(fresh.state).label, "action": t.label}
            )
        if system:
            if SYSTEM not in t.roles:
                raise IllegalTransition(_("该操作不能由系统自动进行"))
        elif not (actor_roles(actor, fresh) & t.roles):
            deny(actor, CHANGE, fresh)
        if t.reason_required and not reason:
            raise ValidationFailed(_("请填写理由"), fields={"reason": [_("请填写理由")]})
        objection = t.guard(fresh, today) if t.guard else None
        if objection:
            raise IllegalTransition(objection)
        step = _move(
            fresh,
            t,
            wf,
            actor=None if system else actor,
            reason=reason,
            data=data or {},
            today=today,
            nobody=_("系统") if system else _("公众"),
        )
    # robust: a notification failure is logged and never turns a committed change into an error page
    transaction.on_commit(lambda: _tell(fresh, t, step), robust=True)
    return fresh


def _move(fresh, t: Transition, wf: Workflow, *, actor, reason, data, today, nobody) -> Step:
    from_state, old_due = fresh.state, fresh.due_date
    watched = [f.attname for f in fresh._meta.concrete_fields]
    before = {f: getattr(fresh, f) for f in watched}
    if t.apply:
        t.apply(fresh, data, actor, today)
    on_time = None if old_due is None else today <= old_due
    fresh.state = t.target
    fresh.state_since = timezone.now()
    target = wf.state(t.target)
    due = target.due.resolve(today) if target.due else None
    # A step may set its own deadline (an approved extension counts from the assignment, not from today).
    override = getattr(fresh, "_due_override", None)
    if override is not None:
        due = override
    fresh.due_date = due.due if due else None
    fresh.due_provisional = bool(due and due.provisional)
    fresh.escalated_at = None
    # Compare-and-set on version: a second writer who read the same version updates nothing.
    won = (
        type(fresh)
        ._default_manager.filter(pk=fresh.pk, version=fresh.version)
        .update(version=F("version") + 1)
    )
    if not won:
        raise Conflict()
    fresh.version += 1
    fresh.save()
    diff = {
        f: [before[f], getattr(fresh, f)]
        for f in watched
        if before[f] != getattr(fresh, f) and f not in ("version", "state_since")
    }
    user = actor if getattr(actor, "is_authenticated", False) else None
    step = Step.objects.create(
        content_type=ContentType.objects.get_for_model(fresh),
        object_id=fresh.pk,
        transition=t.key,
        from_state=from_state,
        to_state=t.target,
        actor=user,
        actor_label=(getattr(user, "display_name", "") or user.get_username()) if user else nobody,
        reason=reason,
        summary=_json_safe(diff),
        on_time=on_time,
        due_date=fresh.due_date,
    )
    record(
        actor=actor,
        action=f"{wf.key}.{t.key}",
        obj=fresh,
        summary={"from": from_state, "to": t.target, "changes": diff},
        reason=reason,
    )
    return step


def _tell(item, t: Transition, step: Step):
    hook = getattr(item, "after_transition", None)
    if hook:
        hook(t, step)
    if not t.notify:
        return
    from apps.notifications.services import notify

    wf = item.workflow
    title = _("%(item)s：%(action)s") % {"item": str(item), "action": t.label}
    body = _("当前状态：%(state)s") % {"state": wf.state(item.state).label}
    if item.due_date:
        body += _("，办理时限 %(due)s") % {"due": item.due_date.isoformat()}
    for audience in t.notify:
        notify(
            recipients=item.audience(audience),
            kind=f"{wf.key}.{t.key}",
            title=title,
            body=body,
            url=item.get_absolute_url(),
            obj=item,
            dedupe_key=f"step:{step.pk}:{audience}",
        )


def create_tracked(model, *, actor, fields: dict, reason: str = ""):
    """Create a tracked item in its workflow's initial state, with its first step and audit event."""
    wf: Workflow = model.workflow
    today = timezone.localdate()
    state = wf.state(wf.initial)
    due = state.due.resolve(today) if state.due else None
    with transaction.atomic():
        item = model(
            **fields,
            state=wf.initial,
            due_date=due.due if due else None,
            due_provisional=bool(due and due.provisional),
        )
        try:
            item.full_clean(exclude=["county", "town", "state_since"])
        except DjangoValidationError as e:
            raise ValidationFailed(fields=e.message_dict) from e
        item.save()
        user = actor if getattr(actor, "is_authenticated", False) else None
        Step.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            transition="create",
            to_state=wf.initial,
            actor=user,
            actor_label=(getattr(user, "display_name", "") or user.get_username()) if user else _("公众"),
            reason=reason,
            due_date=item.due_date,
        )
        record(
            actor=actor,
            action=f"{wf.key}.create",
            obj=item,
            summary={"to": wf.initial, "fields": _json_safe({k: str(v) for k, v in fields.items()})},
            reason=reason,
        )
    return item


def steps_of(item):
    return Step.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    ).select_related("actor")

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
from ninja import Schema

from apps.accounts.models import Role
from apps.accounts.permissions import roles_over
from apps.accounts.scopes import CHANGE, deny_unless_seen, records_refusals, roles_of
from apps.audit.services import _json_safe, record
from apps.common.errors import ValidationFailed

from .effects import StepContext
from .errors import Conflict, IllegalTransition
from .inputs import parse
from .machine import Transition, Workflow
from .models import Step
from .moves import advance, state_deadline


def permitted(user, item, t: Transition, roles: set[str] | None = None) -> bool:
    """Whether `user` may take `t` on `item` as far as who they are goes (state and guard aside)."""
    if t.permission is None:
        return False
    roles = roles_over(user, item) if roles is None else roles
    if not roles & t.roles:
        return False
    return t.who is None or Role.ADMIN in roles_of(user) or bool(t.who(item, user))


def available(user, item, today=None) -> list[tuple[Transition, str | None]]:
    """Transitions this user may take on the item now, each with the guard's objection (None: open)."""
    today = today or timezone.localdate()
    roles = roles_over(user, item)
    out = []
    for t in item.workflow.from_state(item.state):
        if permitted(user, item, t, roles):
            out.append((t, t.guard(item, user, today) if t.guard else None))
    return out


def transition(
    item,
    key: str,
    *,
    actor,
    reason: str = "",
    data=None,
    expected_version: int | None = None,
    today=None,
    system: bool = False,
):
    """Move `item` by the transition `key`; returns the fresh item. `data` is the step's input (a dict, a
    form's POST or the schema instance), validated against the transition's schema. Raises
    IllegalTransition, Conflict, PermissionDenied/NotFound or ValidationFailed, and then nothing has changed
    (a refusal is still recorded, after the rollback). `system=True` is for steps the platform takes by
    itself; only transitions declared `system` accept it, and the step is recorded without a person."""
    wf: Workflow = type(item).workflow
    t = wf.transition(key)
    if t is None:
        raise IllegalTransition(_("没有这个操作：%(key)s") % {"key": key})
    if reason and not isinstance(data, Schema):
        data = {**_as_dict(data), "reason": reason}
    if expected_version is None:
        expected_version = _version_of(data)
    today = today or timezone.localdate()
    model = type(item)
    with records_refusals(), transaction.atomic():
        fresh = model._default_manager.select_for_update().get(pk=item.pk)
        if expected_version is not None and fresh.version != expected_version:
            raise Conflict()
        if fresh.state not in t.sources:
            raise IllegalTransition(
                _("当前状态为「%(state)s」，不能「%(action)s」")
                % {"state": wf.state(fresh.state).label, "action": t.label}
            )
        if system:
            if not t.system:
                raise IllegalTransition(_("该操作不能由系统自动进行"))
        elif not permitted(actor, fresh, t):
            deny_unless_seen(actor, CHANGE, fresh)
        objection = t.guard(fresh, None if system else actor, today) if t.guard else None
        if objection:
            raise IllegalTransition(objection)
        # The input is read once the step is known to be open to this person now: a step that is not is a
        # 409 or a refusal whatever was sent.
        values = parse(t.input, data or {}).model_dump(exclude={"version"})
        reason = str(values.get("reason") or "").strip()
        ctx = StepContext(
            item=fresh, actor=None if system else actor, data=values, today=today, transition=t, system=system
        )
        _move(ctx, wf, reason=reason, nobody=_("系统") if system else _("公众"))
    # robust: a notification failure is logged and never turns a committed change into an error page
    transaction.on_commit(lambda: _after_commit(ctx), robust=True)
    return fresh


def _version_of(data) -> int | None:
    raw = getattr(data, "version", None) if isinstance(data, Schema) else _as_dict(data).get("version")
    try:
        return None if raw in (None, "") else int(raw)
    except (TypeError, ValueError):
        return None


def _as_dict(data) -> dict:
    if data is None:
        return {}
    if isinstance(data, dict):
        return data
    if hasattr(data, "lists"):  # a QueryDict: keep every value of list fields
        return {k: (v if len(v) > 1 else v[0]) for k, v in data.lists()}
    return dict(data)


def _move(ctx: StepContext, wf: Workflow, *, reason, nobody) -> Step:
    fresh, t, actor = ctx.item, ctx.transition, ctx.actor
    move = advance(ctx, wf, at=timezone.now())
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
    user = actor if getattr(actor, "is_authenticated", False) else None
    ctx.step = Step.objects.create(
        content_type=ContentType.objects.get_for_model(fresh),
        object_id=fresh.pk,
        transition=t.key,
        from_state=move.from_state,
        to_state=t.target,
        actor=user,
        actor_label=(getattr(user, "display_name", "") or user.get_username()) if user else nobody,
        reason=reason,
        summary=_json_safe(move.diff),
        on_time=move.on_time,
        due_date=fresh.due_date,
    )
    for effect in t.effects:
        done = effect.after_save(ctx)
        if done is not None:
            ctx.results[effect.name] = done
    summary = {"from": move.from_state, "to": t.target, "changes": move.diff}
    if t.effects:
        summary["effects"] = _json_safe({e.name: ctx.results.get(e.name) for e in t.effects})
    record(actor=actor, action=f"{wf.key}.{t.event or t.key}", obj=fresh, summary=summary, reason=reason)
    return ctx.step


def _after_commit(ctx: StepContext):
    hook = getattr(ctx.item, "after_transition", None)
    if hook:
        hook(ctx.transition, ctx.step)
    for effect in ctx.transition.effects:
        effect.after_commit(ctx)


def create_tracked(model, *, actor, fields: dict, reason: str = ""):
    """Create a tracked item in its workflow's initial state, with its first step and audit event."""
    wf: Workflow = model.workflow
    today = timezone.localdate()
    with transaction.atomic():
        item = model(**fields, state=wf.initial)
        item.due_date, item.due_provisional = state_deadline(wf)(wf.initial, today, item)
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


def place_imported(model, *, actor, fields: dict, state: str, source: dict, since=None, due_date=None):
    """Create an item brought in from an office's existing ledger (an Excel import) directly in `state`,
    which the engine names as such: its first step is "import" (from no state to `state`, by the importer)
    and its audit event `<workflow>.imported` carries the source (file name, its digest, the row). `since`:
    the day the item entered that state, from which its deadline runs; `due_date` a deadline the ledger
    states. Nothing else places an item in a state other than the initial one without a transition."""
    wf: Workflow = model.workflow
    wf.state(state)  # an unknown state is a programming error here: importers check it per row
    with transaction.atomic():
        item = model(**fields, state=state)
        item.due_date, item.due_provisional = state_deadline(wf)(state, since or timezone.localdate(), item)
        if due_date is not None:
            item.due_date, item.due_provisional = due_date, False
        try:
            item.full_clean(exclude=["county", "town", "state_since"], validate_unique=False)
        except DjangoValidationError as e:
            raise ValidationFailed(fields=e.message_dict) from e
        item.save()
        user = actor if getattr(actor, "is_authenticated", False) else None
        Step.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            transition="import",
            to_state=state,
            actor=user,
            actor_label=(getattr(user, "display_name", "") or user.get_username()) if user else _("系统"),
            reason=_("导入已有台账"),
            summary=_json_safe(source),
            due_date=item.due_date,
        )
        record(
            actor=actor,
            action=f"{wf.key}.imported",
            obj=item,
            summary={"to": state, "imported": True, "source": _json_safe(source)},
            reason=_("导入已有台账"),
        )
    return item

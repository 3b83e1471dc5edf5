"""The one way to write the audit log. Every service that changes state calls `record`."""

import json
import logging
from contextvars import ContextVar

from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditEvent

logger = logging.getLogger("renda.audit")
GENESIS = "0" * 64
_PG_LOCK_KEY = 7_310_001  # one advisory lock serialises appends, so the chain never forks
# Called with the action of every event appended: apps.py sets the signed checkpoints' trigger there
# (tasks.schedule_after_commit, issue 22), which imports this module, so it is not imported here.
after_record = None


def _json_safe(value):
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def object_label(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk)
    return type(obj).__name__, ""


def record(
    *,
    actor,
    action: str,
    obj=None,
    summary: dict | None = None,
    reason: str = "",
    ip: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEvent:
    """Append one event; joins the caller's transaction so the event and the change commit together."""
    otype, oid = object_label(obj)
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        at=timezone.now(),
        actor=user,
        actor_label=(user.get_username() if user else "anonymous"),
        # As the database will give it back (IPv6 written short), so the link computed now verifies later.
        ip=AuditEvent._meta.get_field("ip").get_prep_value(ip or current_ip()) or None,
        action=action,
        object_type=object_type if object_type is not None else otype,
        object_id=str(object_id) if object_id is not None else oid,
        summary=_json_safe(summary or {}),
        reason=reason or "",
    )
    # No savepoint: an event that cannot be written fails the caller's whole transaction, as it should.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            _append_on_postgresql(event)
        else:  # SQLite has one writer at a time: read the last link, then insert
            last = AuditEvent.objects.order_by("-seq").values_list("seq", "entry_hash").first()
            event.seq, event.prev_hash = last[0] + 1 if last else 1, last[1] if last else GENESIS
            event.entry_hash = event.compute_hash()
            event.save()
    if after_record is not None:
        after_record(action)
    return event


def _append_on_postgresql(event: AuditEvent) -> None:
    """One statement (`audit_append`, migration 0002): take the chain's lock, read the last link, insert.
    The lock is held to the end of the caller's transaction, so the fewer round trips under it, the more
    writers a second the chain takes (every ballot of a congress is one)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT new_id, new_seq, new_prev, new_hash"
            " FROM audit_append(%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s)",
            [
                _PG_LOCK_KEY,
                event.at,
                event.actor_id,
                event.actor_label,
                event.ip,
                event.action,
                event.object_type,
                event.object_id,
                json.dumps(event.summary, ensure_ascii=False),
                event.reason,
                event.content_hash(),
            ],
        )
        event.pk, event.seq, event.prev_hash, event.entry_hash = cur.fetchone()
    event._state.adding = False
    event._state.db = connection.alias


def changes(instance, fields, before: dict | None = None) -> dict:
    """A summary of which fields changed: {field: [old, new]} (new objects: {field: value})."""
    after = {f: getattr(instance, f) for f in fields}
    if before is None:
        return {"created": _json_safe(after)}
    return {f: _json_safe([before.get(f), after[f]]) for f in fields if before.get(f) != after[f]}


def apply_and_record(*, actor, instance, data: dict, action: str, reason: str = "") -> dict:
    """Set `data` on `instance`; when anything really changed, save it and append one event with the
    {field: [old, new]} summary. Returns that summary (empty: nothing written). Call inside the service's
    transaction, after permission and validation."""
    fields = list(data.keys())
    before = snapshot(instance, fields)
    for field, value in data.items():
        setattr(instance, field, value.strip() if isinstance(value, str) else value)
    diff = changes(instance, fields, before)
    if diff:
        instance.save()
        record(actor=actor, action=action, obj=instance, summary=diff, reason=reason)
    return diff


def snapshot(instance, fields) -> dict:
    return {f: getattr(instance, f) for f in fields}


# The request's client address, set by the middleware so services need not pass it along.
_current_ip: ContextVar[str | None] = ContextVar("renda_audit_ip", default=None)


def set_current_ip(ip):
    return _current_ip.set(ip)


def reset_current_ip(token):
    _current_ip.reset(token)


def current_ip():
    return _current_ip.get()


def verify_chain(batch: int = 5000):
    """Yield a problem description for every break in the chain; nothing when it is intact."""
    prev_hash, expected_seq = GENESIS, 1
    qs = AuditEvent.objects.order_by("seq")
    last_seq = 0
    while True:
        rows = list(qs.filter(seq__gt=last_seq)[:batch])
        if not rows:
            break
        for ev in rows:
            if ev.seq != expected_seq:
                yield f"#{ev.seq}: sequence jumps from #{expected_seq - 1} (entries deleted or inserted)"
            if ev.prev_hash != prev_hash:
                yield f"#{ev.seq}: does not follow the entry before it (an entry was deleted or inserted)"
            if ev.compute_hash() != ev.entry_hash:
                yield f"#{ev.seq}: content does not match its hash (the entry was edited)"
            prev_hash, expected_seq, last_seq = ev.entry_hash, ev.seq + 1, ev.seq

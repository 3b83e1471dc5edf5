"""The chain's link becomes SHA-256("<previous hash>:<seq>:<SHA-256 of the content>") so that PostgreSQL can
compute it where the entry is appended (`audit_append`, one statement under the chain's lock instead of
lock, read, insert from Python). Existing entries are checked against the old link and linked anew."""

import hashlib
import json

from django.db import migrations

GENESIS = "0" * 64
BATCH = 2000

APPEND_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append(
    p_lock bigint, p_at timestamptz, p_actor bigint, p_actor_label text, p_ip inet, p_action text,
    p_object_type text, p_object_id text, p_summary jsonb, p_reason text, p_content_hash text
) RETURNS TABLE (new_id bigint, new_seq bigint, new_prev text, new_hash text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    -- One chain: appends queue on this lock until the holder's transaction ends. Each statement below
    -- takes its own snapshot (READ COMMITTED), so the read sees the entry the previous holder committed.
    PERFORM pg_advisory_xact_lock(p_lock);
    SELECT e.seq, e.entry_hash INTO last_seq, last_hash FROM audit_auditevent e ORDER BY e.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        last_seq := 0;
        last_hash := repeat('0', 64);
    END IF;
    new_seq := last_seq + 1;
    new_prev := last_hash;
    new_hash := encode(sha256(convert_to(last_hash || ':' || new_seq || ':' || p_content_hash, 'UTF8')), 'hex');
    INSERT INTO audit_auditevent (seq, at, actor_id, actor_label, ip, action, object_type, object_id,
                                  summary, reason, prev_hash, entry_hash)
    VALUES (new_seq, p_at, p_actor, p_actor_label, p_ip, p_action, p_object_type, p_object_id,
            p_summary, p_reason, new_prev, new_hash)
    RETURNING id INTO new_id;
    RETURN NEXT;
END
$$;
"""


def _content(ev, *, with_place: bool) -> str:
    body = {
        "at": ev.at.isoformat(),
        "actor": ev.actor_id,
        "actor_label": ev.actor_label,
        "ip": ev.ip,
        "action": ev.action,
        "object_type": ev.object_type,
        "object_id": ev.object_id,
        "summary": ev.summary,
        "reason": ev.reason,
    }
    if with_place:
        body.update(seq=ev.seq, prev=ev.prev_hash)
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def relink(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    old_prev, new_prev, last_seq = GENESIS, GENESIS, 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:BATCH])
        if not rows:
            break
        for ev in rows:
            old_hash = hashlib.sha256(_content(ev, with_place=True).encode()).hexdigest()
            if ev.prev_hash != old_prev or ev.entry_hash != old_hash:
                raise RuntimeError(
                    f"audit entry #{ev.seq} does not verify; run `manage.py verify_audit` on the previous "
                    "release and resolve the break before migrating"
                )
            content = hashlib.sha256(_content(ev, with_place=False).encode()).hexdigest()
            new_hash = hashlib.sha256(f"{new_prev}:{ev.seq}:{content}".encode()).hexdigest()
            # Through the queryset: the model refuses to change an entry, this is the one sanctioned rewrite.
            AuditEvent.objects.filter(pk=ev.pk).update(prev_hash=new_prev, entry_hash=new_hash)
            old_prev, new_prev, last_seq = old_hash, new_hash, ev.seq


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_append")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(relink, migrations.RunPython.noop),
        migrations.RunPython(create_function, drop_function),
    ]

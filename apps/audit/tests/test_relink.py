"""Migration 0002 links an existing chain anew (the link formula changed so PostgreSQL can compute it)."""

import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.audit.services import verify_chain

OLD = [("audit", "0001_initial")]
NEW = [("audit", "0002_chain_hash_v2_and_append_function")]


def _old_link(row: dict) -> str:
    body = {k: row[k] for k in ("actor", "actor_label", "ip", "action", "object_type", "object_id")}
    body.update(
        at=row["at"].isoformat(),
        summary=row["summary"],
        reason=row["reason"],
        seq=row["seq"],
        prev=row["prev"],
    )
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tampered", [False, True])
def test_an_old_chain_is_relinked_and_a_broken_one_is_refused(tampered):
    apps = _migrate(OLD)
    Event = apps.get_model("audit", "AuditEvent")
    prev = "0" * 64
    for seq in range(1, 4):
        row = dict(
            seq=seq,
            at=timezone.now(),
            actor=None,
            actor_label="office",
            ip="10.0.0.1",
            action=f"a.{seq}",
            object_type="x",
            object_id=str(seq),
            summary={"n": seq},
            reason="",
            prev=prev,
        )
        link = _old_link(row)
        Event.objects.create(
            seq=seq,
            at=row["at"],
            actor_label="office",
            ip="10.0.0.1",
            action=row["action"],
            object_type="x",
            object_id=str(seq),
            summary={"n": seq},
            reason="",
            prev_hash=prev,
            entry_hash=link,
        )
        prev = link
    if tampered:
        Event.objects.filter(seq=2).update(summary={"n": "forged"})
        with pytest.raises(RuntimeError, match="#2"):
            _migrate(NEW)
        Event.objects.all().delete()
        _migrate(NEW)
        return
    _migrate(NEW)
    assert list(verify_chain()) == []

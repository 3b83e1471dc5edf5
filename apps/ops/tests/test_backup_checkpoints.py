"""Backups carry the audit log's signed checkpoints, and a restore checks the log against them (issue 22); a
restore to an older point is declared by a signed, audited re-anchor."""

import io
import shutil
import tarfile

import pytest
from django.core.management import CommandError, call_command
from nacl.encoding import HexEncoder
from nacl.signing import SigningKey

from apps.audit import anchors
from apps.audit.models import AuditEvent
from apps.audit.services import record
from apps.ops import archive, services

from .test_backup import data, place, wipe_database  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key(settings, place):  # noqa: F811
    signing = SigningKey.generate()
    settings.RENDA = {**settings.RENDA, "AUDIT_SIGNING_KEY": signing.encode(HexEncoder).decode()}
    return signing


def _fresh(place):  # noqa: F811
    wipe_database()
    shutil.rmtree(place / "media")


def test_the_archive_holds_the_checkpoint_file(data, place, key):  # noqa: F811
    anchors.anchor_now("test")
    result = services.backup()
    with tarfile.open(result.path) as tar:
        copy = tar.extractfile(archive.CHECKPOINTS).read()
        sums = archive.parse_sums(tar.extractfile("SHA256SUMS").read().decode())
    assert copy == anchors.checkpoint_path().read_bytes() and archive.CHECKPOINTS in sums


def test_a_restore_on_a_new_machine_puts_the_checkpoints_back_and_verifies_against_them(
    data,  # noqa: F811
    place,  # noqa: F811
    key,
):
    line = anchors.anchor_now("test")
    result = services.backup()
    _fresh(place)
    anchors.checkpoint_path().unlink()
    restored = services.restore(result.path)
    assert restored.checkpoints_put_back and restored.audit_ok
    assert restored.checkpoint_problems == [] and restored.checkpoint_verified["seq"] == line["seq"]


def test_a_restore_to_an_older_point_is_reported_then_declared_by_a_reanchor(
    data,  # noqa: F811
    place,  # noqa: F811
    key,
):
    result = services.backup()
    record(actor=None, action="test.after_backup")
    later = anchors.anchor_now("test")  # signed over entries the backup does not hold
    _fresh(place)
    out = io.StringIO()
    with pytest.raises(CommandError, match="does not verify"):
        call_command("restore", str(result.path), stdout=out)
    assert f"–#{later['seq']} are missing" in out.getvalue() and "reanchor --reason" in out.getvalue()

    _fresh(place)
    restored = services.restore(result.path, reanchor_reason="恢复到 12 月 1 日的备份")
    assert restored.audit_ok and restored.reanchored["kind"] == "reanchor"
    assert any("恢复到 12 月 1 日的备份" in d for d in restored.checkpoint_declared)
    assert AuditEvent.objects.filter(action="audit.reanchored").exists()
    assert anchors.verify().problems == []

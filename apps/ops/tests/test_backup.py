"""Backup and restore (issue 14, item 12): a backup restored into an empty database gives back every row of
every table and every uploaded file byte for byte, and a restore refuses what it must refuse."""

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from apps.audit.models import AuditEvent
from apps.ops import archive, services
from apps.ops.archive import ArchiveError
from apps.workflow.uploads import attach

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n" + "答复意见".encode() * 100

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def place(settings, tmp_path):
    """Uploaded files on disk (the tests' default is in memory) and the archives in a folder of their own;
    the database is migrated again if a test leaves it empty, so the next test finds its tables."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.RENDA = {**settings.RENDA, "BACKUP_DIR": str(tmp_path / "backups")}
    yield tmp_path
    if not connection.introspection.table_names():
        call_command("migrate", verbosity=0)


@pytest.fixture
def data(world, place):
    """Rows in most tables, attachments with Chinese names in two folders, a deputy's photo."""
    from apps.opinions.tests.factories import opinion

    item = opinion(world)
    attach(actor=world.town_user, item=item, upload=SimpleUploadedFile("现场照片.png", PNG))
    attach(actor=world.town_user, item=item, upload=SimpleUploadedFile("答复 意见.pdf", PDF))
    world.deputy_b.photo.save("李四.png", ContentFile(PNG[::-1]))
    return world


def snapshot(*, audit_up_to: int | None = None) -> dict:
    """Every row of every table (sorted, compared as values) and, on PostgreSQL, every sequence's position."""
    qn = connection.ops.quote_name
    tables: dict[str, list] = {}
    with connection.cursor() as cur:
        for table in sorted(connection.introspection.table_names()):
            sql, params = f"SELECT * FROM {qn(table)}", []
            if table == "audit_auditevent" and audit_up_to is not None:
                sql, params = sql + " WHERE seq <= %s", [audit_up_to]
            cur.execute(sql, params)
            tables[table] = sorted((tuple(repr(v) for v in row) for row in cur.fetchall()), key=repr)
        sequences = {}
        if connection.vendor == "postgresql":
            cur.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            sequences = dict(cur.fetchall())
    return {"tables": tables, "sequences": sequences}


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def wipe_database():
    """An empty database, as `createdb` gives one."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP SCHEMA public CASCADE")
            cur.execute("CREATE SCHEMA public")
        else:
            cur.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                cur.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cur.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []


def _round_trip(place):
    media = Path(place / "media")
    before, before_files = snapshot(), files(media)
    assert len(before_files) == 3 and sum(1 for rows in before["tables"].values() if rows) >= 15
    head = AuditEvent.objects.order_by("-seq").first()

    result = services.backup()
    assert AuditEvent.objects.filter(action="ops.backup", summary__sha256=result.sha256).exists()
    wipe_database()
    shutil.rmtree(media)

    restored = services.restore(result.path)

    assert restored.audit_ok and restored.audit_problems == [] and restored.pending_migrations == []
    assert restored.media_files == 3
    assert files(media) == before_files
    after = snapshot(audit_up_to=head.seq)
    assert after["tables"].keys() == before["tables"].keys()
    for table, rows in before["tables"].items():
        assert after["tables"][table] == rows, table
    # The restore's own event follows the restored chain, which still verifies with it.
    assert list(AuditEvent.objects.filter(seq__gt=head.seq).values_list("action", flat=True)) == [
        "ops.restored"
    ]
    assert list(services.verify_chain()) == []
    if connection.vendor == "postgresql":
        moved = {k for k, v in after["sequences"].items() if before["sequences"].get(k) != v}
        assert moved == {"audit_auditevent_id_seq"}  # by the one event of the restore


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run")
def test_round_trip_on_sqlite_gives_back_every_table_and_file(data, place):
    _round_trip(place)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) and pg_dump")
def test_round_trip_on_postgresql_gives_back_every_table_and_file(data, place):
    _round_trip(place)


def test_the_archive_holds_a_manifest_and_a_checksum_for_every_member(data, place):
    result = services.backup()
    assert result.path.name.startswith("renda-backup-") and result.path.name.endswith("Z.tar.gz")
    assert not list(result.path.parent.glob("*.partial"))
    sidecar = result.path.with_name(result.path.name + ".sha256").read_text()
    assert sidecar == f"{archive.sha256_of(result.path)}  {result.path.name}\n"
    with tarfile.open(result.path) as tar:
        names = tar.getnames()
        sums = archive.parse_sums(tar.extractfile("SHA256SUMS").read().decode())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert set(sums) == set(names) - {"SHA256SUMS"}
    assert {n for n in names if n.startswith("media/")} == {f"media/{p}" for p in files(place / "media")}
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["file"] in names
    assert "0002_chain_hash_v2_and_append_function" in manifest["migrations"]["audit"]
    assert manifest["media"] == {"files": 3, "bytes": sum(len(b) for b in files(place / "media").values())}
    assert manifest["audit_head"]["seq"] == AuditEvent.objects.exclude(action="ops.backup").count()
    assert {"renda", "django", "python"} <= manifest["versions"].keys()


def test_a_restore_into_a_database_that_is_not_empty_is_refused_and_audited(data, place):
    result = services.backup()
    with pytest.raises(ArchiveError) as caught:
        services.restore(result.path)
    assert caught.value.code == "database_not_empty"
    assert "数据库不是空的" in str(caught.value.message)
    assert AuditEvent.objects.filter(
        action="ops.restore_refused", summary__code="database_not_empty"
    ).exists()
    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("restore", str(result.path))


def _tampered(path: Path, member: str) -> Path:
    """The same archive with one member's bytes changed and its SHA256SUMS left as it was."""
    out = path.with_name("tampered.tar.gz")
    with tarfile.open(path) as src, tarfile.open(out, "w:gz") as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()
            if info.name == member:
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(info, io.BytesIO(data))
    return out


def test_a_checksum_mismatch_is_refused_naming_the_file_and_nothing_is_restored(data, place):
    result = services.backup()
    media_name = next(n for n, _p in archive.media_members(archive.parse_sums(_sums_of(result.path))))
    bad = _tampered(result.path, media_name)
    wipe_database()
    shutil.rmtree(place / "media")
    with pytest.raises(ArchiveError) as caught:
        services.restore(bad)
    assert caught.value.code == "checksum_mismatch"
    assert media_name in str(caught.value.message) and "校验和不符" in str(caught.value.message)
    assert connection.introspection.table_names() == []  # refused before the database was touched
    assert not (place / "media").exists() or files(place / "media") == {}
    with pytest.raises(CommandError, match="拒绝恢复"):
        call_command("restore", str(bad))
    assert services.restore(result.path).audit_ok  # the archive as it was still restores


def _sums_of(path: Path) -> str:
    with tarfile.open(path) as tar:
        return tar.extractfile("SHA256SUMS").read().decode()


def test_a_restore_refuses_a_media_folder_that_is_not_empty(data, place):
    result = services.backup()
    wipe_database()
    with pytest.raises(ArchiveError) as caught:
        services.restore(result.path)
    assert caught.value.code == "media_not_empty"
    assert connection.introspection.table_names() == []
    shutil.rmtree(place / "media")
    assert services.restore(result.path).media_files == 3


def test_a_damaged_archive_is_refused(data, place):
    result = services.backup()
    cut = result.path.with_name("cut.tar.gz")
    cut.write_bytes(result.path.read_bytes()[:2000])
    wipe_database()
    shutil.rmtree(place / "media")
    with pytest.raises(ArchiveError) as caught:
        services.restore(cut)
    assert "损坏" in str(caught.value.message)
    assert services.restore(result.path).audit_ok


def test_a_restore_reports_an_audit_chain_that_does_not_verify(data, place):
    edited = AuditEvent.objects.order_by("seq")[1]
    AuditEvent.objects.filter(pk=edited.pk).update(summary={"forged": True})  # behind the model's back
    result = services.backup()
    wipe_database()
    shutil.rmtree(place / "media")
    out = io.StringIO()
    with pytest.raises(CommandError, match="audit log does not verify"):
        call_command("restore", str(result.path), stdout=out)
    assert f"#{edited.seq}: content does not match its hash" in out.getvalue()
    restored = AuditEvent.objects.get(action="ops.restored")
    assert restored.summary["audit_ok"] is False and restored.summary["audit_problems"]


def test_a_failed_backup_leaves_no_archive_and_is_audited(data, place, monkeypatch):
    def broken(conn, into):
        raise OSError("disk full")

    monkeypatch.setattr(services.database, "dump", broken)
    with pytest.raises(OSError):
        services.backup()
    assert list((place / "backups").iterdir()) == []
    assert AuditEvent.objects.filter(action="ops.backup_failed", summary__error="disk full").exists()


def test_the_backup_command_writes_into_the_directory_given(data, place):
    out = io.StringIO()
    call_command("backup", "--dir", str(place / "elsewhere"), stdout=out)
    made = list((place / "elsewhere").glob("renda-backup-*.tar.gz"))
    assert len(made) == 1 and str(made[0]) in out.getvalue() and "backup written" in out.getvalue()

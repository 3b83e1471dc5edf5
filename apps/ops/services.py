"""Backup and restore (issue 14, item 12): nothing lost.

`backup()` writes the database and every uploaded file into one dated archive with a checksum list
(archive.py); `restore()` brings an archive back into an empty database and an empty MEDIA_ROOT, then checks
the audit chain and the files. Both are audited: `ops.backup` / `ops.backup_failed` in the database backed
up, `ops.restored` in the restored one, `ops.restore_refused` wherever there is an audit log to write it.

Consistency: the database is dumped first, in one snapshot; files are archived after it. An attachment's
file is written before its row commits (workflow/uploads.py), so every file a row of the dump names is on
disk by then; a file uploaded during the backup may be archived without its row, never the reverse.
"""

from __future__ import annotations

import getpass
import hashlib
import platform
import shutil
import socket
import tempfile
from dataclasses import dataclass, field
from datetime import UTC
from importlib import metadata
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit import anchors
from apps.audit.models import AuditEvent
from apps.audit.services import record, verify_chain
from apps.common import conf

from . import archive, database
from .archive import ArchiveError
from .errors import ErrorCode


class RestoreRefused(ArchiveError):
    code = ErrorCode.RESTORE_REFUSED


@dataclass
class BackupResult:
    path: Path
    sha256: str
    size: int
    media_files: int
    media_bytes: int
    audit_entries: int


@dataclass
class RestoreResult:
    manifest: dict
    media_files: int
    audit_entries: int
    audit_problems: list[str]
    head_found: bool
    pending_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)
    # The log against the signed checkpoints (issue 22): problems, declared re-anchors, the latest match.
    checkpoint_problems: list[str] = field(default_factory=list)
    checkpoint_declared: list[str] = field(default_factory=list)
    checkpoint_verified: dict | None = None
    checkpoints_put_back: bool = False
    reanchored: dict | None = None

    @property
    def audit_ok(self) -> bool:
        return not self.audit_problems and self.head_found and not self.checkpoint_problems


def backup_dir() -> Path:
    return Path(conf.get("BACKUP_DIR") or Path(settings.VAR_DIR) / "backups")


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _operator() -> dict:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return {"os_user": user, "host": socket.gethostname()}


def _audit_head() -> dict:
    last = AuditEvent.objects.order_by("-seq").values("seq", "entry_hash").first()
    return {"seq": last["seq"], "entry_hash": last["entry_hash"]} if last else {"seq": 0, "entry_hash": ""}


def _manifest(at) -> dict:
    return {
        "format": archive.FORMAT,
        "created_at": at.isoformat(),
        "versions": {
            "renda": _version("renda"),
            "django": django.get_version(),
            "python": platform.python_version(),
        },
        "database": {
            "vendor": connection.vendor,
            "server_version": database.server_version(connection),
            "file": database.file_name(connection),
        },
        "migrations": database.applied_migrations(connection),
        # The chain's head when the backup began: the restored chain must hold this very entry.
        "audit_head": _audit_head(),
        "created_by": _operator(),
    }


def backup(*, directory: Path | None = None) -> BackupResult:
    """Write one archive into `directory` (default: the BACKUP_DIR setting) and audit it."""
    directory = Path(directory or backup_dir())
    directory.mkdir(parents=True, exist_ok=True)
    at = timezone.now().astimezone(UTC)
    path = directory / archive.archive_name(at)
    if path.exists():
        raise ArchiveError(
            _("同名备份已存在：%(path)s，请稍后再试") % {"path": path}, code=ErrorCode.BACKUP_EXISTS
        )
    writer = archive.Writer(path)
    try:
        manifest = _manifest(at)
        with tempfile.TemporaryDirectory(dir=directory, prefix=".renda-backup-") as tmp:
            dump = database.dump(connection, Path(tmp))
            writer.add_file(dump, manifest["database"]["file"])
        count = size = 0
        for src, name in archive.media_files(media_root()):
            size += writer.add_file(src, name)
            count += 1
        manifest["audit_checkpoints"] = _add_checkpoints(writer, int(at.timestamp()))
        manifest["media"] = {"files": count, "bytes": size}
        writer.close(manifest, int(at.timestamp()))
    except Exception as exc:
        writer.abandon()
        record(
            actor=None, action="ops.backup_failed", summary={"archive": path.name, "error": str(exc)[:500]}
        )
        raise
    digest = archive.sha256_of(path)
    # Beside the archive, for a copy taken off the machine: `sha256sum -c <archive>.sha256`.
    path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    result = BackupResult(path, digest, path.stat().st_size, count, size, manifest["audit_head"]["seq"])
    record(
        actor=None,
        action="ops.backup",
        summary={
            "archive": path.name,
            "sha256": digest,
            "bytes": result.size,
            "database": connection.vendor,
            "media_files": count,
            "audit_head": manifest["audit_head"]["seq"],
            **manifest["created_by"],
        },
    )
    return result


def _add_checkpoints(writer: archive.Writer, mtime: int) -> dict | None:
    """The signed checkpoint file, whole lines only (a line being appended now is left for the next)."""
    try:
        data = anchors.checkpoint_path().read_bytes()
    except FileNotFoundError:
        return None
    data = data[: data.rfind(b"\n") + 1]
    writer.add_bytes(data, archive.CHECKPOINTS, mtime)
    return {"file": archive.CHECKPOINTS, "lines": data.count(b"\n")}


def _refuse(message, code: ErrorCode, archive_path: Path):
    """A refused restore is audited where there is an audit log to write to (a database that is not empty
    and holds Renda's tables); an empty database has none, and the command prints the refusal instead."""
    if "audit_auditevent" in connection.introspection.table_names():
        record(
            actor=None,
            action="ops.restore_refused",
            summary={"archive": archive_path.name, "code": code, **_operator()},
            reason=str(message),
        )
    raise RestoreRefused(message, code=code)


def restore(path: Path, *, reanchor_reason: str = "") -> RestoreResult:
    """Bring an archive back into this (empty) database and MEDIA_ROOT; check files, then the audit chain
    and the chain against the signed checkpoints. With `reanchor_reason`, a restore to a point older than
    the latest checkpoint is declared by a signed, audited re-anchor (anchors.reanchor)."""
    path = Path(path)
    if not database.is_empty(connection):
        _refuse(
            _("数据库不是空的，拒绝恢复：请先新建一个空数据库，并把 DATABASE_URL 指向它"),
            ErrorCode.DATABASE_NOT_EMPTY,
            path,
        )
    media = media_root()
    if any(True for _f in archive.media_files(media)):
        _refuse(
            _("上传文件目录不是空的，拒绝恢复：%(dir)s") % {"dir": media}, ErrorCode.MEDIA_NOT_EMPTY, path
        )
    with tempfile.TemporaryDirectory(prefix=".renda-restore-") as tmp:
        try:
            manifest, sums = archive.unpack(path, Path(tmp))
        except ArchiveError as exc:
            _refuse(exc.message, exc.code, path)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            _refuse(
                _("备份来自 %(a)s 数据库，不能恢复到 %(b)s") % {"a": vendor, "b": connection.vendor},
                ErrorCode.VENDOR_MISMATCH,
                path,
            )
        database.load(connection, Path(tmp) / manifest["database"]["file"])
        files = _put_media(Path(tmp), sums, media)
        put_back, mismatch = _put_checkpoints(Path(tmp), sums)
    head = manifest["audit_head"]
    result = RestoreResult(
        manifest=manifest,
        media_files=files,
        audit_entries=AuditEvent.objects.count(),
        audit_problems=list(verify_chain()),
        head_found=not head["seq"]
        or AuditEvent.objects.filter(seq=head["seq"], entry_hash=head["entry_hash"]).exists(),
        pending_migrations=database.pending_migrations(connection),
        unknown_migrations=database.unknown_migrations(connection, manifest["migrations"]),
        checkpoints_put_back=put_back,
    )
    _check_against_checkpoints(result, mismatch)
    record(
        actor=None,
        action="ops.restored",
        summary={
            "archive": path.name,
            "backup_created_at": manifest["created_at"],
            "media_files": files,
            "audit_entries": result.audit_entries,
            "audit_ok": result.audit_ok,
            "audit_problems": result.audit_problems[:20],
            "pending_migrations": result.pending_migrations,
            "checkpoint_problems": result.checkpoint_problems[:20],
            **_operator(),
        },
    )
    if reanchor_reason and result.checkpoint_problems and not result.audit_problems:
        result.reanchored = anchors.reanchor(reason=reanchor_reason)
        _check_against_checkpoints(result, mismatch)
    return result


def _put_checkpoints(unpacked: Path, sums: dict[str, str]) -> tuple[bool, list[str]]:
    """The archive's checkpoint file goes where the settings name it when nothing is there (a new
    machine). A file that is there is the newer outside record and stays; it must begin with the
    archive's copy, or someone changed one of them."""
    if archive.CHECKPOINTS not in sums:
        return False, []
    copy = (unpacked / archive.CHECKPOINTS).read_bytes()
    live = anchors.checkpoint_path()
    if not live.exists() or live.stat().st_size == 0:
        live.parent.mkdir(parents=True, exist_ok=True)
        live.write_bytes(copy)
        return True, []
    if live.read_bytes()[: len(copy)] != copy:
        return False, [f"the checkpoint file {live} does not begin with the backup's copy of it"]
    return False, []


def _check_against_checkpoints(result: RestoreResult, mismatch: list[str]) -> None:
    report = anchors.verify()
    result.checkpoint_problems = mismatch + report.problems
    result.checkpoint_declared = report.declared
    result.checkpoint_verified = report.verified


def _put_media(unpacked: Path, sums: dict[str, str], media: Path) -> int:
    """Copy the archive's files into MEDIA_ROOT and check each one's checksum where it landed."""
    count = 0
    for name, rel in archive.media_members(sums):
        dest = media.joinpath(*rel.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(unpacked / name, "rb") as src, open(dest, "wb") as out:
            h = hashlib.sha256()
            while chunk := src.read(1024 * 1024):
                h.update(chunk)
                out.write(chunk)
        if h.hexdigest() != sums[name]:
            raise ArchiveError(
                _("文件写入后校验和不符：%(name)s") % {"name": name}, code=ErrorCode.CHECKSUM_MISMATCH
            )
        shutil.copystat(unpacked / name, dest)
        count += 1
    return count

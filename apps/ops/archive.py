"""The backup archive (issue 14, item 12): one dated `.tar.gz` holding the database, every uploaded file,
`manifest.json` and `SHA256SUMS`.

    manifest.json             versions, date, database vendor, migration state, counts, the audit chain's head
    database/renda.pgdump     pg_dump's custom format (PostgreSQL), or database/renda.sqlite3 (SQLite)
    media/<path>              every file under MEDIA_ROOT, at its path there
    audit/checkpoints.jsonl   the audit log's signed checkpoints, as the file held them (when there is one)
    SHA256SUMS                "<sha256>  <name>" for every member above, the format `sha256sum -c` reads

No database here: this module writes and reads the file only (services.py does the rest).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import zlib
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from apps.common.errors import DomainError

from .errors import ErrorCode

FORMAT = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
MEDIA = "media"
CHECKPOINTS = "audit/checkpoints.jsonl"  # the signed checkpoints of the audit log (issue 22)
DATABASE = "database"
_CHUNK = 1024 * 1024


class ArchiveError(DomainError):
    code = ErrorCode.BACKUP_INVALID


def archive_name(at) -> str:
    """renda-backup-20261204T143000Z.tar.gz: sorts by date, and says it is UTC."""
    return f"renda-backup-{at:%Y%m%dT%H%M%SZ}.tar.gz"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class _Hashing(io.RawIOBase):
    """A file read once, hashed while tar copies it (so the checksum is of the bytes archived)."""

    def __init__(self, f, h):
        self.f, self.h = f, h

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.f.read(size)
        self.h.update(data)
        return data


class Writer:
    """Members are added under a `.partial` name; `close` adds the manifest and the checksums and renames
    the archive into place, so an archive with its final name is always whole."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.tar = tarfile.open(self.partial, "w:gz", format=tarfile.PAX_FORMAT)
        self.sums: dict[str, str] = {}

    def add_file(self, src: Path, name: str) -> int:
        with open(src, "rb") as f:
            st = os.fstat(f.fileno())
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = st.st_size, int(st.st_mtime), 0o644
            h = hashlib.sha256()
            self.tar.addfile(info, _Hashing(f, h))
        self.sums[name] = h.hexdigest()
        return info.size

    def add_bytes(self, data: bytes, name: str, mtime: int) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), mtime, 0o644
        self.tar.addfile(info, io.BytesIO(data))
        self.sums[name] = hashlib.sha256(data).hexdigest()

    def close(self, manifest: dict, mtime: int) -> Path:
        self.add_bytes(json.dumps(manifest, ensure_ascii=False, indent=2).encode(), MANIFEST, mtime)
        lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(self.sums.items()))
        info = tarfile.TarInfo(SUMS)
        info.size, info.mtime, info.mode = len(lines.encode()), mtime, 0o644
        self.tar.addfile(info, io.BytesIO(lines.encode()))
        self.tar.close()
        with open(self.partial, "rb") as f:
            os.fsync(f.fileno())
        os.replace(self.partial, self.path)
        return self.path

    def abandon(self) -> None:
        try:
            self.tar.close()
        finally:
            self.partial.unlink(missing_ok=True)


def media_files(root: Path):
    """(path, name in the archive) of every regular file under MEDIA_ROOT, sorted; links are not followed."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            path = Path(dirpath) / fn
            if path.is_file() and not path.is_symlink():
                yield path, f"{MEDIA}/{path.relative_to(root).as_posix()}"


def parse_sums(text: str) -> dict[str, str]:
    sums = {}
    for line in text.splitlines():
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or not name:
            raise ArchiveError(_("校验和清单 SHA256SUMS 格式有误：%(line)s") % {"line": line[:80]})
        sums[name] = digest
    return sums


def unpack(path: Path, into: Path) -> tuple[dict, dict[str, str]]:
    """Unpack the archive into `into` and check it whole: every member listed in SHA256SUMS with the same
    checksum, nothing listed missing, nothing unlisted. Returns (manifest, sums); ArchiveError otherwise."""
    if not path.is_file():
        raise ArchiveError(_("找不到备份文件：%(path)s") % {"path": path}, code=ErrorCode.BACKUP_MISSING)
    try:
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(into, filter="data")  # no absolute paths, no "..", no links out, no devices
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise ArchiveError(_("备份文件已损坏或不是备份归档：%(err)s") % {"err": exc}) from exc
    sums_path = into / SUMS
    if not sums_path.is_file() or not (into / MANIFEST).is_file():
        raise ArchiveError(_("备份归档缺少 manifest.json 或 SHA256SUMS"))
    sums = parse_sums(sums_path.read_text(encoding="utf-8"))
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - {SUMS}
    bad = sorted(n for n in sums.keys() & present if sha256_of(into / n) != sums[n])
    missing, unlisted = sorted(sums.keys() - present), sorted(present - sums.keys())
    if bad or missing or unlisted:
        parts = []
        if bad:
            parts.append(_("校验和不符：%(names)s") % {"names": "、".join(bad[:10])})
        if missing:
            parts.append(_("缺少文件：%(names)s") % {"names": "、".join(missing[:10])})
        if unlisted:
            parts.append(_("清单外的文件：%(names)s") % {"names": "、".join(unlisted[:10])})
        raise ArchiveError(
            _("备份归档校验失败，拒绝恢复。%(detail)s") % {"detail": "；".join(parts)},
            code=ErrorCode.CHECKSUM_MISMATCH,
        )
    manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise ArchiveError(_("不支持的备份格式版本：%(v)s") % {"v": manifest.get("format")})
    return manifest, sums


def media_members(sums: dict[str, str]) -> list[tuple[str, PurePosixPath]]:
    """(name in the archive, path under MEDIA_ROOT) of every uploaded file in the archive."""
    out = []
    for name in sorted(sums):
        p = PurePosixPath(name)
        if p.parts[0] == MEDIA and len(p.parts) > 1:
            out.append((name, PurePosixPath(*p.parts[1:])))
    return out

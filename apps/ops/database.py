"""The database part of a backup, per vendor: PostgreSQL through pg_dump / pg_restore (custom format, one
consistent snapshot, restored in one transaction), SQLite through sqlite3's online backup API (a page-by-page
copy that is consistent even while the app writes)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from .archive import DATABASE, ArchiveError
from .errors import ErrorCode

FILES = {"postgresql": f"{DATABASE}/renda.pgdump", "sqlite": f"{DATABASE}/renda.sqlite3"}


class DatabaseError(ArchiveError):
    code = ErrorCode.BACKUP_DATABASE


def file_name(connection) -> str:
    try:
        return FILES[connection.vendor]
    except KeyError:
        raise DatabaseError(_("不支持此数据库的备份：%(v)s") % {"v": connection.vendor}) from None


def server_version(connection) -> str:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
        else:
            cur.execute("SELECT sqlite_version()")
        return cur.fetchone()[0]


def is_empty(connection) -> bool:
    return not connection.introspection.table_names()


def applied_migrations(connection) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        out.setdefault(app, []).append(name)
    return out


def pending_migrations(connection) -> list[str]:
    """Migrations of this code not applied in the database (an archive from an older release)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def unknown_migrations(connection, applied: dict[str, list[str]]) -> list[str]:
    """Migrations recorded in the archive that this code does not have (an archive from a newer release)."""
    known = set(MigrationExecutor(connection).loader.graph.nodes)
    return [f"{a}.{n}" for a, names in applied.items() for n in names if (a, n) not in known]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise DatabaseError(
            _("找不到 %(tool)s：请安装 postgresql-client（主版本不低于数据库服务器）") % {"tool": name}
        )
    return path


def _pg_env(connection) -> dict:
    s = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    return env


def _run(cmd: list[str], env: dict, what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DatabaseError(_("%(what)s失败：%(err)s") % {"what": what, "err": done.stderr.strip()[-2000:]})


def dump(connection, into: Path) -> Path:
    """Write the database to into/<file_name>; returns its path."""
    dest = into / file_name(connection)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        cmd = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dest}"]
        _run([*cmd, f"--dbname={connection.settings_dict['NAME']}"], _pg_env(connection), "pg_dump")
    else:
        connection.ensure_connection()
        target = sqlite3.connect(dest)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    return dest


def load(connection, src: Path) -> None:
    """Load a dump into the (empty) database of `connection`, all or nothing."""
    if connection.vendor == "postgresql":
        cmd = [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
        ]
        _run(
            [*cmd, f"--dbname={connection.settings_dict['NAME']}", str(src)],
            _pg_env(connection),
            "pg_restore",
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(src)
        try:
            source.backup(connection.connection)
        finally:
            source.close()

"""Settings come from the environment; production refuses to start unsafe."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    full = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    full.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    out = _manage("check", RENDA_ENV="production")
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


def test_production_refuses_debug():
    out = _manage("check", RENDA_ENV="production", SECRET_KEY="x" * 60, DEBUG="1")
    assert out.returncode != 0 and "DEBUG" in out.stderr


def test_production_refuses_to_start_without_the_audit_signing_key():
    key = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2
    out = _manage("check", RENDA_ENV="production", SECRET_KEY=key)
    assert out.returncode != 0 and "RENDA_AUDIT_SIGNING_KEY" in out.stderr


def test_check_deploy_under_production_prints_no_warning(tmp_path):
    key = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2
    out = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        RENDA_ENV="production",
        SECRET_KEY=key,
        RENDA_AUDIT_SIGNING_KEY_FILE=str(tmp_path / "audit.key"),
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "WARNING" not in out.stdout + out.stderr


def test_sqlite_default_uses_wal_full_sync_and_foreign_keys(tmp_path):
    code = (
        "import django,os;django.setup();from django.db import connection as c;cur=c.cursor();"
        "print([cur.execute(f'PRAGMA {p}').fetchone()[0]"
        " for p in ('journal_mode','synchronous','foreign_keys')])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="renda.settings.dev", RENDA_VAR_DIR=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == "['wal', 2, 1]", out.stderr


def test_redis_url_switches_cache_channels_and_queue():
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND'], s.CHANNEL_LAYERS['default']['BACKEND'], s.HUEY['huey_class'])"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="renda.settings.dev", REDIS_URL="redis://127.0.0.1:6379/3")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == [
        "django_redis.cache.RedisCache",
        "channels_redis.core.RedisChannelLayer",
        "huey.RedisHuey",
    ], out.stderr


def test_times_stored_in_utc_shown_in_shanghai_and_chinese_first():
    from django.conf import settings

    assert settings.USE_TZ and settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans" and "en" in dict(settings.LANGUAGES)

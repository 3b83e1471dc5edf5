"""Settings shared by every environment; what differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from apps.common.conf import renda_defaults, top_level_defaults

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("RENDA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

_TOP_LEVEL = top_level_defaults()
RENDA_ENV = _TOP_LEVEL["RENDA_ENV"]
SECRET_KEY = os.environ.get("SECRET_KEY", "renda-insecure-development-key-change-me-0123456789abcdef")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    # daphne first: `runserver` then serves ASGI, WebSockets included (live vote screens).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "channels",
    "huey.contrib.djhuey",
    "apps.common",
    "apps.accounts",
    "apps.audit",
    "apps.calendar",
    "apps.places",
    "apps.localrules",
    "apps.people",
    "apps.workflow",
    "apps.notifications",
    "apps.opinions",
    "apps.suggestions",
    "apps.meetings",
    "apps.elections",
    "apps.duty",
    "apps.archive",
    "apps.ballotbox",
    "apps.rectification",
    "apps.yearplan",
    "apps.procedures",
    "apps.evaluations",
    "apps.supervision",
    "apps.assessment",
    "apps.dispatch",
    "apps.dashboards",
    "apps.projects",
    "apps.demo",
    "apps.ops",
    "apps.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "renda.csp.RendaCSPMiddleware",
    "apps.audit.middleware.AuditIPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.common.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.StaffSessionTimeoutMiddleware",
    "apps.accounts.middleware.PasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.common.middleware.TextGuardMiddleware",
    "apps.common.middleware.RefusalsMiddleware",
    "apps.common.middleware.DomainErrorPageMiddleware",
]

ROOT_URLCONF = "renda.urls"
WSGI_APPLICATION = "renda.wsgi.application"
ASGI_APPLICATION = "renda.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "apps.accounts.context_processors.roles",
                "apps.notifications.context_processors.unread",
                "apps.places.terms.context",
            ],
        },
    },
]

# --- Database: DATABASE_URL, or an embedded SQLite file under var/ -----------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'renda.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; FULL sync so a power cut loses nothing committed.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("DB_POOL", "1") == "1"
):
    # Under ASGI every request runs in its own thread, so persistent connections are never reused; a pool
    # is the way to keep connections (bench/: roughly doubles throughput).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DB_POOL_MAX", "8")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: optional; when set, cache, channel layer and task queue all use it -------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "renda",
            # redis-py caps a pool at 100 connections and fails beyond; under ASGI every request has its
            # own thread, so a burst of ballots waits for one of 64 instead (bench/vote_load.py).
            "OPTIONS": {
                "CONNECTION_POOL_CLASS": "redis.BlockingConnectionPool",
                "CONNECTION_POOL_KWARGS": {"max_connections": 64, "timeout": 10},
            },
        }
    }
    # The socket timeout must exceed channels_redis's 5 s blocking read, or a worker whose screens get
    # nothing for 5 s drops them all; hundreds of screens connect at once when a session starts.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30, "max_connections": 1024}]},
        }
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "renda",
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "renda",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.PhoneOrUsernameBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Every RENDA setting is declared once, with its default and a line of doc, in apps/common/conf.py; override a
# value here (or in the environment where the declaration names a variable), never in code. The [local] rules
# among them are the defaults of apps.localrules, where the county office sets county and township values.
RENDA = renda_defaults()

# --- Content-Security-Policy (django-csp) on every page -----------------------------------------
# Scripts and styles come from our own static files only: no inline <script>, <style>, style="" or onclick=
# in any template (static/renda/renda.js holds what pages do). A nonce is added to the header only on a
# response whose template asks for `request.csp_nonce`; none does today. The live screens' WebSocket
# origins are added per request (renda/csp.py). The browser tests fail on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "renda": {"handlers": ["console"], "level": os.environ.get("RENDA_LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}

RENDA_PAGE_SIZE = _TOP_LEVEL["RENDA_PAGE_SIZE"]
RENDA_MAX_PAGE_SIZE = _TOP_LEVEL["RENDA_MAX_PAGE_SIZE"]

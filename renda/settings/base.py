"""Settings shared by every environment; what differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("RENDA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

RENDA_ENV = os.environ.get("RENDA_ENV", "development")
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
    "ninja",
    "channels",
    "huey.contrib.djhuey",
    "apps.common",
    "apps.accounts",
    "apps.audit",
    "apps.calendar",
    "apps.places",
    "apps.people",
    "apps.workflow",
    "apps.notifications",
    "apps.opinions",
    "apps.suggestions",
    "apps.meetings",
    "apps.elections",
    "apps.duty",
    "apps.archive",
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.audit.middleware.AuditIPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.common.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.StaffSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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

# [local] rules, with the defaults DOMAIN.md gives. Override here, never in code.
RENDA = {
    # Staff sessions: absolute lifetime and idle timeout (issue #3).
    "STAFF_SESSION_MAX_SECONDS": 12 * 3600,
    "STAFF_SESSION_IDLE_SECONDS": 30 * 60,
    # Login throttle: failures per account per hour before the account is locked for the hour.
    "LOGIN_MAX_FAILURES_PER_HOUR": 100,
    # Growing delay after the first few failures: seconds = base * 2 ** (failures - free), capped.
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_DELAY_BASE_SECONDS": 1,
    "LOGIN_DELAY_MAX_SECONDS": 300,
    # Contact quotas (DOMAIN §2, Hanyin/Xunyang): households per deputy; for presidium and
    # standing-committee members, deputies and households each.
    "QUOTA_HOUSEHOLDS_PER_DEPUTY": 20,
    "QUOTA_VOTERS_PER_DEPUTY": 50,
    "QUOTA_MEMBER_DEPUTIES": 5,
    "QUOTA_MEMBER_HOUSEHOLDS": 5,
    # API tokens live this long.
    "API_TOKEN_DAYS": 30,
    # Upload limits for Excel imports.
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 20000,
    # Opinions (DOMAIN §3) [local]: working days allowed in each step of the lifecycle.
    "OPINION_ACCEPT_WORKING_DAYS": 3,
    "OPINION_REPLY_WORKING_DAYS": 15,
    "OPINION_SEND_BACK_WORKING_DAYS": 3,
    "OPINION_VISIT_WORKING_DAYS": 5,
    # Suggestions (DOMAIN §4) [local]: review and assignment by the office, a wrong assignment sent back,
    # the signers' feedback window, re-handling after a "dissatisfied"; [law] reply in 3 months, 6 with
    # the one approved extension (代表法), co-handlers' input in 1 month [local].
    "SUGGESTION_REVIEW_WORKING_DAYS": 10,
    "SUGGESTION_ASSIGN_WORKING_DAYS": 5,
    "SUGGESTION_SEND_BACK_WORKING_DAYS": 7,
    "SUGGESTION_FEEDBACK_WORKING_DAYS": 20,
    "SUGGESTION_REHANDLE_MONTHS": 1,
    "SUGGESTION_COHANDLING_MONTHS": 1,
    # Motions (议案): the joint signatures a deputies' motion needs [law: 5 township deputies].
    "MOTION_MIN_SIGNERS": 5,
    # Reminders go out this many working days before a deadline; overdue items escalate the day after.
    "REMIND_BEFORE_WORKING_DAYS": 2,
    # Reception day (接待选民日): the nth given weekday of each month (0 = Monday), default first Tuesday.
    "RECEPTION_DAY_NTH": 1,
    "RECEPTION_DAY_WEEKDAY": 1,
    # Attachments on tracked items: size and types accepted (checked by content, not by name).
    "UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
    "UPLOAD_TYPES": ["jpeg", "png", "gif", "webp", "pdf", "docx", "xlsx", "doc", "xls"],
    # Public submission limits, per client address per hour and per phone number per day.
    "PUBLIC_SUBMIT_PER_IP_PER_HOUR": 10,
    "PUBLIC_SUBMIT_PER_PHONE_PER_DAY": 5,
    # Reverse proxies of our own in front of the app: X-Forwarded-For is trusted only this many hops deep.
    "TRUSTED_PROXY_COUNT": int(os.environ.get("TRUSTED_PROXY_COUNT", "0")),
    # Where SMS and e-mail go: the console backend logs them; a real gateway replaces this class.
    "NOTIFY_BACKEND": "apps.notifications.backends.ConsoleBackend",
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

RENDA_PAGE_SIZE = 50
RENDA_MAX_PAGE_SIZE = 200

"""Production: refuses to start unsafe, and passes `manage.py check --deploy` without a warning."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("RENDA_ENV=production needs SECRET_KEY in the environment.")
if os.environ.get("DEBUG", "0") == "1":
    raise ImproperlyConfigured("RENDA_ENV=production refuses to run with DEBUG=1.")
if not (os.environ.get("RENDA_AUDIT_SIGNING_KEY") or os.environ.get("RENDA_AUDIT_SIGNING_KEY_FILE")):
    # The audit checkpoints' key is never in the database, and production never makes one by itself.
    raise ImproperlyConfigured(
        "RENDA_ENV=production needs RENDA_AUDIT_SIGNING_KEY_FILE (or RENDA_AUDIT_SIGNING_KEY): the key that "
        "signs the audit checkpoints; `manage.py audit_key new PATH` writes one."
    )

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Sign-in codes are never shown on a page in production, whatever else was set (issue 17).
RENDA["SMS_CODE_SHOWN_ON_PAGE"] = False  # noqa: F405

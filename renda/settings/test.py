import os

from .base import *  # noqa: F403
from .base import CACHES, HUEY

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 is tested on its own
HUEY = {**HUEY, "immediate": True}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Live screens are tested on the in-memory channel layer also when REDIS_URL is set: the consumers and the
# throttle are the same code, and timing tests through a shared Redis under pytest-xdist flake. The Redis
# layer itself is exercised by bench/vote_load.py under the production server.
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Each pytest-xdist worker has its own test database, so its own cache keys too: with Redis the workers would
# otherwise share keys such as a meeting's live throttle (meeting 1 exists in both databases).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
CACHES = {**CACHES, "default": {**CACHES["default"], "KEY_PREFIX": f"renda-test-{_WORKER}"}}

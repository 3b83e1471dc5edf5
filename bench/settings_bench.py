"""Production settings plus one URL: the bare endpoint the load benchmark compares the API with.

Used only by bench/bare_asgi.py (DJANGO_SETTINGS_MODULE=bench.settings_bench); the app never sees it.
BENCH_DB_CONN picks how the workers hold PostgreSQL connections:

- `pool`: CONN_MAX_AGE=0 and Django's psycopg connection pool (Django >= 5.1, needs psycopg-pool), what
  Django recommends under ASGI;
- `close` (or unset): the production settings as they are with CONN_MAX_AGE=0, one connection per request;
- `persistent`: whatever CONN_MAX_AGE says. Under ASGI every request runs in its own thread, so persistent
  connections are never reused and pile up until PostgreSQL refuses new clients.
"""

import os

from renda.settings.production import *  # noqa: F403
from renda.settings.production import DATABASES

ROOT_URLCONF = "bench.bare_urls"

if os.environ.get("BENCH_DB_CONN") == "pool":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 4, "max_size": 8, "timeout": 10}

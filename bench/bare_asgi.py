"""The production ASGI application (renda.asgi) under bench.settings_bench, for gunicorn + uvicorn workers.

Both the authenticated API and the bare endpoint are served by this one application, so they share the
server, the workers, the middleware and the database connections.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")

from renda.asgi import application

__all__ = ["application"]

"""/api/v1/opinions, /api/v1/reception-days and the public door /api/v1/public/opinions (DOMAIN §3).

Thin: each operation parses with a schema and calls one selector or service with `request.user`; scoping
lives in the selectors (`visible_to`) and the services, errors are domain errors that renda/api.py turns
into `{"code", "message", "fields"}`. The modules register their operations on the two routers.
"""

from . import items, public, reception  # noqa: F401  (registers the operations)
from .common import public_router, router

__all__ = ["public_router", "router"]

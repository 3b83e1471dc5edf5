"""/api/v1/suggestions, /api/v1/cohandlings, /api/v1/awards, /api/v1/motions and the public replies at
/api/v1/public/suggestions (DOMAIN §4).

Thin: each operation parses with a schema and calls one selector or service with `request.user`; scoping
lives in the selectors (`visible_to`) and the services, errors are domain errors that renda/api.py turns
into `{"code", "message", "fields"}`. Deputies appear by id and name only: never a phone or an address.
The modules register their operations on the two routers in this order (the counts before one item).
"""

from . import handling, invitations, motions, public, reads  # noqa: F401  (registers the operations)
from .common import public_router, router

__all__ = ["public_router", "router"]

"""The two routers of the opinion operations."""

from __future__ import annotations

from ninja import Router

from apps.accounts.models import Role

router = Router(tags=["opinions"])
public_router = Router(tags=["public"])

STATS_ROLES = {Role.COUNTY_OFFICE, Role.TOWN_OFFICE, Role.ADMIN}

"""The two routers of the opinion operations."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["opinions"])
public_router = Router(tags=["public"])

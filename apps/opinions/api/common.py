"""The two routers of the opinion operations."""

from __future__ import annotations

from ninja import Router

from apps.workflow.import_api import add_import_routes

from .. import importing

router = Router(tags=["opinions"])
# First, so that /opinions/import is not read as an item's id.
add_import_routes(
    router,
    "/opinions",
    label="社情民意台账",
    run=importing.import_opinions,
    template=importing.template_workbook,
    name="opinions",
)
public_router = Router(tags=["public"])

"""What every suggestions operation shares: the routers, the output schemas of a suggestion and its
parts, the office check."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema

from apps.accounts import permissions as perms
from apps.common.api import Ref
from apps.workflow.import_api import add_import_routes

from .. import importing

router = Router(tags=["suggestions"])
# First, so that /suggestions/import is not read as an item's id.
add_import_routes(
    router,
    "/suggestions",
    label="代表建议办理台账",
    run=importing.import_suggestions,
    template=importing.template_workbook,
    name="suggestions",
)
public_router = Router(tags=["public"])


class SuggestionRef(Schema):
    id: int
    number: str
    title: str


class SignerOut(Schema):
    deputy: Ref
    is_lead: bool
    status: str
    status_label: str
    responded_at: datetime | None
    merged: bool = Field(False, description="来自并入本件的建议的联名代表")


def _signature(sig, *, merged=False) -> dict:
    return {
        "deputy": {"id": sig.deputy.pk, "name": sig.deputy.name},
        "is_lead": sig.is_lead,
        "status": sig.status,
        "status_label": str(sig.get_status_display()),
        "responded_at": sig.responded_at,
        "merged": merged,
    }


def _office_only(user):
    perms.require(user, perms.SUGGESTION_STATS)

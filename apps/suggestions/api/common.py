"""What every suggestions operation shares: the routers, the output schemas of a suggestion and its
parts, the office check."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema

from apps.accounts import permissions as perms
from apps.common.api import Ref

router = Router(tags=["suggestions"])
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

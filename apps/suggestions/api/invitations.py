"""/api/v1/invitations: the co-signature invitations (联名邀请) of the deputy calling (issue 16 item 9). The
answer is `POST /suggestions/{id}/signature` or `POST /motions/{id}/signature`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Schema

from apps.accounts import permissions as perms
from apps.common.api import ErrorOut, Page, Ref, RegionRef, paginate
from apps.common.params import PageArg, PageSizeArg

from .. import selectors
from .common import router


def _item(obj):
    return obj.suggestion or obj.motion


class InvitationOut(Schema):
    kind: Literal["suggestion", "motion"]
    item_id: int = Field(..., description="建议或议案的编号")
    number: str
    title: str
    region: RegionRef
    lead: Ref | None = Field(None, description="领衔代表；主席团提出的议案为空")
    item_state: str
    item_state_label: str
    status: str = Field(..., description="invited 待确认、confirmed 已确认、declined 已谢绝")
    status_label: str
    pending: bool = Field(..., description="尚待您答复（草稿或退回修改中）")
    responded_at: datetime | None

    @staticmethod
    def resolve_kind(obj):
        return "suggestion" if obj.suggestion_id else "motion"

    @staticmethod
    def resolve_item_id(obj):
        return _item(obj).pk

    @staticmethod
    def resolve_number(obj):
        return _item(obj).number

    @staticmethod
    def resolve_title(obj):
        return _item(obj).title

    @staticmethod
    def resolve_region(obj):
        return _item(obj).region

    @staticmethod
    def resolve_lead(obj):
        lead = _item(obj).lead
        return {"id": lead.pk, "name": lead.name} if lead else None

    @staticmethod
    def resolve_item_state(obj):
        return _item(obj).state

    @staticmethod
    def resolve_item_state_label(obj):
        return str(_item(obj).state_label)

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_pending(obj):
        return obj.pending == 0


class InvitationFilters(Schema):
    pending_only: bool = False
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get(
    "/invitations", response={200: Page[InvitationOut], 403: ErrorOut, 422: ErrorOut}, summary="联名邀请"
)
def list_invitations(request, filters: Query[InvitationFilters]):
    """当前代表收到的联名邀请（建议与议案），待答复的在前；`pending_only=true` 只列待答复的。
    答复用 `POST /suggestions/{id}/signature` 或 `POST /motions/{id}/signature`。仅代表可用。"""
    perms.require(request.user, perms.COSIGN_ANSWER)
    qs = selectors.invitations(request.user, pending_only=filters.pending_only)
    return paginate(qs, filters.page, filters.page_size)

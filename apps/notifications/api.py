from datetime import datetime

from ninja import Query, Router, Schema

from apps.common.api import ErrorOut, Page, paginate
from apps.common.params import PageArg, PageSizeArg

from . import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    object_type: str
    object_id: str
    created_at: datetime
    read_at: datetime | None


class NotificationFilters(Schema):
    unread: bool = False
    page: PageArg = 1
    page_size: PageSizeArg = None


class ReadAllOut(Schema):
    marked: int


@router.get("", response=Page[NotificationOut])
def list_notifications(request, filters: Query[NotificationFilters]):
    qs = selectors.for_user(request.user, unread_only=filters.unread)
    return paginate(qs, filters.page, filters.page_size)


@router.post("/read-all", response=ReadAllOut)
def read_all(request):
    return {"marked": services.mark_all_read(user=request.user)}


@router.post("/{notification_id}/read", response={200: NotificationOut, 404: ErrorOut})
def read_one(request, notification_id: int):
    return services.mark_read(user=request.user, notification_id=notification_id)

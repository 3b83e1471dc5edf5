"""Every read of dispatch, scoped: the records of one object (after the object itself was found as the
reader may see it), a list for the API, and the document of one record."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, visible_to
from apps.workflow.models import Attachment

from .kinds import KINDS
from .models import Dispatch


def dispatches(user, *, obj=None):
    qs = visible_to(user, Dispatch, perms.DISPATCH_BROWSE).select_related("sent_by")
    if obj is not None:
        qs = qs.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return qs.order_by("-sent_on", "-id")


def dispatch(user, pk: int) -> Dispatch:
    return get_or_deny(user, Dispatch, perms.DISPATCH_BROWSE, pk=pk)


def document_of(item: Dispatch) -> Attachment | None:
    ct = ContentType.objects.get_for_model(Dispatch)
    return Attachment.objects.filter(content_type=ct, object_id=item.pk).order_by("id").first()


def object_for(user, kind: str, pk: int):
    """The object whose records `user` reads: out of their sight it is a 404 like a missing one."""
    return get_or_deny(user, KINDS[kind].model_class, perms.DISPATCH_BROWSE, pk=pk)

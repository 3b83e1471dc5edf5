"""Every write of dispatch (报送): `send`, the one service the evaluation, activity and rectification pages
and the API call. It finds the object as the actor may send it (an object out of their sight is a 404 like a
missing one), generates its Word document now, keeps it as an attachment of the record and appends the
audit event, in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals
from apps.audit.services import record
from apps.common import text
from apps.common.errors import ValidationFailed
from apps.common.errors import field_error as _fail
from apps.workflow.uploads import attach

from .errors import ErrorCode
from .kinds import KINDS
from .models import Dispatch, Recipient

RECIPIENT_MAX = 100
NOTE_MAX = 500


def _text(field: str, value, limit: int, *, required: bool) -> str:
    try:
        value = text.clean(str(value or "")).strip()
    except ValueError:
        raise _fail(field, _("含有不允许的控制字符")) from None
    if required and not value:
        raise _fail(field, _("请填写此项"))
    if len(value) > limit:
        raise _fail(field, _("不超过 %(n)s 字") % {"n": limit})
    return value


def send(
    *,
    actor,
    kind: str,
    object_id: int,
    recipient_kind: str,
    recipient: str,
    sent_on: date | None = None,
    note: str = "",
) -> Dispatch:
    """Record that `kind` #`object_id` was sent to `recipient` (镇党委 or the unit's superior), with the
    document as generated now."""
    spec = KINDS.get(kind)
    if spec is None:
        msg = _("只能报送工作评议结果、监督活动情况和整改通知")
        raise ValidationFailed(msg, code=ErrorCode.UNKNOWN_KIND, fields={"kind": [msg]})
    with records_refusals(), transaction.atomic():
        obj = get_or_deny(actor, spec.model_class, perms.DISPATCH_SEND, pk=object_id)
        if recipient_kind not in Recipient.values:
            raise _fail("recipient_kind", _("请选择报送对象"))
        to = _text("recipient", recipient, RECIPIENT_MAX, required=True)
        note = _text("note", note, NOTE_MAX, required=False)
        today = timezone.localdate()
        on = sent_on or today
        if on > today:
            raise _fail("sent_on", _("报送日期不能晚于今天"))
        title, data = spec.document(obj, on)
        item = Dispatch.objects.create(
            region=obj.region,
            content_type_id=_content_type_id(obj),
            object_id=obj.pk,
            item_label=str(obj)[:300],
            document_title=title[:300],
            recipient_kind=recipient_kind,
            recipient=to,
            sent_on=on,
            note=note,
            sent_by=actor,
        )
        attach(actor=actor, item=item, upload=ContentFile(data, name=f"{title[:150]}.docx"))
        record(
            actor=actor,
            action="dispatch.sent",
            obj=obj,
            summary={
                "dispatch": item.pk,
                "recipient_kind": recipient_kind,
                "recipient": to,
                "sent_on": on.isoformat(),
                "document": title,
            },
        )
    return item


def _content_type_id(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk

"""Every write of the procedure book: a township's own rule documents, added and removed, each audited
(issue 21 part 2). The procedures themselves are never written: they are the workflow tables."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals
from apps.audit.services import record
from apps.common import text
from apps.common.errors import field_error
from apps.places.models import Region, RegionLevel
from apps.workflow.models import Attachment
from apps.workflow.uploads import attach, validate

from .models import RuleDocument

TITLE_MAX, NUMBER_MAX = 200, 60


def _text(name: str, value, limit: int, *, required: bool) -> str:
    value = " ".join(text.clean(str(value or "")).split())
    if required and not value:
        raise field_error(name, _("请填写名称"))
    if len(value) > limit:
        raise field_error(name, _("不能超过 %(n)s 个字") % {"n": limit})
    return value


@records_refusals()
def add_document(
    *, actor, town_id: int, title: str, upload, number: str = "", adopted_on: date | None = None
) -> RuleDocument:
    """A township's own rule document with its file; the office of that town (or its county) only."""
    town = Region.objects.filter(pk=town_id, level=RegionLevel.TOWN).first()
    if town is None:
        raise field_error("town", _("请选择镇（街道）"))
    perms.require_in(actor, perms.RULE_DOCUMENT_MANAGE, town)
    title = _text("title", title, TITLE_MAX, required=True)
    number = _text("number", number, NUMBER_MAX, required=False)
    if upload is None:
        raise field_error("file", _("请选择文件"))
    validate(upload)
    with transaction.atomic():
        doc = RuleDocument.objects.create(
            region=town, title=title, number=number, adopted_on=adopted_on, created_by=actor
        )
        att = attach(actor=actor, item=doc, upload=upload)
        record(
            actor=actor,
            action="procedures.document_added",
            obj=doc,
            summary={"title": title, "number": number, "town": town.pk, "attachment": att.pk},
        )
    return doc


@records_refusals()
def remove_document(*, actor, document_id: int) -> None:
    with transaction.atomic():
        doc = get_or_deny(actor, RuleDocument, perms.RULE_DOCUMENT_MANAGE, pk=document_id)
        doc = RuleDocument.objects.select_for_update().get(pk=doc.pk)
        record(actor=actor, action="procedures.document_removed", obj=doc, summary={"title": doc.title})
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(RuleDocument)
        for att in Attachment.objects.filter(content_type=ct, object_id=doc.pk):
            att.file.delete(save=False)
            att.delete()
        doc.delete()

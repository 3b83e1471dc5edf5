"""报送 (issue 18 part 7): a record that a result or a rectification notice was sent to the township Party
committee or to a unit's superior body: to whom, when, by whom, and the Word document as it was generated at
that moment (a `workflow.Attachment` on the record, so a later edit of the object never changes what was
sent). One generic model for every object that is sent (content type + id, as `rectification.source`);
`kinds.py` names which objects may be sent and which document each gives."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.places.models import InRegion, Region


class Recipient(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("镇党委")
    SUPERIOR = "superior", _("单位的上级主管部门")


class Dispatch(InRegion):
    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    # What was sent, readable even if the object is gone (the object's name when it was sent).
    item_label = models.CharField(_("报送事项"), max_length=300)
    document_title = models.CharField(_("文件标题"), max_length=300)
    recipient_kind = models.CharField(_("报送对象"), max_length=20, choices=Recipient.choices)
    recipient = models.CharField(_("接收单位"), max_length=100)
    sent_on = models.DateField(_("报送日期"))
    note = models.CharField(_("备注"), max_length=500, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    scope = Scope()

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="dispatch_item")]

    def __str__(self):
        return f"{self.item_label} → {self.recipient}"

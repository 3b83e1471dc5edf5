"""What every tracked item carries (`Tracked`), its step history, and files attached to it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import WORKFLOWS


class WorkflowOf:
    """`Model.workflow`: the table registered for this model (apps/<app>/workflow.py, loaded by the app's
    ready()), found by the model's label so that the model need not import it."""

    def __get__(self, obj, owner):
        for cls in owner.__mro__:
            meta = getattr(cls, "_meta", None)
            if meta is not None and meta.label in WORKFLOWS:
                return WORKFLOWS[meta.label]
        raise LookupError(f"no workflow registered for {owner.__name__}")


class TrackedFields(models.Model):
    """What the workflow engine owns on an item besides its state. Only `apps.workflow.services.transition`
    writes these. A model whose state field has another name (DutyRecord's `review_state`) inherits this
    and names its state with a `state` property; every other tracked item inherits `Tracked`.

    `version` goes up by one with every transition; the engine's conditional update on it is what lets
    exactly one of two people acting on the same item at once succeed."""

    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    state_since = models.DateTimeField(_("进入当前状态时间"), default=timezone.now, editable=False)
    due_date = models.DateField(_("办理时限"), null=True, blank=True, editable=False)
    due_provisional = models.BooleanField(_("时限待节假日公布后确认"), default=False, editable=False)
    escalated_at = models.DateTimeField(_("超期督办时间"), null=True, blank=True, editable=False)

    workflow = WorkflowOf()

    class Meta:
        abstract = True

    @property
    def state_label(self) -> str:
        return self.workflow.state(self.state).label

    @property
    def is_final(self) -> bool:
        return self.workflow.state(self.state).final

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.due_date and self.due_date < today and not self.is_final)

    def audience(self, name: str):
        """Users to tell, for an audience name used in the workflow's `notify` and states' `responsible`."""
        return []

    def rules_place(self):
        """Where this item's [local] rules (deadlines and the like) are read: the item itself, which knows
        its town and county, or its region while it is being created."""
        if getattr(self, "town_id", None) or getattr(self, "county_id", None):
            return self
        return getattr(self, "region", None)


class Tracked(TrackedFields):
    """A tracked item (opinion, suggestion ...): its state, and what the engine owns beside it."""

    state = models.CharField(_("状态"), max_length=24, db_index=False)

    class Meta:
        abstract = True


class Step(models.Model):
    """One transition of one tracked item: the item's timeline, and the base of on-time counts."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=24, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    reason = models.TextField(_("理由/说明"), blank=True)
    summary = models.JSONField(_("变更内容"), default=dict, blank=True)
    # Whether the step left a timed state by its deadline (None when the state had no deadline).
    on_time = models.BooleanField(_("按时"), null=True, blank=True)
    due_date = models.DateField(_("新时限"), null=True, blank=True)

    class Meta:
        verbose_name = _("流程记录")
        verbose_name_plural = _("流程记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="step_item_at")]

    def __str__(self):
        return f"{self.transition}: {self.from_state} → {self.to_state}"


def attachment_path(instance, filename):
    return f"attachments/{timezone.now():%Y/%m}/{instance.content_type_id}-{instance.object_id}-{filename}"


class Attachment(models.Model):
    """A photo or document on any tracked item; type and size are checked by `uploads.validate`."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    # Shown on the public tracking page (photos the citizen sent; replies the office chose to publish).
    public = models.BooleanField(_("公开"), default=False)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_item")]

    def __str__(self):
        return self.name

    @property
    def is_image(self) -> bool:
        return self.kind in ("jpeg", "png", "gif", "webp")

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def chain_hash(prev_hash: str, seq: int, content_hash: str) -> str:
    """An entry's link: SHA-256 of "<previous entry's hash>:<seq>:<SHA-256 of its content>" (hex).
    PostgreSQL computes the same in `audit_append` (migration 0002), where the entry is appended under the
    chain's lock."""
    return hashlib.sha256(f"{prev_hash}:{seq}:{content_hash}".encode()).hexdigest()


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained log (审计日志).

    `entry_hash` covers every field, the entry's place (seq) and the previous entry's hash (`chain_hash`), so
    editing, inserting or deleting any entry breaks the chain from that point on; `manage.py verify_audit`
    finds where.
    """

    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",  # the log outlives nothing it names
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    action = models.CharField(_("动作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    summary = models.JSONField(_("变更摘要"), default=dict)
    reason = models.TextField(_("原因"), blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def canonical(self) -> str:
        """The entry's content, every field but its place in the chain (seq, prev_hash), as canonical JSON."""
        return json.dumps(
            {
                "at": self.at.isoformat(),
                "actor": self.actor_id,
                "actor_label": self.actor_label,
                "ip": self.ip,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "summary": self.summary,
                "reason": self.reason,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )

    def content_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()

    def compute_hash(self) -> str:
        return chain_hash(self.prev_hash, self.seq, self.content_hash())

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only.")

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in one user's in-app inbox (消息通知).

    `dedupe_key` names the event that caused it (for example `opinion:42:assigned`); the unique constraint on
    (recipient, dedupe_key) makes notifying twice about the same event a no-op, even from two workers at once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,  # an inbox has no meaning without its owner
        related_name="notifications",
    )
    kind = models.CharField(_("类别"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200)

    class Meta:
        verbose_name = _("消息通知")
        verbose_name_plural = _("消息通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once_per_event"),
            models.CheckConstraint(condition=~models.Q(dedupe_key=""), name="notification_has_dedupe_key"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    # Claimed by one worker; the conditional UPDATE into this state is what makes sending exactly once.
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboundMessage(models.Model):
    """One SMS or e-mail to send, at most once: `dedupe_key` is unique (`<event key>:<channel>:<address>`)."""

    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("发送地址"), max_length=254)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    text = models.TextField(_("正文"))
    dedupe_key = models.CharField(_("去重键"), max_length=500, unique=True)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("消息通知"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # what was sent stays on record even if the inbox entry goes
        related_name="messages",
    )
    # The message kind picks the provider's template (Alibaba Cloud SMS needs one per kind); `params` fill it.
    kind = models.CharField(_("消息类别"), max_length=32, default="notice")
    params = models.JSONField(_("模板参数"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    # What the provider answered: its message id (Alibaba's BizId), to match a delivery receipt.
    provider_id = models.CharField(_("服务商回执编号"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_pending")]

    def __str__(self):
        return f"{self.get_channel_display()} {self.address}"

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.people.models import Deputy
from apps.places.models import Region


class ActivityKind(models.TextChoices):
    # DOMAIN §8: every activity a deputy's duty record can hold.
    SESSION_ATTENDANCE = "session_attendance", _("出席代表大会")
    MEETING_ATTENDANCE = "meeting_attendance", _("参加会议")
    LEAVE = "leave", _("请假")
    ABSENCE = "absence", _("无故缺席")
    VOTE = "vote", _("参加表决")
    STUDY = "study", _("学习培训")
    RECEPTION = "reception", _("接待选民")
    HOUSEHOLD_VISIT = "household_visit", _("走访选民")
    INSPECTION = "inspection", _("视察调研检查")
    SUGGESTION = "suggestion", _("提出建议")
    CO_SIGNATURE = "co_signature", _("联名附议")
    MOTION = "motion", _("提出议案")
    POVERTY_HELP = "poverty_help", _("结对帮扶")
    DIARY = "diary", _("民情日记")
    REPORT_BACK = "report_back", _("向选民述职")
    COMMITMENT = "commitment", _("兑现实事承诺")
    COMMITMENT_OVERDUE = "commitment_overdue", _("承诺逾期未兑现")
    OTHER = "other", _("其他履职")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已退回")


class Source(models.TextChoices):
    SELF = "self", _("代表填报")
    STAFF = "staff", _("工作人员登记")
    PLATFORM = "platform", _("平台自动记录")


class DutyRecord(models.Model):
    """The duty record ledger (履职登记): one row per activity of one deputy.

    Later features append here through `duty.services.append_platform_record`, naming the object the record
    came from; the unique constraint on (deputy, kind, source object) makes appending twice a no-op.
    """

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="duty_records"
    )
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    town = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("类别"), max_length=32, choices=ActivityKind.choices)
    date = models.DateField(_("日期"))
    title = models.CharField(_("事项"), max_length=200)
    detail = models.TextField(_("内容"), blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    review_state = models.CharField(_("审核状态"), max_length=16, choices=ReviewState.choices)
    review_reason = models.CharField(_("审核意见"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_id = models.CharField(max_length=64, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope = Scope(station="deputy__station", deputy="deputy")

    class Meta:
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["deputy", "date"]), models.Index(fields=["town", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "kind", "source_type", "source_id"],
                condition=models.Q(source_type__isnull=False),
                name="dutyrecord_once_per_source",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="platform") | models.Q(review_state="approved"),
                name="dutyrecord_platform_counts_at_once",
            ),
        ]

    def __str__(self):
        return f"{self.deputy} {self.get_kind_display()} {self.date}"

    def save(self, *args, **kwargs):
        self.county_id = self.deputy.county_id
        self.town_id = self.deputy.town_id
        super().save(*args, **kwargs)

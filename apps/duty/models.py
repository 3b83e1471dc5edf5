from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.people.models import Deputy
from apps.places.models import Region
from apps.workflow.models import TrackedFields

from .choices import ActivityKind, Band


class ReviewState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已退回")


class Source(models.TextChoices):
    SELF = "self", _("代表填报")
    STAFF = "staff", _("工作人员登记")
    PLATFORM = "platform", _("平台自动记录")


class DutyRecord(TrackedFields):
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
    # What the points table counts: 1 for most records; half days for an absence or a leave.
    units = models.PositiveSmallIntegerField(_("计量单位数"), default=1, help_text=_("缺席、请假按半天计"))
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1, null=True, blank=True)
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("走访/帮扶户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
        indexes = [
            models.Index(fields=["deputy", "date"]),
            models.Index(fields=["town", "date"]),
            models.Index(fields=["town", "review_state", "date"]),
        ]
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
            models.CheckConstraint(condition=models.Q(units__gte=1), name="dutyrecord_units_positive"),
        ]

    def __str__(self):
        return f"{self.deputy} {self.get_kind_display()} {self.date}"

    # The review is the record's lifecycle (duty/workflow.py): its state is `review_state`.
    @property
    def state(self) -> str:
        return self.review_state

    @state.setter
    def state(self, value: str):
        self.review_state = value

    def get_absolute_url(self):
        return f"/duty/records/{self.pk}/"

    def audience(self, name: str):
        if name == "deputy" and self.deputy.user_id:
            return [self.deputy.user]
        return []

    def save(self, *args, **kwargs):
        self.county_id = self.deputy.county_id
        self.town_id = self.deputy.town_id
        super().save(*args, **kwargs)


# What a deputy or staff may enter for review; everything else the platform appends itself.
SELF_REPORTABLE = (
    ActivityKind.STUDY,
    ActivityKind.HOUSEHOLD_VISIT,
    ActivityKind.INSPECTION,
    ActivityKind.POVERTY_HELP,
    ActivityKind.DIARY,
    ActivityKind.OTHER,
)
# Kinds that may name one of the deputy's households.
HOUSEHOLD_KINDS = (ActivityKind.HOUSEHOLD_VISIT, ActivityKind.POVERTY_HELP)


class PointsTable(models.Model):
    """The year's points table of one county (积分标准), set by the county office as data."""

    county = models.ForeignKey(Region, verbose_name=_("县"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    base_score = models.DecimalField(_("基础分"), max_digits=6, decimal_places=1, default=0)
    five_good_min_score = models.DecimalField(
        _("五好代表最低得分"), max_digits=6, decimal_places=1, default=90
    )
    five_good_min_suggestions = models.PositiveSmallIntegerField(_("五好代表最少建议数"), default=1)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    # Read by everyone of the county (deputies see their breakdown against it); changed by the county office.
    scope = Scope(town=None)

    class Meta:
        verbose_name = _("积分标准")
        verbose_name_plural = _("积分标准")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="pointstable_once_per_year")]

    def __str__(self):
        return f"{self.county} {self.year}"


class PointsRule(models.Model):
    """One row of the table: points for the first occurrence, for each further one, and a cap.
    Deductions are rows with negative points; the cap then bounds the deduction."""

    table = models.ForeignKey(PointsTable, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("类别"), max_length=32, choices=ActivityKind.choices)
    first_points = models.DecimalField(_("首次得分"), max_digits=6, decimal_places=1)
    further_points = models.DecimalField(_("每增加一次得分"), max_digits=6, decimal_places=1)
    cap = models.DecimalField(_("上限"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("积分项")
        verbose_name_plural = _("积分项")
        ordering = ["table", "id"]
        constraints = [models.UniqueConstraint(fields=["table", "kind"], name="pointsrule_once_per_kind")]

    def __str__(self):
        return f"{self.table} {self.kind}"


class Score(models.Model):
    """A deputy's live score for a year: recomputed whenever one of their records changes."""

    # No single-column indexes: the unique (deputy, year) and the (town, …), (county, …) indexes lead with
    # them, and each index less is less to write when a recompute changes 90,000 scores.
    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="duty_scores", db_index=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    town = models.ForeignKey(Region, null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    station_id = models.IntegerField(null=True)
    group_id = models.IntegerField(null=True)
    total = models.DecimalField(_("得分"), max_digits=7, decimal_places=1)
    band = models.CharField(_("等次"), max_length=8, choices=Band.choices)
    rank_in_town = models.PositiveIntegerField(_("镇内排名"), null=True)
    rank_in_station = models.PositiveIntegerField(_("联络站内排名"), null=True)
    rank_in_group = models.PositiveIntegerField(_("小组内排名"), null=True)
    breakdown = models.JSONField(_("明细"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"))

    scope = Scope(station="deputy__station", deputy="deputy")

    class Meta:
        verbose_name = _("履职得分")
        verbose_name_plural = _("履职得分")
        constraints = [models.UniqueConstraint(fields=["deputy", "year"], name="score_once_per_year")]
        indexes = [models.Index(fields=["town", "year"]), models.Index(fields=["county", "year"])]

    def __str__(self):
        return f"{self.deputy_id} {self.year} {self.total}"


class ScorePublication(models.Model):
    """One quarterly publication of a county's scores (按季度公布)."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    published_at = models.DateTimeField(_("公布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(town=None)

    class Meta:
        verbose_name = _("得分公布")
        verbose_name_plural = _("得分公布")
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "quarter"], name="publication_once"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_4"),
        ]

    def __str__(self):
        return f"{self.county} {self.year}Q{self.quarter}"


class PublishedScore(models.Model):
    """The snapshot of a score at a quarterly publication: what deputies and the public see."""

    publication = models.ForeignKey(ScorePublication, on_delete=models.CASCADE, related_name="scores")
    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="published_scores")
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey(Region, null=True, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("得分"), max_digits=7, decimal_places=1)
    band = models.CharField(_("等次"), max_length=8, choices=Band.choices)
    rank_in_town = models.PositiveIntegerField(_("镇内排名"), null=True)
    breakdown = models.JSONField(_("明细"), default=dict)

    scope = Scope(station="deputy__station", deputy="deputy")

    class Meta:
        verbose_name = _("已公布得分")
        verbose_name_plural = _("已公布得分")
        constraints = [
            models.UniqueConstraint(fields=["publication", "deputy"], name="published_once_per_deputy")
        ]

    def __str__(self):
        return f"{self.deputy_id} {self.total}"


class PlateKind(models.TextChoices):
    # The name-plate scheme (挂牌) [local]: warned, talked to, removed from the plate list, reinstated.
    WARNING = "warning", _("警示")
    TALK = "talk", _("约谈")
    REMOVAL = "removal", _("摘牌")
    REINSTATEMENT = "reinstatement", _("恢复挂牌")


class PlateAction(models.Model):
    """One step of the name-plate scheme, taken by the county or town office with a reason."""

    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    town = models.ForeignKey(Region, null=True, on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(_("类别"), max_length=16, choices=PlateKind.choices)
    year = models.PositiveSmallIntegerField(_("评价年度"))
    date = models.DateField(_("日期"))
    reason = models.CharField(_("理由"), max_length=300)
    notes = models.TextField(_("谈话记录"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(station="deputy__station", deputy="deputy")

    class Meta:
        verbose_name = _("挂牌管理")
        verbose_name_plural = _("挂牌管理")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.deputy} {self.get_kind_display()} {self.date}"

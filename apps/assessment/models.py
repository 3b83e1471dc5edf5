"""Township assessment (镇人大工作积分制, DOMAIN §9, issue 20 parts 1-3).

The county sets, per year, an `IndicatorTable` as data: its `Aspect`s (代表大会工作, 监督工作 ...) and their
`Indicator`s, each either computed from the platform's records (`metric`, a key of `metrics.REGISTRY`) or
scored by the county with evidence (`ManualScore`, reviewed on its own workflow). Each town of the county has
one `TownAssessment` per table: the row its office sees, the one the county marks advanced, and where the
ranking is kept once published (`total`, `rank`, `tie_rule`). The table's own steps (draft → scoring →
published) run on the workflow engine.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, RoleGrant
from apps.accounts.scopes import Scope
from apps.places.models import InRegion, Region
from apps.workflow.models import Tracked

from . import metrics
from .choices import Source, Unit

POINTS = {"max_digits": 7, "decimal_places": 2}
BOUND = [MinValueValidator(Decimal("-1000")), MaxValueValidator(Decimal("1000"))]


def _office_users(**grant):
    User = RoleGrant._meta.get_field("user").related_model
    return list(
        User.objects.filter(is_active=True, **{f"grants__{k}": v for k, v in grant.items()}).distinct()
    )


class IndicatorTable(InRegion, Tracked):
    """考核指标体系: one county's table for one year. Only the county office sees and edits it."""

    region = models.ForeignKey(Region, verbose_name=_("县"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("名称"), max_length=100)
    base_score = models.DecimalField(_("基础分"), **POINTS, default=Decimal(100), validators=BOUND)
    # An example the platform ships (Hanyin's, Tongxiang's shape), for the county to edit.
    is_example = models.BooleanField(_("示例"), default=False)
    note = models.TextField(_("说明"), blank=True, max_length=2000)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(town=None)

    class Meta:
        verbose_name = _("考核指标体系")
        verbose_name_plural = _("考核指标体系")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="assessment_table_once_a_year")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessment:table", args=[self.pk])

    def audience(self, name: str):
        return _office_users(role=Role.COUNTY_OFFICE, region_id=self.county_id) if name else []


class Aspect(models.Model):
    """考核方面 (Hanyin's five aspects, Tongxiang's six major indicators)."""

    table = models.ForeignKey(IndicatorTable, on_delete=models.CASCADE, related_name="aspects")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("名称"), max_length=60)
    # Increment points (加分项, Hanyin's innovation) are added on top of the base score.
    is_bonus = models.BooleanField(_("加分项"), default=False)

    class Meta:
        verbose_name = _("考核方面")
        verbose_name_plural = _("考核方面")
        ordering = ["table", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["table", "name"], name="assessment_aspect_name_once")]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """考核指标: how many points a town earns for one thing.

    Computed: the value of `metric` over the year (a count or a percentage) against `target`: meeting the
    target earns `base_points`, each unit above it `increment_points`, each unit short costs `deduction`
    points; the result stays within 0 and `cap`. Manual: the county's reviewed score, within -`deduction`
    and `cap`, with the evidence `evidence_rule` asks for."""

    table = models.ForeignKey(IndicatorTable, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.ForeignKey(
        Aspect, verbose_name=_("考核方面"), on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("指标"), max_length=100)
    source = models.CharField(_("评分方式"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    # A key of `metrics.REGISTRY` (the choices are read from it when asked, so a metric another app
    # registers later is offered too).
    metric = models.CharField(_("计算口径"), max_length=40, blank=True, choices=metrics.choices)
    target = models.DecimalField(_("目标值"), **POINTS, default=Decimal(0), validators=BOUND)
    base_points = models.DecimalField(_("基本分"), **POINTS, default=Decimal(0), validators=BOUND)
    increment_points = models.DecimalField(
        _("每超一个单位加分"), **POINTS, default=Decimal(0), validators=BOUND
    )
    cap = models.DecimalField(_("最高分"), **POINTS, default=Decimal(0), validators=BOUND)
    deduction = models.DecimalField(_("每差一个单位扣分"), **POINTS, default=Decimal(0), validators=BOUND)
    evidence_rule = models.CharField(_("佐证材料要求"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["table", "aspect__order", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source="manual", metric="")
                | models.Q(source="computed") & ~models.Q(metric=""),
                name="assessment_indicator_metric_iff_computed",
            )
        ]

    def __str__(self):
        return self.name


class TownAssessment(InRegion):
    """One town's assessment in one table's year: seen by the town's office and the county's. The ranking is
    computed from the records until the table is published, then kept here (`total`, `rank`, `tie_rule`)."""

    table = models.ForeignKey(IndicatorTable, on_delete=models.CASCADE, related_name="towns")
    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    advanced = models.BooleanField(_("先进单位"), default=False)
    advanced_note = models.CharField(_("评选理由"), max_length=300, blank=True)
    total = models.DecimalField(_("总分"), **POINTS, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    tie_rule = models.CharField(_("同分排序依据"), max_length=200, blank=True)

    scope = Scope()

    class Meta:
        verbose_name = _("镇考核")
        verbose_name_plural = _("镇考核")
        ordering = ["table", "rank", "region__code"]
        constraints = [models.UniqueConstraint(fields=["table", "region"], name="assessment_town_once")]

    def __str__(self):
        return f"{self.region.name} {self.table.year}"

    def get_absolute_url(self):
        return reverse("assessment:town", args=[self.pk])


class ManualScore(InRegion, Tracked):
    """县人大办评分: the county's points for one town on one manual indicator, with evidence files (workflow
    attachments); counts once reviewed. Every change is a step of `SCORE_WORKFLOW`."""

    assessment = models.ForeignKey(TownAssessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), **POINTS, validators=BOUND)
    note = models.TextField(_("评分说明"), max_length=2000, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope()

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["indicator__aspect__order", "indicator__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="assessment_score_once")
        ]

    def __str__(self):
        return f"{self.indicator.name}：{self.points}"

    def get_absolute_url(self):
        return reverse("assessment:score", args=[self.pk])

    def audience(self, name: str):
        if name == "office":
            return _office_users(role=Role.COUNTY_OFFICE, region_id=self.county_id)
        if name == "town":
            return _office_users(role=Role.TOWN_OFFICE, region_id=self.town_id)
        return []


__all__ = ["Aspect", "Indicator", "IndicatorTable", "ManualScore", "Source", "TownAssessment", "Unit"]

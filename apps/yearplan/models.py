"""The year's calendar of a township's congress duties (年度工作日历, DOMAIN §10, issue 20 part 4).

`PlanItem` is one duty on one date of a township's year, generated from the county's template
(`rules.cangxi`) and the supervision plan, or added by the office; moving and cancelling it are steps of
`workflow.PLAN_ITEM_WORKFLOW`. `window_start`/`window_end` are where a record counts as the item held
(the compliance view asks SQL with them). `FeedToken` is a person's secret for their iCalendar feed."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, RoleGrant
from apps.accounts.scopes import Scope
from apps.places.models import InRegion, Region
from apps.workflow.models import Tracked

from .choices import ItemKind, LineRule


class PlanItem(InRegion, Tracked):
    """日历事项: one duty of a township's year."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=16, choices=ItemKind.choices)
    title = models.CharField(_("事项"), max_length=200)
    date = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    window_start = models.DateField(_("计入起始"))
    window_end = models.DateField(_("计入截止"))
    # What generated the item ("template:reception:3", "supervision:42"); blank for one added by hand.
    # Generating again skips keys already there, so a moved or cancelled item is never brought back.
    source_key = models.CharField(max_length=40, blank=True, editable=False)
    # The item date its reminder went out for: a reminder is sent once per date (a moved item is reminded
    # again for its new date).
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("取消原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Offices through county/town; a deputy sees their own township's items (selectors.visible_items).
    scope = Scope()

    class Meta:
        verbose_name = _("日历事项")
        verbose_name_plural = _("日历事项")
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["town", "year", "date"]),
            models.Index(fields=["state", "date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "source_key"],
                condition=~models.Q(source_key=""),
                name="yearplan_item_generated_once",
            ),
            models.CheckConstraint(
                condition=models.Q(window_end__gte=models.F("window_start")), name="yearplan_window_ordered"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("yearplan:item", args=[self.pk])

    def audience(self, name: str):
        """The township office, and its deputies with a live login (reminders go to both)."""
        User = RoleGrant._meta.get_field("user").related_model
        if name in ("office", "presidium"):
            return list(
                User.objects.filter(grants__role=Role.TOWN_OFFICE, grants__region_id=self.town_id).distinct()
            )
        if name == "deputies":
            return list(
                User.objects.filter(
                    is_active=True,
                    grants__role=Role.DEPUTY,
                    grants__deputy__mandates__congress_region_id=self.town_id,
                    grants__deputy__mandates__status="in_office",
                ).distinct()
            )
        return []


class CalendarTemplate(InRegion):
    """县年度日历模板: a county's lines for one year (the county office edits it, copies it from last year);
    generation reads the county's template for the year, else its latest earlier one, else `rules.cangxi`."""

    region = models.ForeignKey(Region, verbose_name=_("县"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    # Where its lines came from when made: "cangxi" or the year copied ("2025").
    copied_from = models.CharField(max_length=16, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope()

    class Meta:
        verbose_name = _("县年度日历模板")
        verbose_name_plural = _("县年度日历模板")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="yearplan_template_once_a_year"),
        ]

    def __str__(self):
        return f"{self.region} {self.year}"

    def get_absolute_url(self):
        return reverse("yearplan:template", args=[self.pk])


class TemplateLine(models.Model):
    """One line of a county's template: a kind of duty, how often (LineRule) from which month, and its day
    (a day of the month, or with `day` 0 the `nth` `weekday`)."""

    template = models.ForeignKey(CalendarTemplate, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("类别"), max_length=16, choices=ItemKind.choices)
    title = models.CharField(_("事项名称"), max_length=100, blank=True)
    rule = models.CharField(_("频次"), max_length=16, choices=LineRule.choices)
    month = models.PositiveSmallIntegerField(_("月份"), default=1)
    day = models.PositiveSmallIntegerField(_("日"), default=15)
    nth = models.PositiveSmallIntegerField(_("第几个"), default=1)
    weekday = models.PositiveSmallIntegerField(_("星期几"), default=0)

    class Meta:
        verbose_name = _("模板事项")
        verbose_name_plural = _("模板事项")
        ordering = ["kind", "month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12, day__lte=31, nth__gte=1, nth__lte=5,
                                   weekday__lte=6),
                name="yearplan_template_line_in_range",
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.title or str(self.get_kind_display())


class FeedToken(models.Model):
    """A person's secret for their iCalendar feed: only its SHA-256 is kept; a new one replaces the old,
    and revoking deletes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("日历订阅密钥")
        verbose_name_plural = _("日历订阅密钥")

    def __str__(self):
        return f"{self.user_id}"

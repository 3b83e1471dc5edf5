"""Rectification (整改, DOMAIN §7, issue 18 part 4): one tracked item kind for every problem that any
activity finds (an inspection's finding, a department rated dissatisfied, later a livelihood project): the
problem, the unit it is assigned to with a working-day deadline, the deputies who found it and review the
unit's work, the unit's plan and report, and where it came from (`source`, any object, plus a label that
stays readable when the source is gone). Every step is `workflow.RECTIFICATION_WORKFLOW` on the engine."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, RoleGrant
from apps.accounts.scopes import Scope
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, InRegion, Region
from apps.workflow.models import Tracked


class RectificationItem(InRegion, Tracked):
    """整改事项: one problem, assigned to one unit, reviewed by the deputies who found it."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    # Where the problem was found (an activity, a finding, an evaluation ...): any object, or none when the
    # office opens the item by hand; the label names it for lists, notices and the public site.
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    source_label = models.CharField(_("问题来源"), max_length=200, blank=True)
    title = models.CharField(_("整改事项"), max_length=300)
    detail = models.TextField(_("问题描述"), blank=True)
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("整改责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    reviewers = models.ManyToManyField(
        Deputy, verbose_name=_("验收代表"), blank=True, related_name="rectifications_reviewed"
    )
    opened_on = models.DateField(_("交办日期"))
    # The date the unit must have rectified by (working days from the opening, [local]
    # RECTIFICATION_WORKING_DAYS, or the caller's own count); a return sets a new one.
    deadline = models.DateField(_("整改时限"))
    plan_text = models.TextField(_("整改方案"), blank=True)
    plan_filed_on = models.DateField(_("方案报送日期"), null=True, blank=True)
    report_text = models.TextField(_("整改报告"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    returns_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    # Internal: the reviewers' and the presidium's notes (never on the public site).
    review_note = models.CharField(_("验收意见"), max_length=500, blank=True)
    accepted_on = models.DateField(_("验收通过日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(unit="unit", deputy="reviewers")

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["town", "state"]),
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["content_type", "object_id"], name="rectification_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__isnull=True, object_id__isnull=True)
                | models.Q(content_type__isnull=False, object_id__isnull=False),
                name="rectification_source_whole",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("rectification:item", args=[self.pk])

    def audience(self, name: str):
        User = RoleGrant._meta.get_field("user").related_model
        if name in ("office", "presidium"):
            return list(
                User.objects.filter(grants__role=Role.TOWN_OFFICE, grants__region_id=self.town_id).distinct()
            )
        if name == "unit":
            return list(
                User.objects.filter(grants__role=Role.UNIT_STAFF, grants__unit_id=self.unit_id).distinct()
            )
        if name == "reviewers":
            return list(
                User.objects.filter(
                    grants__role=Role.DEPUTY, grants__deputy__in=self.reviewers.all(), is_active=True
                ).distinct()
            )
        return []

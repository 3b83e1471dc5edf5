"""Resolutions followed up (决议决定执行, DOMAIN §5, issue 16 item 6): each resolution or decision a vote
adopted gets implementation items (实施事项) assigned to the units responsible, each with a target date; the
unit reports progress (again and again) until the office accepts the item as done (tracked:
workflow.RESOLUTION_WORKFLOW). The office reports the whole to the presidium and the next session (Word).

Models of this module name the meetings models by label only, so `meetings.models` can import it back.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, RoleGrant
from apps.accounts.scopes import Scope
from apps.places.models import HandlingUnit, InRegion, Region
from apps.workflow.models import Tracked


class ResolutionTask(InRegion, Tracked):
    """One implementation item of an adopted resolution or decision, assigned to one unit."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    vote = models.ForeignKey(
        "meetings.Vote", verbose_name=_("决议决定"), on_delete=models.CASCADE, related_name="tasks"
    )
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("实施事项"), max_length=300)
    # The date the office set (a fixed date, or counted in working days when assigned); the deadline of the
    # open states is this date (workflow Due(field="target_date")).
    target_date = models.DateField(_("完成时限"))
    assigned_on = models.DateField(_("交办日期"))
    progress_text = models.TextField(_("最新进展"), blank=True)
    reported_on = models.DateField(_("最近报告日期"), null=True, blank=True)
    reports_count = models.PositiveIntegerField(_("报告次数"), default=0)
    review_note = models.CharField(_("审查意见"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(unit="unit")

    class Meta:
        verbose_name = _("决议实施事项")
        verbose_name_plural = _("决议实施事项")
        ordering = ["vote", "id"]
        indexes = [models.Index(fields=["town", "state"]), models.Index(fields=["unit", "state"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:resolution_task", args=[self.pk])

    def audience(self, name: str):
        User = RoleGrant._meta.get_field("user").related_model
        if name == "office":
            return list(
                User.objects.filter(grants__role=Role.TOWN_OFFICE, grants__region_id=self.town_id).distinct()
            )
        if name == "unit":
            return list(
                User.objects.filter(grants__role=Role.UNIT_STAFF, grants__unit_id=self.unit_id).distinct()
            )
        return []


class ResolutionProgress(models.Model):
    """One progress report of the unit on an item (the `report` step writes it; files hang on the item)."""

    task = models.ForeignKey(ResolutionTask, on_delete=models.CASCADE, related_name="progress")
    date = models.DateField(_("报告日期"))
    text = models.TextField(_("进展情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(county="task__county", town="task__town", unit="task__unit")

    class Meta:
        verbose_name = _("决议执行进展")
        verbose_name_plural = _("决议执行进展")
        ordering = ["task", "date", "id"]

    def __str__(self):
        return f"{self.task_id}: {self.text[:20]}"

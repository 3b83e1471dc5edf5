"""Group deliberation (分组审议, DOMAIN §5, issue 16 item 4): the session's deliberation groups, the opinions
their recorder enters on each report, and the office's digest of them sent to the government (tracked).

Models of this module name the meetings models by label only, so `meetings.models` can import it back.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, RoleGrant
from apps.accounts.scopes import Scope
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, InRegion, Region
from apps.workflow.models import Tracked


class DeliberationGroup(InRegion):
    """审议小组 of a session: its deputies, and the recorder (a deputy's login or an office staff member)
    who enters what each deputy says on each report."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "meetings.Session", verbose_name=_("代表大会会议"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("小组名称"), max_length=100)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(Deputy, verbose_name=_("组员"), related_name="deliberation_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(deputy="members")

    class Meta:
        verbose_name = _("审议小组")
        verbose_name_plural = _("审议小组")
        ordering = ["session", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "name"], name="group_unique_in_session")]

    def __str__(self):
        return self.name


class DeliberationOpinion(models.Model):
    """One deputy's opinion on one report in one group's deliberation, as the recorder entered it."""

    group = models.ForeignKey(DeliberationGroup, on_delete=models.CASCADE, related_name="opinions")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("报告"),
        on_delete=models.CASCADE,
        related_name="deliberation_opinions",
    )
    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("审议意见"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    scope = Scope(county="group__county", town="group__town", deputy="group__members")

    class Meta:
        verbose_name = _("审议意见")
        verbose_name_plural = _("审议意见")
        ordering = ["agenda_item", "group", "id"]
        indexes = [models.Index(fields=["agenda_item", "group"])]

    def __str__(self):
        return f"{self.deputy_id}: {self.text[:20]}"


class DeliberationDigest(InRegion, Tracked):
    """审议意见汇总: the office's compilation of the groups' opinions on one report, sent to the government
    unit responsible, whose answer is tracked like a suggestion's reply (workflow.DIGEST_WORKFLOW)."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem", verbose_name=_("报告"), on_delete=models.CASCADE, related_name="digest"
    )
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=250)
    opinions_count = models.PositiveIntegerField(_("意见条数"), default=0)
    sent_on = models.DateField(_("送交日期"))
    answer_text = models.TextField(_("研究处理情况"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    review_note = models.CharField(_("审查意见"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(unit="unit")

    class Meta:
        verbose_name = _("审议意见汇总")
        verbose_name_plural = _("审议意见汇总")
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["town", "sent_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("meetings:digest", args=[self.pk])

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

"""Supervision (监督, DOMAIN §7, issue 18 parts 1, 2 and 5): the township's plan of the year with its
activities (plan items), the deputies who lead or join each, the problems found (findings), and the
appointments (约见) and special inquiries (专题询问) deputies request.

The plan, each activity and each appointment are tracked on the workflow engine (workflow.py). An activity
drawn from the opinion roll-up keeps the topic key it came from and links to the opinions behind it
(`Activity.opinions`; an opinion shows its plan items as `opinion.supervision_items`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, RoleGrant
from apps.accounts.scopes import Scope
from apps.common.choices import Satisfaction
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, InRegion, Region
from apps.workflow.models import Tracked

from .choices import ActivityKind, AnswerMode, MeetingKind, MemberRole


def _office_users(town_id):
    User = RoleGrant._meta.get_field("user").related_model
    return list(User.objects.filter(grants__role=Role.TOWN_OFFICE, grants__region_id=town_id).distinct())


class SupervisionPlan(InRegion, Tracked):
    """监督工作计划: one per township and year, drafted by the office and approved by the presidium."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=100)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope = Scope()

    class Meta:
        verbose_name = _("监督工作计划")
        verbose_name_plural = _("监督工作计划")
        ordering = ["-year", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="supervision_plan_once")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:plan", args=[self.pk])

    def audience(self, name: str):
        return _office_users(self.town_id) if name == "office" else []


class Activity(InRegion, Tracked):
    """A plan item (监督事项): one activity of a kind on a topic, with its dates and deputies."""

    plan = models.ForeignKey(
        SupervisionPlan, verbose_name=_("监督计划"), on_delete=models.CASCADE, related_name="items"
    )
    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("监督形式"), max_length=24, choices=ActivityKind.choices)
    topic = models.CharField(_("监督议题"), max_length=200)
    detail = models.TextField(_("工作安排"), blank=True)
    # The roll-up key this item was drawn from (opinions' `topic_key`), or blank.
    topic_key = models.CharField(_("议题归类"), max_length=40, blank=True)
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("监督对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("计划开始日期"))
    ends_on = models.DateField(_("计划结束日期"))
    summary = models.TextField(_("活动情况"), blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=500, blank=True)
    opinions = models.ManyToManyField(
        "opinions.Opinion", verbose_name=_("来源社情民意"), blank=True, related_name="supervision_items"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(deputy="members__deputy")

    class Meta:
        verbose_name = _("监督事项")
        verbose_name_plural = _("监督事项")
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["town", "starts_on"]), models.Index(fields=["plan", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="activity_dates_ordered"
            )
        ]

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("supervision:activity", args=[self.pk])

    def audience(self, name: str):
        if name == "office":
            return _office_users(self.town_id)
        if name == "deputies":
            return [m.deputy.user for m in self.members.select_related("deputy__user") if m.deputy.user_id]
        return []


class ActivityMember(models.Model):
    """A deputy who leads or joins an activity (one row each; the database refuses a second)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="members")
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="supervision_roles"
    )
    role = models.CharField(_("角色"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        verbose_name = _("参加监督的代表")
        verbose_name_plural = _("参加监督的代表")
        ordering = ["activity", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputy"], name="activity_member_once"),
        ]

    def __str__(self):
        return f"{self.deputy} ({self.get_role_display()})"


class Appointment(InRegion, Tracked):
    """约见 or 专题询问: deputies ask a head of a government body; the answer and their satisfaction."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=MeetingKind.choices)
    subject = models.CharField(_("事由"), max_length=200)
    detail = models.TextField(_("具体内容"), blank=True)
    official = models.CharField(_("被约见（询问）人及职务"), max_length=100)
    body = models.CharField(_("所在机关"), max_length=100)
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("监督事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    meets_on = models.DateField(_("约见（询问）日期"), null=True, blank=True)
    answer_mode = models.CharField(_("答复方式"), max_length=16, choices=AnswerMode.choices, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    close_reason = models.CharField(_("说明"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    scope = Scope(unit="unit", deputy="requesters__deputy")

    class Meta:
        verbose_name = _("约见和专题询问")
        verbose_name_plural = _("约见和专题询问")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["town", "state"])]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("supervision:appointment", args=[self.pk])

    def audience(self, name: str):
        if name == "office":
            return _office_users(self.town_id)
        if name == "deputies":
            rows = self.requesters.select_related("deputy__user")
            return [r.deputy.user for r in rows if r.deputy.user_id]
        return []


class Requester(models.Model):
    """A deputy who requested an appointment or inquiry, and their satisfaction with the answer (open,
    not secret: 满意 / 基本满意 / 不满意)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="requesters")
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="appointments"
    )
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.rated(), blank=True)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    rated_on = models.DateField(_("评价日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("提出约见的代表")
        verbose_name_plural = _("提出约见的代表")
        ordering = ["appointment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "deputy"], name="appointment_requester_once"),
        ]

    def __str__(self):
        return str(self.deputy)


class Finding(InRegion):
    """A problem found by an activity or raised at an appointment (follow-up item), with the unit it
    concerns; the rectification app opens a rectification item (整改) from it."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("监督事项"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
    )
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("约见和专题询问"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
    )
    text = models.TextField(_("发现的问题"), max_length=2000)
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("涉及单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    scope = Scope(unit="unit", deputy=("activity__members__deputy", "appointment__requesters__deputy"))

    class Meta:
        verbose_name = _("监督发现的问题")
        verbose_name_plural = _("监督发现的问题")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["unit", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(activity__isnull=False, appointment__isnull=True)
                | models.Q(activity__isnull=True, appointment__isnull=False),
                name="finding_of_one_source",
            )
        ]

    def __str__(self):
        return self.text[:30]

    def get_absolute_url(self):
        source = self.activity or self.appointment
        return source.get_absolute_url() + f"#finding-{self.pk}"

    def rectification_page(self):
        """The object whose page shows this finding (rectification links back to it)."""
        return self.activity or self.appointment

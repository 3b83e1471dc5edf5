"""The vice-mayors' report-back and rating at a congress session meeting (副镇长述职评议, Yangdong; DOMAIN §7,
issue 18 part 6): officials (name, post) give written reports (files) the deputies read on their phones; the
deputies present rate each official 满意 / 基本满意 / 不满意 by secret ballot through the ballot box, as the
survey of a department evaluation (one row per official, two office staff as tellers)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.meetings.models import Meeting
from apps.workflow.models import Attachment, Tracked


class OfficialRating(Tracked):
    """述职评议 of a meeting: its officials and the deputies' secret rating."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="official_ratings"
    )
    title = models.CharField(_("名称"), max_length=200)
    participants = models.PositiveIntegerField(_("参评人数"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(county="meeting__county", town="meeting__town", deputy="meeting__attendees__deputy")

    class Meta:
        verbose_name = _("副镇长述职评议")
        verbose_name_plural = _("副镇长述职评议")
        ordering = ["-id"]

    def __str__(self):
        return self.title

    def rules_place(self):
        return self.meeting

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("evaluations:official_rating", args=[self.pk])


class RatedOfficial(models.Model):
    """An official who reports (name, post), the written report's file, and the filed result."""

    rating = models.ForeignKey(OfficialRating, on_delete=models.CASCADE, related_name="officials")
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100)
    report = models.ForeignKey(
        Attachment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("述职报告"),
    )
    satisfied = models.PositiveIntegerField(_("满意"), null=True, blank=True)
    basic = models.PositiveIntegerField(_("基本满意"), null=True, blank=True)
    dissatisfied = models.PositiveIntegerField(_("不满意"), null=True, blank=True)

    class Meta:
        verbose_name = _("述职人员")
        verbose_name_plural = _("述职人员")
        ordering = ["rating", "id"]

    def __str__(self):
        return f"{self.post} {self.name}"


class OfficialRatingParticipation(models.Model):
    """That a deputy has rated: a keyed hash only, no time, no choice; unique per rating."""

    rating = models.ForeignKey(OfficialRating, on_delete=models.CASCADE, related_name="participations")
    voter_key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rating", "voter_key"], name="official_rating_once_per_deputy")
        ]

    def __str__(self):
        return f"{self.rating_id}:{self.voter_key[:8]}"

"""A township's own rule documents (issue 21 part 2): Tongxiang's 17 rules hang beside the platform's.

The file itself is a `workflow.Attachment` on the row (type sniffed, size limited, upload audited); the row
holds its title, its number and the date it was adopted."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.places.models import InRegion, Region


class RuleDocument(InRegion):
    """本镇规章制度: one rule document a township adopted (工作规则、议事规则 ...)."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=200)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    adopted_on = models.DateField(_("通过日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The offices of its county and town; the file is the township's internal paper.
    scope = Scope()

    class Meta:
        verbose_name = _("本镇规章制度")
        verbose_name_plural = _("本镇规章制度")
        ordering = ["region__code", "title", "id"]
        indexes = [models.Index(fields=["town", "title"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("procedures:document", args=[self.pk])

"""The public search index: one row per published thing (a deputy's card, a station, a published suggestion
reply, a filed report-back result), holding only what the public page shows and its jieba tokens.

The index is the one place search reads, so it can never find what is not published: a row is written only
from the public selectors (`search.entries_for`), and removed when its source stops being public."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.places.models import Region


class EntryKind(models.TextChoices):
    DEPUTY = "deputy", _("代表")
    STATION = "station", _("联络站")
    SUGGESTION = "suggestion", _("建议答复")
    REPORT_BACK = "report_back", _("述职测评")
    SUPERVISION = "supervision", _("监督事项")


class SearchEntry(models.Model):
    kind = models.CharField(_("类别"), max_length=16, choices=EntryKind.choices)
    object_id = models.PositiveBigIntegerField()
    county = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    town = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    url = models.CharField(max_length=200)
    # jieba's tokens (cut_for_search) joined by spaces: PostgreSQL reads them with to_tsvector('simple', ...)
    # through a GIN index (migration 0002); SQLite searches them with icontains.
    tokens = models.TextField()

    class Meta:
        verbose_name = _("公开检索条目")
        verbose_name_plural = _("公开检索条目")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")]
        indexes = [models.Index(fields=["town", "kind"]), models.Index(fields=["county", "kind"])]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title}"

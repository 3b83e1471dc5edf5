"""The ballot box (票箱): one secret choice, its tellers (监票人), its sealed ballots and the tally steps.

What the tables may hold is the point of the app (issue 15): a `Sealed` row is ciphertexts, proofs and a
receipt, nothing else: no voter, no time, no counter per option; its primary key is random, so neither the
key nor a counter orders the ballots. A `Trustee` row holds the teller's public share only: the private
share is shown once to the teller and pasted back at the tally (crypto.py). Only the combined totals are
ever decrypted (`Tally` rows hold each teller's proven share of that decryption)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.places.models import InRegion, Region
from apps.workflow.models import Tracked


class BoxState(models.TextChoices):
    SETUP = "setup", _("待生成密钥")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已截止，待解密")
    TALLIED = "tallied", _("已计票")


class Box(InRegion, Tracked):
    """One secret ballot (a vote, an election round, a rating): k options, a key made by its tellers."""

    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    # What the box is for (a vote, a round ...): set by the app that opens it.
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("名称"), max_length=200)
    labels = models.JSONField(_("选项"), default=list)
    # The rows of a ballot, each a choice among `labels` (an election's candidates, the people rated); empty
    # for a ballot of one row (a vote).
    questions = models.JSONField(_("选票各行"), default=list, blank=True)
    public_key = models.CharField(_("公钥"), max_length=64, blank=True)
    combined = models.JSONField(_("合并密文"), null=True, blank=True)
    totals = models.JSONField(_("计票结果"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope()

    class Meta:
        verbose_name = _("票箱")
        verbose_name_plural = _("票箱")
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.title

    @property
    def options(self) -> int:
        return len(self.labels)

    @property
    def rows(self) -> int:
        return max(1, len(self.questions))

    @property
    def positions(self) -> int:
        """Ciphertexts a ballot holds (k - 1 a row: crypto.seal)."""
        return (self.options - 1) * self.rows

    def results(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """The published totals by row: [(row title, [(label, total), ...]), ...]; empty until tallied."""
        if not self.totals:
            return []
        titles = self.questions or [self.title]
        k = self.options
        return [
            (title, list(zip(self.labels, self.totals[r * k : (r + 1) * k], strict=True)))
            for r, title in enumerate(titles)
        ]

    @property
    def context(self) -> bytes:
        """What every proof of this box is hashed with (crypto.challenge): proofs do not travel."""
        return f"renda:ballotbox:{self.pk}".encode()

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("ballotbox:verify", args=[self.pk])


class Trustee(models.Model):
    """A teller of a box: their public key share and its proof; never the private share."""

    box = models.ForeignKey(Box, on_delete=models.CASCADE, related_name="trustees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("监票人"), on_delete=models.PROTECT, related_name="+"
    )
    public_share = models.CharField(_("公钥份额"), max_length=64, blank=True)
    key_proof = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("监票人")
        verbose_name_plural = _("监票人")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["box", "user"], name="ballotbox_one_teller_seat")]

    def __str__(self):
        return f"{self.box_id}:{self.user_id}"


class Sealed(models.Model):
    """One encrypted ballot. No voter, no timestamp, a random key: see the module's docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(Box, on_delete=models.PROTECT, related_name="sealed")
    ciphertexts = models.JSONField()
    proofs = models.JSONField()
    sum_proof = models.JSONField()
    receipt = models.CharField(_("回执"), max_length=64)

    class Meta:
        verbose_name = _("密封选票")
        verbose_name_plural = _("密封选票")
        constraints = [
            models.UniqueConstraint(fields=["box", "receipt"], name="ballotbox_one_receipt"),
        ]
        indexes = [models.Index(fields=["receipt"])]

    def __str__(self):
        return self.receipt

    def as_ballot(self) -> dict:
        return {
            "receipt": self.receipt,
            "ciphertexts": self.ciphertexts,
            "proofs": self.proofs,
            "sum_proof": self.sum_proof,
        }


class Tally(models.Model):
    """A teller's step at the tally: their partial decryption of the combined totals, with proofs."""

    trustee = models.OneToOneField(Trustee, on_delete=models.PROTECT, related_name="tally")
    partial = models.JSONField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("解密份额")
        verbose_name_plural = _("解密份额")

    def __str__(self):
        return f"{self.trustee_id}"

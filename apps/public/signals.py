"""Keeps the search index in step with what is published: after a save commits, the one source is indexed
again through the public selectors (which drop it if it is no longer public). Bulk writes (imports, the
benchmark seed) send no signals: `manage.py reindex_public` rebuilds the index after them."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.archive.models import ReportBackMeeting, ReportBackSpeaker
from apps.people.models import Deputy, Mandate
from apps.places.models import Station
from apps.suggestions.models import Suggestion
from apps.supervision.models import Activity, Finding, SupervisionPlan

from .models import EntryKind, SearchEntry

log = logging.getLogger(__name__)


class _Batch:
    """The sources saved in one transaction, indexed once after it commits (an import saves thousands)."""

    def __init__(self):
        self.ids: dict[str, set[int]] = {}

    def add(self, kind: str, ids) -> None:
        self.ids.setdefault(kind, set()).update(i for i in ids if i is not None)

    def flush(self) -> None:
        from .search import reindex

        for kind, ids in self.ids.items():
            ordered = sorted(ids)
            for start in range(0, len(ordered), 1000):
                try:
                    reindex(kind, ordered[start : start + 1000])
                except Exception:  # the sources' own writes have committed; the next rebuild catches up
                    log.exception("public search index: %s not indexed", kind)


def _later(kind: str, ids: list[int]) -> None:
    conn = transaction.get_connection()
    batch = getattr(conn, "_renda_public_batch", None)
    # A batch whose callback a rollback has dropped (or that already ran) is not reused.
    if batch is None or not any(entry[1] == batch.flush for entry in conn.run_on_commit):
        batch = conn._renda_public_batch = _Batch()
        batch.add(kind, ids)
        transaction.on_commit(batch.flush)  # outside a transaction: runs at once
        return
    batch.add(kind, ids)


@receiver(post_save, sender=Deputy)
def _deputy(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(EntryKind.DEPUTY, [instance.pk])


@receiver(post_save, sender=Mandate)
def _mandate(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(EntryKind.DEPUTY, [instance.deputy_id])


@receiver(post_save, sender=Station)
def _station(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(EntryKind.STATION, [instance.pk])


@receiver(post_save, sender=Suggestion)
def _suggestion(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(EntryKind.SUGGESTION, [instance.pk])


@receiver(post_save, sender=ReportBackMeeting)
def _report_back_meeting(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(EntryKind.REPORT_BACK, list(instance.speakers.values_list("pk", flat=True)))


@receiver(post_save, sender=ReportBackSpeaker)
def _report_back_speaker(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(EntryKind.REPORT_BACK, [instance.pk])


@receiver(post_save, sender=SupervisionPlan)
def _supervision_plan(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(EntryKind.SUPERVISION, list(instance.items.values_list("pk", flat=True)))


@receiver(post_save, sender=Activity)
def _activity(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(EntryKind.SUPERVISION, [instance.pk])


@receiver(post_save, sender=Finding)
def _finding(sender, instance, raw=False, **kwargs):
    if not raw and instance.activity_id:
        _later(EntryKind.SUPERVISION, [instance.activity_id])


def _gone(kind):
    def handler(sender, instance, **kwargs):
        SearchEntry.objects.filter(kind=kind, object_id=instance.pk).delete()

    return handler


for _model, _kind in (
    (Deputy, EntryKind.DEPUTY),
    (Station, EntryKind.STATION),
    (Suggestion, EntryKind.SUGGESTION),
    (ReportBackSpeaker, EntryKind.REPORT_BACK),
    (Activity, EntryKind.SUPERVISION),
):
    post_delete.connect(_gone(_kind), sender=_model, weak=False, dispatch_uid=f"public-search-gone-{_kind}")

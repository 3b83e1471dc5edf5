"""Appending to the duty record ledger. Later features (opinions, suggestions, sessions) call
`append_platform_record`; deputies and staff enter the rest for the township office to review."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from apps.audit.services import record

from .models import DutyRecord, ReviewState, Source


def append_platform_record(
    *, deputy, kind: str, date, title: str, source_object, detail: str = ""
) -> DutyRecord:
    """Record what the platform itself saw a deputy do; counts at once, and only once per source object."""
    ctype = ContentType.objects.get_for_model(source_object)
    existing = DutyRecord.objects.filter(
        deputy=deputy, kind=kind, source_type=ctype, source_id=str(source_object.pk)
    ).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            rec = DutyRecord.objects.create(
                deputy=deputy,
                kind=kind,
                date=date,
                title=title,
                detail=detail,
                source=Source.PLATFORM,
                review_state=ReviewState.APPROVED,
                source_type=ctype,
                source_id=str(source_object.pk),
            )
            record(
                actor=None,
                action="duty.record.appended",
                obj=rec,
                summary={"deputy": deputy.pk, "kind": kind, "source": f"{ctype.model}:{source_object.pk}"},
            )
    except IntegrityError:  # appended concurrently by another worker: the constraint kept it single
        return DutyRecord.objects.get(
            deputy=deputy, kind=kind, source_type=ctype, source_id=str(source_object.pk)
        )
    return rec

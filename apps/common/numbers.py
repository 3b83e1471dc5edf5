"""Running numbers: `next_value(key)` takes the next number of a series inside the caller's transaction.

The series' row is locked for update until the caller's transaction ends, so numbers are never given
twice and never skipped by a rollback. The first call of a series starts it at `start()` (e.g. how many
numbers an imported ledger already holds), computed only then.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from .models import Counter


def next_value(key: str, *, start: Callable[[], int] = lambda: 0) -> int:
    with transaction.atomic():
        row = Counter.objects.select_for_update().filter(key=key).first()
        if row is None:
            # INSERT ... ON CONFLICT DO NOTHING: a second caller starting the same series at the same
            # moment waits on the first one's row instead of failing.
            Counter.objects.bulk_create([Counter(key=key, value=start())], ignore_conflicts=True)
            row = Counter.objects.select_for_update().get(key=key)
        row.value += 1
        row.save(update_fields=["value"])
        return row.value

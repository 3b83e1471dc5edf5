"""Any change to the holiday table, from the admin, a service or the shell, drops the in-memory copy."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import table
from .models import CalendarDay, CalendarYear


@receiver([post_save, post_delete], sender=CalendarDay, dispatch_uid="calendar_day_clears_table")
@receiver([post_save, post_delete], sender=CalendarYear, dispatch_uid="calendar_year_clears_table")
def clear_table(**kwargs):
    table.clear()
    # Again after commit: a read inside the transaction may have cached rows that a rollback undoes.
    transaction.on_commit(table.clear)

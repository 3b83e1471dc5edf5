"""Replies go public once rated (DOMAIN §4, issue 16 item 10): the signers' ratings move `published_round`
in the workflow's steps (`workflow._rated`); this sweep does it for the replies whose rating window
(`SUGGESTION_FEEDBACK_WORKING_DAYS` [local], the `replied` state's deadline) has passed unrated."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record

from .models import Suggestion


def publish_due(today=None) -> int:
    """Publish the latest reply of every item whose rating window ended before `today`; safe to run again."""
    today = today or timezone.localdate()
    due = Suggestion.objects.filter(
        state="replied", due_date__lt=today, published_round__lt=F("rounds")
    ).only("pk", "rounds", "publish", "town_id", "county_id")
    done = 0
    for item in due.iterator(chunk_size=500):
        with transaction.atomic():
            won = Suggestion.objects.filter(pk=item.pk, published_round__lt=item.rounds).update(
                published_round=item.rounds
            )
            if won:
                record(
                    actor=None,
                    action="suggestion.reply_published",
                    obj=item,
                    summary={"round": item.rounds, "publish": item.publish},
                    reason=_("代表评价期限已过，答复按规定公开"),
                )
                done += 1
    return done

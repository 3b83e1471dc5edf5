"""The periodic clean-ups: draft keys past their time and ledgers uploaded for a preview and never confirmed
are deleted; what they made, and what is still fresh, stays."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from apps.common.models import IdempotencyKey
from apps.common.tasks import forget_old_idempotency_keys
from apps.workflow.import_pages import PENDING, drop_stale_uploads

pytestmark = pytest.mark.django_db


def test_old_draft_keys_are_forgotten_fresh_ones_kept(world, settings):
    settings.RENDA = {**settings.RENDA, "IDEMPOTENCY_KEY_DAYS": 60}
    user = world.deputy_user
    old = IdempotencyKey.objects.create(user=user, key=uuid.uuid4(), kind="duty.dutyrecord", object_id=1)
    fresh = IdempotencyKey.objects.create(user=user, key=uuid.uuid4(), kind="duty.dutyrecord", object_id=2)
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=61))
    assert forget_old_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_unconfirmed_uploads_are_deleted_after_their_hours(settings, monkeypatch):
    settings.RENDA = {**settings.RENDA, "IMPORT_PENDING_HOURS": 24}
    stale = default_storage.save(f"{PENDING}stale.xlsx", ContentFile(b"x"))
    fresh = default_storage.save(f"{PENDING}fresh.xlsx", ContentFile(b"y"))
    # The stale one was uploaded 25 hours before "now", the fresh one an hour before.
    now = default_storage.get_modified_time(stale) + timedelta(hours=25)
    later = {stale: now - timedelta(hours=25), fresh: now - timedelta(hours=1)}
    real = default_storage.get_modified_time
    monkeypatch.setattr(default_storage, "get_modified_time", lambda name: later.get(name) or real(name))
    assert drop_stale_uploads(now=now) == 1
    assert not default_storage.exists(stale)
    assert default_storage.exists(fresh)


def test_nothing_pending_is_nothing_to_do():
    for name in default_storage.listdir(PENDING)[1] if default_storage.exists(PENDING) else []:
        default_storage.delete(f"{PENDING}{name}")
    assert drop_stale_uploads() == 0

"""Exactly once for a write a client may send again (issue 17 part 8): a phone's offline draft is sent when
the signal is back, and sent again when the answer was lost on the way. The draft carries a key the phone
made (a UUID): the `Idempotency-Key` header of an API call, or the hidden field `idempotency_key` of a page's
form. The first sending creates the record and keeps the key beside it (`IdempotencyKey`, unique per user
and key); a repeat gets the record the first one made, not a second record.

The key row is inserted in the same transaction as the record, before it: a second sending at the same
moment waits on the unique index (PostgreSQL) and, once the first commits, fails on it and reads the first
one's record. A write that fails (a wrong field, a refusal) rolls its key back, so the corrected draft may be
sent under the same key."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from ninja import Header

from .errors import CommonCode, ValidationFailed
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"

# An API write's optional key, read from the header (OpenAPI names it; a key that is not a UUID is a 422).
KeyHeader = Annotated[
    uuid.UUID | None,
    Header(
        alias=HEADER,
        description=(
            "客户端为这次提交生成的 UUID：同一用户以同一键重复提交时，返回第一次创建的记录，不再新建。"
        ),
    ),
]


def _reused():
    message = _("这份草稿的幂等键已用于其他提交")
    return ValidationFailed(message, code=CommonCode.IDEMPOTENCY_KEY_REUSED, fields={FIELD: [message]})


def key_of_form(data) -> uuid.UUID | None:
    """The key of a page's form post (its hidden field), or None when the form sends none."""
    raw = (data.get(FIELD) or "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as e:
        message = _("幂等键格式不正确")
        raise ValidationFailed(message, fields={FIELD: [message]}) from e


def _first(user, key: uuid.UUID, model):
    row = IdempotencyKey.objects.filter(user=user, key=key).first()
    if row is None:
        return None
    if row.kind != model._meta.label_lower or row.object_id is None:
        raise _reused()
    found = model._default_manager.filter(pk=row.object_id).first()
    if found is None:  # created, then withdrawn: the draft was sent, but its record is gone
        raise _reused()
    return found


def once(*, user, key: uuid.UUID | None, model, create: Callable[[], object]) -> tuple[object, bool]:
    """`create()` once per (user, key): returns (the record, whether this call created it). Without a key
    it simply creates."""
    if key is None:
        return create(), True
    found = _first(user, key, model)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(user=user, key=key, kind=model._meta.label_lower)
            obj = create()
            IdempotencyKey.objects.filter(pk=row.pk).update(object_id=obj.pk)
    except IntegrityError:
        found = _first(user, key, model)
        if found is None:
            raise
        return found, False
    return obj, True

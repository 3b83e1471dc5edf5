"""Duty records: platform records other apps append, self-reported records and their review."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, get_or_deny, own_deputy_id
from apps.audit.services import record
from apps.common.errors import ValidationFailed
from apps.people.models import Deputy, Household
from apps.places.terms import terms_for

from ..errors import ErrorCode
from ..models import (
    HOUSEHOLD_KINDS,
    SELF_REPORTABLE,
    DutyRecord,
    ReviewState,
    Source,
)
from .scores import (
    _rescore_after_commit,
)

ENTRY_FIELDS = ("kind", "date", "title", "detail", "place", "hours", "household_id")


# --- platform records ---------------------------------------------------------------------------------------


def append_platform_record(
    *, deputy, kind: str, date, title: str, source_object, detail: str = "", units: int = 1
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
                title=title[:200],
                detail=detail,
                units=max(1, units),
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
    _rescore_after_commit(deputy.pk, date.year)
    return rec


# --- self-reported records ----------------------------------------------------------------------------------


def _is_office(actor, rec: DutyRecord) -> bool:
    return perms.holds(actor, perms.DUTY_REVIEW, rec)


def _clean_entry(deputy: Deputy, data: dict, *, today: datetime.date) -> dict:
    """Validate what a deputy or staff entered; per-field Chinese messages."""
    errors: dict[str, str] = {}
    kind = data.get("kind") or ""
    if kind not in SELF_REPORTABLE:
        errors["kind"] = _("请选择可自行填报的履职类别")
    day = data.get("date")
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            day = None
    if not isinstance(day, datetime.date):
        errors["date"] = _("请填写日期")
    elif day > today:
        errors["date"] = _("日期不能晚于今天")
    elif day.year < today.year - 1:
        errors["date"] = _("只能登记今年和去年的履职活动")
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("请填写事项")
    elif len(title) > 200:
        errors["title"] = _("事项不超过200字")
    place = (data.get("place") or "").strip()
    if len(place) > 200:
        errors["place"] = _("地点不超过200字")
    hours = data.get("hours")
    if hours in ("", None):
        hours = None
    else:
        try:
            hours = Decimal(str(hours))
            if hours <= 0 or hours > 24:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["hours"] = _("时长应在0到24小时之间")
            hours = None
    household_id = data.get("household_id") or data.get("household") or None
    if household_id and kind not in HOUSEHOLD_KINDS:
        household_id = None
    if household_id:
        own = Q(contact_deputy=deputy) | Q(paired_deputy=deputy)
        if not Household.objects.filter(own, pk=household_id).exists():
            errors["household"] = _("只能选择本人联系或结对帮扶的户")
    if errors:
        raise ValidationFailed(_("请检查填写的内容"), fields=errors)
    return {
        "kind": kind,
        "date": day,
        "title": title,
        "detail": (data.get("detail") or "").strip(),
        "place": place,
        "hours": hours,
        "household_id": int(household_id) if household_id else None,
    }


def create_record(*, actor, deputy_id: int, data: dict, uploads=(), today=None) -> DutyRecord:
    """A deputy enters their own activity, or the town office enters one for a deputy of its town; it waits
    for review ("pending") and counts once approved."""
    from apps.workflow.uploads import attach, validate

    if own_deputy_id(actor) == deputy_id:
        deputy, source = Deputy.objects.get(pk=deputy_id), Source.SELF
    else:
        deputy, source = get_or_deny(actor, Deputy, perms.DUTY_ENTER, pk=deputy_id), Source.STAFF
    fields = _clean_entry(deputy, data, today=today or timezone.localdate())
    for up in uploads:
        validate(up)
    with transaction.atomic():
        rec = DutyRecord.objects.create(
            deputy=deputy,
            source=source,
            review_state=ReviewState.PENDING,
            created_by=actor,
            **fields,
        )
        record(
            actor=actor,
            action="duty.record.created",
            obj=rec,
            summary={"deputy": deputy.pk, "kind": rec.kind, "date": rec.date, "source": source},
        )
        for up in uploads:
            attach(actor=actor, item=rec, upload=up)
    return rec


def _record_for_change(actor, pk: int) -> tuple[DutyRecord, bool]:
    """The record and whether the actor acts as the office (else as its own deputy); others are refused."""
    rec = get_or_deny(actor, DutyRecord, pk=pk)
    if _is_office(actor, rec):
        return rec, True
    if own_deputy_id(actor) == rec.deputy_id:
        return rec, False
    deny(actor, perms.DUTY_ENTER, rec)


def refuse_platform(rec: DutyRecord):
    if rec.source == Source.PLATFORM:
        raise ValidationFailed(_("平台自动记录的履职不能修改或退回"), code=ErrorCode.PLATFORM_RECORD)


def update_record(*, actor, pk: int, data: dict, uploads=(), today=None) -> DutyRecord:
    """Change an entered record. The deputy may change it while pending or rejected; the office at any time.
    Whatever it was, it goes back to "pending": an approved record edited stops counting until approved."""
    from apps.workflow.services import transition
    from apps.workflow.uploads import attach, validate

    rec, as_office = _record_for_change(actor, pk)
    refuse_platform(rec)
    if not as_office and rec.review_state == ReviewState.APPROVED:
        office = terms_for(rec.deputy.town if rec.deputy.town_id else None).office
        raise ValidationFailed(
            _("已通过审核的记录不能再修改，如有错误请联系%(office)s") % {"office": office},
            code=ErrorCode.APPROVED,
        )
    fields = _clean_entry(
        rec.deputy,
        {**{f: getattr(rec, f) for f in ENTRY_FIELDS}, **data},
        today=today or timezone.localdate(),
    )
    for up in uploads:
        validate(up)
    with transaction.atomic():
        rec = DutyRecord.objects.select_for_update().get(pk=rec.pk)
        was = rec.review_state
        before = {f: getattr(rec, f) for f in ENTRY_FIELDS}
        for f, v in fields.items():
            setattr(rec, f, v)
        rec.save()
        changed = {f: [before[f], fields[f]] for f in fields if before[f] != fields[f]}
        record(
            actor=actor,
            action="duty.record.changed",
            obj=rec,
            summary={"changes": changed, "review_state": [was, ReviewState.PENDING]},
        )
        for up in uploads:
            attach(actor=actor, item=rec, upload=up)
        rec = transition(rec, "revise", actor=actor)  # back to pending, whatever it was
        if was == ReviewState.APPROVED:
            _rescore_after_commit(rec.deputy_id, before["date"].year)
    return rec


def withdraw_record(*, actor, pk: int, reason: str = "") -> None:
    """The deputy (or the office) withdraws an entered record that is not counted (pending or rejected)."""
    rec, _as_office = _record_for_change(actor, pk)
    refuse_platform(rec)
    if rec.review_state == ReviewState.APPROVED:
        raise ValidationFailed(_("已通过审核的记录不能撤回"), code=ErrorCode.APPROVED)
    with transaction.atomic():
        rec = DutyRecord.objects.select_for_update().get(pk=rec.pk)
        record(
            actor=actor,
            action="duty.record.withdrawn",
            obj=rec,
            reason=reason,
            summary={"deputy": rec.deputy_id, "kind": rec.kind, "date": rec.date, "title": rec.title},
        )
        rec.delete()


def review_record(*, actor, pk: int, approve: bool, reason: str = "") -> DutyRecord:
    """The town office approves a pending record (it counts at once) or rejects it with a reason: the
    record's review steps (duty/workflow.py) through the engine."""
    from apps.workflow.services import transition

    rec = get_or_deny(actor, DutyRecord, perms.DUTY_REVIEW, pk=pk)
    refuse_platform(rec)
    if rec.review_state != ReviewState.PENDING:
        raise ValidationFailed(_("该记录已审核，不能重复审核"), code=ErrorCode.NOT_PENDING)
    return transition(rec, "approve" if approve else "reject", actor=actor, data={"reason": reason or ""})


# Records one bulk approval takes: a page of the review queue.
BULK_MAX = 200


def approve_many(*, actor, pks) -> tuple[list[DutyRecord], list[tuple[int, str]]]:
    """The office approves several pending records at once (issue 16 item 8): each through the engine in its
    own transaction, so each is audited (and refused) on its own; one that cannot be approved (already
    reviewed, out of sight) is named with the reason and the others go on."""
    from apps.common.errors import DomainError, field_error

    ids = list(dict.fromkeys(int(pk) for pk in pks))
    if not ids:
        raise field_error("ids", _("请选择要通过的记录"))
    if len(ids) > BULK_MAX:
        raise field_error("ids", _("一次最多通过 %(n)s 条") % {"n": BULK_MAX})
    done, refused = [], []
    for pk in ids:
        try:
            done.append(review_record(actor=actor, pk=pk, approve=True))
        except DomainError as exc:
            refused.append((pk, str(exc.message)))
    return done, refused

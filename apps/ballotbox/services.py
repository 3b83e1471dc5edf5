"""What changes a ballot box: creating it, the tellers' keys, sealing a ballot, the tally.

The contract of `cast` (read before calling it): it takes the box and the choice, seals the choice in its
own durable transaction (it refuses to run inside the caller's) and returns the receipt. It never learns
who votes. The calling app records "this person has voted" (its participation row, for exactly-once and the
live count) in ITS OWN transaction, before or after, never in the same one, so no transaction id, WAL
record or commit joins a voter to a sealed ballot. Its audit event names nobody and no ballot (no actor, no
address, no receipt): "a ballot went into box N"."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import records_refusals
from apps.audit.services import record, reset_current_ip, set_current_ip
from apps.common.errors import DomainError, NotFound
from apps.workflow.errors import Conflict
from apps.workflow.services import create_tracked, transition

from . import crypto
from .errors import ErrorCode
from .models import Box, BoxState, Sealed, Tally, Trustee
from .selectors import teller_seat


def create_box(*, actor, region, title: str, labels: list[str], tellers: list, target=None) -> Box:
    """A box in `region` with its options and tellers (at least one; two or more in practice)."""
    perms.require_in(actor, perms.BALLOTBOX_MANAGE, region)
    labels = [str(label).strip() for label in labels]
    if len(labels) < 2 or any(not label for label in labels):
        raise DomainError(_("至少要有两个选项，且选项不能为空"), fields={"labels": _("请填写选项")})
    users = list(dict.fromkeys(tellers))
    if not users:
        raise DomainError(_("请指定监票人"), fields={"tellers": _("至少一名监票人")})
    fields = {"region": region, "title": title, "labels": labels, "created_by": actor}
    if target is not None:
        fields["target"] = target
    with transaction.atomic():
        box = create_tracked(Box, actor=actor, fields=fields)
        Trustee.objects.bulk_create([Trustee(box=box, user=u) for u in users])
        record(
            actor=actor,
            action="ballotbox.tellers_named",
            obj=box,
            summary={"tellers": [u.pk for u in users], "options": len(labels)},
        )
    return box


def make_teller_key(*, actor, box_id: int) -> str:
    """The teller's key pair: the public share and its proof are kept, the private share is returned to
    be shown once (the teller keeps it and pastes it back at the tally). Made once per teller."""
    with records_refusals(), transaction.atomic():
        seat = teller_seat(actor, box_id)
        seat = Trustee.objects.select_for_update().select_related("box").get(pk=seat.pk)
        if seat.box.state != BoxState.SETUP:
            raise Conflict(_("票箱已开启，不能再生成密钥"), code=ErrorCode.KEY_EXISTS)
        if seat.public_share:
            raise Conflict(_("您的密钥份额已生成（只显示一次）"), code=ErrorCode.KEY_EXISTS)
        key = crypto.teller_keygen(seat.box.context)
        seat.public_share, seat.key_proof = key.public.hex(), key.proof
        seat.save(update_fields=["public_share", "key_proof"])
        record(
            actor=actor, action="ballotbox.teller_key", obj=seat.box, summary={"public": seat.public_share}
        )
    return key.private_code


def open_box(*, actor, box: Box) -> Box:
    return transition(box, "open", actor=actor)


def close_box(*, actor, box: Box) -> Box:
    return transition(box, "close", actor=actor)


def cast(*, box_id: int, choice: int) -> str:
    """Seal `choice` (0-based) in the open box `box_id`; returns the receipt. See the module's contract."""
    with transaction.atomic(durable=True):
        box = _open_box_shared(box_id)
        if not isinstance(choice, int) or isinstance(choice, bool) or not 0 <= choice < box.options:
            raise DomainError(_("选项无效"), code=ErrorCode.BAD_CHOICE, fields={"choice": _("选项无效")})
        ballot = crypto.seal(box.context, crypto.point(box.public_key), box.options, choice)
        del choice
        tracker = crypto.receipt(ballot)
        try:
            with transaction.atomic():
                Sealed.objects.create(box_id=box.pk, receipt=tracker, **ballot)
        except IntegrityError as exc:  # a 256-bit collision: never in practice
            raise Conflict() from exc
        token = set_current_ip(None)
        try:
            record(actor=None, action="ballotbox.sealed", obj=box, summary={})
        finally:
            reset_current_ip(token)
    return tracker


def _open_box_shared(box_id) -> Box:
    """The open box, read under the weakest lock that still waits for a close (FOR KEY SHARE on
    PostgreSQL: ballots at once do not wait on each other; the close's FOR UPDATE waits for them). The
    box row is only read: no column of it changes with a ballot."""
    sql = "SELECT id FROM ballotbox_box WHERE id = %s"
    if connection.vendor == "postgresql":
        sql += " FOR KEY SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [box_id])
        if cursor.fetchone() is None:
            raise NotFound()
    box = Box.objects.only("id", "state", "labels", "public_key").get(pk=box_id)
    if box.state != BoxState.OPEN:
        raise Conflict(_("票箱未开启或已截止"), code=ErrorCode.BOX_NOT_OPEN)
    return box


def _refused(actor, box_id, what: str, exc: DomainError):
    """A refused tally step, recorded once the transaction is over."""
    record(
        actor=actor,
        action="ballotbox.share_refused",
        object_type="ballotbox.box",
        object_id=str(box_id),
        summary={"code": str(exc.code), "what": what},
    )


def submit_partial(*, actor, box_id: int, partial: list[dict]) -> Box:
    """A teller's partial decryption of the combined totals, refused unless its proofs check. The last
    teller's share publishes the totals (the platform's `publish` step)."""
    try:
        with records_refusals(), transaction.atomic():
            seat = teller_seat(actor, box_id)
            box = Box.objects.select_for_update().get(pk=seat.box_id)
            if box.state != BoxState.CLOSED:
                raise Conflict(_("票箱尚未截止，或已计票"), code=ErrorCode.BOX_NOT_OPEN)
            if Tally.objects.filter(trustee=seat).exists():
                raise Conflict(_("您已提交解密份额"), code=ErrorCode.SHARE_DONE)
            combined = [(crypto.point(a), crypto.point(b)) for a, b in box.combined]
            if not crypto.check_partial(box.context, crypto.point(seat.public_share), combined, partial):
                raise DomainError(
                    _("解密份额的证明未通过验证"),
                    code=ErrorCode.BAD_PARTIAL,
                    fields={"partial": _("证明未通过验证")},
                )
            kept = [  # only what the proof checked, in its canonical form
                {
                    "d": crypto.point(p["d"]).hex(),
                    "proof": {k: f"{crypto.scalar(p['proof'][k]):064x}" for k in ("c", "s")},
                }
                for p in partial
            ]
            Tally.objects.create(trustee=seat, partial=kept)
            record(actor=actor, action="ballotbox.share_given", obj=box, summary={"teller": seat.pk})
            if not box.trustees.filter(tally__isnull=True).exists():
                box = transition(box, "publish", actor=None, system=True)
    except DomainError as exc:
        if exc.code in (ErrorCode.BAD_PARTIAL, ErrorCode.WRONG_SHARE):
            _refused(actor, box_id, "partial", exc)
        raise
    return box


def submit_share(*, actor, box_id: int, code: str) -> Box:
    """The teller pastes their private share; the server computes their partial decryption of the
    combined totals only (never of a single ballot) and forgets the share."""
    seat = teller_seat(actor, box_id)
    box = seat.box
    if box.state != BoxState.CLOSED or not box.combined:
        raise Conflict(_("票箱尚未截止，或已计票"), code=ErrorCode.BOX_NOT_OPEN)
    try:
        private = crypto.private_from_code(code)
        if crypto.base_mul(private).hex() != seat.public_share:
            raise crypto.InvalidData("not this teller's share")
    except crypto.InvalidData:
        exc = DomainError(
            _("私钥份额与您的公钥份额不符"), code=ErrorCode.WRONG_SHARE, fields={"code": _("私钥份额不正确")}
        )
        _refused(actor, box_id, "share", exc)
        raise exc from None
    combined = [(crypto.point(a), crypto.point(b)) for a, b in box.combined]
    partial = crypto.partial_decrypt(box.context, private, combined)
    del private
    return submit_partial(actor=actor, box_id=box_id, partial=partial)

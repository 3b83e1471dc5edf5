"""What changes a ballot box: creating it, the tellers' keys, sealing a ballot, the tally.

The contract of `seal` (read before calling it): the calling app (a vote, an election round, a rating)
checks who votes and records "this person has voted" (its participation row, unique, for exactly-once and
the live count) and then calls `seal` in THE SAME transaction: the participation and the sealed ballot
commit together or not at all, so a ballot accepted is counted once, across crashes and retries. The choice
exists only in memory while it is sealed; what is stored is ciphertexts. A transaction id (xmin), a WAL
record or a backup may join a voter to their sealed ballot, as Helios publishes each voter's ballot, but
never to their choice: only the combined totals are ever decrypted, and only with every teller's share.
No counter of a choice is ever written by a ballot's transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import records_refusals
from apps.audit.services import record, reset_current_ip, set_current_ip
from apps.common.errors import DomainError, NotFound
from apps.workflow.errors import Conflict
from apps.workflow.services import create_tracked, transition

from . import crypto, selectors, signals
from .errors import ErrorCode
from .models import Box, BoxState, Sealed, Tally, Trustee
from .selectors import teller_seat


def create_box(
    *, actor, region, title: str, labels: list[str], tellers: list, questions=(), target=None
) -> Box:
    """A box in `region` with its options, its rows (`questions`, none for a ballot of one row) and its
    tellers. A box of its own needs `ballotbox.manage`; a box for `target` (a vote, a round, a rating) is
    opened by the app that owns the target, which has checked its own permission."""
    if target is None:
        perms.require_in(actor, perms.BALLOTBOX_MANAGE, region)
    labels = [str(label).strip() for label in labels]
    if len(labels) < 2 or any(not label for label in labels):
        raise DomainError(_("至少要有两个选项，且选项不能为空"), fields={"labels": _("请填写选项")})
    users = list(dict.fromkeys(tellers))
    if not users:
        raise DomainError(
            _("请指定监票人"), code=ErrorCode.NO_TELLERS, fields={"tellers": _("至少一名监票人")}
        )
    fields = {
        "region": region,
        "title": title[:200],
        "labels": labels,
        "questions": [str(q)[:200] for q in questions],
        "created_by": actor,
    }
    if target is not None:
        fields["target"] = target
    with transaction.atomic():
        box = create_tracked(Box, actor=actor, fields=fields)
        Trustee.objects.bulk_create([Trustee(box=box, user=u) for u in users])
        record(
            actor=actor,
            action="ballotbox.tellers_named",
            obj=box,
            summary={"tellers": [u.pk for u in users], "options": len(labels), "rows": box.rows},
        )
    return box


def make_teller_key(*, actor, box_id: int, code: str = "") -> str:
    """The teller's key share for a box, derived from their secret code (a new code when none is given);
    the public share and its proof are kept, the code is returned to be shown once. Made once per box."""
    with records_refusals(), transaction.atomic():
        seat = teller_seat(actor, box_id)
        seat = Trustee.objects.select_for_update().select_related("box").get(pk=seat.pk)
        if seat.box.state != BoxState.SETUP:
            raise Conflict(_("票箱已开启，不能再生成密钥"), code=ErrorCode.KEY_EXISTS)
        if seat.public_share:
            raise Conflict(_("您的密钥份额已生成（只显示一次）"), code=ErrorCode.KEY_EXISTS)
        key = _keygen(seat.box, code)
        seat.public_share, seat.key_proof = key.public.hex(), key.proof
        seat.save(update_fields=["public_share", "key_proof"])
        record(
            actor=actor, action="ballotbox.teller_key", obj=seat.box, summary={"public": seat.public_share}
        )
    return key.code


def _keygen(box: Box, code: str):
    try:
        return crypto.teller_keygen(box.context, code or None)
    except crypto.InvalidData:
        raise DomainError(
            _("监票密码应为64位十六进制字符"),
            code=ErrorCode.WRONG_SHARE,
            fields={"code": _("监票密码格式不正确")},
        ) from None


def make_teller_keys(*, actor, code: str = "") -> tuple[str, int]:
    """Every key share the teller still owes (boxes in setup), from one code; returns the code and how
    many boxes. A teller of a meeting's several secret ballots keeps one code for all of them."""
    code = code or crypto.teller_code()
    made = 0
    for box_id in selectors.owed_keys(actor).values_list("box_id", flat=True):
        make_teller_key(actor=actor, box_id=box_id, code=code)
        made += 1
    return code, made


def submit_shares(*, actor, code: str) -> int:
    """The teller's share of the decryption for every closed box they have not yet decrypted whose key
    the code made; returns how many. Boxes another code made are left for that code."""
    done = 0
    for seat in selectors.owed_shares(actor):
        try:
            private = crypto.teller_private(code, seat.box.context)
        except crypto.InvalidData:
            break
        if crypto.base_mul(private).hex() == seat.public_share:
            submit_share(actor=actor, box_id=seat.box_id, code=code)
            done += 1
    if not done:
        exc = DomainError(
            _("没有与此监票密码相符的待解密票箱"),
            code=ErrorCode.WRONG_SHARE,
            fields={"code": _("监票密码不正确")},
        )
        _refused(actor, None, "share", exc)
        raise exc
    return done


def open_for(box: Box) -> Box:
    """The owning app opens its box (in its own transaction): refused until every teller has a key."""
    return transition(box, "open", actor=None, system=True)


def close_for(box: Box) -> Box:
    """The owning app closes its box with the vote or round: the ballots are combined."""
    return transition(box, "close", actor=None, system=True)


def open_box(*, actor, box: Box) -> Box:
    return transition(box, "open", actor=actor)


def close_box(*, actor, box: Box) -> Box:
    return transition(box, "close", actor=actor)


@dataclass(frozen=True)
class _Material:
    """What sealing needs of an open box: fixed from its opening to its end."""

    context: bytes
    key: bytes
    options: int
    rows: int


# Per process, by (box id, public key): a box's key never changes once it is open, and a key is random, so
# an entry is never taken for another box (not even after a test's rollback reuses an id).
_MATERIAL: dict[tuple[int, str], _Material] = {}


def _material(box: Box) -> _Material:
    found = _MATERIAL.get((box.pk, box.public_key))
    if found is None:
        if len(_MATERIAL) > 1000:
            _MATERIAL.clear()
        found = _Material(box.context, crypto.point(box.public_key), box.options, box.rows)
        _MATERIAL[(box.pk, box.public_key)] = found
    return found


def seal(*, box_id: int, choices, owner_locked_key: str = "") -> str:
    """Seal `choices` (an int for one row, or one int per row, 0-based) in the open box `box_id`, in the
    caller's transaction; returns the receipt. See the module's contract. `owner_locked_key`: the box's
    public key, read by a caller that holds the lock of the box's owner (a vote's row, FOR KEY SHARE) which
    the owner's own open and close take FOR UPDATE, so the box is open and stays open until commit; the box
    row is then not read again (the ballot path of a whole congress at once)."""
    material = _MATERIAL.get((box_id, owner_locked_key)) if owner_locked_key else None
    if material is None:
        material = _material(_open_box_shared(box_id))
    rows = [choices] if isinstance(choices, int) and not isinstance(choices, bool) else choices
    if (
        not isinstance(rows, list | tuple)
        or len(rows) != material.rows
        or any(not isinstance(c, int) or isinstance(c, bool) or not 0 <= c < material.options for c in rows)
    ):
        raise DomainError(_("选项无效"), code=ErrorCode.BAD_CHOICE, fields={"choice": _("选项无效")})
    ballot = crypto.seal(material.context, material.key, material.options, list(rows))
    del choices, rows
    tracker = crypto.receipt(ballot)
    _insert_sealed({"id": uuid.uuid4(), "box_id": box_id, "receipt": tracker, **ballot})
    return tracker


def _insert_sealed(values: dict) -> None:
    """One INSERT of a sealed ballot, each value prepared by its own field (UUID, JSON) as the ORM would,
    without building a model instance: the ballot path of a whole congress at once."""
    fields = [Sealed._meta.get_field(name) for name in values]
    params = [f.get_db_prep_save(values[f.attname], connection) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {Sealed._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def cast(*, box_id: int, choice) -> str:
    """A ballot in a box of its own (no participation to record): `seal` in a transaction of its own."""
    with transaction.atomic():
        tracker = seal(box_id=box_id, choices=choice)
        token = set_current_ip(None)
        try:
            record(actor=None, action="ballotbox.sealed", obj=Box(pk=box_id), summary={})
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
    box = Box.objects.only("id", "state", "labels", "questions", "public_key").get(pk=box_id)
    if box.state != BoxState.OPEN:
        raise Conflict(_("票箱未开启或已截止"), code=ErrorCode.BOX_NOT_OPEN)
    return box


def _refused(actor, box_id, what: str, exc: DomainError):
    """A refused tally step, recorded once the transaction is over."""
    record(
        actor=actor,
        action="ballotbox.share_refused",
        object_type="ballotbox.box",
        object_id=str(box_id or ""),
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
                signals.tallied.send(sender=Box, box=box)
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
        private = crypto.teller_private(code, box.context)
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

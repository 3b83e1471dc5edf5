"""What a page or endpoint reads of a ballot box, already scoped."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, visible_to
from apps.common.errors import NotFound

from . import crypto
from .models import Box, BoxState, Sealed, Trustee


def boxes(user):
    """The boxes an office sees in its scope, and those the user is a teller of."""
    managed = visible_to(user, Box, perms.BALLOTBOX_MANAGE)
    told = Box.objects.filter(trustees__user_id=getattr(user, "pk", None))
    return (managed | told).distinct().order_by("-id")


def box_list(user):
    """`boxes` ready for a list: the region, the tellers and their steps, the ballots counted in SQL."""
    sealed = (
        Sealed.objects.filter(box=OuterRef("pk")).order_by().values("box").annotate(n=Count("*")).values("n")
    )
    return (
        boxes(user)
        .select_related("region")
        .prefetch_related(Prefetch("trustees", queryset=Trustee.objects.select_related("user", "tally")))
        .annotate(n_sealed=Coalesce(Subquery(sealed), 0))
    )


def box_for(user, box_id: int) -> Box:
    """A box its office or one of its tellers may read; anyone else gets 404 (recorded)."""
    box = box_list(user).filter(pk=box_id).first()
    if box is None:
        deny(user, "view", object_type="ballotbox.box", object_id=str(box_id))
    return box


def teller_seat(user, box_id: int) -> Trustee:
    """The caller's seat as a teller of the box; 404 (recorded) when they are not one."""
    seat = (
        Trustee.objects.select_related("box").filter(box_id=box_id, user_id=getattr(user, "pk", None)).first()
    )
    if seat is None or not perms.holds(user, perms.BALLOTBOX_TELL):
        deny(user, "view", object_type="ballotbox.box", object_id=str(box_id))
    return seat


def published_box(box_id: int) -> Box:
    """A tallied box, for anyone (its public data is published at the tally); 404 before."""
    box = Box.objects.filter(pk=box_id, state=BoxState.TALLIED).first()
    if box is None:
        raise NotFound()
    return box


def owed_keys(user):
    """The teller's seats in boxes still waiting for their key share."""
    return Trustee.objects.filter(
        user_id=getattr(user, "pk", None), box__state=BoxState.SETUP, public_share=""
    ).select_related("box")


def owed_shares(user):
    """The teller's seats in closed boxes still waiting for their share of the decryption."""
    return Trustee.objects.filter(
        user_id=getattr(user, "pk", None), box__state=BoxState.CLOSED, tally__isnull=True
    ).select_related("box")


def public_data(box: Box) -> dict:
    """Everything anyone needs to check the count (crypto.verify): no voter, no private share."""
    tellers = []
    for t in box.trustees.select_related("tally").order_by("id"):
        tally = getattr(t, "tally", None)
        tellers.append(
            {
                "public": t.public_share,
                "proof": t.key_proof or {},
                "partial": tally.partial if tally else [],
            }
        )
    return {
        "box": box.pk,
        "title": box.title,
        "labels": list(box.labels),
        "state": box.state,
        "context": box.context.hex(),
        "options": box.options,
        "rows": box.rows,
        "questions": list(box.questions),
        "key": box.public_key,
        "tellers": tellers,
        "ballots": [s.as_ballot() for s in box.sealed.order_by("receipt")],
        "combined": box.combined or [],
        "totals": box.totals or [],
    }


def verification(box: Box, *, fresh: bool = False) -> dict:
    """The check of a tallied box's public data: ok, and what failed. A tallied box never changes, so the
    answer is kept a day in the cache (about 4 ms a ballot to compute); `fresh` recomputes it."""
    n = box.sealed.count()
    if box.state != BoxState.TALLIED:
        return {"ok": False, "problems": ["not_tallied"], "ballots": n}
    key = f"ballotbox:verification:{box.pk}:{box.version}:{n}"
    found = None if fresh else cache.get(key)
    if found is None:
        problems = crypto.verify(public_data(box))
        found = {"ok": not problems, "problems": problems, "ballots": n}
        cache.set(key, found, 24 * 3600)
    return found


def find_receipt(receipt: str) -> dict | None:
    """Is this ballot among those counted? Public: the receipt is a 256-bit random-looking code."""
    code = (receipt or "").strip().lower()
    if len(code) != 64 or any(ch not in "0123456789abcdef" for ch in code):
        return None
    sealed = Sealed.objects.select_related("box").filter(receipt=code).first()
    if sealed is None:
        return None
    box = sealed.box
    return {
        "receipt": code,
        "box": box.pk,
        "title": box.title,
        "state": box.state,
        "counted": box.state == BoxState.TALLIED,
    }

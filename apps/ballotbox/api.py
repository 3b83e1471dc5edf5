"""/api/v1/ballotbox/... (boxes, the tellers' steps, the public data and its check) and the public
/api/v1/public/ballotbox/receipts/{receipt} (is my ballot among those counted?).

Thin: each operation calls one selector or service with `request.user`; scoping lives there. No operation
takes a choice: a ballot is sealed by the app it belongs to (services.cast), never through this router."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from ninja import Router, Status

from apps.common.api import ERRORS, Page, paginate
from apps.common.errors import NotFound
from apps.common.params import PageArg
from apps.places.selectors import region_by_code
from apps.workflow.api import add_action_routes
from apps.workflow.services import transition

from . import selectors, services
from .schemas import (
    BallotBoxIn,
    BallotBoxOut,
    BallotKeyIn,
    BallotKeysOut,
    BallotOwedOut,
    BallotPartialIn,
    BallotPublicOut,
    BallotReceiptOut,
    BallotShareIn,
    BallotSharesOut,
    BallotTellerKeyOut,
    BallotVerifyOut,
    box_out,
)
from .workflow import BOX_WORKFLOW

router = Router(tags=["ballotbox"])
public_router = Router(tags=["ballotbox"], auth=None)


@router.get("/ballotbox/boxes", response=Page[BallotBoxOut])
def list_boxes(request, page: PageArg = 1):
    data = paginate(selectors.box_list(request.user), page)
    data["items"] = [box_out(b) for b in data["items"]]
    return data


@router.post("/ballotbox/boxes", response={201: BallotBoxOut, **ERRORS})
def create_box(request, body: BallotBoxIn):
    region = region_by_code(request.user, body.region)
    users = list(get_user_model().objects.filter(pk__in=body.teller_ids, is_active=True))
    if len(users) != len(set(body.teller_ids)):
        raise NotFound()
    box = services.create_box(
        actor=request.user, region=region, title=body.title, labels=body.labels, tellers=users
    )
    return Status(201, box_out(box))


@router.get("/ballotbox/boxes/{box_id}", response={200: BallotBoxOut, **ERRORS})
def get_box(request, box_id: int):
    return box_out(selectors.box_for(request.user, box_id))


def _act(*, actor, item, key, data):
    return box_out(transition(item, key, actor=actor, data=data))


add_action_routes(
    router,
    path="/ballotbox/boxes/{box_id}",
    id_param="box_id",
    workflow=BOX_WORKFLOW,
    fetch=selectors.box_for,
    act=_act,
    out=BallotBoxOut,
    noun="ballot box",
)


@router.post("/ballotbox/boxes/{box_id}/teller-key", response={201: BallotTellerKeyOut, **ERRORS})
def make_teller_key(request, box_id: int, body: BallotKeyIn | None = None):
    code = body.code if body else ""
    return Status(
        201, {"private_share": services.make_teller_key(actor=request.user, box_id=box_id, code=code)}
    )


@router.get("/ballotbox/teller/owed", response={200: BallotOwedOut, **ERRORS})
def owed(request):
    """The boxes where the caller, as a teller, still owes a key share or a share of the decryption."""
    return {
        "keys": list(selectors.owed_keys(request.user).values_list("box_id", flat=True)),
        "shares": list(selectors.owed_shares(request.user).values_list("box_id", flat=True)),
    }


@router.post("/ballotbox/teller/keys", response={201: BallotKeysOut, **ERRORS})
def make_teller_keys(request, body: BallotKeyIn):
    """Key shares for every box still waiting for the caller's, from one secret code (a new one if empty)."""
    code, made = services.make_teller_keys(actor=request.user, code=body.code)
    return Status(201, {"private_share": code, "boxes": made})


@router.post("/ballotbox/teller/shares", response={200: BallotSharesOut, **ERRORS})
def give_shares(request, body: BallotShareIn):
    """The caller's share of the decryption for every closed box whose key their code made."""
    return {"boxes": services.submit_shares(actor=request.user, code=body.code)}


@router.post("/ballotbox/boxes/{box_id}/share", response={200: BallotBoxOut, **ERRORS})
def give_share(request, box_id: int, body: BallotShareIn):
    return box_out(services.submit_share(actor=request.user, box_id=box_id, code=body.code))


@router.post("/ballotbox/boxes/{box_id}/partial", response={200: BallotBoxOut, **ERRORS})
def give_partial(request, box_id: int, body: BallotPartialIn):
    return box_out(services.submit_partial(actor=request.user, box_id=box_id, partial=body.partial))


@router.get("/ballotbox/boxes/{box_id}/public", response={200: BallotPublicOut, **ERRORS})
def public_data(request, box_id: int):
    return selectors.public_data(selectors.box_for(request.user, box_id))


@router.get("/ballotbox/boxes/{box_id}/verification", response={200: BallotVerifyOut, **ERRORS})
def verification(request, box_id: int):
    return selectors.verification(selectors.box_for(request.user, box_id))


@public_router.get("/boxes/{box_id}", response={200: BallotPublicOut, **ERRORS})
def published(request, box_id: int):
    """A tallied box's public data, for anyone to check the count (crypto.verify); 404 before the tally."""
    return selectors.public_data(selectors.published_box(box_id))


@public_router.get("/receipts/{receipt}", response={200: BallotReceiptOut, **ERRORS})
def find_receipt(request, receipt: str):
    found = selectors.find_receipt(receipt)
    if found is None:
        raise NotFound()
    return found

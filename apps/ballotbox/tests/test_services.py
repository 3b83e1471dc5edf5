"""The box's life through its services: keys, sealing, closing, the tellers' shares, the published totals."""

import pytest
from django.db import transaction

from apps.audit.models import AuditEvent
from apps.ballotbox import crypto, selectors, services
from apps.ballotbox.errors import ErrorCode
from apps.ballotbox.models import Box, BoxState, Sealed, Tally
from apps.common.errors import DomainError, NotFound, PermissionDenied

from .factories import ready_box

pytestmark = pytest.mark.django_db


def _tally(box, codes):
    for user, code in codes.items():
        box = services.submit_share(actor=user, box_id=box.pk, code=code)
    return box


def test_a_box_from_keys_to_published_totals(world):
    box, codes = ready_box(world)
    assert all(len(code) == 64 for code in codes.values())
    box = services.open_box(actor=world.town_user, box=box)
    assert box.state == BoxState.OPEN and box.public_key
    choices = [0, 1, 0, 2, 0, 1, 0]
    receipts = [services.cast(box_id=box.pk, choice=ch) for ch in choices]
    assert len(set(receipts)) == len(choices)
    box = services.close_box(actor=world.town_user, box=box)
    assert len(box.combined) == 2  # k - 1 ciphertexts for three options
    first, second = list(codes.items())
    box = services.submit_share(actor=first[0], box_id=box.pk, code=first[1])
    assert box.state == BoxState.CLOSED and box.totals is None  # one of two shares publishes nothing
    box = services.submit_share(actor=second[0], box_id=box.pk, code=second[1])
    assert box.state == BoxState.TALLIED
    assert box.totals == [4, 2, 1]
    assert selectors.verification(box) == {"ok": True, "problems": [], "ballots": 7}
    found = selectors.find_receipt(receipts[3])
    assert found["counted"] and found["box"] == box.pk
    assert selectors.find_receipt("ab" * 32) is None
    actions = list(AuditEvent.objects.filter(object_id=str(box.pk)).values_list("action", flat=True))
    for action in (
        "ballotbox.box.opened",
        "ballotbox.box.closed",
        "ballotbox.box.tallied",
        "ballotbox.sealed",
    ):
        assert action in actions


def test_the_server_keeps_no_private_share(world):
    box, codes = ready_box(world)
    rows = [str(v) for t in box.trustees.values() for v in t.values()]
    rows += [str(v) for v in Box.objects.filter(pk=box.pk).values().get().values()]
    rows += [str(e.summary) for e in AuditEvent.objects.all()]
    for code in codes.values():
        assert not any(code in row for row in rows)


def test_a_teller_key_is_made_once_and_only_by_a_teller(world):
    box, _codes = ready_box(world)
    with pytest.raises(DomainError) as e:
        services.make_teller_key(actor=world.town_user, box_id=box.pk)
    assert e.value.code == ErrorCode.KEY_EXISTS
    with pytest.raises(NotFound):
        services.make_teller_key(actor=world.town_b_user, box_id=box.pk)


def test_the_box_opens_only_with_every_key(world):
    box = services.create_box(
        actor=world.town_user, region=world.town_a, title="t", labels=["a", "b"], tellers=[world.town_user]
    )
    with pytest.raises(DomainError):
        services.open_box(actor=world.town_user, box=box)
    with pytest.raises((NotFound, PermissionDenied)):
        services.create_box(
            actor=world.town_b_user,
            region=world.town_a,
            title="t",
            labels=["a", "b"],
            tellers=[world.town_user],
        )


def test_bad_choices_and_closed_boxes_are_refused(world):
    box, _codes = ready_box(world)
    with pytest.raises(DomainError) as e:
        services.cast(box_id=box.pk, choice=0)
    assert e.value.code == ErrorCode.BOX_NOT_OPEN
    services.open_box(actor=world.town_user, box=box)
    for bad in (-1, 3, "1", None):
        with pytest.raises(DomainError) as e:
            services.cast(box_id=box.pk, choice=bad)
        assert e.value.code == ErrorCode.BAD_CHOICE
    assert not Sealed.objects.exists()


def test_a_sealed_ballot_commits_or_rolls_back_with_the_callers_participation(world):
    """seal runs in the caller's transaction: a refusal after it (a second ballot) leaves nothing."""
    box, _codes = ready_box(world)
    services.open_box(actor=world.town_user, box=box)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        services.seal(box_id=box.pk, choices=1)
        raise ZeroDivisionError  # the caller's participation insert failing
    assert not Sealed.objects.exists()
    with pytest.raises(DomainError):
        services.seal(box_id=box.pk, choices=[1, 0])  # a box of one row takes one choice


def test_a_wrong_share_and_a_wrong_partial_are_refused_and_recorded(world):
    box, codes = ready_box(world)
    services.open_box(actor=world.town_user, box=box)
    services.cast(box_id=box.pk, choice=1)
    box = services.close_box(actor=world.town_user, box=box)
    town_code, deputy_code = codes[world.town_user], codes[world.deputy_user]
    with pytest.raises(DomainError) as e:
        services.submit_share(actor=world.town_user, box_id=box.pk, code=deputy_code)
    assert e.value.code == ErrorCode.WRONG_SHARE
    with pytest.raises(DomainError):
        services.submit_share(actor=world.town_user, box_id=box.pk, code="not a key")
    combined = [(crypto.point(a), crypto.point(b)) for a, b in box.combined]
    lying = crypto.partial_decrypt(box.context, crypto.teller_private(deputy_code, box.context), combined)
    with pytest.raises(DomainError) as e:
        services.submit_partial(actor=world.town_user, box_id=box.pk, partial=lying)
    assert e.value.code == ErrorCode.BAD_PARTIAL
    assert not Tally.objects.exists()
    assert AuditEvent.objects.filter(action="ballotbox.share_refused").count() == 3
    services.submit_share(actor=world.town_user, box_id=box.pk, code=town_code)
    with pytest.raises(DomainError) as e:
        services.submit_share(actor=world.town_user, box_id=box.pk, code=town_code)
    assert e.value.code == ErrorCode.SHARE_DONE


def test_the_tally_decrypts_the_combined_totals_and_nothing_else(world, monkeypatch):
    box, codes = ready_box(world)
    services.open_box(actor=world.town_user, box=box)
    for ch in (0, 1, 1, 2, 2, 2):
        services.cast(box_id=box.pk, choice=ch)
    box = services.close_box(actor=world.town_user, box=box)
    privates = {crypto.teller_private(code, box.context) for code in codes.values()}
    multiplied = []
    real_mul = crypto.mul

    def spying_mul(n, p):
        if n % crypto.L in privates:
            multiplied.append(p)
        return real_mul(n, p)

    monkeypatch.setattr(crypto, "mul", spying_mul)
    box = _tally(box, codes)
    combined_as = {bytes.fromhex(a) for a, _b in box.combined}
    ballot_as = {bytes.fromhex(a) for s in Sealed.objects.filter(box=box) for a, _b in s.ciphertexts}
    assert multiplied and set(multiplied) == combined_as  # each teller's share touched the totals only
    assert not set(multiplied) & ballot_as
    assert box.totals == [1, 2, 3]

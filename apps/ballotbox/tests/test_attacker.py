"""Playing the attacker: everything the database holds after a secret ballot (every row of every ballotbox
table, the audit log, the published data; on PostgreSQL the system columns xmin and ctid), everything but
the tellers' private shares. None of it may tell a voter's choice better than chance."""

import random

import pytest
from django.db import connection, transaction

from apps.audit.models import AuditEvent
from apps.audit.services import record
from apps.ballotbox import selectors, services
from apps.ballotbox.models import Box, Sealed, Tally, Trustee

from .factories import ready_box

TABLES = [Box, Trustee, Sealed, Tally]


def _rows():
    return {m.__name__: sorted(map(repr, m.objects.values_list())) for m in TABLES}


def _vote(box, voter, choice):
    """What a calling app does: the ballot in the box's own transaction, the participation in its own."""
    receipt = services.cast(box_id=box.pk, choice=choice)
    with transaction.atomic():
        record(actor=voter, action="test.took_part", obj=box)
    return receipt


@pytest.mark.django_db
def test_a_sealed_row_holds_no_voter_no_time_no_plaintext_and_changes_no_counter(world):
    assert {f.name for f in Sealed._meta.concrete_fields} == {
        "id", "box", "ciphertexts", "proofs", "sum_proof", "receipt",
    }  # fmt: skip
    box, _codes = ready_box(world, labels=("甲", "乙"))
    box = services.open_box(actor=world.town_user, box=box)
    before = _rows()
    receipt = _vote(box, world.deputy_user, 1)
    after = _rows()
    for name in ("Box", "Trustee", "Tally"):
        assert after[name] == before[name], f"a ballot changed a {name} row"
    assert len(after["Sealed"]) == 1
    row = Sealed.objects.get()
    assert row.receipt == receipt
    # the event about the sealed ballot names nobody, not even an address
    sealed_events = AuditEvent.objects.filter(action="ballotbox.sealed")
    assert [(e.actor_id, e.ip) for e in sealed_events] == [(None, None)]
    assert world.deputy_user.username not in repr(list(Sealed.objects.values()))


@pytest.mark.django_db
def test_a_classifier_holding_every_row_does_no_better_than_chance(world):
    """200 ballots for two options; the attacker learns the choice of half of them (as if told), picks the
    single byte-bit of the stored row that best predicts it, and guesses the other half with it."""
    box, _codes = ready_box(world, labels=("甲", "乙"))
    box = services.open_box(actor=world.town_user, box=box)
    rng = random.Random(15)
    choices = [rng.randrange(2) for _ in range(200)]
    receipts = [services.cast(box_id=box.pk, choice=ch) for ch in choices]
    stored = {s.receipt: s for s in Sealed.objects.filter(box=box)}

    def features(sealed):
        raw = b"".join(bytes.fromhex(p) for ct in sealed.ciphertexts for p in ct)
        raw += bytes.fromhex(sealed.receipt) + str(sealed.id).encode()
        return [(byte >> bit) & 1 for byte in raw for bit in range(8)]

    rows = [(features(stored[r]), ch) for r, ch in zip(receipts, choices, strict=True)]
    train, test = rows[:100], rows[100:]
    best, best_score = 0, -1.0
    for i in range(len(rows[0][0])):
        agree = sum(f[i] == ch for f, ch in train) / len(train)
        score = max(agree, 1 - agree)
        if score > best_score:
            best, best_score, flip = i, score, agree < 0.5
    hits = sum((f[best] ^ flip) == ch for f, ch in test) / len(test)
    assert hits < 0.7  # chance is 0.5; 0.7 is four standard deviations above it
    # nothing stored repeats between ballots for the same choice (no deterministic encryption)
    points = [p for s in stored.values() for ct in s.ciphertexts for p in ct]
    assert len(points) == len(set(points))
    # the published data holds the same and no more
    public = selectors.public_data(Box.objects.get(pk=box.pk))
    assert {b["receipt"] for b in public["ballots"]} == set(receipts)


@pytest.mark.django_db(transaction=True)
def test_no_transaction_joins_a_voter_to_a_sealed_ballot(world):
    """xmin (the writing transaction) and ctid of every ballotbox row against every row naming a voter."""
    if connection.vendor != "postgresql":
        pytest.skip("system columns are PostgreSQL's")
    box, _codes = ready_box(world, labels=("甲", "乙", "丙"))
    box = services.open_box(actor=world.town_user, box=box)
    voters = [world.deputy_user, world.town_b_user, world.keeper_user, world.unit_user]
    for n, voter in enumerate(voters):
        _vote(box, voter, n % 3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text, xmax::text FROM ballotbox_sealed")
        sealed_tx = {x for row in cursor.fetchall() for x in row if x != "0"}
        cursor.execute("SELECT xmin::text, xmax::text FROM ballotbox_box")
        box_tx = {x for row in cursor.fetchall() for x in row if x != "0"}
        cursor.execute(
            "SELECT xmin::text FROM audit_auditevent WHERE actor_id = ANY(%s)", [[v.pk for v in voters]]
        )
        voter_tx = {row[0] for row in cursor.fetchall()}
    assert len(sealed_tx) == len(voters)
    assert not sealed_tx & voter_tx
    # no ballot wrote the box row (a row lock only sets xmax), and no voter's transaction touched it
    assert not box_tx & voter_tx

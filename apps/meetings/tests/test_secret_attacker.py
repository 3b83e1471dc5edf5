"""Playing the attacker against a secret congress vote (issue 15): a full copy of the database (every row
of every table; on PostgreSQL the system columns xmin and ctid), the audit log and the box's published
data, everything but the tellers' secret codes. None of it may tell a deputy's choice better than chance,
and the tellers' step decrypts the combined totals and nothing else."""

import random

import pytest
from django.apps import apps as django_apps
from django.db import connection

from apps.audit.models import AuditEvent
from apps.ballotbox import crypto
from apps.ballotbox import selectors as box_selectors
from apps.ballotbox.models import Sealed
from apps.meetings import services
from apps.meetings.models import Vote, VoteParticipation, VoteState
from apps.meetings.services.votes import vote_box

from .factories import add_deputies, decrypt, open_with_vote, ready

CHOICES = ("for", "against", "abstain")


def _secret_vote(world, n: int, seed: int):
    deputies = [*ready(world), *add_deputies(world, n - 2)]
    meeting, vote = open_with_vote(world, deputies, secret=True)
    rng = random.Random(seed)
    choices = {d.pk: rng.choice(CHOICES) for d in deputies}
    receipts = {d.pk: services.cast(actor=d.user, vote_id=vote.pk, choice=choices[d.pk]) for d in deputies}
    return meeting, vote, deputies, choices, receipts


def _bits(sealed: Sealed) -> list[int]:
    raw = b"".join(bytes.fromhex(p) for ct in sealed.ciphertexts for p in ct)
    for proof in sealed.proofs:
        raw += b"".join(bytes.fromhex(proof[k]) for k in ("c0", "c1", "s0", "s1"))
    raw += bytes.fromhex(sealed.receipt) + sealed.id.bytes
    return [(byte >> bit) & 1 for byte in raw for bit in range(8)]


def test_even_knowing_which_sealed_ballot_is_whose_the_choice_is_not_told(world):
    """The strongest attacker: they know which sealed ballot each deputy cast (as a transaction id or a row
    order would tell them) and are told half the deputies' choices. The best single bit of the stored
    ballots predicts 赞成 or not for the other half no better than chance."""
    _meeting, _vote, deputies, choices, receipts = _secret_vote(world, 100, seed=15)
    sealed = {s.receipt: s for s in Sealed.objects.all()}
    rows = [(_bits(sealed[receipts[d.pk]]), choices[d.pk] == "for") for d in deputies]
    train, test = rows[:50], rows[50:]
    best, best_score, flip = 0, -1.0, False
    for i in range(len(rows[0][0])):
        agree = sum(bool(f[i]) == y for f, y in train) / len(train)
        if max(agree, 1 - agree) > best_score:
            best, best_score, flip = i, max(agree, 1 - agree), agree < 0.5
    hits = sum((bool(f[best]) ^ flip) == y for f, y in test) / len(test)
    assert hits < 0.72  # chance is 0.5; 0.72 is three standard deviations above it


def test_no_row_of_any_table_holds_a_choice_or_a_counter_of_one(world):
    """Before the tellers' step the database holds no figure by choice at all: the vote row has none, no
    table has a counter, the audit log names deputies but no choice."""
    _meeting, vote, deputies, _choices, _receipts = _secret_vote(world, 6, seed=3)
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    vote.refresh_from_db()
    assert vote.state == VoteState.COUNTING
    assert (vote.votes_for, vote.votes_against, vote.votes_abstain) == (None, None, None)
    words = set(CHOICES) | {"赞成", "反对", "弃权"}
    casts = AuditEvent.objects.filter(action="meeting.vote.cast_secret")
    assert casts.count() == len(deputies)
    assert all(not words & set(map(str, e.summary.values())) and "receipt" not in e.summary for e in casts)
    for model in django_apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        assert not ({"choice", "count"} <= names and model._meta.app_label == "meetings"), model
    # the box's published data (what anyone may read) holds ciphertexts, no voter
    public = box_selectors.public_data(vote_box(vote.pk))
    text = repr(public)
    assert all(d.name not in text and f'"deputy": {d.pk}' not in text for d in deputies)


def test_the_tellers_decrypt_the_combined_totals_and_nothing_else(world):
    _meeting, vote, _deputies, choices, _receipts = _secret_vote(world, 8, seed=7)
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    decrypt(world)
    vote.refresh_from_db()
    expected = [sum(1 for c in choices.values() if c == k) for k in CHOICES]
    assert [vote.votes_for, vote.votes_against, vote.votes_abstain] == expected
    box = vote_box(vote.pk)
    assert box_selectors.verification(box, fresh=True) == {"ok": True, "problems": [], "ballots": 8}
    # Every teller's published share is of the combined ciphertexts; applied to any single ballot it
    # reveals nothing (neither 0 nor 1 comes out).
    shares = [crypto.IDENTITY] * box.positions
    for t in box.trustees.select_related("tally"):
        for i, part in enumerate(t.tally.partial):
            shares[i] = crypto.add(shares[i], crypto.point(part["d"]))
    for sealed in Sealed.objects.filter(box=box):
        for i, (_a, b) in enumerate(crypto.ciphertexts(sealed.as_ballot())):
            assert crypto.sub(b, shares[i]) not in (crypto.IDENTITY, crypto.G)


@pytest.mark.django_db(transaction=True)
def test_a_ballots_transaction_writes_only_the_participation_the_sealed_ballot_and_the_audit(world):
    """On PostgreSQL: the transaction id (xmin) of each deputy's participation row, looked up in every table
    of the database. It wrote no counter, no vote row, no box row: only the participation, one sealed
    ballot and the audit entry (and the audit chain's head)."""
    if connection.vendor != "postgresql":
        pytest.skip("system columns are PostgreSQL's")
    _meeting, vote, deputies, _choices, _receipts = _secret_vote(world, 6, seed=5)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT xmin::text FROM {VoteParticipation._meta.db_table} WHERE vote_id = %s", [vote.pk]
        )
        ballot_tx = {row[0] for row in cur.fetchall()}
        assert len(ballot_tx) == len(deputies)
        written: dict[str, int] = {}
        for table in connection.introspection.table_names(cur):
            cur.execute(
                f'SELECT count(*), count(DISTINCT ctid) FROM "{table}" WHERE xmin::text = ANY(%s)',
                [list(ballot_tx)],
            )
            n, _ctids = cur.fetchone()
            if n:
                written[table] = n
    assert set(written) <= {
        VoteParticipation._meta.db_table,
        Sealed._meta.db_table,
        AuditEvent._meta.db_table,
        "audit_chainhead",
    }, written
    assert written[Sealed._meta.db_table] == len(deputies)
    assert Vote._meta.db_table not in written

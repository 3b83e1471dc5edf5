"""The scheme alone (crypto.py): round trip, proofs that refuse bad ballots, and verify() on tampering."""

import copy
import random

import pytest

from apps.ballotbox import crypto as c

CTX = b"renda:ballotbox:test"


def _tellers(n=3, ctx=CTX):
    return [c.teller_keygen(ctx) for _ in range(n)]


def _box(n_ballots, options=4, seed=7):
    keys = _tellers()
    key = c.joint_key([k.public for k in keys])
    rng = random.Random(seed)
    choices = [rng.randrange(options) for _ in range(n_ballots)]
    ballots = []
    for choice in choices:
        ballot = c.seal(CTX, key, options, choice)
        ballots.append({"receipt": c.receipt(ballot), **ballot})
    combined = c.combine(c.positions(options, 1), ballots)
    partials = [c.partial_decrypt(CTX, k.private, combined) for k in keys]
    public = {
        "context": CTX.hex(),
        "options": options,
        "key": key.hex(),
        "tellers": [
            {"public": k.public.hex(), "proof": k.proof, "partial": p}
            for k, p in zip(keys, partials, strict=True)
        ],
        "ballots": ballots,
        "combined": [[a.hex(), b.hex()] for a, b in combined],
        "totals": c.expand(c.totals(combined, partials, n_ballots), options, n_ballots),
    }
    return keys, choices, public


@pytest.fixture(scope="module")
def honest():
    return _box(200)


def test_round_trip_three_tellers_200_ballots_4_options(honest):
    _keys, choices, public = honest
    assert public["totals"] == [choices.count(i) for i in range(4)]
    assert sum(public["totals"]) == 200
    assert c.verify(public) == []


def test_the_joint_key_is_the_product_of_the_shares_and_one_share_cannot_decrypt():
    keys = _tellers()
    key = c.joint_key([k.public for k in keys])
    ballots = [c.seal(CTX, key, 2, 1) for _ in range(3)]
    combined = c.combine(1, ballots)  # two options: one ciphertext (the second is the ballots less it)
    partials = [c.partial_decrypt(CTX, k.private, combined) for k in keys]
    assert c.expand(c.totals(combined, partials, 3), 2, 3) == [0, 3]
    with pytest.raises(c.InvalidData):  # two of three shares give nothing
        c.totals(combined, partials[:2], 3)


def _forged(key, options, plaintexts):
    """A ballot whose i-th ciphertext holds plaintexts[i] (k - 1 of them), with proofs made as if each and
    their sum were 0 or 1."""
    rs = [c.random_scalar() for _ in plaintexts]
    cts, bits = [], []
    for i, (m, r) in enumerate(zip(plaintexts, rs, strict=True)):
        a, b = c.base_mul(r), c.add(c.base_mul(m), c.mul(r, key))
        cts.append((a, b))
        bits.append(c._prove_bit(CTX, key, i, a, b, 1 if m else 0, r))
    a_sum, b_sum = c._sum_ct(cts)
    total = c._prove_bit(CTX, key, 0, a_sum, b_sum, 1 if sum(plaintexts) else 0, sum(rs) % c.L, b"rowsum")
    return {"ciphertexts": [[a.hex(), b.hex()] for a, b in cts], "proofs": bits, "sum_proof": [total]}


@pytest.mark.parametrize(
    "plaintexts",
    [[2, 0, 0], [-1, 1, 1], [1, 1, 0], [1, 1, -1]],
    ids=["two", "minus-one", "two-choices", "sums-to-one-with-bad-bits"],
)
def test_a_proof_refuses_a_ballot_that_is_not_one_choice(plaintexts):
    key = c.joint_key([k.public for k in _tellers()])
    assert c.check_ballot(CTX, key, 4, c.seal(CTX, key, 4, 2))
    assert c.check_ballot(CTX, key, 4, c.seal(CTX, key, 4, 3))  # the last option: no ciphertext holds 1
    assert not c.check_ballot(CTX, key, 4, _forged(key, 4, plaintexts))


def test_a_proof_does_not_travel_to_another_box_or_key():
    keys = _tellers()
    key = c.joint_key([k.public for k in keys])
    ballot = c.seal(CTX, key, 3, 0)
    assert c.check_ballot(CTX, key, 3, ballot)
    assert not c.check_ballot(b"renda:ballotbox:other", key, 3, ballot)
    other = c.joint_key([k.public for k in _tellers()])
    assert not c.check_ballot(CTX, other, 3, ballot)
    assert not c.check_ballot(CTX, key, 4, ballot)


def test_a_wrong_partial_decryption_is_detected():
    keys = _tellers()
    key = c.joint_key([k.public for k in keys])
    combined = c.combine(1, [c.seal(CTX, key, 2, 0) for _ in range(4)])
    good = c.partial_decrypt(CTX, keys[0].private, combined)
    assert c.check_partial(CTX, keys[0].public, combined, good)
    # another teller's honest share is not this teller's
    assert not c.check_partial(
        CTX, keys[0].public, combined, c.partial_decrypt(CTX, keys[1].private, combined)
    )
    # a share shifted to change the total, with the old proof
    bad = copy.deepcopy(good)
    bad[0]["d"] = c.add(c.point(bad[0]["d"]), c.G).hex()
    assert not c.check_partial(CTX, keys[0].public, combined, bad)


def test_a_teller_key_needs_its_proof():
    k = _tellers(1)[0]
    assert c.verify_key(CTX, k.public, k.proof)
    other = _tellers(1)[0]
    assert not c.verify_key(CTX, k.public, other.proof)  # a rogue key without knowledge of its log
    assert not c.verify_key(b"elsewhere", k.public, k.proof)


def test_points_outside_the_group_are_refused():
    with pytest.raises(c.InvalidData):
        c.point("00" * 32)
    with pytest.raises(c.InvalidData):
        c.point("zz")
    small_order = bytes.fromhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
    with pytest.raises(c.InvalidData):
        c.point(small_order)


def test_discrete_log_up_to_ten_thousand():
    for m in (0, 1, 99, 100, 101, 9_999, 10_000):
        assert c.discrete_log(c.base_mul(m), 10_000) == m
    with pytest.raises(c.InvalidData):
        c.discrete_log(c.base_mul(10_001), 10_000)


def _tamperings(public):
    def ballot_ct(p):
        p["ballots"][5]["ciphertexts"][1][1] = c.add(c.point(p["ballots"][5]["ciphertexts"][1][1]), c.G).hex()

    def ballot_proof(p):
        p["ballots"][3]["proofs"][0]["s0"] = f"{(int(p['ballots'][3]['proofs'][0]['s0'], 16) + 1) % c.L:064x}"

    def sum_proof(p):
        p["ballots"][0]["sum_proof"][0]["c0"] = p["ballots"][1]["sum_proof"][0]["c0"]

    def receipt(p):
        p["ballots"][7]["receipt"] = "0" * 64

    def dropped(p):
        del p["ballots"][9]

    def doubled(p):
        p["ballots"].append(copy.deepcopy(p["ballots"][0]))

    def combined(p):
        p["combined"][1][1] = c.add(c.point(p["combined"][1][1]), c.G).hex()

    def partial(p):
        p["tellers"][1]["partial"][0]["d"] = c.add(c.point(p["tellers"][1]["partial"][0]["d"]), c.G).hex()

    def partial_proof(p):
        p["tellers"][2]["partial"][1]["proof"]["s"] = p["tellers"][2]["partial"][0]["proof"]["s"]

    def totals(p):
        p["totals"][0] += 1
        p["totals"][1] -= 1

    def key(p):
        p["key"] = c.base_mul(5).hex()

    def teller_key(p):
        p["tellers"][0]["proof"] = p["tellers"][1]["proof"]

    def garbage(p):
        p["combined"][0][0] = "not hex"

    return [ballot_ct, ballot_proof, sum_proof, receipt, dropped, doubled, combined, partial, partial_proof,
            totals, key, teller_key, garbage]  # fmt: skip


def test_verify_fails_on_any_tampered_element():
    _keys, _choices, public = _box(12, options=3, seed=3)
    assert c.verify(public) == []
    for tamper in _tamperings(public):
        forged = copy.deepcopy(public)
        tamper(forged)
        assert c.verify(forged), tamper.__name__


def test_a_ballot_of_several_rows_counts_each_row_and_refuses_a_row_of_two():
    """An election's ballot: one row per candidate, each row for / against / abstain."""
    keys = _tellers()
    key = c.joint_key([k.public for k in keys])
    rows = [[0, 2, 1], [0, 0, 2], [1, 2, 2]]
    ballots = [c.seal(CTX, key, 3, r) for r in rows]
    assert all(c.check_ballot(CTX, key, 3, b, rows=3) for b in ballots)
    assert not c.check_ballot(CTX, key, 3, ballots[0], rows=2)
    combined = c.combine(c.positions(3, 3), ballots)
    partials = [c.partial_decrypt(CTX, k.private, combined) for k in keys]
    assert c.expand(c.totals(combined, partials, 3), 3, 3) == [2, 1, 0, 1, 0, 2, 0, 1, 2]
    moved = dict(ballots[0], sum_proof=list(reversed(ballots[0]["sum_proof"])))
    assert not c.check_ballot(CTX, key, 3, moved, rows=3)  # a row's proof is bound to its row

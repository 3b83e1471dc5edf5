"""The ballot box's scheme: exponential ElGamal over the prime-order subgroup of Ed25519, with proofs.

We chose exponential ElGamal on Ed25519 points through PyNaCl's bindings of libsodium (the installed PyNaCl
exposes Ed25519 point and scalar operations, not Ristretto255): ciphertexts multiply into an encryption of
the sum, so only the combined totals are ever decrypted, a ballot costs a few milliseconds, and the
Fiat-Shamir proofs (disjunctive Chaum-Pedersen for "0 or 1", Chaum-Pedersen for "sums to 1" and for a
correct partial decryption, Schnorr for a teller's key) let anyone check the count from public data, as
Helios and Belenios do. The private key is split n-of-n: each teller makes their own key pair, the box's
key is the product of the public shares, and each teller decrypts with their own share, so the server never
holds the whole private key. A teller keeps one secret code per meeting; each box's share is derived from
it and the box's context. Encryption is done on the server (see docs/ARCHITECTURE.md for why): the server
sees a choice only in memory while sealing it. Every proof is hashed with the
box's context (its id) and the public key, so it cannot be replayed in another box.

Pure functions over values (bytes, ints, dicts of hex strings); no Django.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from nacl import bindings as nb
from nacl.exceptions import RuntimeError as NaclRuntimeError

# The order of the prime-order subgroup of Ed25519.
L = 2**252 + 27742317777372353535851937790883648493
IDENTITY = bytes([1]) + bytes(31)
MAX_TOTAL = 1_000_000
DOMAIN = b"renda-ballotbox-v1"


class InvalidData(ValueError):
    """A point, scalar or structure that is not what the scheme expects."""


# --- the group -----------------------------------------------------------------------------------------


def _sc(n: int) -> bytes:
    return (n % L).to_bytes(32, "little")


def base_mul(n: int) -> bytes:
    n %= L
    if n == 0:
        return IDENTITY
    return nb.crypto_scalarmult_ed25519_base_noclamp(_sc(n))


def mul(n: int, p: bytes) -> bytes:
    n %= L
    if n == 0 or p == IDENTITY:
        return IDENTITY
    try:
        return nb.crypto_scalarmult_ed25519_noclamp(_sc(n), p)
    except NaclRuntimeError as exc:  # a small-order point: never produced by honest data
        raise InvalidData("small-order point") from exc


def add(p: bytes, q: bytes) -> bytes:
    if p == IDENTITY:
        return q
    if q == IDENTITY:
        return p
    return nb.crypto_core_ed25519_add(p, q)


def sub(p: bytes, q: bytes) -> bytes:
    if q == IDENTITY:
        return p
    if p == q:
        return IDENTITY
    return nb.crypto_core_ed25519_sub(p, q)


G = base_mul(1)


def point(value) -> bytes:
    """A point from its hex (or bytes), refused unless it is the identity or in the prime-order subgroup."""
    try:
        raw = bytes.fromhex(value) if isinstance(value, str) else bytes(value)
    except (TypeError, ValueError) as exc:
        raise InvalidData("not hex") from exc
    if len(raw) != 32:
        raise InvalidData("a point is 32 bytes")
    if raw != IDENTITY and not nb.crypto_core_ed25519_is_valid_point(raw):
        raise InvalidData("not a point of the group")
    return raw


def scalar(value) -> int:
    try:
        n = int(value, 16) if isinstance(value, str) else int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidData("not a scalar") from exc
    if not 0 <= n < L:
        raise InvalidData("scalar out of range")
    return n


def random_scalar() -> int:
    return secrets.randbelow(L - 1) + 1


def challenge(*parts: bytes) -> int:
    h = hashlib.sha512(DOMAIN)
    for part in parts:
        h.update(len(part).to_bytes(4, "big"))
        h.update(part)
    return int.from_bytes(h.digest(), "little") % L


def _hex_s(n: int) -> str:
    return f"{n:064x}"


# --- keys ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TellerKey:
    """One teller's key pair for one box; the teller's secret code is shown to the teller and never stored
    by the server."""

    code: str
    private: int
    public: bytes
    proof: dict

    @property
    def private_code(self) -> str:
        return self.code


def teller_code() -> str:
    """A teller's secret code: 32 random bytes as hex. One code serves every box of a meeting: each box's
    private share is derived from it and the box's context (`teller_private`), so the shares differ."""
    return secrets.token_hex(32)


def teller_private(code: str, context: bytes) -> int:
    """The teller's private share for the box `context`, from their secret code."""
    text = (code or "").strip().lower()
    if len(text) != 64 or any(ch not in "0123456789abcdef" for ch in text):
        raise InvalidData("a teller's code is 64 hex digits")
    digest = hashlib.sha512(DOMAIN + b":teller:" + bytes.fromhex(text) + b":" + context).digest()
    n = int.from_bytes(digest, "little") % L
    if n == 0:  # never in practice
        raise InvalidData("zero key")
    return n


def teller_keygen(context: bytes, code: str | None = None) -> TellerKey:
    code = code or teller_code()
    x = teller_private(code, context)
    public = base_mul(x)
    w = random_scalar()
    a = base_mul(w)
    c = challenge(b"key", context, public, a)
    return TellerKey(code, x, public, {"c": _hex_s(c), "s": _hex_s((w + c * x) % L)})


def verify_key(context: bytes, public: bytes, proof: dict) -> bool:
    """The Schnorr proof that the teller knows the private part of `public` (no rogue key)."""
    try:
        c, s = scalar(proof["c"]), scalar(proof["s"])
        a = sub(base_mul(s), mul(c, public))
    except (InvalidData, KeyError, TypeError):
        return False
    return public != IDENTITY and c == challenge(b"key", context, public, a)


def joint_key(shares: list[bytes]) -> bytes:
    key = IDENTITY
    for share in shares:
        key = add(key, share)
    return key


# --- ballots -------------------------------------------------------------------------------------------


def _encrypt(key: bytes, m: int, r: int) -> tuple[bytes, bytes]:
    """(rG, mG + rK) for m in {0, 1}: mG is G or the identity, no multiplication."""
    return base_mul(r), add(G if m else IDENTITY, mul(r, key))


def _prove_bit(context, key, index, a, b, m, r, tag=b"bit") -> dict:
    """Disjunctive Chaum-Pedersen: (a, b) encrypts 0 or 1 (Cramer-Damgard-Schoenmakers).

    The prover knows r, so each commitment is written with multiples of G and of the key only: for the
    simulated branch j, A_j = s_j*G - c_j*a = t*G and B_j = s_j*K - c_j*(b - jG) = t*K - c_j*(m - j)*G with
    s_j = t + c_j*r. Two multiplications of the key per proof instead of five (the verifier's check is the
    textbook one, `_check_bit`)."""
    other = 1 - m
    c_o, t = random_scalar(), random_scalar()
    offset = base_mul(c_o)  # c_o * (m - other) * G, with m - other = +1 or -1
    b_sim = sub(mul(t, key), offset) if m > other else add(mul(t, key), offset)
    commits = [None, None]
    commits[other] = (base_mul(t), b_sim)
    w = random_scalar()
    commits[m] = (base_mul(w), mul(w, key))
    c = challenge(tag, context, key, index.to_bytes(4, "big"), a, b, *commits[0], *commits[1])
    c_m = (c - c_o) % L
    cs, ss = [0, 0], [0, 0]
    cs[other], ss[other] = c_o, (t + c_o * r) % L
    cs[m], ss[m] = c_m, (w + c_m * r) % L
    return {"c0": _hex_s(cs[0]), "c1": _hex_s(cs[1]), "s0": _hex_s(ss[0]), "s1": _hex_s(ss[1])}


def _check_bit(context, key, index, a, b, proof, tag=b"bit") -> bool:
    cs = [scalar(proof["c0"]), scalar(proof["c1"])]
    ss = [scalar(proof["s0"]), scalar(proof["s1"])]
    commits = []
    for j in (0, 1):
        b_j = sub(b, base_mul(j))
        commits += [sub(base_mul(ss[j]), mul(cs[j], a)), sub(mul(ss[j], key), mul(cs[j], b_j))]
    return (cs[0] + cs[1]) % L == challenge(tag, context, key, index.to_bytes(4, "big"), a, b, *commits)


def _prove_dlog_eq(tag, context, g2, h1, h2, x, *extra) -> dict:
    """Chaum-Pedersen: log_G h1 == log_g2 h2 (== x)."""
    w = random_scalar()
    c = challenge(tag, context, *extra, g2, h1, h2, base_mul(w), mul(w, g2))
    return {"c": _hex_s(c), "s": _hex_s((w + c * x) % L)}


def _check_dlog_eq(tag, context, g2, h1, h2, proof, *extra) -> bool:
    c, s = scalar(proof["c"]), scalar(proof["s"])
    a = sub(base_mul(s), mul(c, h1))
    b = sub(mul(s, g2), mul(c, h2))
    return c == challenge(tag, context, *extra, g2, h1, h2, a, b)


def seal(context: bytes, key: bytes, options: int, choices) -> dict:
    """A ballot of one or more rows (a vote is one row; an election one row per candidate, a rating one
    per person rated), each row a choice among the same `options`. A row holds k - 1 ciphertexts (one per
    option but the last), each of 0 or 1 with its proof, and the proof that their sum is 0 or 1: the last
    option is the ballots less the others (`expand`), so every row still counts exactly one choice, for
    8 multiplications of the key instead of 10 with three options. `choices` is an int (one row) or a list
    of ints. Returns hex strings only; the choices and the randomness are dropped here."""
    rows = [choices] if isinstance(choices, int) else list(choices)
    if options < 2 or not rows or any(not isinstance(c, int) or not 0 <= c < options for c in rows):
        raise InvalidData("choice out of range")
    k1 = options - 1
    cts, bits, sums = [], [], []
    for row, choice in enumerate(rows):
        row_cts, r_sum = [], 0
        for i in range(k1):
            r, m = random_scalar(), 1 if i == choice else 0
            a, b = _encrypt(key, m, r)
            row_cts.append((a, b))
            bits.append(_prove_bit(context, key, row * k1 + i, a, b, m, r))
            r_sum += r
        r_sum %= L
        a_sum, b_sum = _sum_ct(row_cts)
        sums.append(_prove_bit(context, key, row, a_sum, b_sum, 1 if choice < k1 else 0, r_sum, b"rowsum"))
        cts += row_cts
    return {"ciphertexts": [[a.hex(), b.hex()] for a, b in cts], "proofs": bits, "sum_proof": sums}


def positions(options: int, rows: int) -> int:
    """How many ciphertexts a ballot holds: k - 1 per row."""
    return (options - 1) * rows


def expand(raw: list[int], options: int, ballots: int) -> list[int]:
    """The totals of every option of every row from the decrypted k - 1 per row: the last option of a row
    is the ballots less the others."""
    k1, out = options - 1, []
    for start in range(0, len(raw), k1):
        part = raw[start : start + k1]
        last = ballots - sum(part)
        if last < 0:
            raise InvalidData("a row counts more choices than ballots")
        out += [*part, last]
    return out


def _row(row: int) -> bytes:
    return row.to_bytes(4, "big")


def _sum_ct(cts):
    a_sum, b_sum = IDENTITY, IDENTITY
    for a, b in cts:
        a_sum, b_sum = add(a_sum, a), add(b_sum, b)
    return a_sum, b_sum


def ciphertexts(ballot: dict) -> list[tuple[bytes, bytes]]:
    return [(point(a), point(b)) for a, b in ballot["ciphertexts"]]


def check_ballot(context: bytes, key: bytes, options: int, ballot: dict, rows: int = 1) -> bool:
    """Every ciphertext holds 0 or 1 and each row's sum is 0 or 1 (one choice a row); False on any
    malformed part."""
    try:
        k1 = options - 1
        cts = ciphertexts(ballot)
        proofs, sums = ballot["proofs"], ballot["sum_proof"]
        if k1 < 1 or len(cts) != k1 * rows or len(proofs) != k1 * rows or len(sums) != rows:
            return False
        for i, ((a, b), proof) in enumerate(zip(cts, proofs, strict=True)):
            if not _check_bit(context, key, i, a, b, proof):
                return False
        for row in range(rows):
            a_sum, b_sum = _sum_ct(cts[row * k1 : (row + 1) * k1])
            if not _check_bit(context, key, row, a_sum, b_sum, sums[row], b"rowsum"):
                return False
        return True
    except (InvalidData, KeyError, TypeError, ValueError):
        return False


def receipt(ballot: dict) -> str:
    """The ballot's tracker: SHA-256 of its ciphertexts and proofs. Random to anyone (the ciphertexts
    carry fresh randomness), and it binds the ballot's content, so a voter who kept it can find their
    ballot among those counted."""
    h = hashlib.sha256(DOMAIN + b":receipt")
    for a, b in ballot["ciphertexts"]:
        h.update(bytes.fromhex(a) + bytes.fromhex(b))
    for proof in ballot["proofs"]:
        for k in ("c0", "c1", "s0", "s1"):
            h.update(bytes.fromhex(proof[k]))
    for proof in ballot["sum_proof"]:
        for k in ("c0", "c1", "s0", "s1"):
            h.update(bytes.fromhex(proof[k]))
    return h.hexdigest()


# --- the tally -----------------------------------------------------------------------------------------


def combine(positions: int, ballots: list[dict]) -> list[tuple[bytes, bytes]]:
    """The position-wise product of every ballot's ciphertexts: an encryption of each position's total."""
    acc = [(IDENTITY, IDENTITY)] * positions
    for ballot in ballots:
        acc = [
            (add(a0, a1), add(b0, b1)) for (a0, b0), (a1, b1) in zip(acc, ciphertexts(ballot), strict=True)
        ]
    return acc


def combine_trusted(positions: int, stored) -> list[tuple[bytes, bytes]]:
    """`combine` over ciphertext lists ([[a, b], ...] in hex) the platform itself produced and stored: the
    points are not checked again (`verify` checks everything from the public data)."""
    acc = [(IDENTITY, IDENTITY)] * positions
    for cts in stored:
        if len(cts) != positions:
            raise InvalidData("a ballot of another shape")
        acc = [
            (add(a0, bytes.fromhex(a1)), add(b0, bytes.fromhex(b1)))
            for (a0, b0), (a1, b1) in zip(acc, cts, strict=True)
        ]
    return acc


def partial_decrypt(context: bytes, private: int, combined: list[tuple[bytes, bytes]]) -> list[dict]:
    """One teller's share of the decryption of the combined totals, each with its proof."""
    public = base_mul(private)
    out = []
    for i, (a, _b) in enumerate(combined):
        d = mul(private, a)
        proof = _prove_dlog_eq(b"dec", context, a, public, d, private, i.to_bytes(4, "big"))
        out.append({"d": d.hex(), "proof": proof})
    return out


def check_partial(context: bytes, public: bytes, combined, partial: list[dict]) -> bool:
    try:
        if len(partial) != len(combined):
            return False
        for i, ((a, _b), part) in enumerate(zip(combined, partial, strict=True)):
            d = point(part["d"])
            if not _check_dlog_eq(b"dec", context, a, public, d, part["proof"], i.to_bytes(4, "big")):
                return False
        return True
    except (InvalidData, KeyError, TypeError, ValueError):
        return False


def discrete_log(target: bytes, bound: int) -> int:
    """m in 0..bound with G*m == target, by baby-step giant-step (about 2*sqrt(bound) additions)."""
    if not 0 <= bound <= MAX_TOTAL:
        raise InvalidData("bound out of range")
    step = int(bound**0.5) + 1
    baby, p = {}, IDENTITY
    for j in range(step):
        baby.setdefault(p, j)
        p = add(p, G)
    giant, gamma = base_mul(step), target
    for i in range(step + 1):
        j = baby.get(gamma)
        if j is not None and i * step + j <= bound:
            return i * step + j
        gamma = sub(gamma, giant)
    raise InvalidData("total out of range")


def totals(combined, partials: list[list[dict]], bound: int) -> list[int]:
    """The totals from every teller's partial decryption (n of n)."""
    out = []
    for i, (_a, b) in enumerate(combined):
        shared = IDENTITY
        for partial in partials:
            shared = add(shared, point(partial[i]["d"]))
        out.append(discrete_log(sub(b, shared), bound))
    return out


# --- verification of a box's public data ---------------------------------------------------------------


def verify(public: dict) -> list[str]:
    """Check a tallied box's public data end to end; the list of what fails (empty: all good).

    `public` holds: context (hex), options, rows, tellers [{public, proof, partial}], key, ballots [{receipt,
    ciphertexts, proofs, sum_proof}], combined [[a, b]], totals."""
    problems: list[str] = []
    try:
        context = bytes.fromhex(public["context"])
        options = int(public["options"])
        rows = int(public.get("rows", 1))
        tellers = public["tellers"]
        key = point(public["key"])
        shares = [point(t["public"]) for t in tellers]
        combined = [(point(a), point(b)) for a, b in public["combined"]]
        ballots = public["ballots"]
        published = [int(n) for n in public["totals"]]
    except (InvalidData, KeyError, TypeError, ValueError):
        return ["malformed"]
    if not tellers:
        problems.append("no_tellers")
    for n, (teller, share) in enumerate(zip(tellers, shares, strict=True)):
        if not verify_key(context, share, teller.get("proof") or {}):
            problems.append(f"teller_key:{n}")
    if joint_key(shares) != key:
        problems.append("key")
    seen = set()
    for n, ballot in enumerate(ballots):
        if not check_ballot(context, key, options, ballot, rows):
            problems.append(f"ballot:{n}")
            continue
        tracker = receipt(ballot)
        if ballot.get("receipt") != tracker:
            problems.append(f"receipt:{n}")
        if tracker in seen:
            problems.append(f"duplicate:{n}")
        seen.add(tracker)
    if problems:
        return problems
    if combine(positions(options, rows), ballots) != combined or len(combined) != positions(options, rows):
        return ["combined"]
    for n, (teller, share) in enumerate(zip(tellers, shares, strict=True)):
        if not check_partial(context, share, combined, teller.get("partial") or []):
            problems.append(f"partial:{n}")
    if problems:
        return problems
    try:
        counted = expand(
            totals(combined, [t["partial"] for t in tellers], len(ballots)), options, len(ballots)
        )
    except InvalidData:
        return ["totals"]
    if counted != published or sum(counted) != len(ballots) * rows:
        problems.append("totals")
    return problems

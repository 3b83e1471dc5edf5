"""Benchmark: what a secret ballot costs in the ballot box (issue 15), and the tally of 1,000 ballots.

    .venv/bin/python bench/ballotbox_cost.py                       # 1,000 ballots, 4 options, 3 tellers
    .venv/bin/python bench/ballotbox_cost.py --ballots 200 --options 3 --tellers 2

1. The scheme alone (apps/ballotbox/crypto.py), CPU time of this process per ballot: seal (encrypt k
   ciphertexts + the k "0 or 1" proofs + the "sums to 1" proof), check the ballot's proofs, the receipt.
2. Stored: `services.cast` on PostgreSQL database `renda_bench_ballotbox` (recreated and migrated each
   run): seal + check-free insert of the Sealed row and its nameless audit event, one durable transaction
   a ballot; CPU of this process and wall time per ballot (the database's own CPU is not counted).
3. The tally: close (combine every ballot), each teller's share (partial decryption with proofs), the
   publish step (discrete logarithms of the totals), and `crypto.verify` of the whole public data.

Prints a Markdown report and writes bench/results/ballotbox.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "renda_bench_ballotbox"


def say(msg=""):
    print(msg, flush=True)


def cpu_each(fn, items) -> list[float]:
    out = []
    for item in items:
        t = time.process_time()
        fn(item)
        out.append(time.process_time() - t)
    return out


def ms(values) -> str:
    return f"{statistics.mean(values) * 1000:.2f} ms (median {statistics.median(values) * 1000:.2f})"


def scheme_alone(n: int, options: int, tellers: int) -> list[tuple[str, str]]:
    from apps.ballotbox import crypto

    ctx = b"renda:ballotbox:bench"
    keys = [crypto.teller_keygen(ctx) for _ in range(tellers)]
    key = crypto.joint_key([k.public for k in keys])
    rng = random.Random(1)
    ballots = []
    seal = cpu_each(
        lambda ch: ballots.append(crypto.seal(ctx, key, options, ch)),
        [rng.randrange(options) for _ in range(n)],
    )
    check = cpu_each(lambda b: crypto.check_ballot(ctx, key, options, b), ballots)
    receipt = cpu_each(crypto.receipt, ballots)
    whole = (statistics.mean(seal) + statistics.mean(check) + statistics.mean(receipt)) * 1000
    return [
        ("seal (encrypt + prove)", ms(seal)),
        ("check the ballot's proofs", ms(check)),
        ("receipt", ms(receipt)),
        ("seal + check + receipt", f"{whole:.2f} ms"),
    ]


def stored(n: int, options: int, tellers: int) -> tuple[list[tuple[str, str]], dict]:
    from django.contrib.contenttypes.models import ContentType  # noqa: F401  (apps loaded)

    from apps.accounts.tests.factories import user_with
    from apps.ballotbox import crypto, selectors, services
    from apps.ballotbox.models import Box
    from apps.places.tests.factories import county, town

    c = county("610921", "汉阴县")
    t = town(c, "610921100", "城关镇")
    users = [user_with("town_office", f"teller{i}", region=t) for i in range(tellers)]
    box = services.create_box(
        actor=users[0], region=t, title="基准", labels=[f"选项{i}" for i in range(options)], tellers=users
    )
    codes = [services.make_teller_key(actor=u, box_id=box.pk) for u in users]
    box = services.open_box(actor=users[0], box=box)
    rng = random.Random(2)
    choices = [rng.randrange(options) for _ in range(n)]
    cpu, wall = [], []
    for ch in choices:
        t0, w0 = time.process_time(), time.perf_counter()
        services.cast(box_id=box.pk, choice=ch)
        cpu.append(time.process_time() - t0)
        wall.append(time.perf_counter() - w0)
    rows = [("cast, stored (CPU of the app process)", ms(cpu)), ("cast, stored (wall)", ms(wall))]
    tally = {}
    w0 = time.perf_counter()
    box = services.close_box(actor=users[0], box=box)
    tally["close: combine every ballot"] = time.perf_counter() - w0
    for i, (u, code) in enumerate(zip(users, codes, strict=True)):
        w0 = time.perf_counter()
        box = services.submit_share(actor=u, box_id=box.pk, code=code)
        label = "teller share (partial decryption + proofs)" if i < tellers - 1 else "last share + publish"
        tally[f"{label} #{i + 1}"] = time.perf_counter() - w0
    box = Box.objects.get(pk=box.pk)
    assert box.totals == [choices.count(i) for i in range(options)], "the count is wrong"
    w0 = time.perf_counter()
    public = selectors.public_data(box)
    problems = crypto.verify(public)
    tally["verify(public data), anyone"] = time.perf_counter() - w0
    assert not problems, problems
    w0 = time.perf_counter()
    crypto.discrete_log(crypto.base_mul(n), n)
    tally[f"one discrete log up to {n}"] = time.perf_counter() - w0
    return rows, tally


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ballots", type=int, default=1000)
    parser.add_argument("--options", type=int, default=4)
    parser.add_argument("--tellers", type=int, default=3)
    parser.add_argument(
        "--base-url", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    args = parser.parse_args()
    from bench.run import manage, recreate_db

    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    log = results / "ballotbox.log"
    url = f"{args.base_url}/{DB}"
    say(f"recreating and migrating {DB} ...")
    recreate_db(args.base_url, DB)
    manage(url, log, "migrate", "--noinput")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "renda.settings.dev"
    import django

    django.setup()
    say(f"the scheme alone: {args.ballots} ballots ...")
    alone = scheme_alone(args.ballots, args.options, args.tellers)
    say("stored through services.cast, then the tally ...")
    rows, tally = stored(args.ballots, args.options, args.tellers)
    lines = [
        f"# Ballot box cost: {args.ballots} ballots, {args.options} options, {args.tellers} tellers",
        "",
        f"Python {sys.version.split()[0]}, PyNaCl (libsodium) Ed25519, PostgreSQL; one process, one core.",
        "",
        "| per ballot | time |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in alone + rows],
        "",
        f"| the tally of {args.ballots} ballots | seconds |",
        "|---|---|",
        *[f"| {k} | {v:.3f} |" for k, v in tally.items()],
    ]
    report = "\n".join(lines) + "\n"
    (results / "ballotbox.md").write_text(report)
    say()
    say(report)


if __name__ == "__main__":
    main()

"""Benchmark: recompute every deputy's duty score for a year on the province set, against one SQL aggregate.

(a) the aggregate alone: SELECT deputy_id, kind, count(*), sum(units) FROM duty_dutyrecord WHERE the date is
    in the year AND review_state = 'approved' GROUP BY deputy_id, kind (rows fetched to the client);
(b) `duty.services.recompute(year=...)`: the same aggregate through the ORM, the points table applied in
    Python, the ranks by town, station and group, and the upsert of every deputy's Score row.
The bar: (b) <= 3 x (a). Prints a Markdown report and writes bench/results/duty.md.

    .venv/bin/python bench/duty_scores.py                 # renda_bench_province, built if missing
    .venv/bin/python bench/duty_scores.py --light         # own database: the province's people only

The province set (bench/run.py, `seed_bench --scale province`) has no duty records; the first run adds them
with `apps.demo.duty.bench_duty_records` (~30 approved records per deputy, ~2.7 million rows, COPY).
`--light` builds `renda_bench_duty` with `seed_bench --scale province --opinions-per-town 0
--suggestions-per-town 0`: the same 90,000 deputies and regions without the opinions and suggestions, which
the duty tables never read, in a fraction of the time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
YEAR = 2025
AGGREGATE = (
    "SELECT deputy_id, kind, count(*), sum(units) FROM duty_dutyrecord "
    "WHERE date >= %s AND date <= %s AND review_state = 'approved' GROUP BY deputy_id, kind"
)


def say(msg=""):
    print(msg, flush=True)


def ensure_db(base_url: str, light: bool, log: Path) -> str:
    from bench.run import db_state, manage, pg_connect, recreate_db

    if not light:
        name = "renda_bench_province"
        state = db_state(base_url, name, "province")
        if state != "seeded":
            from bench.run import prepare_db

            prepare_db(base_url, "province", True, log)
        else:
            manage(f"{base_url}/{name}", log, "migrate", "--noinput")
        return f"{base_url}/{name}"
    name = "renda_bench_duty"
    url = f"{base_url}/{name}"
    state = db_state(base_url, name, "province")
    if state in ("seeded", "stale"):  # "stale" here only means: no suggestions, as built
        manage(url, log, "migrate", "--noinput")
        return url
    say(f"  {name}: {state}; creating and seeding the province's people (a few minutes)")
    recreate_db(base_url, name)
    manage(url, log, "migrate", "--noinput")
    manage(
        url,
        log,
        "seed_bench",
        "--scale",
        "province",
        "--opinions-per-town",
        "0",
        "--suggestions-per-town",
        "0",
    )
    with pg_connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return url


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def measure(runs: int) -> dict:
    import datetime

    import django

    from renda.settings import module_for_environment

    os.environ["DJANGO_SETTINGS_MODULE"] = module_for_environment()
    django.setup()
    from django.db import connection

    from apps.demo.duty import bench_duty_records
    from apps.duty.models import DutyRecord, Score
    from apps.duty.services import recompute
    from apps.people.models import Deputy

    first, last = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    if not DutyRecord.objects.filter(date__year=YEAR, title="基准履职").exists():
        say("  adding ~30 approved duty records per deputy (COPY) ...")
        t = time.monotonic()
        n = bench_duty_records(year=YEAR, per_deputy=30, log=say)
        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) duty_dutyrecord")
        say(f"  {n:,} records in {time.monotonic() - t:.0f} s")
    records = DutyRecord.objects.filter(date__gte=first, date__lte=last, review_state="approved").count()
    deputies = Deputy.objects.filter(status="in_office").count()

    def aggregate():
        with connection.cursor() as cur:
            cur.execute(AGGREGATE, [first, last])
            return cur.fetchall()

    groups = len(aggregate())  # warm-up: the table in shared buffers for both
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + AGGREGATE, [first, last])
        plan = "\n".join(r[0] for r in cur.fetchall())
    with connection.cursor() as cur:  # start from a table written as a fresh database would write it
        cur.execute("DELETE FROM duty_score WHERE year = %s", [YEAR])
        cur.execute("VACUUM FULL duty_score")
    recompute(year=YEAR)  # warm-up: Score rows exist, so every timed run is an update (the steady state)
    a = timed(aggregate, runs)
    b = timed(lambda: recompute(year=YEAR), runs)

    def every_score_changes():
        # Every base score raised by 0.5 (as a table edit would): each of the 90,000 totals changes.
        with connection.cursor() as cur:
            cur.execute("UPDATE duty_pointstable SET base_score = base_score + 0.5 WHERE year = %s", [YEAR])
        t = time.perf_counter()
        recompute(year=YEAR)
        return time.perf_counter() - t

    c = [every_score_changes() for _ in range(runs)]
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE duty_pointstable SET base_score = base_score - %s WHERE year = %s", [0.5 * runs, YEAR]
        )
    recompute(year=YEAR)
    scores = Score.objects.filter(year=YEAR).count()
    return {
        "records": records,
        "deputies": deputies,
        "groups": groups,
        "scores": scores,
        "a": a,
        "b": b,
        "c": c,
        "plan": plan,
    }


def report(res: dict, db: str) -> str:
    a, b, c = (statistics.median(res[k]) for k in "abc")
    ratio, ratio_c = b / a, c / a
    lines = [
        f"# Duty scores benchmark ({time.strftime('%Y-%m-%d %H:%M')})",
        "",
        f"Database `{db}`; year {YEAR}: {res['records']:,} approved duty records, "
        f"{res['deputies']:,} in-office deputies, {res['groups']:,} (deputy, kind) groups, "
        f"{res['scores']:,} scores written.",
        "",
        "| measure | median s | runs (s) |",
        "|---|---:|---|",
        f"| (a) one SQL aggregate, rows fetched | {a:.2f} | {', '.join(f'{x:.2f}' for x in res['a'])} |",
        f"| (b) full recompute, scores as stored (the nightly check) | {b:.2f} | "
        f"{', '.join(f'{x:.2f}' for x in res['b'])} |",
        f"| (c) full recompute after a table edit: every score rewritten | {c:.2f} | "
        f"{', '.join(f'{x:.2f}' for x in res['c'])} |",
        "",
        f"**(b) / (a) = {ratio:.2f}** (bar: <= 3) — {'PASS' if ratio <= 3 else 'FAIL'}",
        "",
        f"**(c) / (a) = {ratio_c:.2f}** (bar: <= 3) — {'PASS' if ratio_c <= 3 else 'FAIL'}",
        "",
        "Plan of the aggregate:",
        "",
        "```",
        res["plan"],
        "```",
    ]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    ap.add_argument("--light", action="store_true", help="own database with the province's people only")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    if args.inner:  # the Django part, in a process whose DATABASE_URL names the benchmark database
        res = measure(args.runs)
        text = report(res, os.environ["DATABASE_URL"].rsplit("/", 1)[-1])
        (results / "duty.md").write_text(text)
        say(text)
        return
    log = results / "duty-setup.log"
    url = ensure_db(args.pg_url, args.light, log)
    from bench.run import django_env

    env = django_env(url)
    done = subprocess.run([PYTHON, __file__, "--inner", "--runs", str(args.runs)], cwd=ROOT, env=env)
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()

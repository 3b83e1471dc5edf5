"""Benchmark: the supervision roll-up (民情清单, issue 18 part 2) of a county year on the province set,
against the raw SQL for the same numbers.

(a) raw SQL: SELECT topic_key, count(*), count(DISTINCT region_id) FROM opinions_opinion WHERE county_id = %s
    AND received_on in the period GROUP BY topic_key ORDER BY count DESC LIMIT 50 (rows fetched);
(b) `supervision.selectors.rollup_figures(county, from, to)`: the same GROUP BY through the ORM;
(c) `supervision.selectors.rollup(...)`: (b) plus the examples of the listed topics (one window query) and
    the topics already listed (one query), what the page and `GET /api/v1/supervision/topics` answer.
The bars (issue 18 "Speed"): (c) under 2 s, and (b) within 2 x (a). Prints a Markdown report and writes
bench/results/supervision.md.

    .venv/bin/python bench/supervision_rollup.py         # renda_bench_province, built if missing

The province set (bench/run.py, `seed_bench --scale province`, 2 million opinions) is seeded by bulk COPY
with each row's topic key; on a set seeded before keys existed, the first run fills them as
`manage.py assign_topic_keys` would, but in SQL: the bench texts are a pool of a few thousand (topic, title)
pairs, so their keys are computed once in Python and joined in one UPDATE. The county measured is the
one with the most opinions in the year.
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
RAW = (
    "SELECT topic_key, count(*) AS n, count(DISTINCT region_id) FROM opinions_opinion "
    "WHERE county_id = %s AND received_on >= %s AND received_on <= %s AND topic_key <> '' "
    "GROUP BY topic_key ORDER BY n DESC, topic_key LIMIT 50"
)


def say(msg=""):
    print(msg, flush=True)


def ensure_db(base_url: str, log: Path) -> str:
    from bench.run import db_state, manage, prepare_db

    name = "renda_bench_province"
    if db_state(base_url, name, "province") != "seeded":
        prepare_db(base_url, "province", True, log)
    else:
        manage(f"{base_url}/{name}", log, "migrate", "--noinput")
    return f"{base_url}/{name}"


def fill_keys(connection) -> int:
    """Topic keys for rows that have none, from the distinct (topic, title) pairs."""
    from apps.opinions.similarity import topic_key

    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT topic, title FROM opinions_opinion WHERE topic_key = ''")
        pairs = cur.fetchall()
        if not pairs:
            return 0
        cur.execute("CREATE TEMP TABLE keys (topic varchar(20), title varchar(100), k varchar(40))")
        cur.executemany(
            "INSERT INTO keys VALUES (%s, %s, %s)", [(t, ti, topic_key(t, ti)) for t, ti in pairs]
        )
        cur.execute(
            "UPDATE opinions_opinion o SET topic_key = keys.k FROM keys "
            "WHERE o.topic_key = '' AND o.topic = keys.topic AND o.title = keys.title"
        )
        n = cur.rowcount
        cur.execute("DROP TABLE keys")
    return n


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
    from django.db import connection, transaction

    from apps.opinions.models import Opinion
    from apps.places.models import Region
    from apps.supervision.selectors import rollup, rollup_figures

    if Opinion.objects.filter(topic_key="").exists():
        say("  giving the bench opinions their topic keys (one UPDATE) ...")
        t = time.monotonic()
        with transaction.atomic():
            n = fill_keys(connection)
        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) opinions_opinion")
        say(f"  {n:,} keys in {time.monotonic() - t:.0f} s")
    last = Opinion.objects.order_by("-received_on").values_list("received_on", flat=True).first()
    first = last - datetime.timedelta(days=365)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT county_id, count(*) FROM opinions_opinion WHERE received_on >= %s AND received_on <= %s "
            "GROUP BY county_id ORDER BY 2 DESC LIMIT 1",
            [first, last],
        )
        county_id, rows = cur.fetchone()
        cur.execute("SELECT count(*) FROM opinions_opinion")
        total = cur.fetchone()[0]
    county = Region.objects.get(pk=county_id)

    def raw():
        with connection.cursor() as cur:
            cur.execute(RAW, [county_id, first, last])
            return cur.fetchall()

    topics = len(raw())  # warm-up for both
    rollup(county, first, last)
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + RAW, [county_id, first, last])
        plan = "\n".join(r[0] for r in cur.fetchall())
    a = timed(raw, runs)
    b = timed(lambda: rollup_figures(county, first, last), runs)
    c = timed(lambda: rollup(county, first, last), runs)
    return {
        "total": total, "rows": rows, "county": county.name, "topics": topics,
        "first": first, "last": last, "a": a, "b": b, "c": c, "plan": plan,
    }  # fmt: skip


def report(res: dict, db: str) -> str:
    a, b, c = (statistics.median(res[k]) for k in "abc")
    ratio = b / a
    ok = c < 2 and ratio <= 2
    lines = [
        f"# Supervision roll-up benchmark ({time.strftime('%Y-%m-%d %H:%M')})",
        "",
        f"Database `{db}`: {res['total']:,} opinions; county {res['county']}, "
        f"{res['first']} to {res['last']}: "
        f"{res['rows']:,} opinions in {res['topics']} topics listed.",
        "",
        "| measure | median s | runs (s) |",
        "|---|---:|---|",
        f"| (a) raw SQL GROUP BY, rows fetched | {a:.3f} | {', '.join(f'{x:.3f}' for x in res['a'])} |",
        f"| (b) `selectors.rollup_figures`: the same numbers through the ORM | {b:.3f} | "
        f"{', '.join(f'{x:.3f}' for x in res['b'])} |",
        f"| (c) `selectors.rollup`: figures + 3 examples per topic + listed (the page) | {c:.3f} | "
        f"{', '.join(f'{x:.3f}' for x in res['c'])} |",
        "",
        f"**(c) = {c:.3f} s** (bar: < 2 s); **(b) / (a) = {ratio:.2f}** (bar: <= 2) — "
        f"{'PASS' if ok else 'FAIL'}",
        "",
        "Plan of the raw aggregate:",
        "",
        "```",
        res["plan"],
        "```",
    ]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    if args.inner:
        res = measure(args.runs)
        text = report(res, os.environ["DATABASE_URL"].rsplit("/", 1)[-1])
        (results / "supervision.md").write_text(text)
        say(text)
        return
    log = results / "supervision-setup.log"
    url = ensure_db(args.pg_url, log)
    from bench.run import django_env

    env = django_env(url)
    done = subprocess.run([PYTHON, __file__, "--inner", "--runs", str(args.runs)], cwd=ROOT, env=env)
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()

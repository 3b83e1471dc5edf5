"""Benchmark: the public site's Chinese search (issue 17, item 4) on the province set in PostgreSQL.

Builds the public search index (`apps.public.search.rebuild`: every serving deputy, station, published reply
and filed report-back result, segmented with jieba) when the database has none, then times searches of the
kinds a visitor types: a surname, a full name, a station word, a topic word of the replies, two words, a word
no row holds, and a search limited to one town. Each is timed twice: the query alone
(`search.search`) and the whole request (`GET /api/v1/public/search` through the test client: middleware,
ninja, the schema). Prints median and p95 in ms, the EXPLAIN (ANALYZE) of the slowest, and writes
bench/results/public_search.md. Target: under 200 ms.

    .venv/bin/python bench/public_search.py                       # renda_bench_province, built if missing
    .venv/bin/python bench/public_search.py --database renda_bench_public --runs 100
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_MS = 200
QUERIES = [
    ("surname", "王"),
    ("full name", None),  # a deputy's name taken from the data set
    ("station word", "联络站"),
    ("topic word", "道路"),
    ("two words", "道路 硬化"),
    ("no match", "量子计算机"),
    ("one town", "代表"),
]


def say(msg=""):
    print(msg, flush=True)


def ensure_db(base_url: str, name: str, log: Path) -> str:
    from bench.run import db_state, manage, prepare_db

    if name == "renda_bench_province" and db_state(base_url, name, "province") != "seeded":
        prepare_db(base_url, "province", True, log)
    else:
        manage(f"{base_url}/{name}", log, "migrate", "--noinput")
    return f"{base_url}/{name}"


def ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered) * 1000, 2), round(p95 * 1000, 2)


def measure(runs: int) -> dict:
    import django

    from renda.settings import module_for_environment

    os.environ["DJANGO_SETTINGS_MODULE"] = module_for_environment()
    django.setup()
    from django.db import connection
    from django.test import Client

    from apps.people.models import Deputy
    from apps.public import search
    from apps.public.models import SearchEntry
    from apps.public.selectors import towns

    entries = SearchEntry.objects.count()
    built = None
    if not entries:
        say("  building the public search index (jieba over every public row) ...")
        t = time.monotonic()
        entries = search.rebuild()
        built = round(time.monotonic() - t, 1)
        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) public_searchentry")
        say(f"  {entries:,} entries in {built} s")
    by_kind = dict(
        SearchEntry.objects.values_list("kind").annotate(n=django.db.models.Count("id")).order_by()
    )
    name = Deputy.objects.filter(status="in_office").order_by("pk").values_list("name", flat=True).first()
    town = towns().order_by("code").first()
    client = Client()
    rows, slowest = [], (0.0, "", None)
    for label, q in QUERIES:
        q = q or name
        region = town if label == "one town" else None
        params = {"q": q, **({"region": region.code} if region else {})}
        found = len(search.search(q, region=region))  # warm-up
        assert client.get("/api/v1/public/search", params).status_code == 200
        inner, outer = [], []
        for _ in range(runs):
            t = time.perf_counter()
            search.search(q, region=region)
            inner.append(time.perf_counter() - t)
            t = time.perf_counter()
            client.get("/api/v1/public/search", params)
            outer.append(time.perf_counter() - t)
        row = {"label": label, "q": q, "found": found, "query": ms(inner), "request": ms(outer)}
        rows.append(row)
        if row["request"][1] > slowest[0]:
            slowest = (row["request"][1], q, region)
        say(
            f"  {label:12} {q!s:10} found {found:3}  query {row['query']}  request {row['request']}"
            " (median, p95 ms)"
        )
    plan = ""
    words = search.tokens(slowest[1])
    with connection.cursor() as cur:
        sql = (
            "EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM public_searchentry "
            "WHERE tsv @@ plainto_tsquery('simple', %s) LIMIT 500"
        )
        cur.execute(sql, [" ".join(words)])
        plan = "\n".join(r[0] for r in cur.fetchall())
    return {"entries": entries, "by_kind": by_kind, "built_seconds": built, "rows": rows, "plan": plan}


def report(result: dict, database: str, runs: int) -> str:
    lines = [
        "# Public search on the province set",
        "",
        f"Database `{database}`, {result['entries']:,} index entries ({result['by_kind']}); {runs} runs "
        "per query after one warm-up."
        + (f" Index built in {result['built_seconds']} s." if result["built_seconds"] else ""),
        "",
        "| query | q | found | query median / p95 ms | request median / p95 ms |",
        "|---|---|---|---|---|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['label']} | {r['q']} | {r['found']} | {r['query'][0]} / {r['query'][1]} "
            f"| {r['request'][0]} / {r['request'][1]} |"
        )
    worst = max(r["request"][1] for r in result["rows"])
    lines += [
        "",
        f"Slowest p95 of a whole request: {worst} ms (target {TARGET_MS} ms: "
        f"{'met' if worst < TARGET_MS else 'NOT met'}).",
        "",
        "```",
        result["plan"],
        "```",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="renda_bench_province")
    parser.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    url = ensure_db(args.pg_url, args.database, out_dir / "public_search.log")
    os.environ.update(RENDA_ENV="development", DEBUG="0", DATABASE_URL=url, CONN_MAX_AGE="60")
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    result = measure(args.runs)
    text = report(result, args.database, args.runs)
    (out_dir / "public_search.md").write_text(text)
    say(text)


if __name__ == "__main__":
    main()

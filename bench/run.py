"""Benchmarks of the deputies API, the opinion pages and the suggestion list and figures on the county and
province data sets (PostgreSQL).
`make bench` runs this.

1. For each scale, a PostgreSQL database renda_bench_<scale>: created, migrated and seeded with
   `manage.py seed_bench --scale <scale>`; reused when it already holds that data set (the default).
2. In process, per scale (bench/inproc.py in a subprocess): median and p95 server time and SQL queries per
   request of the town list, the name search, the deputy card and the public card; the query count of the
   lists at page sizes 10, 50 and 200; the opinion ledger and figures, the suggestion list and figures.
3. Over HTTP, on the largest scale (bench/load.py): requests per second of the authenticated town list against
   a bare Django JSON endpoint, both served by gunicorn with uvicorn workers under production settings.

Results are printed and written to bench/results/ (JSON and Markdown). See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))

# The province code each data set is written under (apps/demo/bench.py), to recognise a seeded database.
SCALE_CODES = {"county": "980000", "province": "990000"}

ENDPOINTS = [
    ("list_town", "town list", "GET /api/v1/deputies?region=<town>"),
    ("search_surname", "search, surname", "GET /api/v1/deputies?q=<surname>"),
    ("search_initials", "search, pinyin initials", "GET /api/v1/deputies?q=<initials>"),
    ("card", "deputy card", "GET /api/v1/deputies/{id}"),
    ("public_card", "public card", "GET /api/v1/public/deputies/{public_code}"),
    ("list_county_scope", "county office's list", "GET /api/v1/deputies (bench-county)"),
    ("op_ledger_town", "opinion ledger page, town office", "GET /opinions/?page=1 (session)"),
    ("op_ledger_town_overdue", "opinion ledger, overdue only", "GET /opinions/?overdue=1&page=1 (session)"),
    (
        "op_ledger_county",
        "opinion ledger page, county office",
        "GET /opinions/?page=1 (bench-county, session)",
    ),
    (
        "op_stats_county",
        "opinion figures page, county office",
        "GET /opinions/stats/ (bench-county, session)",
    ),
    ("op_api_town", "opinions API list, town office", "GET /api/v1/opinions?page_size=50"),
    ("op_api_county", "opinions API list, county office", "GET /api/v1/opinions?page_size=50 (bench-county)"),
    (
        "op_api_stats_towns",
        "opinions API, figures per town",
        "GET /api/v1/opinions/stats/towns (bench-county)",
    ),
    (
        "op_api_stats_units",
        "opinions API, figures per unit",
        "GET /api/v1/opinions/stats/units (bench-county)",
    ),
    ("sg_list_town", "suggestion list page, town office", "GET /suggestions/?page=1 (session)"),
    (
        "sg_stats_county",
        "suggestion figures page, county office",
        "GET /suggestions/stats/ (bench-county, session)",
    ),
    ("sg_api_town", "suggestions API list, town office", "GET /api/v1/suggestions?page_size=50"),
    (
        "sg_api_county",
        "suggestions API list, county office",
        "GET /api/v1/suggestions?page_size=50 (bench-county)",
    ),
    (
        "sg_api_stats_town",
        "suggestions API, figures per town",
        "GET /api/v1/suggestions/stats?by=town (bench-county)",
    ),
    (
        "sg_api_stats_unit",
        "suggestions API, figures per unit",
        "GET /api/v1/suggestions/stats?by=unit (bench-county)",
    ),
    ("bare", "bare Django (reference)", "GET /bench/bare-deputies?town=<id>"),
]


def say(msg: str = ""):
    print(msg, flush=True)


# --- databases ---------------------------------------------------------------------------------------


def pg_connect(url: str, **kw):
    import psycopg

    return psycopg.connect(url, connect_timeout=10, **kw)


def db_state(base_url: str, name: str, scale: str) -> str:
    """missing, empty (exists without this data set), stale (seeded before suggestions were) or seeded."""
    with pg_connect(f"{base_url}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return "missing"
    with pg_connect(f"{base_url}/{name}") as conn:
        if conn.execute("SELECT to_regclass('public.accounts_rolegrant')").fetchone()[0] is None:
            return "empty"
        region = conn.execute("SELECT 1 FROM places_region WHERE code = %s", [SCALE_CODES[scale]]).fetchone()
        logins = conn.execute(
            "SELECT count(*) FROM accounts_rolegrant g JOIN accounts_user u ON u.id = g.user_id "
            "WHERE u.username IN ('bench-town', 'bench-county') AND g.region_id IS NOT NULL"
        ).fetchone()[0]
        if not (region and logins == 2):
            return "empty"
        # A set seeded before there were suggestions (no table yet, or an empty one) is built again.
        if conn.execute("SELECT to_regclass('public.suggestions_suggestion')").fetchone()[0] is None:
            return "stale"
        if not conn.execute("SELECT EXISTS (SELECT 1 FROM suggestions_suggestion)").fetchone()[0]:
            return "stale"
        return "seeded"


def recreate_db(base_url: str, name: str):
    with pg_connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def django_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(RENDA_ENV="development", DEBUG="0", DATABASE_URL=database_url, CONN_MAX_AGE="60")
    return env


def manage(database_url: str, log: Path, *args: str):
    with open(log, "a") as out:
        out.write(f"\n$ manage.py {' '.join(args)}\n")
        out.flush()
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=django_env(database_url), stdout=out, stderr=out
        )
    if done.returncode != 0:
        tail = log.read_text().splitlines()[-30:]
        raise SystemExit(f"manage.py {' '.join(args)} failed ({log}):\n" + "\n".join(tail))


def prepare_db(base_url: str, scale: str, reuse: bool, log: Path) -> dict:
    name = f"renda_bench_{scale}"
    url = f"{base_url}/{name}"
    state = db_state(base_url, name, scale)
    started = time.monotonic()
    if state == "seeded" and reuse:
        say(f"  {name}: seeded already, reused (--no-reuse to build it again)")
        manage(url, log, "migrate", "--noinput")
        return {"database": name, "url": url, "seeded": False}
    say(f"  {name}: {state}; creating, migrating and seeding --scale {scale} (province: a few minutes)")
    recreate_db(base_url, name)
    manage(url, log, "migrate", "--noinput")
    manage(url, log, "seed_bench", "--scale", scale)
    with pg_connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")  # visibility map and statistics as after autovacuum in production
    seconds = time.monotonic() - started
    say(f"  {name}: seeded in {seconds:.0f} s")
    return {"database": name, "url": url, "seeded": True, "seed_seconds": round(seconds, 1)}


# --- the parts ---------------------------------------------------------------------------------------


def run_inproc(database_url: str, out: Path, iterations: int, warmup: int) -> dict:
    cmd = [PYTHON, str(ROOT / "bench" / "inproc.py"), "measure", "--out", str(out)]
    cmd += ["--iterations", str(iterations), "--warmup", str(warmup)]
    subprocess.run(cmd, cwd=ROOT, env=django_env(database_url), check=True)
    return json.loads(out.read_text())


def machine() -> dict:
    def cmd(*args) -> str:
        try:
            return subprocess.run(args, cwd=ROOT, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    import django

    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "git": cmd("git", "rev-parse", "--short", "HEAD")
        + (" (dirty)" if cmd("git", "status", "--porcelain") else ""),
        "wrk": cmd("wrk", "--version").splitlines()[0] if shutil.which("wrk") else "",
    }


# --- the report --------------------------------------------------------------------------------------


def ms(x: float) -> str:
    return f"{x:.2f}"


def report(res: dict) -> str:
    m = res["machine"]
    lines = [
        f"# Renda benchmarks, {res['started']}",
        "",
        f"{m['cpus']} CPUs ({m['cpu']}), {m.get('postgres', 'PostgreSQL')}, Python {m['python']}, "
        f"Django {m['django']}, git {m['git']}.",
        "",
    ]
    for scale, data in res["scales"].items():
        f, t = data["facts"], data["facts"]["totals"]
        lines.append(
            f"- **{scale}** set: {t['towns']:,} towns, {t['deputies']:,} deputies, "
            f"{t['households']:,} households, {t['regions']:,} regions. "
            f"Town {f['town']['name']} ({f['deputies_in_town']} deputies), "
            f"county {f['county']['name']} ({f['deputies_in_county']} deputies); "
            f"search `{f['search_surname']}` ({f['search_surname_hits']} hits), "
            f"`{f['search_initials']}` ({f['search_initials_hits']} hits)."
            + (
                f" Opinions: {t['opinions']:,} ({f.get('opinions_in_town', 0):,} in the town, "
                f"{f.get('opinions_in_county', 0):,} in the county), "
                f"{t.get('reception_days', 0):,} reception days, {t.get('steps', 0):,} workflow steps."
                if t.get("opinions")
                else ""
            )
            + (
                f" Suggestions: {t['suggestions']:,} ({f.get('suggestions_in_town', 0):,} in the town, "
                f"{f.get('suggestions_in_county', 0):,} in the county), "
                f"{t.get('suggestion_signatures', 0):,} signatures, "
                f"{t.get('suggestion_feedback', 0):,} ratings."
                if t.get("suggestions")
                else ""
            )
        )
    scales = list(res["scales"])
    any_scale = res["scales"][scales[0]]
    lines += [
        "",
        f"## Server time in process ({any_scale['iterations']} requests each after {any_scale['warmup']} "
        "warm-up; Django test client, DEBUG off)",
        "",
        "Logged in as `bench-town` (town office of the first town) with a bearer token, unless noted. "
        "Page size 50. Pages log in with a session; `+ tx` marks a request that also commits a transaction "
        "(the session's last-seen time, StaffSessionTimeoutMiddleware).",
        "",
        "| request | | scale | median ms | p95 ms | SQL ms (median) | queries |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for key, label, path in ENDPOINTS:
        for scale in scales:
            e = res["scales"][scale]["endpoints"].get(key)
            if e is None:
                continue
            lines.append(
                f"| {label} | `{path}` | {scale} | {ms(e['median_ms'])} | {ms(e['p95_ms'])} | "
                f"{ms(e['sql_median_ms'])} | {e['queries']}{'' if e['queries_constant'] else ' (varies!)'}"
                f"{' + tx' if e.get('transactions') else ''} |"
            )
    lines += [
        "",
        "## SQL queries per request as the page grows",
        "",
        "| list | scale | page_size=10 | 50 | 200 | rows returned at 200 | constant |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for who, label in (("town", "town list (bench-town)"), ("county", "county list (bench-county)")):
        for scale in scales:
            p = res["scales"][scale]["page_size_queries"]
            q = p[who]
            const = len(set(q.values())) == 1
            lines.append(
                f"| {label} | {scale} | {q['10']} | {q['50']} | {q['200']} | {p['items'][who]['200']} | "
                f"{'yes' if const else '**NO**'} |"
            )
    if "county" in scales and "province" in scales:
        c = res["scales"]["county"]["endpoints"]
        p = res["scales"]["province"]["endpoints"]
        lines += ["", "## Province set against county set (same request, one town)", ""]
        lines += [
            "| request | county median ms | province median ms | province / county |",
            "|---|---:|---:|---:|",
        ]
        for key, label, _path in ENDPOINTS:
            if key in c and key in p:
                lines.append(
                    f"| {label} | {ms(c[key]['median_ms'])} | {ms(p[key]['median_ms'])} | "
                    f"{p[key]['median_ms'] / c[key]['median_ms']:.2f} |"
                )
        lines += ["", f"Town list ratio: **{res['town_list_ratio']:.2f}** (target: about 1)."]
    for prefix, title, tables in (
        ("op_", "How the opinion pages read the opinions table", "`opinions_opinion`"),
        (
            "sg_",
            "How the suggestion list and figures read the suggestions",
            "`suggestions_suggestion` or `suggestions_feedback`",
        ),
    ):
        plans = [
            (scale, name, item)
            for scale, data in res["scales"].items()
            for name, item in data.get("explain", {}).items()
            if name.startswith(prefix)
        ]
        if not plans:
            continue
        lines += [
            "",
            f"## {title} (EXPLAIN ANALYZE, key lines)",
            "",
            f"Every query on {tables} of the request, with the scan it uses; "
            "the full plans are in the `-explain.txt` file.",
            "",
            "| scale | request:query | reads | plan |",
            "|---|---|---|---|",
        ]
        for scale, name, item in plans:
            sql = item["sql"]
            kind = "count" if "COUNT(" in sql and "LIMIT" not in sql else "rows"
            key = " / ".join(item.get("key") or []) or "(no scan line)"
            lines.append(f"| {scale} | {name} | {kind} | `{key}` |")
    load = res.get("load")
    if load:
        lines += [
            "",
            f"## Requests per second over HTTP ({load['scale']} set)",
            "",
            f"`{load['server']}` on 127.0.0.1, production settings (RENDA_ENV=production, DEBUG off); "
            f"load by {load['tool']}, {load['connections']} connections, `Connection: close`, "
            f"{load['seconds']:.0f} s per run after {load['warmup_seconds']:.0f} s warm-up, "
            f"{load['rounds']} round(s) alternating the order.",
            f"API: `{load['api_url']}` with a bearer token (bench-town). Bare: `{load['bare_url']}` "
            "(plain Django view, same two queries with .values(), JsonResponse, "
            "no auth or permission layer).",
            "",
            "| DB connections | API req/s | API p50 / p99 ms | bare req/s | bare p50 / p99 ms | API / bare | "
            "worker CPU split |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for mode in load["modes"]:
            if "error" in mode:
                lines.append(f"| {mode['db_conn']} | failed: {mode['error']} | | | | | |")
                continue
            a, b = mode["runs"]["api"], mode["runs"]["bare"]
            lines.append(
                f"| {mode['db_conn']} | {mode['api_rps']:.1f} | {_lat(a)} | "
                f"{mode['bare_rps']:.1f} | {_lat(b)} | **{mode['ratio']:.2f}** | {mode['worker_cpu_split']} |"
            )
        lines += [
            "",
            "DB connections: `pool` = CONN_MAX_AGE=0 with Django's psycopg pool (what Django recommends "
            "under ASGI); `close` = CONN_MAX_AGE=0, one new connection per request. "
            "Target: API / bare >= 0.5.",
        ]
    lines += ["", "## Targets", ""]
    for label, ok in res["targets"].items():
        lines.append(f"- {'PASS' if ok else 'FAIL'}: {label}")
    return "\n".join(lines) + "\n"


def _lat(runs: list[dict]) -> str:
    p50 = sum(r["latency_p50_ms"] for r in runs) / len(runs)
    p99 = sum(r["latency_p99_ms"] for r in runs) / len(runs)
    return f"{p50:.0f} / {p99:.0f}"


def targets(res: dict) -> dict:
    out = {}
    for scale, data in res["scales"].items():
        for who in ("town", "county"):
            q = data["page_size_queries"][who]
            out[f"{scale}: {who} list queries constant over page sizes 10/50/200 ({q['10']})"] = (
                len(set(q.values())) == 1
            )
    if "town_list_ratio" in res:
        r = res["town_list_ratio"]
        out[f"town list province/county median ratio {r:.2f} within 0.8-1.25"] = 0.8 <= r <= 1.25
    for mode in (res.get("load") or {}).get("modes", []):
        if "ratio" in mode:
            out[f"API / bare req/s >= 0.5 with db connections `{mode['db_conn']}` ({mode['ratio']:.2f})"] = (
                mode["ratio"] >= 0.5
            )
    return out


# --- main --------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description="Benchmarks of the deputies API (see bench/README.md).",
    )
    parser.add_argument("--scale", choices=["county", "province", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="fewer iterations and shorter load runs")
    parser.add_argument("--skip-load", action="store_true", help="skip the HTTP load part")
    parser.add_argument(
        "--reuse",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="reuse a database that already holds the data set (default); --no-reuse builds it again",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server, without database name (default: %(default)s, or $BENCH_PG_URL)",
    )
    parser.add_argument("--iterations", type=int, help="timed requests per endpoint (default 250, quick 60)")
    parser.add_argument("--load-seconds", type=float, help="seconds per load run (default 15, quick 5)")
    parser.add_argument("--rounds", type=int, help="load rounds per endpoint (default 2, quick 1)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent load connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--db-conn",
        default=None,
        help="comma-separated DB connection modes for the load: pool, close, persistent "
        "(default: pool,close; quick: pool)",
    )
    args = parser.parse_args()

    iterations = args.iterations or (60 if args.quick else 250)
    warmup = 10 if args.quick else 30
    seconds = args.load_seconds or (5.0 if args.quick else 15.0)
    load_warmup = 1.0 if args.quick else 2.0
    rounds = args.rounds or (1 if args.quick else 2)
    modes = (args.db_conn or ("pool" if args.quick else "pool,close")).split(",")
    scales = ["county", "province"] if args.scale == "both" else [args.scale]

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    log = RESULTS / f"{stamp}-setup.log"
    t0 = time.monotonic()
    res: dict = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "argv": sys.argv[1:],
        "machine": machine(),
        "scales": {},
    }
    with pg_connect(f"{args.pg_url}/postgres") as conn:
        res["machine"]["postgres"] = "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]

    dbs = {}
    for scale in scales:
        say(f"== {scale}: database")
        dbs[scale] = prepare_db(args.pg_url, scale, args.reuse, log)
        say(f"== {scale}: in-process timings ({iterations} requests per endpoint)")
        data = run_inproc(dbs[scale]["url"], RESULTS / f"{stamp}-inproc-{scale}.json", iterations, warmup)
        data["database"] = {k: v for k, v in dbs[scale].items() if k != "url"}
        res["scales"][scale] = data

    if "county" in res["scales"] and "province" in res["scales"]:
        c = res["scales"]["county"]["endpoints"]["list_town"]["median_ms"]
        p = res["scales"]["province"]["endpoints"]["list_town"]["median_ms"]
        res["town_list_ratio"] = round(p / c, 3)

    if not args.skip_load:
        from bench.load import mode_unavailable, run_load

        scale = scales[-1]
        say(f"== {scale}: HTTP load, gunicorn + uvicorn workers ({', '.join(modes)})")
        load = {"scale": scale, "modes": []}
        for mode in modes:
            say(f"  db connections: {mode}")
            if why := mode_unavailable(mode):
                say(f"    skipped: {why}")
                load["modes"].append({"db_conn": mode, "error": why})
                continue
            try:
                out = run_load(
                    database_url=dbs[scale]["url"],
                    db_conn=mode,
                    facts=res["scales"][scale]["facts"],
                    seconds=seconds,
                    warmup=load_warmup,
                    rounds=rounds,
                    connections=args.connections,
                    threads=1,
                    workers=args.workers,
                    log_path=RESULTS / f"{stamp}-gunicorn.log",
                    say=say,
                )
            except RuntimeError as exc:
                say(f"    failed: {exc}")
                out = {"db_conn": mode, "error": str(exc)[:300]}
            load["modes"].append(out)
            for key in ("tool", "server", "connections", "seconds", "warmup_seconds", "rounds"):
                if key in out:
                    load[key] = out[key]
            if "api_url" in out:
                load["api_url"], load["bare_url"] = out["api_url"], out["bare_url"]
        if any("ratio" in m for m in load["modes"]):
            res["load"] = load
        else:
            res["load_failed"] = load

    res["targets"] = targets(res)
    res["seconds"] = round(time.monotonic() - t0, 1)
    md = report(res)
    for scale in res["scales"].values():  # the SQL texts stay in the per-scale files
        for e in scale["endpoints"].values():
            e.pop("sql", None)
    (RESULTS / f"{stamp}.json").write_text(json.dumps(res, ensure_ascii=False, indent=2))
    (RESULTS / f"{stamp}.md").write_text(md)
    explain = "\n\n".join(
        f"-- {scale} / {name}\n{item['sql']}\n\n{item['plan']}"
        for scale, data in res["scales"].items()
        for name, item in data.get("explain", {}).items()
    )
    (RESULTS / f"{stamp}-explain.txt").write_text(explain + "\n")
    for name in ("json", "md"):
        shutil.copyfile(RESULTS / f"{stamp}.{name}", RESULTS / f"latest.{name}")
    say("")
    say(md)
    say(
        f"Written: bench/results/{stamp}.json, {stamp}.md, {stamp}-explain.txt (and latest.*); "
        f"{res['seconds']:.0f} s"
    )


if __name__ == "__main__":
    main()

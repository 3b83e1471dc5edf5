"""Pages a second (issue 14, item 14: the capacity in docs/OPERATIONS.md): how many ledger pages
(社情民意台账) the production server renders a second on this machine, for logged-in office staff.

    python bench/page_rate.py                 # 15 s per page, 16 clients at once, 3 workers
    python bench/page_rate.py --seconds 5

1. PostgreSQL database `renda_bench_pages` with the demo county (`seed_demo`: 汉阴县, 10 towns, its deputies,
   opinions, suggestions, meetings), created once; Redis db 15.
2. Sessions of the demo's township office (`town`, 城关镇) and county office (`county`) logins, made in this
   process with the server's SECRET_KEY (Django's session in the database, as a browser's login leaves it).
3. gunicorn with W uvicorn workers serving `renda.asgi` under the production settings, as in production.
4. C clients in one asyncio process, each sending GET after GET for S seconds, a new connection per request
   (`Connection: close`, so the requests spread over the workers as many browsers' do); every answer must be
   200. Reported: pages a second, p50 and p95 time per page (queueing included).

Prints the table and writes bench/results/pages.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import crash_votes, load, vote_load  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DB_NAME = "renda_bench_pages"
PAGES = [
    ("town", "/opinions/", "township office: the ledger (社情民意台账), first page"),
    ("county", "/opinions/", "county office: the county's ledger, first page"),
    ("town", "/", "township office: home page"),
]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    p.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"))
    return p.parse_args(argv)


def prepare(pg_url: str, redis_url: str, secret_key: str) -> tuple[str, dict[str, str]]:
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    database_url = f"{pg_url}/{DB_NAME}"
    os.environ["SECRET_KEY"] = secret_key  # the session's auth hash is keyed with it
    vote_load.setup_django(database_url, redis_url)
    from django.core.management import call_command
    from django.test import Client

    from apps.accounts.models import User

    if not User.objects.filter(username="town").exists():
        print("seeding the demo county (once) ...", flush=True)
        call_command("seed_demo", verbosity=0)
    cookies = {}
    for username in {u for u, _p, _d in PAGES}:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[username] = client.cookies["sessionid"].value
    return database_url, cookies


async def fetch(port: int, path: str, cookie: str) -> tuple[int, int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\n"
            "Accept-Language: zh-hans\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, len(data)


async def hammer(port: int, path: str, cookie: str, seconds: float, clients: int) -> dict:
    status, size = await fetch(port, path, cookie)
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status}")
    times: list[float] = []
    bad: dict[int, int] = {}
    end = time.perf_counter() + seconds

    async def client():
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            code, _n = await fetch(port, path, cookie)
            if code == 200:
                times.append(time.perf_counter() - t0)
            else:
                bad[code] = bad.get(code, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - began
    return {
        "pages_per_s": len(times) / wall,
        "p50_ms": statistics.median(times) * 1000,
        "p95_ms": vote_load.pct(times, 0.95) * 1000,
        "pages": len(times),
        "errors": bad,
        "bytes": size,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    secret_key = secrets.token_urlsafe(50)
    database_url, cookies = prepare(args.pg_url, args.redis_url, secret_key)
    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / "pages-gunicorn.log"
    log_path.write_text("")
    port = load.free_port()
    proc = crash_votes.start_server(database_url, args.redis_url, port, args.workers, log_path, secret_key)
    rows = []
    try:
        load.wait_ready(f"http://127.0.0.1:{port}/accounts/login/", proc)
        for user, path, label in PAGES:
            workers = load.worker_pids(proc.pid)
            busy, procs, ticks = vote_load.cpu_busy(), vote_load.cpu_by_process(), load.cpu_ticks(workers)
            r = asyncio.run(hammer(port, path, cookies[user], args.seconds, args.clients))
            after, ticks_after = vote_load.cpu_by_process(), load.cpu_ticks(workers)
            used = {
                "server": sum(ticks_after[p] - ticks.get(p, 0) for p in ticks_after)
                / os.sysconf("SC_CLK_TCK"),
                # Every PostgreSQL process, other users' included; one that ended meanwhile leaves /proc
                # and takes its time with it, so this is approximate (never below 0).
                "PostgreSQL": max(0.0, after.get("PostgreSQL", 0) - procs.get("PostgreSQL", 0)),
            }
            # CPU per page, by the server's workers and by every PostgreSQL process (other users' included):
            # a figure that holds when the machine is shared, unlike pages/s.
            r.update(
                label=label,
                path=path,
                cpu=vote_load.cpu_busy(busy),
                server_ms=1000 * used["server"] / max(r["pages"], 1),
                pg_ms=1000 * used["PostgreSQL"] / max(r["pages"], 1),
            )
            rows.append(r)
            print(f"  {label}: {r['pages_per_s']:.0f} pages/s", flush=True)
    finally:
        load.stop_server(proc)
    lines = [
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()} · gunicorn, {args.workers} uvicorn workers, production settings, "
        f"PostgreSQL + Redis on the same machine · {args.clients} clients at once, "
        f"{args.seconds:.0f} s a page, a new connection per request",
        "",
        "| page | pages/s | p50 | p95 | size | errors | machine CPU busy | CPU a page: server / PostgreSQL "
        "| pages/s on 2 free cores (estimate) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} (`{r['path']}`) | **{r['pages_per_s']:.0f}** | {r['p50_ms']:.0f} ms | "
            f"{r['p95_ms']:.0f} ms | {r['bytes'] // 1024} KB | {sum(r['errors'].values())} | "
            f"{r['cpu']:.0%} | "
            f"{r['server_ms']:.0f} ms / {r['pg_ms']:.0f} ms | {2000 / (r['server_ms'] + r['pg_ms']):.0f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    (RESULTS / "pages.md").write_text(text)
    return 0 if all(not r["errors"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

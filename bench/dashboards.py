"""Benchmark: the county dashboard (issue 20 "Speed") on the province set, against hand-written raw SQL
returning the same numbers, and the big screen's update after a change.

(a) raw SQL: the county's towns, then one GROUP BY town_id per table (opinions, reception days, suggestions,
    their ratings, duty records, deputies) with FILTER counts, plus the supervision figures' own raw SQL
    (bench/supervision_figures.py);
(b) `dashboards.figures.dashboard(user, year=...)`: what the page and `GET /api/v1/dashboards/figures` run
    as the county office (its grants read, the region checked), rates worked out from the counts;
(c) the big screen: a screen joined to the county's group (the in-process channel layer); an opinion is
    saved and committed; the time until the screen has the new figures (the post_save hook, on_commit, the
    throttled publish computing the county's dashboard and sending it).
Asserts (a) == (b) for every town and count. Bars: (b) p95 within 2 x (a) p95; (c) within 1 s.

    .venv/bin/python bench/dashboards.py       # renda_dash_province, built if missing (a few minutes)

Prints a Markdown report and writes bench/results/dashboards.md.
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
DB = "renda_dash_province"

RAW = [
    (
        "opinions",
        ["opinions_collected", "opinions_assigned", "opinions_replied", "opinions_on_time",
         "opinions_resolved", "opinions_visited", "opinions_satisfied"],
        "SELECT town_id, count(*), count(*) FILTER (WHERE assigned_on IS NOT NULL), "
        "count(*) FILTER (WHERE replied_on IS NOT NULL), count(*) FILTER (WHERE reply_on_time), "
        "count(*) FILTER (WHERE state = 'closed' AND solved), count(*) FILTER (WHERE satisfaction <> ''), "
        "count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basic')) FROM opinions_opinion "
        "WHERE county_id = %(county)s AND received_on BETWEEN %(first)s AND %(last)s GROUP BY town_id",
    ),
    (
        "reception",
        ["voters_received", "reception_days"],
        "SELECT town_id, sum(voters_received), count(*) FROM opinions_receptionday "
        "WHERE county_id = %(county)s AND date BETWEEN %(first)s AND %(last)s GROUP BY town_id",
    ),
    (
        "suggestions",
        ["suggestions", "suggestions_replied", "suggestions_on_time", "suggestions_solved"],
        "SELECT town_id, count(*), count(*) FILTER (WHERE rounds > 0), "
        "count(*) FILTER (WHERE reply_on_time), "
        "count(*) FILTER (WHERE category = 'A' OR (category = 'B' AND solved_on IS NOT NULL)) "
        "FROM suggestions_suggestion WHERE county_id = %(county)s AND created_at >= %(start)s "
        "AND created_at < %(end)s AND state NOT IN ('draft', 'declined', 'merged') GROUP BY town_id",
    ),
    (
        "ratings",
        ["suggestions_rated", "suggestions_satisfied"],
        "SELECT s.town_id, count(*) FILTER (WHERE f.result <> 'no_opinion'), "
        "count(*) FILTER (WHERE f.result IN ('satisfied', 'basic')) FROM suggestions_feedback f "
        "JOIN suggestions_suggestion s ON s.id = f.suggestion_id WHERE s.county_id = %(county)s "
        "AND s.created_at >= %(start)s AND s.created_at < %(end)s "
        "AND s.state NOT IN ('draft', 'declined', 'merged') GROUP BY s.town_id",
    ),
    (
        "duty",
        ["duty_records", "deputies_active"],
        "SELECT town_id, count(*), count(DISTINCT deputy_id) FROM duty_dutyrecord "
        "WHERE county_id = %(county)s AND date BETWEEN %(first)s AND %(last)s "
        "AND review_state = 'approved' GROUP BY town_id",
    ),
    (
        "deputies",
        ["deputies"],
        "SELECT town_id, count(*) FROM people_deputy WHERE county_id = %(county)s AND status = 'in_office' "
        "GROUP BY town_id",
    ),
]  # fmt: skip
# the supervision figures the dashboard shows, by their place in supervision.figures.NUMBERS
SUPERVISION = {"activities_done": 1, "findings": 2, "rectifications_opened": 3, "rectifications_accepted": 4,
               "appointments_held": 10}  # fmt: skip


def say(msg=""):
    print(msg, flush=True)


def ensure_db(base_url: str, log: Path) -> str:
    from bench.run import db_state, manage, recreate_db

    url = f"{base_url}/{DB}"
    if db_state(base_url, DB, "province") != "seeded":
        say(f"  {DB}: creating, migrating and seeding --scale province (a few minutes)")
        recreate_db(base_url, DB)
        manage(url, log, "migrate", "--noinput")
        manage(url, log, "seed_bench", "--scale", "province")
    else:
        manage(url, log, "migrate", "--noinput")
    return url


def raw_dashboard(connection, county_id: int, year: int, today) -> dict:
    """{town id: {count key: n}}: the towns, the six statements above and the supervision figures' own."""
    import datetime

    from django.utils import timezone

    from bench.supervision_figures import raw_figures

    tz = timezone.get_current_timezone()
    params = {
        "county": county_id, "first": datetime.date(year, 1, 1), "last": datetime.date(year, 12, 31),
        "start": datetime.datetime(year, 1, 1, tzinfo=tz),
        "end": datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    }  # fmt: skip
    out: dict = {}
    with connection.cursor() as cur:
        for _name, keys, sql in RAW:
            cur.execute(sql, params)
            for town, *numbers in cur.fetchall():
                out.setdefault(town, {}).update(zip(keys, numbers, strict=True))
    for town, numbers in raw_figures(connection, county_id, year, today).items():
        out.setdefault(town, {}).update({k: numbers[i] for k, i in SUPERVISION.items()})
    return out


def p95(xs) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def measure_county(connection, user, county, year: int, runs: int) -> dict:
    from django.utils import timezone

    from apps.dashboards.figures import dashboard
    from bench.supervision_figures import interleaved

    today = timezone.localdate()
    raw = raw_dashboard(connection, county.pk, year, today)
    board = dashboard(user, year=year)
    assert board.region == county
    for row in board.rows:
        for key, n in raw.get(row.town_id, {}).items():
            assert (row.numbers[key] or 0) == (n or 0), (row.name, key, row.numbers[key], n)
    fns = {
        "a": lambda: raw_dashboard(connection, county.pk, year, today),
        "b": lambda: dashboard(user, year=year),
    }
    return {
        "county": county.name,
        "towns": len(board.rows),
        "total": board.total.numbers,
        **interleaved(fns, runs),
    }


def measure_screen(county, village, rounds: int) -> list[float]:
    """Seconds from an opinion's commit to the county's screen holding the new count, `rounds` times."""
    import json

    from asgiref.sync import async_to_sync, sync_to_async
    from channels.testing import WebsocketCommunicator

    from apps.accounts.models import User
    from apps.dashboards.consumers import DashboardConsumer
    from apps.opinions.models import Opinion

    user = User.objects.get(username="bench-county")

    def save():
        return Opinion.objects.create(source="letter", title="基准测试", content="大屏更新", region=village)

    async def scenario():
        comm = WebsocketCommunicator(DashboardConsumer.as_asgi(), f"/ws/dashboards/{county.pk}/")
        comm.scope.update(user=user, url_route={"kwargs": {"region_id": county.pk}})
        assert (await comm.connect(timeout=30))[0]
        state = json.loads(await comm.receive_from(timeout=30))
        times = []
        # one round more, untimed first: the process's first opinion loads jieba's dictionary (8 s), which
        # a server does once at its start, not on a change
        for _ in range(rounds + 1):
            before = next(c["value"] for c in state["counters"] if c["key"] == "opinions_collected")
            started = time.perf_counter()
            await sync_to_async(save)()  # autocommit: the hook's on_commit runs at once
            while True:
                state = json.loads(await comm.receive_from(timeout=5))
                if next(c["value"] for c in state["counters"] if c["key"] == "opinions_collected") > before:
                    break
            times.append(time.perf_counter() - started)
            await sync_to_async(time.sleep)(0.6)  # past the throttle: each round a fresh leading send
        await comm.disconnect()
        return times[1:]

    try:
        return async_to_sync(scenario)()
    finally:
        Opinion.objects.filter(title="基准测试", content="大屏更新").delete()


def measure(runs: int) -> dict:
    import django

    from renda.settings import module_for_environment

    os.environ["DJANGO_SETTINGS_MODULE"] = module_for_environment()
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.places.models import Region
    from apps.supervision.models import SupervisionPlan
    from bench.supervision_figures import seed

    year = timezone.localdate().year
    if not SupervisionPlan.objects.filter(year=year).exists():
        say("  adding the supervision rows of the year (bench/supervision_figures.seed) ...")
        seed(year)
    user = User.objects.get(username="bench-county")
    county = Region.objects.get(pk=user.grants.get(role="county_office").region_id)
    with connection.cursor() as cur:
        counts = {}
        for table in ("opinions_opinion", "suggestions_suggestion", "duty_dutyrecord", "people_deputy"):
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
    measure_county(connection, user, county, year, 3)  # warm-up
    res = {"year": year, "counts": counts, "county": measure_county(connection, user, county, year, runs)}
    village = Region.objects.filter(county_id=county.pk, level="village").first()
    res["screen"] = measure_screen(county, village, 20)
    return res


def report(res: dict, db: str) -> str:
    c, r = res["counts"], res["county"]
    a95, b95 = p95(r["a"]), p95(r["b"])
    a50, b50 = statistics.median(r["a"]), statistics.median(r["b"])
    s = res["screen"]
    ok_b, ok_s = b95 <= 2 * a95, max(s) <= 1.0
    return "\n".join(
        [
            f"# Dashboards benchmark ({time.strftime('%Y-%m-%d %H:%M')})",
            "",
            f"Database `{db}`, year {res['year']}: {c['opinions_opinion']:,} opinions, "
            f"{c['suggestions_suggestion']:,} suggestions, {c['duty_dutyrecord']:,} duty records, "
            f"{c['people_deputy']:,} deputies. County {r['county']} ({r['towns']} towns), {len(r['a'])} "
            "interleaved runs; numbers asserted equal town by town.",
            "",
            "| measure | median ms | p95 ms |",
            "|---|---:|---:|",
            f"| (a) raw SQL (towns, 6 + 6 statements) | {a50 * 1000:.1f} | {a95 * 1000:.1f} |",
            f"| (b) `dashboard(user)` (the page and the API) | {b50 * 1000:.1f} | {b95 * 1000:.1f} |",
            "",
            f"(b) p95 / (a) p95 = {b95 / a95:.2f} (bar 2) — {'PASS' if ok_b else 'FAIL'}",
            "",
            f"Big screen, commit to new figures on the screen, {len(s)} rounds: median "
            f"{statistics.median(s) * 1000:.0f} ms, max {max(s) * 1000:.0f} ms (bar 1 s) — "
            f"{'PASS' if ok_s else 'FAIL'}; rounds (ms): {', '.join(f'{x * 1000:.0f}' for x in s)}",
            "",
        ]
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    ap.add_argument("--runs", type=int, default=41)
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    if args.inner:
        text = report(measure(args.runs), os.environ["DATABASE_URL"].rsplit("/", 1)[-1])
        (results / "dashboards.md").write_text(text)
        say(text)
        return
    url = ensure_db(args.pg_url, results / "dashboards-setup.log")
    from bench.run import django_env

    done = subprocess.run(
        [PYTHON, __file__, "--inner", "--runs", str(args.runs)], cwd=ROOT, env=django_env(url)
    )
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()

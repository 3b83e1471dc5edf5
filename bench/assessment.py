"""Benchmark: the township assessment of every town of the province set for a year (issue 20 part 7) against
one raw SQL aggregate over the same records.

(a) raw SQL: ONE statement (a UNION ALL of one GROUP BY town per computed indicator, over every county of the
    province) returning each town's counted records and their whole for every metric;
(b) `assessment.results.results_of_many(tables)`: every county's table of the year (Hanyin's example),
    computed the platform's way (the indicators, the towns, one grouped statement per metric over all the
    province's counties, the manual scores) and then scored and ranked in Python, town by town.
Asserts that (a) and (b) give the same figure for every town and metric. The bar: (b) within 3 x (a).
Prints a Markdown report and writes bench/results/assessment.md.

    .venv/bin/python bench/assessment.py       # renda_bench_province, built if missing

The province set (bench/run.py) holds opinions, reception days, suggestions with feedback and deputies. The
first run adds what the assessment also reads, with bulk_create: the supervision rows
(bench/supervision_figures.py's seed), two sessions and four presidium meetings per town, an approved duty
record for every other deputy; then every county's table (through the services, as its county office)
opened for scoring, and one reviewed manual score per town.
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


def say(msg=""):
    print(msg, flush=True)


def raw_sql(year: int) -> tuple[str, list]:
    """The one statement: each metric's grouped counts, side by side in a UNION ALL, from the ORM's own
    compiled GROUP BY per metric (the same WHERE as the platform) so both read exactly the same records."""
    from apps.assessment import metrics

    parts, params = [], []
    for key, metric in metrics.REGISTRY.items():
        qs = metrics.grouped(metric, [-1], year)
        sql, p = qs.query.sql_with_params()
        whole = "q.whole" if "whole" in qs.query.annotation_select else "NULL::bigint"
        parts.append(f"SELECT '{key}' AS k, q.t, q.part, {whole} FROM ({sql}) q")
        params += [p_ if p_ != -1 else "__COUNTIES__" for p_ in p]
    return " UNION ALL ".join(parts), params


def run_raw(connection, sql: str, params: list, counties: list[int]) -> dict:
    bound = []
    for p in params:
        bound.append(counties if p == "__COUNTIES__" else p)
    # the compiled `IN (%s)` of one stand-in becomes `= ANY(%s)` of the whole list
    text = sql.replace("IN (%s)", "= ANY(%s)")
    with connection.cursor() as cur:
        cur.execute(text, bound)
        out: dict = {}
        for k, t, part, whole in cur.fetchall():
            out[(k, t)] = (part, whole)
    return out


def seed(year: int, province) -> dict:
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from apps.accounts.models import Role, RoleGrant, User
    from apps.assessment import examples, services
    from apps.assessment.models import ManualScore, TownAssessment
    from apps.duty.models import DutyRecord
    from apps.meetings.models import Meeting, Session
    from apps.people.models import Deputy
    from apps.places.models import Region
    from apps.supervision.models import SupervisionPlan

    if not SupervisionPlan.objects.filter(year=year).exists():
        from bench.supervision_figures import seed as seed_supervision

        seed_supervision(year)
    towns = list(
        Region.objects.filter(level="town", path__startswith=province.path).values_list("id", "county_id")
    )
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        Session.objects.bulk_create(
            Session(region_id=t, county_id=c, town_id=t, term=19, number=n, title="人代会",
                    starts_on=datetime.date(year, 1 + 6 * (n - 1), 10))
            for t, c in towns for n in (1, 2)
        )  # fmt: skip
        Meeting.objects.bulk_create(
            Meeting(region_id=t, county_id=c, town_id=t, kind="presidium", title="主席团会议",
                    state="closed" if q < 3 else "planned",
                    starts_at=datetime.datetime(year, 1 + 3 * q, 5, 9, tzinfo=tz))
            for t, c in towns for q in range(4)
        )  # fmt: skip
        deputies = Deputy.objects.filter(town__isnull=False, county__path__startswith=province.path)
        deputies = deputies.order_by("pk").values_list("pk", "county_id", "town_id")
        DutyRecord.objects.bulk_create(
            DutyRecord(deputy_id=d, county_id=c, town_id=t, kind="study", date=datetime.date(year, 3, 1),
                       title="学习", source="self", review_state="approved")
            for i, (d, c, t) in enumerate(deputies.iterator()) if i % 2 == 0
        )  # fmt: skip
    counties = list(Region.objects.filter(level="county", path__startswith=province.path))
    for county in counties:
        user, _new = User.objects.get_or_create(username=f"bench-assess-{county.code}")
        RoleGrant.objects.get_or_create(user=user, role=Role.COUNTY_OFFICE, region=county)
        table = examples.install(actor=user, county=county, year=year)
        table = services.act(actor=user, item=table, key="open_scoring", data={})
        ind = table.indicators.filter(source="manual").first()
        ManualScore.objects.bulk_create(
            ManualScore(assessment=row, indicator=ind, region_id=row.region_id, county_id=row.county_id,
                        town_id=row.town_id, points=(row.pk % 7), state="reviewed")
            for row in TownAssessment.objects.filter(table=table)
        )  # fmt: skip
    with connection.cursor() as cur:
        for table in ("meetings_session", "meetings_meeting", "duty_dutyrecord", "assessment_townassessment",
                      "assessment_manualscore", "assessment_indicator"):  # fmt: skip
            cur.execute(f"VACUUM (ANALYZE) {table}")
    return {"towns": len(towns), "counties": len(counties)}


def ensure_db(base_url: str, name: str, log: Path) -> str:
    """The province set in database `name`: built (migrate, seed_bench --scale province, VACUUM) when it
    does not hold it yet, else migrated."""
    from bench.run import db_state, manage, pg_connect, recreate_db

    url = f"{base_url}/{name}"
    if db_state(base_url, name, "province") != "seeded":
        say(f"  {name}: building the province set (several minutes)")
        recreate_db(base_url, name)
        manage(url, log, "migrate", "--noinput")
        manage(url, log, "seed_bench", "--scale", "province")
        with pg_connect(url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
    else:
        manage(url, log, "migrate", "--noinput")
    return url


def interleaved(fns: dict, runs: int) -> dict[str, list[float]]:
    out = {k: [] for k in fns}
    for _ in range(runs):
        for k, fn in fns.items():
            t = time.perf_counter()
            fn()
            out[k].append(time.perf_counter() - t)
    return out


def measure(runs: int) -> dict:
    import django

    from renda.settings import module_for_environment

    os.environ["DJANGO_SETTINGS_MODULE"] = module_for_environment()
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from apps.assessment import metrics
    from apps.assessment.models import IndicatorTable
    from apps.assessment.results import results_of_many
    from apps.places.models import Region

    year = timezone.localdate().year
    province = Region.objects.filter(level="province").order_by("-pk").first()
    if not IndicatorTable.objects.filter(year=year, county__path__startswith=province.path).exists():
        say(f"  adding the assessment's records and tables of {year} (bulk_create) ...")
        t = time.monotonic()
        info = seed(year, province)
        say(f"  {info['counties']} counties, {info['towns']:,} towns in {time.monotonic() - t:.0f} s")
    tables = list(IndicatorTable.objects.filter(year=year, county__path__startswith=province.path))
    counties = [t.county_id for t in tables]
    sql, params = raw_sql(year)
    raw = run_raw(connection, sql, params, counties)
    res = results_of_many(tables)
    towns = checked = 0
    for r in res:
        for town in r.towns:
            towns += 1
            for line in town.lines:
                if line.indicator.source != "computed":
                    continue
                part, whole = raw.get((line.indicator.metric, town.town_id), (0, 0))
                metric = metrics.REGISTRY[line.indicator.metric]
                want = metrics.value_of(metric, {"part": part, "whole": whole} if whole or part else None)
                assert line.value == want, (town.name, line.indicator.metric, line.value, want)
                checked += 1
    fns = {
        "a": lambda: run_raw(connection, sql, params, counties),
        "b": lambda: results_of_many(
            list(IndicatorTable.objects.filter(year=year, county__path__startswith=province.path))
        ),
    }
    interleaved(fns, 2)  # warm-up
    times = interleaved(fns, runs)
    with connection.cursor() as cur:
        counts = {}
        tables_counted = (
            "opinions_opinion", "suggestions_feedback", "people_deputy", "duty_dutyrecord",
            "supervision_activity", "rectification_rectificationitem", "opinions_receptionday",
        )  # fmt: skip
        for table in tables_counted:
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
    return {
        "year": year,
        "counties": len(tables),
        "towns": towns,
        "checked": checked,
        "counts": counts,
        **times,
    }


def report(res: dict, db: str) -> str:
    a, b = statistics.median(res["a"]), statistics.median(res["b"])
    ok = b <= 3 * a
    c = res["counts"]
    rows = ", ".join(f"{v:,} {k}" for k, v in c.items())
    return "\n".join([
        f"# Assessment benchmark ({time.strftime('%Y-%m-%d %H:%M')})",
        "",
        f"Database `{db}`, year {res['year']}: {res['counties']} counties, {res['towns']:,} towns; {rows}.",
        "",
        "| measure | median ms | fastest ms |",
        "|---|---:|---:|",
        f"| (a) one raw SQL aggregate (UNION ALL of the 13 metrics' GROUP BY town) | {a * 1000:.1f} | "
        f"{min(res['a']) * 1000:.1f} |",
        f"| (b) `results_of_many` (every county's table: figures, points, ranking) | {b * 1000:.1f} | "
        f"{min(res['b']) * 1000:.1f} |",
        "",
        f"(b) / (a) = {b / a:.2f} (bar: (b) <= 3 x (a)) — {'PASS' if ok else 'FAIL'}; "
        f"{res['checked']:,} town figures equal (asserted).",
        "",
    ])  # fmt: skip


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument(
        "--db", default="renda_bench_province", help="the province set's database (built if missing)"
    )
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    if args.inner:
        res = measure(args.runs)
        text = report(res, os.environ["DATABASE_URL"].rsplit("/", 1)[-1])
        (results / "assessment.md").write_text(text)
        say(text)
        return
    url = ensure_db(args.pg_url, args.db, results / "assessment-setup.log")
    from bench.run import django_env

    done = subprocess.run(
        [PYTHON, __file__, "--inner", "--runs", str(args.runs)], cwd=ROOT, env=django_env(url)
    )
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()

"""Benchmark: the county's livelihood-project figures and the public project list (issue 19 "Speed") on the
province set, each against hand-written raw SQL returning the same numbers.

Figures: (a) raw SQL, four statements (the county's proposals, projects with their last milestone's date,
milestones' money, the filed ratings' totals through jsonb_each) grouped by town; (b)
`projects.selectors.figures(office, year=...)`, what the page, the Excel and `GET /api/v1/projects/figures`
run. Public list: (a) raw SQL, the page of projects with their milestones' progress (correlated sums, LIMIT),
the COUNT and the page's filed ratings; (a1) the same with the total by `count(*) OVER ()` in the page's
statement (shown, not the bar); (b) `selectors.public_page(...)`, what `GET /api/v1/public/projects` runs, for
the whole province's first page and for one town's year. Asserts (a) == (b); the bar: p95 of (b) within
2 x p95 of (a). Also counts the queries of (b) at page sizes 5 and 50 (they must be equal). Prints Markdown
and writes bench/results/projects.md.

    .venv/bin/python bench/projects.py       # renda_projects_province: seeded once (seed_bench), reused

A province set seeded before projects existed gets them on the first run (`apps.demo.bench_projects`).
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
DB = "renda_projects_province"
FIG_SQL = [
    "SELECT town_id, count(*) FROM projects_proposal WHERE county_id = %(county)s AND year = %(year)s "
    "GROUP BY town_id",
    "SELECT p.town_id, count(*), coalesce(sum(p.budget), 0), count(*) FILTER (WHERE p.state = 'completed'), "
    "count(*) FILTER (WHERE p.state = 'completed' AND (l.due IS NULL OR p.completed_on <= l.due)) "
    "FROM projects_project p LEFT JOIN LATERAL (SELECT max(due_on) AS due FROM projects_milestone m "
    "WHERE m.project_id = p.id) l ON true WHERE p.county_id = %(county)s AND p.year = %(year)s "
    "GROUP BY p.town_id",
    "SELECT p.town_id, coalesce(sum(m.spent), 0) FROM projects_milestone m JOIN projects_project p "
    "ON p.id = m.project_id WHERE p.county_id = %(county)s AND p.year = %(year)s GROUP BY p.town_id",
    "SELECT r.town_id, sum((e.value->>'satisfied')::int), sum((e.value->>'basic')::int), "
    "sum((e.value->>'dissatisfied')::int) FROM projects_projectrating r JOIN projects_candidatelist c "
    "ON c.id = r.candidate_list_id CROSS JOIN LATERAL jsonb_each(r.results) e "
    "WHERE r.county_id = %(county)s AND c.year = %(year)s AND r.state = 'filed' GROUP BY r.town_id",
]
LIST_SQL = (
    "SELECT p.id, r.name, p.year, p.title, p.category, p.budget, p.votes, p.state, "
    "coalesce((SELECT sum(m.spent) FROM projects_milestone m WHERE m.project_id = p.id), 0), "
    "coalesce((SELECT avg(m.percent_done) FROM projects_milestone m WHERE m.project_id = p.id), 0), "
    "p.town_id "
    "FROM projects_project p JOIN places_region r ON r.id = p.region_id "
    "JOIN projects_candidate c ON c.id = p.candidate_id WHERE {where} "
    "ORDER BY p.year DESC, p.town_id, c.order LIMIT %(size)s"
)
COUNT_SQL = "SELECT count(*) FROM projects_project p WHERE {where}"
# the page's projects' filed year-end ratings (the public list shows them)
RATED_SQL = (
    "SELECT e.key::int, (e.value->>'satisfied')::int, (e.value->>'basic')::int, "
    "(e.value->>'dissatisfied')::int FROM projects_projectrating r JOIN projects_candidatelist c "
    "ON c.id = r.candidate_list_id CROSS JOIN LATERAL jsonb_each(r.results) e "
    "WHERE r.state = 'filed' AND r.town_id = ANY(%(towns)s) AND c.year = ANY(%(years)s) "
    "AND e.key = ANY(%(ids)s)"
)


def say(msg=""):
    print(msg, flush=True)


def raw_figures(cur, county: int, year: int) -> dict:
    out: dict[int, list] = {}
    widths = (1, 4, 1, 3)
    params = {"county": county, "year": year}
    for n, sql in enumerate(FIG_SQL):
        cur.execute(sql, params)
        for row in cur.fetchall():
            start = sum(widths[:n])
            out.setdefault(row[0], [0] * sum(widths))[start : start + widths[n]] = row[1:]
    return out


def raw_ratings(cur, rows) -> dict:
    towns, years = sorted({r[10] for r in rows}), sorted({r[2] for r in rows})
    cur.execute(RATED_SQL, {"towns": towns, "years": years, "ids": [str(r[0]) for r in rows]})
    return {r[0]: r[1:] for r in cur.fetchall()}


def raw_list(cur, town: int | None, year: int | None, size: int) -> tuple[list, int, dict]:
    where = "true" if town is None else "p.town_id = %(town)s AND p.year = %(year)s"
    params = {"town": town, "year": year, "size": size}
    cur.execute(LIST_SQL.format(where=where), params)
    rows = cur.fetchall()
    cur.execute(COUNT_SQL.format(where=where), params)
    return rows, cur.fetchone()[0], raw_ratings(cur, rows)


def raw_list_one(cur, town: int | None, year: int | None, size: int) -> tuple[list, int, dict]:
    """The same page and total in one statement (the total by `count(*) OVER ()`, as the platform does)."""
    where = "true" if town is None else "p.town_id = %(town)s AND p.year = %(year)s"
    sql = LIST_SQL.format(where=where).replace(
        " FROM projects_project p", ", count(*) OVER () FROM projects_project p", 1
    )
    cur.execute(sql, {"town": town, "year": year, "size": size})
    fetched = cur.fetchall()
    rows = [r[:-1] for r in fetched]
    return rows, (fetched[0][-1] if fetched else 0), raw_ratings(cur, rows)


def p95(xs) -> float:
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]


def measure(runs: int) -> dict:
    import django

    from bench.supervision_figures import interleaved
    from renda.settings import module_for_environment

    os.environ["DJANGO_SETTINGS_MODULE"] = module_for_environment()
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.accounts.models import Role, RoleGrant, User
    from apps.demo.bench_projects import seed_bench_projects
    from apps.places.models import Region
    from apps.projects import selectors as sel
    from apps.projects.models import Project

    if not Project.objects.exists():
        say("  adding the livelihood projects to every town (bulk_create) ...")
        t = time.monotonic()
        seed_bench_projects()
        say(f"  done in {time.monotonic() - t:.0f} s")
        with connection.cursor() as cur:
            for t_ in ("proposal", "project", "milestone", "projectrating", "candidate", "candidatelist"):
                cur.execute(f"VACUUM (ANALYZE) projects_{t_}")
    year = timezone.localdate().year - 1  # the last year complete: built, rated
    bench_county = User.objects.get(username="bench-county")
    county = Region.objects.get(pk=bench_county.grants.get(role="county_office").region_id)
    user, _new = User.objects.get_or_create(username=f"bench-projects-{county.code}")
    RoleGrant.objects.get_or_create(user=user, role=Role.COUNTY_OFFICE, region=county)
    town = Region.objects.filter(county_id=county.pk, level="town").order_by("code").first()
    cur = connection.cursor()
    # the same numbers, town by town
    raw = raw_figures(cur, county.pk, year)
    orm = sel.figures(user, year=year)
    keys = ("proposed", "adopted", "budget", "completed", "on_time", "spent", "satisfied", "basic")
    keys += ("dissatisfied",)
    assert {r["town_id"]: [r[k] for k in keys] for r in orm} == raw, (orm[:1], list(raw.items())[:1])
    lists = {"province": (None, None), "town": (town.pk, year)}
    for label, (t, y) in lists.items():
        rows, n, rated = raw_list(cur, t, y, 20)
        assert raw_list_one(cur, t, y, 20) == (rows, n, rated), label
        page = sel.public_page(town=town if t else None, year=y, page=1, page_size=20)
        assert n == page["count"] and [r[0] for r in rows] == [p["id"] for p in page["items"]], label
        assert [(r[8], round(float(r[9]), 6)) for r in rows] == [
            (p["spent"], round(float(p["percent"]), 6)) for p in page["items"]
        ], label
        assert rated == {
            p["id"]: tuple(p["rating"][k] for k in ("satisfied", "basic", "dissatisfied"))
            for p in page["items"]
            if p["rating"]
        }, label
    queries = {}
    for label, (t, y) in lists.items():
        for size in (5, 50):
            with CaptureQueriesContext(connection) as ctx:
                sel.public_page(town=town if t else None, year=y, page=1, page_size=size)
            queries[(label, size)] = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        sel.figures(user, year=year)
    queries[("figures", 0)] = len(ctx.captured_queries)
    fns = {
        "figures (a)": lambda: raw_figures(cur, county.pk, year),
        "figures (b)": lambda: sel.figures(user, year=year),
        "province list (a)": lambda: raw_list(cur, None, None, 20),
        "province list (b)": lambda: sel.public_page(page=1, page_size=20),
        "town list (a)": lambda: raw_list(cur, town.pk, year, 20),
        "town list (a1)": lambda: raw_list_one(cur, town.pk, year, 20),
        "province list (a1)": lambda: raw_list_one(cur, None, None, 20),
        "town list (b)": lambda: sel.public_page(town=town, year=year, page=1, page_size=20),
    }
    interleaved(fns, 3)  # warm-up
    counts = {}
    for table in ("projects_proposal", "projects_project", "projects_milestone", "projects_projectrating"):
        cur.execute(f"SELECT count(*) FROM {table}")
        counts[table] = cur.fetchone()[0]
    return {
        "year": year,
        "county": f"{county.name} ({len(raw)} towns)",
        "town": town.name,
        "counts": counts,
        "queries": queries,
        "times": interleaved(fns, runs),
    }


def report(res: dict, db: str) -> str:
    c, q, t = res["counts"], res["queries"], res["times"]
    lines = [
        f"# Livelihood projects benchmark ({time.strftime('%Y-%m-%d %H:%M')})",
        "",
        f"Database `{db}`: {c['projects_proposal']:,} proposals, {c['projects_project']:,} projects, "
        f"{c['projects_milestone']:,} milestones, {c['projects_projectrating']:,} filed ratings. Figures of "
        f"{res['county']} for {res['year']}; the town list is {res['town']}'s {res['year']}.",
        "",
        "| measure | median ms | p95 ms | (b) / (a) p95 |",
        "|---|---:|---:|---:|",
    ]
    ok = True
    for name in ("figures", "province list", "town list"):
        a, b = t[f"{name} (a)"], t[f"{name} (b)"]
        ratio = p95(b) / p95(a)
        ok = ok and ratio <= 2
        lines.append(f"| {name}, (a) raw SQL | {statistics.median(a) * 1000:.1f} | {p95(a) * 1000:.1f} | |")
        if f"{name} (a1)" in t:
            a1 = t[f"{name} (a1)"]
            lines.append(
                f"| {name}, (a1) raw SQL in one statement (the total by `count(*) OVER ()`) | "
                f"{statistics.median(a1) * 1000:.1f} | {p95(a1) * 1000:.1f} | "
                f"(b) / (a1): {p95(b) / p95(a1):.2f} |"
            )
        lines.append(
            f"| {name}, (b) the platform | {statistics.median(b) * 1000:.1f} | {p95(b) * 1000:.1f} | "
            f"{ratio:.2f} |"
        )
    same = all(q[(k, 5)] == q[(k, 50)] for k in ("province", "town"))
    lines += [
        "",
        f"Queries: public list {q[('province', 5)]} at page size 5 and {q[('province', 50)]} at 50 (town: "
        f"{q[('town', 5)]} / {q[('town', 50)]}); figures {q[('figures', 0)]}. Numbers equal town by town. "
        f"Bar (p95 (b) <= 2 x p95 (a), queries constant): {'PASS' if ok and same else 'FAIL'}",
    ]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    ap.add_argument("--runs", type=int, default=41)
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    if args.inner:
        res = measure(args.runs)
        text = report(res, os.environ["DATABASE_URL"].rsplit("/", 1)[-1])
        (results / "projects.md").write_text(text)
        say(text)
        return
    from bench.run import db_state, django_env, manage, recreate_db

    log = results / "projects-setup.log"
    url = f"{args.pg_url}/{DB}"
    if db_state(args.pg_url, DB, "province") != "seeded":
        say(f"  {DB}: creating, migrating and seeding --scale province (a few minutes)")
        recreate_db(args.pg_url, DB)
        manage(url, log, "migrate", "--noinput")
        manage(url, log, "seed_bench", "--scale", "province")
    else:
        manage(url, log, "migrate", "--noinput")
    done = subprocess.run(
        [PYTHON, __file__, "--inner", "--runs", str(args.runs)], cwd=ROOT, env=django_env(url)
    )
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()

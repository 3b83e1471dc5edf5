"""Benchmark: the county's supervision figures (issue 18 "Speed") on the province set, against hand-written
raw SQL returning the same numbers.

(a) raw SQL: the county's towns, then one GROUP BY town_id per model (activities of the year's plans,
    findings, rectification items, evaluations joined to their departments, appointments) with FILTER counts;
(b) `supervision.figures.figures_of(county, year)`: the same numbers through the ORM (the activity count also
    gives each town's plan of the year, which the page links to), the total added up;
(c) `supervision.figures.figures(user, year=...)`: (b) as the county office asks it (its grants read, the
    region checked), what the page and `GET /api/v1/supervision/figures` run.
Measured for the county of the `bench-county` login and for the province's biggest county (most opinions),
asserting (a) == (b) for every town and number. The bar: (c) within 2 x (a). Prints a Markdown report and
writes bench/results/supervision-figures.md.

    .venv/bin/python bench/supervision_figures.py       # renda_bench_province, built if missing

The province set (bench/run.py) has no supervision rows; the first run adds them with bulk_create, for
every town (1,200): a plan of the year with 12 activities (mixed kinds and states), 20 findings, 20
rectification items in mixed states (some overdue, some accepted late), 1 department evaluation with 8
departments (two thirds published, results filed, one or two over the dissatisfied share) and 3
appointments or inquiries.
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
OPEN = ("assigned", "planned", "reported", "returned", "presidium")
RAW = [
    (
        "activities",
        "SELECT a.town_id, count(*) FILTER (WHERE a.state <> 'cancelled'), count(*) FILTER (WHERE a.state = "
        "'done') FROM supervision_activity a JOIN supervision_supervisionplan p ON p.id = a.plan_id "
        "WHERE a.county_id = %(county)s AND p.year = %(year)s GROUP BY a.town_id",
    ),
    (
        "findings",
        "SELECT town_id, count(*) FROM supervision_finding WHERE county_id = %(county)s "
        "AND created_at >= %(start)s AND created_at < %(end)s GROUP BY town_id",
    ),
    (
        "rectification",
        "SELECT town_id, count(*), count(*) FILTER (WHERE state = 'accepted'), "
        "count(*) FILTER (WHERE state = ANY(%(open)s) AND due_date < %(today)s), "
        "count(*) FILTER (WHERE state = 'accepted' AND accepted_on <= deadline) "
        "FROM rectification_rectificationitem WHERE county_id = %(county)s "
        "AND opened_on >= %(first)s AND opened_on <= %(last)s GROUP BY town_id",
    ),
    (
        "evaluations",
        "SELECT e.town_id, count(DISTINCT e.id) FILTER (WHERE e.state IN ('published', 'archived')), "
        "count(u.id) FILTER (WHERE u.satisfied IS NOT NULL), "
        "count(u.id) FILTER (WHERE u.plan_due IS NOT NULL) FROM evaluations_departmentevaluation e "
        "LEFT JOIN evaluations_evaluatedunit u ON u.evaluation_id = e.id "
        "WHERE e.county_id = %(county)s AND e.year = %(year)s GROUP BY e.town_id",
    ),
    (
        "appointments",
        "SELECT town_id, count(*) FILTER (WHERE kind = 'appointment'), "
        "count(*) FILTER (WHERE kind = 'inquiry') "
        "FROM supervision_appointment WHERE county_id = %(county)s AND state IN ('answered', 'closed') "
        "AND meets_on >= %(first)s AND meets_on <= %(last)s GROUP BY town_id",
    ),
]
TOWNS = "SELECT id, name FROM places_region WHERE county_id = %(county)s AND level = 'town' ORDER BY code"


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


def raw_figures(connection, county_id: int, year: int, today) -> dict:
    """{town id: [12 numbers in figures.NUMBERS order]}: six statements, no ORM."""
    import datetime

    from django.utils import timezone

    tz = timezone.get_current_timezone()
    params = {
        "county": county_id, "year": year, "today": today, "open": list(OPEN),
        "first": datetime.date(year, 1, 1), "last": datetime.date(year, 12, 31),
        "start": datetime.datetime(year, 1, 1, tzinfo=tz),
        "end": datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    }  # fmt: skip
    widths = {"activities": 2, "findings": 1, "rectification": 4, "evaluations": 3, "appointments": 2}
    with connection.cursor() as cur:
        cur.execute(TOWNS, params)
        towns = [pk for pk, _name in cur.fetchall()]
        parts = {}
        for name, sql in RAW:
            cur.execute(sql, params)
            parts[name] = {row[0]: list(row[1:]) for row in cur.fetchall()}
    return {
        town: [n for name, _sql in RAW for n in parts[name].get(town, [0] * widths[name])] for town in towns
    }


def seed(year: int) -> dict:
    """The supervision rows of every town of the province set, by bulk_create (signals and saves bypassed,
    so each row gets its county and town here)."""
    import datetime
    import itertools

    from django.db import connection, transaction
    from django.utils import timezone

    from apps.evaluations.models import DepartmentEvaluation, EvaluatedUnit
    from apps.places.models import HandlingUnit, Region
    from apps.rectification.models import RectificationItem
    from apps.supervision.choices import ActivityKind
    from apps.supervision.models import Activity, Appointment, Finding, SupervisionPlan

    towns = list(Region.objects.filter(level="town").values_list("id", "county_id").order_by("id"))
    units: dict[int, list[int]] = {}
    for pk, region_id in HandlingUnit.objects.filter(region__level="town").values_list("id", "region_id"):
        units.setdefault(region_id, []).append(pk)
    D = datetime.date
    today = timezone.localdate()
    kinds = itertools.cycle(ActivityKind.values)
    act_states = ["done"] * 8 + ["planned", "planned", "under_way", "cancelled"]
    rect = (["accepted"] * 6) + ["assigned"] * 5 + ["planned"] * 3 + ["reported"] * 3 + ["returned"] * 2
    rect += ["presidium"]
    with transaction.atomic():
        plans = SupervisionPlan.objects.bulk_create(
            SupervisionPlan(region_id=t, county_id=c, town_id=t, year=year, title=f"{year}年监督工作计划",
                            state="approved")
            for t, c in towns
        )  # fmt: skip
        acts = Activity.objects.bulk_create(
            Activity(plan=p, region_id=p.town_id, county_id=p.county_id, town_id=p.town_id, kind=next(kinds),
                     topic=f"监督事项{i}", state=act_states[i], starts_on=D(year, 1 + i % 12, 1),
                     ends_on=D(year, 1 + i % 12, 20))
            for p in plans for i in range(12)
        )  # fmt: skip
        # 4 activities with 2 findings and 4 with 3: 20 a town
        Finding.objects.bulk_create(
            Finding(activity=a, region_id=a.town_id, county_id=a.county_id, town_id=a.town_id,
                    text="发现的问题")
            for j, a in enumerate(acts) if j % 12 < 8 for _k in range(2 if j % 12 < 4 else 3)
        )  # fmt: skip
        RectificationItem.objects.bulk_create(
            RectificationItem(
                region_id=t, county_id=c, town_id=t, unit_id=units[t][i % len(units[t])],
                title=f"整改事项{i}",
                state=rect[i], opened_on=D(year, 1, 5) + datetime.timedelta(days=15 * i),
                deadline=D(year, 2, 5) + datetime.timedelta(days=15 * i),
                accepted_on=(D(year, 2, 1) + datetime.timedelta(days=15 * i + (10 if i % 3 == 0 else 0)))
                if rect[i] == "accepted" else None,
                due_date=today + datetime.timedelta(days=(i % 5) * 7 - 14),
            )
            for t, c in towns for i in range(20)
        )  # fmt: skip
        evals = DepartmentEvaluation.objects.bulk_create(
            DepartmentEvaluation(region_id=t, county_id=c, town_id=t, year=year, title=f"{year}年工作评议",
                                 state="published" if n % 3 else "meeting")
            for n, (t, c) in enumerate(towns)
        )  # fmt: skip
        EvaluatedUnit.objects.bulk_create(
            EvaluatedUnit(
                evaluation=e, unit_id=units[e.town_id][k],
                satisfied=90 - 10 * k if e.state == "published" else None,
                basic=10 if e.state == "published" else None,
                dissatisfied=5 * k if e.state == "published" else None,
                plan_due=D(year, 9, 1) if e.state == "published" and k >= 6 else None,
            )
            for e in evals for k in range(8)
        )  # fmt: skip
        Appointment.objects.bulk_create(
            Appointment(region_id=t, county_id=c, town_id=t, kind="inquiry" if i == 2 else "appointment",
                        subject="约见事由", official="副镇长", body="镇人民政府",
                        state=("closed", "answered", "requested")[(i + n) % 3],
                        meets_on=D(year, 3 + i, 10))
            for n, (t, c) in enumerate(towns) for i in range(3)
        )  # fmt: skip
    with connection.cursor() as cur:
        for table in (
            "supervision_supervisionplan",
            "supervision_activity",
            "supervision_finding",
            "rectification_rectificationitem",
            "evaluations_departmentevaluation",
            "evaluations_evaluatedunit",
            "supervision_appointment",
        ):
            cur.execute(f"VACUUM (ANALYZE) {table}")
    return {"towns": len(towns)}


def interleaved(fns: dict, runs: int) -> dict[str, list[float]]:
    """Each measure timed once a round, in turn, so a neighbour's load on the shared machine falls on all of
    them alike."""
    out = {k: [] for k in fns}
    for _ in range(runs):
        for k, fn in fns.items():
            t = time.perf_counter()
            fn()
            out[k].append(time.perf_counter() - t)
    return out


def office_of(county):
    """A county office login of `county` (the bench's own, made once)."""
    from apps.accounts.models import Role, RoleGrant, User

    user, _new = User.objects.get_or_create(username=f"bench-figures-{county.code}")
    RoleGrant.objects.get_or_create(user=user, role=Role.COUNTY_OFFICE, region=county)
    return user


def measure_county(connection, user, county, year: int, runs: int) -> dict:
    from django.utils import timezone

    from apps.supervision.figures import NUMBERS, figures, figures_of

    today = timezone.localdate()
    raw = raw_figures(connection, county.pk, year, today)
    orm = figures_of(county, year)
    assert list(raw) == [r.town_id for r in orm.rows], "the towns differ"
    for row in orm.rows:
        assert raw[row.town_id] == [row.numbers[k] for k in NUMBERS], (
            row.name,
            raw[row.town_id],
            row.numbers,
        )
    assert figures(user, year=year).region == county
    fns = {
        "a": lambda: raw_figures(connection, county.pk, year, today),
        "b": lambda: figures_of(county, year),
        "c": lambda: figures(user, year=year),
    }
    return {"county": county.name, "towns": len(raw), "total": orm.total.numbers, **interleaved(fns, runs)}


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

    year = timezone.localdate().year
    if not SupervisionPlan.objects.filter(year=year).exists():
        say(f"  adding the supervision rows of {year} to every town (bulk_create) ...")
        t = time.monotonic()
        info = seed(year)
        say(f"  {info['towns']:,} towns in {time.monotonic() - t:.0f} s")
    bench_county = User.objects.get(username="bench-county")
    own = Region.objects.get(pk=bench_county.grants.get(role="county_office").region_id)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT county_id FROM opinions_opinion GROUP BY county_id ORDER BY count(*) DESC LIMIT 1"
        )
        biggest = Region.objects.get(pk=cur.fetchone()[0])
        counts = {}
        for table in (
            "supervision_activity",
            "supervision_finding",
            "rectification_rectificationitem",
            "evaluations_evaluatedunit",
            "supervision_appointment",
            "opinions_opinion",
        ):
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
    measure_county(connection, bench_county, own, year, 2)  # warm-up
    out = {"year": year, "counts": counts, "cases": []}
    out["cases"].append(("bench-county", measure_county(connection, bench_county, own, year, runs)))
    user = office_of(biggest)
    measure_county(connection, user, biggest, year, 2)
    out["cases"].append(("biggest county", measure_county(connection, user, biggest, year, runs)))
    return out


def _ms(xs) -> str:
    return ", ".join(f"{x * 1000:.1f}" for x in xs)


def report(res: dict, db: str) -> str:
    c = res["counts"]
    lines = [
        f"# Supervision figures benchmark ({time.strftime('%Y-%m-%d %H:%M')})",
        "",
        f"Database `{db}`, year {res['year']}: {c['supervision_activity']:,} activities, "
        f"{c['supervision_finding']:,} findings, "
        f"{c['rectification_rectificationitem']:,} rectification items, "
        f"{c['evaluations_evaluatedunit']:,} departments evaluated, {c['supervision_appointment']:,} "
        f"appointments ({c['opinions_opinion']:,} opinions beside them).",
        "",
        "| county | measure | median ms | fastest ms | runs (ms) |",
        "|---|---|---:|---:|---|",
    ]
    verdicts = []
    for label, r in res["cases"]:
        a, b, cc = (statistics.median(r[k]) for k in "abc")
        name = f"{r['county']} ({label}, {r['towns']} towns)"
        lines += [
            f"| {name} | (a) raw SQL, 6 statements | {a * 1000:.1f} | {min(r['a']) * 1000:.1f} | "
            f"{_ms(r['a'])} |",
            f"| | (b) `figures_of` (ORM) | {b * 1000:.1f} | {min(r['b']) * 1000:.1f} | {_ms(r['b'])} |",
            f"| | (c) `figures(user)` (the page and API) | {cc * 1000:.1f} | {min(r['c']) * 1000:.1f} | "
            f"{_ms(r['c'])} |",
        ]
        fastest = min(r["c"]) / min(r["a"])
        verdicts.append(
            f"{label}: (c) / (a) = {cc / a:.2f} (fastest runs {fastest:.2f}), (b) / (a) = {b / a:.2f}"
        )
    ok = all(statistics.median(r["c"]) <= 2 * statistics.median(r["a"]) for _l, r in res["cases"])
    lines += ["", "; ".join(verdicts) + f" (bar: (c) <= 2 x (a)) — {'PASS' if ok else 'FAIL'}", ""]
    lines += [
        "Numbers equal (asserted town by town). Totals of the biggest county: "
        + str(res["cases"][-1][1]["total"])
    ]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    if args.inner:
        res = measure(args.runs)
        text = report(res, os.environ["DATABASE_URL"].rsplit("/", 1)[-1])
        (results / "supervision-figures.md").write_text(text)
        say(text)
        return
    log = results / "supervision-figures-setup.log"
    url = ensure_db(args.pg_url, log)
    from bench.run import django_env

    env = django_env(url)
    done = subprocess.run([PYTHON, __file__, "--inner", "--runs", str(args.runs)], cwd=ROOT, env=env)
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()

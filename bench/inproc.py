"""In-process timings of the deputies API and the opinion pages against one benchmark database.

Run by bench/run.py in a fresh subprocess per data set, with DATABASE_URL pointing at it:

    python bench/inproc.py measure --out FILE [--iterations N] [--warmup N]
    python bench/inproc.py facts --out FILE

Requests go through Django's test client and the real URLconf: every middleware, the bearer-token
authentication, the permission layer, django-ninja validation and serialisation. "Server time" is the wall
time of one `Client.get` (request built in memory, no network, no server). SQL is counted for every timed
request with a cheap execute wrapper, and once more with `CaptureQueriesContext`, whose SQL text is kept and
explained (`EXPLAIN (ANALYZE, BUFFERS)`) for the list queries.

Opinions (社情民意): the township ledger page `/opinions/?page=1` as the town office and the county office
(pages log in with a session, as a browser does), the county figures page `/opinions/stats/`, and the API list
and figures with a bearer token. The count queries behind the figures and the ledger are explained too, to
show they read the county's or town's rows through an index rather than the whole table.

Suggestions (代表建议): the county office's figures page `/suggestions/stats/` (session), the town's list
page, the API list as the town and the county office, and the API figures per town and per unit
(`GET /api/v1/suggestions/stats?by=town|unit`, `selectors.figures`); their queries on the suggestions and
feedback tables are explained the same way. Each is skipped while its route is missing.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LIST = "/api/v1/deputies"
PAGE_SIZES = (10, 50, 200)
OPINIONS = "/api/v1/opinions"
SUGGESTIONS = "/api/v1/suggestions"
# Pages: the town's ledger, the county's ledger and the county's figures (session login, HTML).
OPINION_PAGES = {
    "op_ledger_town": ("/opinions/?page=1", "bench-town"),
    "op_ledger_town_overdue": ("/opinions/?overdue=1&page=1", "bench-town"),
    "op_ledger_county": ("/opinions/?page=1", "bench-county"),
    "op_stats_county": ("/opinions/stats/", "bench-county"),
}
SUGGESTION_PAGES = {
    "sg_list_town": ("/suggestions/?page=1", "bench-town"),
    "sg_stats_county": ("/suggestions/stats/", "bench-county"),
}
# The tables whose scans the plans' key lines show, per request prefix.
EXPLAINED = {"op_": ("opinions_opinion",), "sg_": ("suggestions_suggestion", "suggestions_feedback")}


def setup_django():
    os.environ.setdefault("RENDA_ENV", "development")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("CONN_MAX_AGE", "60")  # as in production: no reconnect per request
    from renda.settings import module_for_environment

    os.environ["DJANGO_SETTINGS_MODULE"] = module_for_environment()
    import django

    django.setup()
    from django.conf import settings

    if settings.DEBUG:
        raise SystemExit("bench/inproc.py: DEBUG must be off (DEBUG=0) so that timings are not skewed")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("bench/inproc.py: DATABASE_URL must point at PostgreSQL")


def percentile(values: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (as numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class SqlMeter:
    """Counts queries and their time on the connection; cheap enough to stay on while timing."""

    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def reset(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def facts() -> dict:
    """What the measurements need from the data set: the bench logins' regions, a search term, a deputy."""
    from django.db.models import Count, Q

    from apps.accounts.models import RoleGrant
    from apps.people.models import Deputy, Household, MandateStatus
    from apps.places.models import Region

    town = RoleGrant.objects.select_related("region").get(user__username="bench-town").region
    county = RoleGrant.objects.select_related("region").get(user__username="bench-county").region
    in_town = list(Deputy.objects.filter(town=town).values_list("name", "name_initials"))
    surname = Counter(name[0] for name, _ in in_town).most_common(1)[0][0]
    initials = Counter(ini[:2] for _, ini in in_town if len(ini) >= 2).most_common(1)[0][0]
    # The card with the most to show: mandates, groups and grid roles all present.
    card = (
        Deputy.objects.filter(town=town)
        .exclude(status__in=[MandateStatus.RECALLED, MandateStatus.TERMINATED])
        .annotate(
            n_mandates=Count("mandates", distinct=True),
            n_groups=Count("groups", distinct=True),
            n_grids=Count("grid_roles", distinct=True),
        )
        .order_by("-n_mandates", "-n_grids", "-n_groups", "id")
        .values("id", "public_code", "name", "n_mandates", "n_groups", "n_grids")
        .first()
    )
    return {
        "town": {"id": town.pk, "code": town.code, "name": town.name},
        "county": {"id": county.pk, "code": county.code, "name": county.name},
        "deputies_in_town": len(in_town),
        "deputies_in_county": Deputy.objects.filter(county=county).count(),
        "search_surname": surname,
        "search_surname_hits": sum(1 for name, _ in in_town if surname in name),
        "search_initials": initials,
        "search_initials_hits": Deputy.objects.filter(town=town)
        .filter(Q(name_initials__startswith=initials) | Q(name_pinyin__startswith=initials))
        .count(),
        "card": {**card, "public_code": str(card["public_code"])},
        "totals": {
            "regions": Region.objects.count(),
            "towns": Region.objects.filter(level="town").count(),
            "deputies": Deputy.objects.count(),
            "households": Household.objects.count(),
            **opinion_totals(),
            **suggestion_totals(),
        },
        "opinions_in_town": _opinions(town=town),
        "opinions_in_county": _opinions(county=county),
        "suggestions_in_town": _suggestions(town=town),
        "suggestions_in_county": _suggestions(county=county),
    }


def _opinions(**where) -> int:
    try:
        from apps.opinions.models import Opinion
    except ImportError:
        return 0
    return Opinion.objects.filter(**where).count()


def _suggestions(**where) -> int:
    try:
        from apps.suggestions.models import Suggestion
    except ImportError:
        return 0
    return Suggestion.objects.filter(**where).count()


def suggestion_totals() -> dict:
    try:
        from apps.suggestions.models import Feedback, Signature, Suggestion
    except ImportError:
        return {}
    return {
        "suggestions": Suggestion.objects.count(),
        "suggestion_signatures": Signature.objects.count(),
        "suggestion_feedback": Feedback.objects.count(),
    }


def opinion_totals() -> dict:
    try:
        from apps.opinions.models import Opinion, ReceptionDay
        from apps.workflow.models import Step
    except ImportError:
        return {}
    return {
        "opinions": Opinion.objects.count(),
        "reception_days": ReceptionDay.objects.count(),
        "steps": Step.objects.count(),
    }


def bearer(client, username: str) -> dict:
    response = client.post(
        "/api/v1/auth/token",
        data={"username": username, "password": "renda-bench"},
        content_type="application/json",
    )
    if response.status_code != 200:
        raise SystemExit(f"token for {username}: HTTP {response.status_code} {response.content[:200]!r}")
    return {"Authorization": f"Bearer {response.json()['token']}"}


def measure_one(client, meter: SqlMeter, path: str, headers: dict, iterations: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: HTTP {response.status_code} {response.content[:300]!r}")
        return response

    def parse(response):
        if response["Content-Type"].startswith("application/json"):
            return response.json()
        return None

    body = None
    for _ in range(warmup):
        body = parse(get())
    gc.collect()
    times, sql_times, counts = [], [], []
    for _ in range(iterations):
        meter.reset()
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
        sql_times.append(meter.seconds * 1000)
        counts.append(meter.queries)
    with CaptureQueriesContext(connection) as captured:
        get()
    # Django logs BEGIN and COMMIT of a transaction (a page saving its session) among the queries, but they
    # do not pass through the execute wrapper: compare statements with statements.
    statements = [q for q in captured.captured_queries if q["sql"] not in ("BEGIN", "COMMIT", "ROLLBACK")]
    return {
        "path": path,
        "iterations": iterations,
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(percentile(times, 95), 3),
        "min_ms": round(min(times), 3),
        "sql_median_ms": round(statistics.median(sql_times), 3),
        "queries": counts[0],
        "queries_constant": len(set(counts)) == 1 and counts[0] == len(statements),
        "transactions": len(captured.captured_queries) - len(statements),
        "items": len(body["items"]) if isinstance(body, dict) and "items" in body else None,
        "count": body.get("count") if isinstance(body, dict) else None,
        "sql": [q["sql"] for q in captured.captured_queries],
    }


def route_exists(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def session_client(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def key_lines(plan: str, tables=("opinions_opinion",)) -> list[str]:
    """The lines of a plan that say how the given tables are read (index or sequential scan)."""
    out = []
    for line in plan.splitlines():
        text = line.strip().removeprefix("->").strip()
        if "Scan" in text and any(re.search(rf" on {t}\b", text) for t in tables):
            out.append(text.split("  (")[0])
        elif (
            text.startswith(("Index Cond:", "Recheck Cond:", "Filter:"))
            and out
            and not out[-1].startswith(("Index Cond", "Recheck", "Filter"))
        ):
            out.append(text[:160])
    return out


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cur.fetchall())


def measure(iterations: int, warmup: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    info = facts()
    client = Client()
    town_hdr = bearer(client, "bench-town")
    county_hdr = bearer(client, "bench-county")
    town_code = info["town"]["code"]
    card = info["card"]
    meter = SqlMeter()

    plan = [
        ("list_town", f"{LIST}?region={town_code}", town_hdr),
        ("search_surname", f"{LIST}?q={info['search_surname']}", town_hdr),
        ("search_initials", f"{LIST}?q={info['search_initials']}", town_hdr),
        ("card", f"{LIST}/{card['id']}", town_hdr),
        ("public_card", f"/api/v1/public/deputies/{card['public_code']}", {}),
        ("list_county_scope", LIST, county_hdr),
    ]
    # Query constancy: the same lists with growing pages (the county list really returns 200 rows).
    for size in PAGE_SIZES:
        plan.append((f"list_town_ps{size}", f"{LIST}?region={town_code}&page_size={size}", town_hdr))
    for size in PAGE_SIZES:
        plan.append((f"list_county_ps{size}", f"{LIST}?page_size={size}", county_hdr))

    # The bare Django view the HTTP load compares with (bench/bare_urls.py), for reference.
    plan.append(("bare", f"/bench/bare-deputies?town={info['town']['id']}", {}))

    # Opinions: the API with tokens, the pages with a session each (skipped while a route is missing).
    clients = {"": client}
    if route_exists(OPINIONS):
        plan.append(("op_api_town", f"{OPINIONS}?page_size=50", town_hdr))
        plan.append(("op_api_county", f"{OPINIONS}?page_size=50", county_hdr))
        plan.append(("op_api_stats_towns", f"{OPINIONS}/stats/towns", county_hdr))
        plan.append(("op_api_stats_units", f"{OPINIONS}/stats/units", county_hdr))
    # Suggestions: the list as the town and the county, the figures per town and per unit (county office).
    if route_exists(SUGGESTIONS):
        plan.append(("sg_api_town", f"{SUGGESTIONS}?page_size=50", town_hdr))
        plan.append(("sg_api_county", f"{SUGGESTIONS}?page_size=50", county_hdr))
    if route_exists(f"{SUGGESTIONS}/stats"):
        plan.append(("sg_api_stats_town", f"{SUGGESTIONS}/stats?by=town", county_hdr))
        plan.append(("sg_api_stats_unit", f"{SUGGESTIONS}/stats?by=unit", county_hdr))
    for name, (path, username) in {**OPINION_PAGES, **SUGGESTION_PAGES}.items():
        if route_exists(path):
            clients.setdefault(username, session_client(username))
            plan.append((name, path, {"client": username}))

    results = {}
    with connection.execute_wrapper(meter):
        for name, path, headers in plan:
            urlconf = "bench.bare_urls" if name == "bare" else settings.ROOT_URLCONF
            who = clients[headers.get("client", "")] if "client" in headers else client
            headers = {k: v for k, v in headers.items() if k != "client"}
            with override_settings(ROOT_URLCONF=urlconf):
                results[name] = measure_one(who, meter, path, headers, iterations, warmup)
            r = results[name]
            print(
                f"    {name:20} median {r['median_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms  "
                f"{r['queries']} queries",
                flush=True,
            )

    plans = {}
    # Opinions: every query on the opinions table of the ledger and figures pages (counts, page rows).
    # Suggestions: every query on the suggestions or feedback table of the list and figures requests.
    for name in (
        "op_ledger_town",
        "op_ledger_town_overdue",
        "op_ledger_county",
        "op_stats_county",
        "op_api_town",
        "sg_api_town",
        "sg_api_county",
        "sg_api_stats_town",
        "sg_api_stats_unit",
        "sg_stats_county",
    ):
        if name not in results:
            continue
        tables = EXPLAINED[name[:3]]
        for i, sql in enumerate(results[name]["sql"]):
            if any(t in sql for t in tables) and "EXPLAIN" not in sql:
                plan = explain(sql)
                plans[f"{name}:{i}"] = {"sql": sql, "plan": plan, "key": key_lines(plan, tables)}
    for name in ("list_town", "search_surname", "search_initials", "list_county_scope"):
        # The page query is the one selecting deputy rows with LIMIT; the COUNT is the other big one.
        for sql in results[name]["sql"]:
            if "people_deputy" in sql and ("LIMIT" in sql or "COUNT(" in sql):
                kind = "page" if "LIMIT" in sql else "count"
                plans[f"{name}:{kind}"] = {"sql": sql, "plan": explain(sql)}

    return {
        "facts": info,
        "iterations": iterations,
        "warmup": warmup,
        "endpoints": results,
        "page_size_queries": {
            "town": {str(s): results[f"list_town_ps{s}"]["queries"] for s in PAGE_SIZES},
            "county": {str(s): results[f"list_county_ps{s}"]["queries"] for s in PAGE_SIZES},
            "items": {
                "town": {str(s): results[f"list_town_ps{s}"]["items"] for s in PAGE_SIZES},
                "county": {str(s): results[f"list_county_ps{s}"]["items"] for s in PAGE_SIZES},
            },
        },
        "explain": plans,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=["measure", "facts"])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--iterations", type=int, default=250)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    data = facts() if args.what == "facts" else measure(args.iterations, args.warmup)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()

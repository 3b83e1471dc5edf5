"""Building the demo county and the benchmark data sets; the management commands only parse and print."""

from __future__ import annotations

import random
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Q

from apps.audit.services import record
from apps.opinions.models import Opinion
from apps.people.models import Deputy, DeputyGroup, GridRole, Household, Mandate, MemberContact, Voter
from apps.places.models import HandlingUnit, Region, RegionLevel, Station

from .archive import seed_demo_archive
from .assessment import seed_demo_assessment
from .bench import COUNTY_SCALE_PROVINCE, PROVINCE_SCALE_PROVINCE, bench_county_spec, stems
from .bench_projects import MODELS as PROJECT_MODELS
from .bench_projects import seed_bench_projects
from .bulk import BulkWriter
from .county import CountyBuilder, add_region
from .duty import seed_demo_duty
from .elections import seed_demo_elections
from .evaluations import seed_demo_evaluations
from .hanyin import hanyin_spec
from .households import build_households, member_contacts
from .logins import create_demo_logins, demo_deputy, set_bench_logins
from .meetings import seed_demo_meetings
from .names import People
from .opinions import BENCH_MODELS, BenchOpinions, seed_demo_opinions
from .procedures import seed_demo_procedures
from .projects import seed_demo_projects
from .rectification import seed_demo_rectification
from .suggestions import BENCH_MODELS as SUGGESTION_MODELS
from .suggestions import BENCH_PER_TOWN, BenchSuggestions, seed_demo_suggestions
from .supervision import seed_demo_supervision
from .yearplan import seed_demo_yearplan

DEMO_SEED = 2018  # the year of the report the demo county follows

# Parents before children, so the order is right even where foreign keys are checked at once.
MODELS = [
    Region,
    Station,
    HandlingUnit,
    Deputy,
    Mandate,
    GridRole,
    DeputyGroup,
    Deputy.groups.through,
    Household,
    Voter,
    MemberContact,
]

# county: like the demo county; province: 100 counties of 12 towns, 75 deputies per town, no voters.
# Both: 2,000,000 opinions over the province's 1,200 towns, so ~1,667 a year in every town of either set;
# 25 suggestions of the last session per town (30,000 on the province; Hanyin: 212 in 10 towns).
OPINIONS_PER_TOWN = 2_000_000 / 1_200
SCALES = {
    "county": {
        "counties": 1,
        "towns": 10,
        "villages": 11,
        "county_per_town": 18,
        "town_per_town": 60,
        "with_voters": True,
        "opinions_per_town": OPINIONS_PER_TOWN,
        "suggestions_per_town": BENCH_PER_TOWN,
        "province": COUNTY_SCALE_PROVINCE,
    },
    "province": {
        "counties": 100,
        "towns": 12,
        "villages": 10,
        "county_per_town": 15,
        "town_per_town": 60,
        "with_voters": False,
        "opinions_per_town": OPINIONS_PER_TOWN,
        "suggestions_per_town": BENCH_PER_TOWN,
        "province": PROVINCE_SCALE_PROVINCE,
    },
}


def refuse_in_production():
    if getattr(settings, "RENDA_ENV", "") == "production":
        raise CommandError(
            "拒绝执行：生产环境（RENDA_ENV=production）不能写入演示或测试数据。 "
            "Refusing to run: demo and benchmark data must never be written to production."
        )


def build_county(w: BulkWriter, rng: random.Random, spec, parent, people) -> CountyBuilder:
    builder = CountyBuilder(w, rng, spec, parent, people).build()
    build_households(builder)
    member_contacts(builder)
    return builder


def seed_demo() -> dict:
    """Build 汉阴县 under 陕西省/安康市, the six demo logins, a year of opinions and reception days
    (apps/demo/opinions.py), the last session's suggestions and motions (apps/demo/suggestions.py), and one
    audit event. Deterministic for a given date."""
    refuse_in_production()
    rng = random.Random(DEMO_SEED)
    with transaction.atomic():
        w = BulkWriter(MODELS)
        province = add_region(w, code="610000", name="陕西省", level=RegionLevel.PROVINCE, parent=None)
        city = add_region(w, code="610900", name="安康市", level=RegionLevel.CITY, parent=province)
        builder = build_county(w, rng, hanyin_spec(), city, People())
        w.finish()
        skipped = create_demo_logins(builder)
        opinions = seed_demo_opinions(builder)  # after the logins: their users take the steps
        suggestions = seed_demo_suggestions(builder)  # after the opinions: converted ones are linked
        meetings = seed_demo_meetings(builder)  # the last session in every town: attendance, votes
        elections = seed_demo_elections(builder)  # after the meetings: one election in a session
        archive = seed_demo_archive(builder)  # commitments and the report-back meeting
        evaluations = seed_demo_evaluations(builder)  # department evaluations, one survey open
        supervision = seed_demo_supervision(builder)  # the year's plans drawn from the opinions' roll-up
        duty = seed_demo_duty(builder)  # last: a year of self-reported records, then the scores
        rectification = seed_demo_rectification(builder)  # problems found by supervision, every state
        projects = seed_demo_projects(builder)  # livelihood projects: three years, next year's list to vote
        yearplan = seed_demo_yearplan(builder)  # the year's calendar of every town, from the template
        rectification.update(seed_demo_procedures(builder))  # the county seat's own rule documents
        assessment = seed_demo_assessment(builder)  # last: the towns' assessment reads every record above
        counts = demo_counts()
        parts = (
            opinions,
            suggestions,
            meetings,
            elections,
            archive,
            evaluations,
            supervision,
            duty,
            rectification,
            yearplan,
            projects,
            assessment,
        )
        for part in parts:
            counts.update(part)
        deputy = demo_deputy(builder)
        counts["deputy_login"] = f"{deputy.name}（{deputy.post.workplace}）"
        if skipped:
            counts["logins_skipped"] = skipped
        record(actor=None, action="demo.seeded", summary=counts)
    return counts


def demo_counts() -> dict:
    deputies = Deputy.objects.aggregate(
        county=Count("pk", filter=Q(top_level="county")),
        town=Count("pk", filter=Q(top_level="town")),
        county_grid_leaders=Count(
            "pk", filter=Q(top_level="county", grid_roles__isnull=False), distinct=True
        ),
        town_grid_leaders=Count("pk", filter=Q(top_level="town", grid_roles__isnull=False), distinct=True),
        presidium=Count("pk", filter=Q(is_presidium_member=True)),
        standing_committee=Count("pk", filter=Q(is_standing_committee_member=True)),
    )
    regions = dict(Region.objects.values_list("level").annotate(n=Count("pk")))
    return {
        "towns": regions.get(RegionLevel.TOWN, 0),
        "villages": regions.get(RegionLevel.VILLAGE, 0),
        "grids": regions.get(RegionLevel.GRID, 0),
        "stations": Station.objects.count(),
        "handling_units": HandlingUnit.objects.count(),
        "county_deputies": deputies["county"],
        "town_deputies": deputies["town"],
        "county_grid_leaders": deputies["county_grid_leaders"],
        "town_grid_leaders": deputies["town_grid_leaders"],
        "presidium_members": deputies["presidium"],
        "standing_committee_members": deputies["standing_committee"],
        "mandates": Mandate.objects.count(),
        "deputy_groups": DeputyGroup.objects.count(),
        "households": Household.objects.count(),
        "poor_households": Household.objects.filter(is_poor=True).count(),
        "voters": Voter.objects.count(),
        "member_contacts": MemberContact.objects.count(),
    }


def seed_bench(
    scale: str,
    *,
    counties: int | None = None,
    towns: int | None = None,
    opinions_per_town: float | None = None,
    suggestions_per_town: float | None = None,
    log=None,
) -> dict:
    """Write a benchmark data set under its own province code; returns the rows written per table.
    Opinions and reception days come from apps/demo/opinions.py (BenchOpinions), suggestions with their
    signatures, co-handling parts, feedback and supervision visits from apps/demo/suggestions.py
    (BenchSuggestions); neither writes Step or duty rows."""
    refuse_in_production()
    shape = {**SCALES[scale]}
    shape["counties"] = counties or shape["counties"]
    shape["towns"] = towns or shape["towns"]
    code, name = shape["province"]
    if Region.objects.filter(code=code).exists():
        raise CommandError(
            f"基准数据（{code}）已存在，请换一个空数据库。 Benchmark data {code} exists already: "
            "use an empty database."
        )
    rng = random.Random(f"bench-{scale}")
    people = People(rng, pool_size=2000)  # reuse names so pinyin is computed for 4,000 names, not 90,000
    started = time.monotonic()
    per_town = shape["opinions_per_town"] if opinions_per_town is None else opinions_per_town
    sugg_per_town = shape["suggestions_per_town"] if suggestions_per_town is None else suggestions_per_town
    opinion_seconds = 0.0
    with transaction.atomic():
        w = BulkWriter(MODELS + BENCH_MODELS)
        opinions = BenchOpinions(
            w,
            random.Random(f"bench-{scale}-opinions"),
            per_town=per_town,
            expected_rows=round(per_town * shape["counties"] * shape["towns"]),
        )
        suggestions = BenchSuggestions(
            random.Random(f"bench-{scale}-suggestions"), per_town=sugg_per_town, people=people
        )
        province = add_region(w, code=code, name=name, level=RegionLevel.PROVINCE, parent=None)
        first = None
        county_stems = stems(rng, shape["counties"])
        for c in range(shape["counties"]):
            city_no, county_no = divmod(c, 10)
            if county_no == 0:
                city = add_region(
                    w,
                    code=f"{code[:2]}{city_no + 1:02d}00",
                    name=f"基准{city_no + 1}市",
                    level=RegionLevel.CITY,
                    parent=province,
                )
            spec = bench_county_spec(
                rng,
                code=f"{code[:2]}{city_no + 1:02d}{county_no + 1:02d}",
                name=f"{county_stems[c]}县",
                towns=shape["towns"],
                villages=shape["villages"],
                county_per_town=shape["county_per_town"],
                town_per_town=shape["town_per_town"],
                with_voters=shape["with_voters"],
            )
            builder = build_county(w, rng, spec, city, people)
            mark = time.monotonic()
            opinions.add_county(builder)
            opinion_seconds += time.monotonic() - mark
            suggestions.add_county(builder)
            first = first or (builder.county.id, builder.towns[0].node.id)
            if log:
                log(f"  {spec.name}: {c + 1}/{shape['counties']} ({time.monotonic() - started:.0f} s)")
        written = w.finish()
        # Before the opinions' constraints come back: that runs the deferred checks of every row so far.
        written.update(suggestions.finish())
        mark = time.monotonic()
        written.update(opinions.finish())
        opinion_seconds += time.monotonic() - mark
        set_bench_logins(*first)
        written.update(seed_bench_projects(province=code))  # livelihood projects, three years a town
    if log:
        phases = ", ".join(f"{k} {v:.0f} s" for k, v in opinions.seconds.items())
        log(f"  opinions: {opinions.written:,} rows in {opinion_seconds:.0f} s ({phases})")
        log(f"  suggestions: {suggestions.counts['suggestions']:,} in {suggestions.seconds:.0f} s")
    analyze([*MODELS, *BENCH_MODELS, Opinion, *SUGGESTION_MODELS, *PROJECT_MODELS])
    return written


def analyze(models):
    """Fresh planner statistics: right after a bulk load autovacuum has not caught up, and a benchmark run
    at once would measure plans made for empty tables."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for model in models:
            cur.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

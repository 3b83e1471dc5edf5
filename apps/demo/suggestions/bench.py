"""Suggestions at benchmark scale (`BenchSuggestions`, called by seed_bench): the same planning and replay for
every town of a benchmark set (25 suggestions per town: 30,000 on the province), with signatures,
co-handling parts and feedback, written with COPY; no Step or duty rows, motions or opinion links.
"""

from __future__ import annotations

import random
import time as time_
from datetime import date

from django.utils import timezone

from ..bulk import BulkWriter
from ..county import CountyBuilder
from ..opinion_texts import TOPICS
from ..opinions import Who
from .replay import SuggestionRunner
from .shape import BENCH_MODELS, GENERIC_CO_UNITS

# --- benchmark scale ----------------------------------------------------------------------------------------


class BenchSuggestions(SuggestionRunner):
    """Suggestions of every town of a benchmark set: the demo's planning and replay, without Step and duty
    rows (about ten steps per suggestion), motions or opinion links; rows written with COPY."""

    steps = False

    def __init__(self, rng: random.Random, *, per_town: float, people, today: date | None = None):
        super().__init__(BulkWriter(BENCH_MODELS), rng, today=today or timezone.localdate(), people=people)
        self.per_town = per_town
        self.towns_done = 0
        self.duty_seen = set()
        self.seconds = 0.0

    def add_county(self, b: CountyBuilder):
        from ..occupations import TOWN_UNITS

        started = time_.monotonic()
        county_units = dict(zip(b.spec.county_units, b.county_unit_ids, strict=False))
        for name, pk in county_units.items():
            self.unit_names[pk] = name
        generic = [county_units[n] for n in GENERIC_CO_UNITS if n in county_units]
        plans = []
        ctxs = []
        for index, town in enumerate(b.towns):
            own = {town.spec.name + s: pk for s, pk in zip(TOWN_UNITS, town.unit_ids, strict=False)}
            for name, pk in own.items():
                self.unit_names[pk] = name
            units = {}
            for topic in TOPICS:
                ids = [own.get(u.format(town=town.spec.name)) or county_units.get(u) for u in topic.units]
                units[topic.key] = [i for i in dict.fromkeys(ids) if i] or [town.unit_ids[0]]
            all_units = [*town.unit_ids, *b.county_unit_ids]
            ctx = self.town_ctx(
                town, index, b.spec.name, units, all_units, generic, Who(f"{town.spec.name}人大办")
            )
            ctxs.append(ctx)
            start = round(self.towns_done * self.per_town)
            self.towns_done += 1
            n = round(self.towns_done * self.per_town) - start
            plans += [self.new_plan(ctx) for _ in range(n)]
        self.outcomes(plans, minimum=False)
        for ctx in ctxs:
            self.write_town([p for p in plans if p.ctx is ctx])
        self.seconds += time_.monotonic() - started

    def finish(self) -> dict[str, int]:
        started = time_.monotonic()
        written = self.w.finish()
        self.seconds += time_.monotonic() - started
        return {k: v for k, v in written.items() if v}

"""A year of opinions (社情民意, DOMAIN §3) for the demo county, opinions at benchmark scale, routing check.

- shape.py: the year's shape (the shares the seeds report) and the plan's small types;
- planning.py: who is who, reception days, the items and the events each will go through;
- replay.py: each item replayed through the opinion workflow with the engine's own move
  (apps.workflow.moves.advance) and written with `BulkWriter`;
- bench.py: ~1,667 opinions per town at benchmark scale, loaded with COPY;
- routing.py: leave-one-out unit suggestion on the demo county's assigned items.
"""

from .bench import BenchOpinions, bench_code
from .replay import DemoOpinions, seed_demo_opinions
from .routing import routing_hit_rate_on_demo
from .shape import BENCH_MODELS, Who, _aware, _office_day, _working_days_before

__all__ = [
    "BENCH_MODELS",
    "BenchOpinions",
    "DemoOpinions",
    "Who",
    "_aware",
    "_office_day",
    "_working_days_before",
    "bench_code",
    "routing_hit_rate_on_demo",
    "seed_demo_opinions",
]

"""The last session's deputies' suggestions and motions (代表建议, 议案; DOMAIN §4) for the demo county, and
suggestions at benchmark scale.

- shape.py: the shares and dates of a session's suggestions, and the plan's small types;
- planning.py: each suggestion planned, from the session or between sessions to its close;
- replay.py: each plan replayed through the workflows with the engine's own move
  (apps.workflow.moves.advance), with what the services do beside the engine;
- demo.py: the demo county's 212 suggestions and three motions;
- bench.py: 25 suggestions per town of a benchmark set, written with COPY.
"""

from .bench import BenchSuggestions
from .demo import DemoSuggestions, seed_demo_suggestions
from .shape import BENCH_MODELS, BENCH_PER_TOWN, session_day, session_year

__all__ = [
    "BENCH_MODELS",
    "BENCH_PER_TOWN",
    "BenchSuggestions",
    "DemoSuggestions",
    "seed_demo_suggestions",
    "session_day",
    "session_year",
]

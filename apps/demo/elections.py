"""Demo data for the elections app (issue #6/#7): filled in by that app's work."""

from __future__ import annotations

from .county import CountyBuilder


def seed_demo_elections(builder: CountyBuilder) -> dict:
    return {}

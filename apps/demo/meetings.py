"""Demo data for the meetings app (issue #6/#7): filled in by that app's work."""

from __future__ import annotations

from .county import CountyBuilder


def seed_demo_meetings(builder: CountyBuilder) -> dict:
    return {}

"""Demo data for the duty app (issue #6/#7): filled in by that app's work."""

from __future__ import annotations

from .county import CountyBuilder


def seed_demo_duty(builder: CountyBuilder) -> dict:
    return {}

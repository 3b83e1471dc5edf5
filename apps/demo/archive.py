"""Demo data for the archive app (issue #6/#7): filled in by that app's work."""

from __future__ import annotations

from .county import CountyBuilder


def seed_demo_archive(builder: CountyBuilder) -> dict:
    return {}

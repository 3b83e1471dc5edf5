"""The registry of dashboard figure providers (issue 20 part 5).

A provider is one domain's share of the dashboards: the figures it counts, each town's counts for a year as
SQL aggregates (one GROUP BY town per query, never rows in Python), and the rates worked out from those
counts. The dashboards app registers the providers of the apps on main (builtins.py); an app that comes
later (the livelihood projects, the township assessment) adds its own in a `dashboard.py` module calling
`register`, which `DashboardsConfig.ready` imports only when that app is installed (`OPTIONAL_APPS`). The
pages, the API, the Excel sheet, the charts and the big screen read the registry and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

COUNT, RATE = "count", "rate"


@dataclass(frozen=True)
class Figure:
    key: str  # unique over every provider: the API's field, the Excel column, the screen's counter
    label: str  # translatable (gettext_lazy)
    kind: str = COUNT  # COUNT: summed over towns; RATE: worked out again from the summed counts
    of: tuple[str, str] | None = None  # a rate's (part, whole) count keys
    scale: int = 100  # a rate's unit: 100 a percentage, 1 a number per one (records per deputy)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    figures: tuple[str, ...]  # the figures drawn (one series each, by town)
    style: str = "bar"  # "bar" or "line"


@dataclass(frozen=True)
class Provider:
    name: str  # the part's key: "opinions", "suggestions", ...
    label: str
    figures: tuple[Figure, ...]
    # (region, year) -> {town id or None (the county's own level): {count key: n}}; the region is a county
    # or a town, already scoped by the caller
    counts: Callable
    charts: tuple[Chart, ...] = field(default_factory=tuple)
    live: tuple[str, ...] = ()  # the counts the big screen shows as live counters


_REGISTRY: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    keys = {f.key for p in _REGISTRY.values() if p.name != provider.name for f in p.figures}
    clash = keys & {f.key for f in provider.figures}
    if clash:
        raise ValueError(f"dashboard figures registered twice: {sorted(clash)}")
    _REGISTRY[provider.name] = provider
    return provider


def providers() -> tuple[Provider, ...]:
    return tuple(_REGISTRY.values())


def figures() -> tuple[Figure, ...]:
    return tuple(f for p in _REGISTRY.values() for f in p.figures)


def figure(key: str) -> Figure | None:
    return next((f for f in figures() if f.key == key), None)


def rate(part: int, whole: int, scale: int = 100) -> float | None:
    """A share in percent (or per one) with one decimal, None when there is nothing to divide (the
    opinions' rule)."""
    return round(scale * part / whole, 1) if whole else None

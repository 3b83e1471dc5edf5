"""What the browser draws, as data: each registered chart as categories (the towns) and one series per figure,
the big screen's tile map and its live counters. The static scripts (static/dashboards/) turn these into
ECharts options; the tables beside every chart are rendered from the same data on the server.

The tile map is schematic (no boundary data is available offline and no map service is used): the towns of
the county in the region tree's order (their official codes), laid out row by row on a near-square grid.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from . import providers as reg
from .figures import Dashboard


def chart_data(board: Dashboard) -> list[dict]:
    out = []
    for provider in reg.providers():
        for chart in provider.charts:
            out.append(
                {
                    "key": chart.key,
                    "title": str(chart.title),
                    "style": chart.style,
                    "categories": [row.name for row in board.rows],
                    "series": [
                        {
                            "key": key,
                            "name": str(reg.figure(key).label),
                            "data": [row.numbers[key] for row in board.rows],
                            "total": board.total.numbers[key],
                        }
                        for key in chart.figures
                    ],
                }
            )
    return out


def grid(count: int) -> tuple[int, int]:
    """(columns, rows) of a near-square grid holding `count` tiles, wider than tall (a 16:9 wall)."""
    if count <= 0:
        return 0, 0
    columns = math.ceil(math.sqrt(count * 16 / 9))
    return columns, math.ceil(count / columns)


def tiles(board: Dashboard) -> dict:
    """The schematic map: each town's place on the grid and its numbers (the screen colours the tiles by
    the figure chosen on it)."""
    columns, rows = grid(len(board.rows))
    return {
        "columns": columns,
        "rows": rows,
        "tiles": [
            {"town": r.town_id, "name": r.name, "x": i % columns, "y": i // columns, "numbers": r.numbers}
            for i, r in enumerate(board.rows)
        ],
    }


def live_keys() -> list[str]:
    return [key for p in reg.providers() for key in p.live]


def counters(board: Dashboard) -> list[dict]:
    return [
        {"key": key, "label": str(reg.figure(key).label), "value": board.total.numbers[key]}
        for key in live_keys()
    ]


def screen_data(board: Dashboard) -> dict:
    """Everything the big screen shows, in one message (the WebSocket's and `GET .../screen`)."""
    return {
        "region": board.region.pk,
        "region_name": board.region.name,
        "year": board.year,
        "title": _("%(place)s人大工作大屏") % {"place": board.region.name},
        "counters": counters(board),
        "map": tiles(board),
        "charts": chart_data(board),
    }

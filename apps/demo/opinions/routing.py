"""Routing check (`routing_hit_rate_on_demo`): leave-one-out unit suggestion on the demo county's assigned
items.
"""

from __future__ import annotations

from apps.opinions.models import Opinion


def routing_hit_rate_on_demo(county_code: str = "610921") -> dict:
    """How often the suggested unit (apps.opinions.similarity) is the unit that finally took the item, over
    the county's assigned items, leave-one-out: within each town, and over the whole county as one pool
    (what `selectors.suggested_units` reads). `as_shown` is the county pool as the page shows it: the first
    suggestion among units that may take the item (its town's units and the county's bureaus)."""
    from apps.opinions import similarity

    rows = list(
        Opinion.objects.filter(county__code=county_code, unit__isnull=False)
        .order_by("pk")
        .values_list("town_id", "town__name", "title", "content", "unit_id", "unit__town_id")
    )
    by_town: dict = {}
    for town_id, town_name, title, content, unit_id, _unit_town in rows:
        by_town.setdefault((town_id, town_name), []).append((f"{title} {content}", unit_id))
    towns = []
    hits = 0
    for (_town_id, name), items in sorted(by_town.items(), key=lambda kv: kv[0][1] or ""):
        rate, n = similarity.routing_hit_rate(items)
        towns.append({"town": name, "items": n, "hit_rate": round(rate, 3)})
        hits += round(rate * n)
    county_items = [(f"{title} {content}", unit_id) for _t, _n, title, content, unit_id, _u in rows]
    county_rate, _n = similarity.routing_hit_rate(county_items)
    return {
        "items": len(rows),
        "per_town": towns,
        "within_town": round(hits / len(rows), 3) if rows else 0.0,
        "county_pool": round(county_rate, 3),
        "county_pool_as_shown": round(_as_shown(rows), 3) if rows else 0.0,
        "county_pool_assignable_only": round(_as_shown(rows, before=True), 3) if rows else 0.0,
    }


def _as_shown(rows, *, before: bool = False) -> float:
    """Leave-one-out over the county pool, keeping only units the item's town may assign to: after ranking
    the top three (what `selectors.suggested_units` does), or, with `before`, among the neighbours that vote
    (a possible improvement: other towns' own units then never crowd out the right one)."""
    from apps.opinions import similarity

    index = similarity.Index((i, f"{r[2]} {r[3]}") for i, r in enumerate(rows))
    units = [r[4] for r in rows]
    unit_town = {r[4]: r[5] for r in rows}
    hits = 0
    for i, counts in enumerate(index.terms):
        town = rows[i][0]
        votes: dict = {}
        k = 40 if before else 10
        found = index.query_terms(counts, k=k, min_score=0.05, exclude=(i,))
        if before:
            found = [(p, sc) for p, sc in found if unit_town.get(units[p]) in (None, town)][:10]
        for position, score in found:
            votes[units[position]] = votes.get(units[position], 0.0) + score
        ranked = sorted(votes.items(), key=lambda kv: -kv[1])[:3]
        allowed = [u for u, _s in ranked if unit_town.get(u) in (None, town)]
        hits += bool(allowed) and allowed[0] == units[i]
    return hits / len(rows)

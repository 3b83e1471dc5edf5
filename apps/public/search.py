"""Search in Chinese across the public content (issue 17, item 4).

Text is segmented with jieba (`cut_for_search`, which also yields the shorter words inside long ones) and
stored as space-joined tokens in `SearchEntry.tokens`. On PostgreSQL the query is full-text search with the
'simple' configuration (no stemming, no stop words: the tokens are already words) on the stored column
`tsv = to_tsvector('simple', tokens)` through its GIN index (migration 0002); on SQLite every query token
must occur in the tokens (icontains), which is slower but finds the same rows.

The index is built only from the public selectors, so it holds nothing the public pages do not show; a
source that stops being public (a recalled deputy, a reply marked not for publication) loses its row the
next time it is saved (`signals.py`) or at `manage.py reindex_public`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection, transaction
from django.urls import reverse

from . import selectors
from .models import EntryKind, SearchEntry

_WORD = re.compile(r"\w", re.UNICODE)
MAX_QUERY_TOKENS = 12
CANDIDATES = 500


def _jieba():
    import jieba

    jieba.setLogLevel(60)  # no "Building prefix dict" chatter in logs
    return jieba


def tokens(*texts: str) -> list[str]:
    """The distinct search tokens of `texts`, lower-cased, in order: words and the words inside them."""
    seen: dict[str, None] = {}
    cut = _jieba().cut_for_search
    for text in texts:
        for token in cut(str(text or "")):
            token = token.strip().lower()
            if token and _WORD.search(token):
                seen.setdefault(token, None)
    return list(seen)


def _levels(deputy) -> str:
    return "、".join(str(m.get_level_display()) for m in deputy.mandates.all())


def _deputy_rows(ids):
    for d in selectors.on_plate().filter(pk__in=ids).select_related("town"):
        station = d.station.name if d.station_id else ""
        town = d.town.name if d.town_id else ""
        yield (
            d.pk,
            {
                "county_id": d.county_id,
                "town_id": d.town_id,
                "title": d.name,
                "summary": " · ".join(x for x in (town, station, _levels(d)) if x)[:300],
                "url": reverse("people:public_card", args=[d.public_code]),
                "tokens": " ".join([d.name.lower(), *tokens(d.name, station, town, d.occupation)]),
            },
        )


def _station_rows(ids):
    for s in selectors.Station.objects.filter(pk__in=ids).select_related("region"):
        yield (
            s.pk,
            {
                "county_id": s.county_id,
                "town_id": s.town_id,
                "title": s.name[:200],
                "summary": s.address[:300],
                "url": reverse("public:station", args=[s.pk]),
                "tokens": " ".join(tokens(s.name, s.address, s.region.name, s.opening_schedule)),
            },
        )


def _suggestion_rows(ids):
    for s in selectors.suggestions().filter(pk__in=ids):
        unit = s.unit.name if s.unit_id else ""
        yield (
            s.pk,
            {
                "county_id": s.county_id,
                "town_id": s.town_id,
                "title": s.title[:200],
                "summary": " · ".join(
                    x for x in (s.number, s.region.name, unit, s.get_category_display()) if x
                )[:300],
                "url": reverse("public:suggestion", args=[s.pk]),
                "tokens": " ".join(tokens(s.title, s.reply_text, unit, s.lead.name, s.region.name)),
            },
        )


def _report_back_rows(ids):
    for r in selectors.report_back().filter(pk__in=ids).select_related("meeting__town"):
        meeting = r.meeting
        town = meeting.town
        yield (
            r.pk,
            {
                "county_id": meeting.county_id,
                "town_id": meeting.town_id,
                "title": f"{r.deputy.name} · {meeting.title}"[:200],
                "summary": f"{meeting.date:%Y-%m-%d} · 满意率 {r.satisfaction_rate}%",
                "url": reverse("public:report_back", args=[town.code]) if town else "",
                "tokens": " ".join([r.deputy.name.lower(), *tokens(r.deputy.name, meeting.title)]),
            },
        )


def _supervision_rows(ids):
    for a in selectors.supervision_items_by_id(ids):
        lines = [a.topic, a.region.name, str(a.get_kind_display())]
        lines += [m.deputy.name for m in a.public_leads] + [a.unit.name if a.unit_id else ""]
        if a.state == "done":
            lines += [a.summary, *(f.text for f in a.public_findings)]
        yield (
            a.pk,
            {
                "county_id": a.county_id,
                "town_id": a.town_id,
                "title": a.topic[:200],
                "summary": " · ".join(
                    (a.region.name, str(a.get_kind_display()), f"{a.starts_on:%Y-%m-%d}", str(a.state_label))
                )[:300],
                "url": reverse("public:supervision", args=[a.region.code]) + f"?year={a.plan.year}",
                "tokens": " ".join(tokens(*(x for x in lines if x))),
            },
        )


ROWS = {
    EntryKind.DEPUTY: _deputy_rows,
    EntryKind.STATION: _station_rows,
    EntryKind.SUGGESTION: _suggestion_rows,
    EntryKind.REPORT_BACK: _report_back_rows,
    EntryKind.SUPERVISION: _supervision_rows,
}


def reindex(kind: str, ids: Iterable[int]) -> int:
    """Write the entries of these sources that are public now and drop the others; returns rows written."""
    ids = list(ids)
    if not ids:
        return 0
    rows = dict(ROWS[kind](ids))
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id__in=[i for i in ids if i not in rows]).delete()
        found = {e.object_id: e for e in SearchEntry.objects.filter(kind=kind, object_id__in=list(rows))}
        new, changed = [], []
        for pk, values in rows.items():
            entry = found.get(pk) or SearchEntry(kind=kind, object_id=pk)
            for name, value in values.items():
                setattr(entry, name, value)
            (changed if pk in found else new).append(entry)
        SearchEntry.objects.bulk_create(new, batch_size=1000)
        fields = ["county_id", "town_id", "title", "summary", "url", "tokens"]
        SearchEntry.objects.bulk_update(changed, [f.removesuffix("_id") for f in fields], batch_size=1000)
    return len(rows)


SOURCES = {
    EntryKind.DEPUTY: lambda: selectors.on_plate().values_list("pk", flat=True),
    EntryKind.STATION: lambda: selectors.Station.objects.values_list("pk", flat=True),
    EntryKind.SUGGESTION: lambda: selectors.suggestion_selectors.published().values_list("pk", flat=True),
    EntryKind.REPORT_BACK: lambda: selectors.report_back().values_list("pk", flat=True),
    EntryKind.SUPERVISION: lambda: selectors.supervision_items_by_id(None).values_list("pk", flat=True),
}


def rebuild(*, batch: int = 2000, progress=None) -> int:
    """The whole index again from the public selectors (after a bulk import or the benchmark seed)."""
    SearchEntry.objects.all().delete()
    written = 0
    for kind, source in SOURCES.items():
        ids = list(source().order_by())
        for start in range(0, len(ids), batch):
            written += reindex(kind, ids[start : start + batch])
            if progress:
                progress(kind, start + batch, len(ids))
    return written


def search(q: str, *, region=None, kind: str = "", limit: int = 50) -> list[SearchEntry]:
    """The public entries matching every word of `q`, newest first; [] for a query with no words."""
    words = tokens(q)[:MAX_QUERY_TOKENS]
    if not words:
        return []
    qs = SearchEntry.objects.all()
    if region is not None:
        qs = qs.filter(town=region) if region.level == "town" else qs.filter(county=region)
    if kind:
        qs = qs.filter(kind=kind)
    if connection.vendor == "postgresql":
        qs = qs.extra(where=["tsv @@ plainto_tsquery('simple', %s)"], params=[" ".join(words)])
    else:
        for word in words:
            qs = qs.filter(tokens__icontains=word)
    # Newest first among the first CANDIDATES matches: a word in every row (联络站, 代表) stops the scan at
    # CANDIDATES rows instead of sorting all of them (bench/README.md, "Public search").
    ids = sorted(qs.values_list("pk", flat=True)[:CANDIDATES], reverse=True)[:limit]
    rows = SearchEntry.objects.only("kind", "title", "summary", "url").in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]

"""Reads the ORM writes once and the database runs many times.

A `values()` queryset costs the ORM 1-3 ms of Python to build and compile each time (filters, scopes,
subqueries), which is more than the database needs for a small aggregate or one township's page. A
`Statement` keeps, per key, the SQL, parameters and column converters the ORM compiled, and afterwards only
runs that SQL: the rows are read from the database on every call, only the compiling is kept.

The key must name everything the queryset depends on (the user's scope through `scopes.scope_key`, the
filters' values, the page); the builder is called only on a miss. Entries are per process and capped, the
oldest dropped first; a deployment restarts the processes, so changed code never meets an old statement.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

MAX_ENTRIES = 512
EMPTY = ()


class Statement:
    """`Statement(name)(key, build)`: the rows (dicts, as `values()` gives them) of `build()`, a `values()`
    queryset, compiled once for `key`."""

    def __init__(self, name: str, max_entries: int = MAX_ENTRIES):
        self.name = name  # what the statement reads, for whoever inspects one
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple] = OrderedDict()
        self._lock = Lock()

    def __call__(self, key: Hashable, build: Callable[[], QuerySet]) -> list[dict]:
        entry = self._entries.get(key)
        if entry is None:
            entry = self._compile(build())
            with self._lock:
                self._entries[key] = entry
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        if entry is EMPTY:
            return []
        using, sql, params, names, converters = entry
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [_converted(row, converters, connection) for row in rows]
        return [dict(zip(names, row, strict=True)) for row in rows]

    @staticmethod
    def _compile(qs: QuerySet) -> tuple:
        query = qs.query
        if not query.values_select and not query.annotation_select:
            raise TypeError("a Statement runs a values() queryset")
        compiler = query.get_compiler(qs.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a filter nothing can match (a scope of no grants): no query, as Django does
            return EMPTY
        # the columns' names as `values()` names them (`ValuesIterable`)
        names = list(query.selected or ()) or [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(fields).items())
        return qs.db, sql, tuple(params), names, converters


def _converted(row, converters, connection) -> list:
    row = list(row)
    for pos, (functions, expression) in converters:
        value = row[pos]
        for function in functions:
            value = function(value, expression, connection)
        row[pos] = value
    return row

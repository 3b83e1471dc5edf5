"""Fast inserts for generated data: ids assigned here, rows written with COPY (PostgreSQL) or executemany.

The generators need each row's id before the row is written (a household names its deputy, a region its
parent), and `bulk_create` only hands ids back after a round trip per batch. So the writer numbers rows
itself from the table's current maximum, buffers them, and writes them in large batches; on PostgreSQL
it then moves each sequence past the ids it used. Foreign keys are deferred to commit on both backends,
so callers must run inside `transaction.atomic()`.

This bypasses `Model.save()`: whatever `save()` would compute (tree paths, copied county/town, pinyin)
the caller fills in itself.
"""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection, models

# Field types whose Python values the database driver cannot take as they are (dates on SQLite, UUIDs
# stored as hex on SQLite, JSON everywhere): these go through the field's own conversion.
_PREPARED_TYPES = {"DateField", "DateTimeField", "UUIDField", "JSONField", "DecimalField"}


class _Table:
    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.attnames = [f.attname for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            if f.primary_key:
                continue
            if f.unique and f.has_default() and callable(f.default):
                # e.g. Deputy.public_code: one default shared by every row would break the constraint.
                self.defaults[f.attname] = _Required(f.attname)
            else:
                self.defaults[f.attname] = f.get_default()
        self.prepare = [(i, f) for i, f in enumerate(self.fields) if f.get_internal_type() in _PREPARED_TYPES]
        self.next_id = (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.rows: list[list] = []
        self.written = 0

    def row(self, values: dict) -> list:
        out = []
        for att in self.attnames:
            if att in values:
                out.append(values[att])
            else:
                default = self.defaults.get(att)
                if isinstance(default, _Required):
                    raise ValueError(f"{self.model.__name__}.{att} must be given for every row")
                out.append(default)
        return out


class _Required:
    def __init__(self, name):
        self.name = name


class BulkWriter:
    """Buffers rows per model, numbering them; `flush()` writes, `finish()` writes and fixes sequences."""

    def __init__(self, models_in_order: list[type[models.Model]], *, flush_at: int = 200_000):
        # Tables are written in this order, parents first, so the order is right even without deferral.
        self.tables = {m: _Table(m) for m in models_in_order}
        self.flush_at = flush_at
        self.buffered = 0

    def reserve(self, model: type[models.Model]) -> int:
        """An id for a row added later with `add(model, id=...)`, for rows that point at themselves."""
        table = self.tables[model]
        table.next_id += 1
        return table.next_id - 1

    def add(self, model: type[models.Model], **values) -> int:
        table = self.tables[model]
        if "id" not in values:
            values["id"] = table.next_id
            table.next_id += 1
        table.rows.append(table.row(values))
        self.buffered += 1
        if self.buffered >= self.flush_at:
            self.flush()
        return values["id"]

    def flush(self):
        for table in self.tables.values():
            if table.rows:
                _write(table)
                table.written += len(table.rows)
                table.rows = []
        self.buffered = 0

    def finish(self) -> dict[str, int]:
        self.flush()
        used = [t.model for t in self.tables.values() if t.written]
        if connection.vendor == "postgresql" and used:
            with connection.cursor() as cur:
                for sql in connection.ops.sequence_reset_sql(no_style(), used):
                    cur.execute(sql)
        return {t.model._meta.label: t.written for t in self.tables.values()}


def _prepared(table: _Table) -> list[list]:
    if table.prepare:
        for row in table.rows:
            for i, field in table.prepare:
                if row[i] is not None:
                    row[i] = field.get_db_prep_save(row[i], connection)
    return table.rows


def _write(table: _Table):
    rows = _prepared(table)
    db_table = connection.ops.quote_name(table.model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in table.fields)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(table.fields))
            sql = f"INSERT INTO {db_table} ({columns}) VALUES ({marks})"
            for start in range(0, len(rows), 20_000):
                cur.executemany(sql, rows[start : start + 20_000])

"""The full-text side of the public search on PostgreSQL: a stored tsvector column, generated from the
tokens with the 'simple' configuration, and its GIN index. `search.search` filters on the column, so a row is
never segmented again at query time (a recheck of a lossy bitmap page reads the stored vector). The model
does not name the column: Django never writes it, PostgreSQL keeps it. SQLite has neither and searches the
tokens with icontains."""

from django.db import migrations

CREATE = [
    "ALTER TABLE public_searchentry ADD COLUMN IF NOT EXISTS tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED",
    "CREATE INDEX IF NOT EXISTS public_searchentry_tsv ON public_searchentry USING gin (tsv)",
]
DROP = [
    "DROP INDEX IF EXISTS public_searchentry_tsv",
    "ALTER TABLE public_searchentry DROP COLUMN IF EXISTS tsv",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

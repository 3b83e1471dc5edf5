"""The GIN index of the public search on PostgreSQL: to_tsvector('simple', tokens), the very expression
`search.search` filters on. SQLite has no such index and searches the tokens with icontains."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS public_searchentry_tsv ON public_searchentry "
    "USING gin (to_tsvector('simple', tokens))"
)
DROP = "DROP INDEX IF EXISTS public_searchentry_tsv"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

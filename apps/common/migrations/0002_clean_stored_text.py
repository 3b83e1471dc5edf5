"""Text already stored before the door was closed (issue 14): every CharField and TextField of the project's
apps, the audit log aside, loses NUL, other control characters (tab and newline kept) and DEL, and its CRLF
or lone CR becomes LF, as `common.text.scrub` does to input today. One stray `\\x01` in an opinion made the
opinions' Excel ledger and the minutes' Word file fail for good.

The audit log is not touched: its hashes cover its text, so what writes it to a file escapes instead
(`common.text.escape_controls`). The rule is copied here, not imported, so this migration keeps doing what it
did when the cleaner changes. Rows are found by one regular-expression filter per model and changed in
batches of primary keys. PostgreSQL cannot hold NUL or lone surrogates at all; SQLite can hold NUL (and is
cleaned of it); a lone surrogate cannot be read back from either, so it is left to the input check.

The dependencies are the latest migration of every project app at the time of writing (from the migration
graph), so every text column of then is there when this runs.
"""

import re

from django.db import migrations, models

BATCH = 1000
APPS = (
    "accounts", "archive", "calendar", "common", "duty", "elections", "localrules", "meetings",
    "notifications", "opinions", "people", "places", "suggestions", "workflow",
)  # fmt: skip
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def scrub(value: str) -> str:
    return _BAD.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _pattern(vendor: str) -> str:
    # The characters a row may hold that `scrub` changes: CR and the controls; NUL only where it can be stored.
    low = "\x01" if vendor == "postgresql" else "\x00"
    return f"[{low}-\x08\x0b\x0c\x0d\x0e-\x1f\x7f]"


def _text_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.primary_key
    ]


def clean_stored_text(apps, schema_editor):
    pattern = _pattern(schema_editor.connection.vendor)
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in APPS or meta.proxy or not meta.managed:
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        dirty = models.Q()
        for f in fields:
            dirty |= models.Q(**{f"{f.attname}__regex": pattern})
        rows = model._base_manager.using(schema_editor.connection.alias).filter(dirty).order_by("pk")
        names = [f.attname for f in fields]
        last = None
        while True:
            batch = list((rows if last is None else rows.filter(pk__gt=last)).values("pk", *names)[:BATCH])
            if not batch:
                break
            for row in batch:
                changes = {n: scrub(row[n]) for n in names if isinstance(row[n], str) and scrub(row[n]) != row[n]}
                if changes:
                    model._base_manager.using(schema_editor.connection.alias).filter(pk=row["pk"]).update(**changes)
            last = batch[-1]["pk"]


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_counter"),
        ("accounts", "0002_initial"),
        ("archive", "0002_engine_fields"),
        ("calendar", "0002_fill_from_library"),
        ("duty", "0006_engine_fields"),
        ("elections", "0002_rename_election_to_round"),
        ("localrules", "0001_initial"),
        ("meetings", "0002_meeting_version_chair"),
        ("notifications", "0001_initial"),
        ("opinions", "0001_initial"),
        ("people", "0001_initial"),
        ("places", "0001_initial"),
        ("suggestions", "0001_initial"),
        ("workflow", "0001_initial"),
    ]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop, elidable=True)]

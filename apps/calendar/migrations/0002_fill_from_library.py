from django.db import migrations


def fill(apps, schema_editor):
    # Shared with sync_holidays on purpose: both must mean the same "table matches the library".
    from apps.calendar.library import fill_from_library

    fill_from_library(apps.get_model("calendar", "CalendarDay"), apps.get_model("calendar", "CalendarYear"))


class Migration(migrations.Migration):
    dependencies = [
        ("calendar", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

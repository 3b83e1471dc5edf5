# Issue 16 items 9-11: motion numbers, who drafted a suggestion (drafts stay private), the round whose reply
# is public, and a suggestion's public tracking code (查询码), unique, given to the rows that exist.

import apps.suggestions.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    from apps.suggestions.models import new_suggestion_code

    Suggestion = apps.get_model("suggestions", "Suggestion")
    used = set()
    for pk in Suggestion.objects.values_list("pk", flat=True).iterator(chunk_size=2000):
        code = new_suggestion_code()
        while code in used:
            code = new_suggestion_code()
        used.add(code)
        Suggestion.objects.filter(pk=pk).update(tracking_code=code)
    # Replies already rated (the item moved on from `replied`) stay public; those still waiting for their
    # signers are published by the sweep once the window has passed.
    Suggestion.objects.filter(rounds__gt=0).exclude(state="replied").update(published_round=models.F("rounds"))


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_initial'),
        ('places', '0002_region_short_name'),
        ('suggestions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='motion',
            name='number',
            field=models.CharField(blank=True, max_length=40, verbose_name='议案号'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='drafted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='起草人'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='published_round',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='已公开答复轮次'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='tracking_code',
            field=models.CharField(default=apps.suggestions.models.new_suggestion_code, max_length=12, verbose_name='查询码'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='suggestion',
            name='tracking_code',
            field=models.CharField(default=apps.suggestions.models.new_suggestion_code, max_length=12, unique=True, verbose_name='查询码'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='number',
            field=models.CharField(blank=True, max_length=40, verbose_name='立案号'),
        ),
        migrations.AddConstraint(
            model_name='motion',
            constraint=models.UniqueConstraint(condition=models.Q(('number', ''), _negated=True), fields=('town', 'number'), name='motion_number_unique_in_town'),
        ),
    ]

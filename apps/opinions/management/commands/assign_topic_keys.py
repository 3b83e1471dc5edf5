"""Give every opinion without one its topic key (issue 18: the supervision roll-up groups by it).

New opinions get theirs at intake (`Opinion.save`); this fills the rows that came before the key existed,
or by bulk writes (`--all` recomputes every row, after the key's method changed). Batches by id, so memory
stays flat on millions of rows; safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.opinions.models import Opinion
from apps.opinions.similarity import topic_key
from apps.places.models import Region

BATCH = 2000


class Command(BaseCommand):
    help = "为尚无议题归类的社情民意计算议题归类（监督清单汇总用）"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recompute every opinion's key")

    def handle(self, *args, all=False, **options):
        qs = Opinion.objects.order_by("pk")
        if not all:
            qs = qs.filter(topic_key="")
        names: dict[int, str] = {}
        last, done = 0, 0
        while True:
            rows = list(qs.filter(pk__gt=last).values_list("pk", "topic", "title", "region_id")[:BATCH])
            if not rows:
                break
            missing = {r[3] for r in rows} - names.keys()
            names.update(Region.objects.filter(pk__in=missing).values_list("pk", "name"))
            items = [
                Opinion(pk=pk, topic_key=topic_key(topic, title, (names.get(region, ""),)))
                for pk, topic, title, region in rows
            ]
            with transaction.atomic():
                Opinion.objects.bulk_update(items, ["topic_key"], batch_size=500)
            last, done = rows[-1][0], done + len(rows)
        self.stdout.write(f"{done} opinions given a topic key")

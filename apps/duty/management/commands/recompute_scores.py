import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.duty.services import recompute
from apps.places.models import Region


class Command(BaseCommand):
    help = "重算某年度全部代表的履职得分与排名。 Recompute every deputy's duty score and ranks for a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="default: this year")
        parser.add_argument("--county", help="county region code; default: every county with a points table")

    def handle(self, *args, year=None, county=None, **options):
        year = year or timezone.localdate().year
        county_ids = None
        if county:
            region = Region.objects.filter(code=county, level="county").first()
            if region is None:
                raise CommandError(f"没有区划代码为 {county} 的县 / no county with code {county}")
            county_ids = [region.pk]
        started = time.monotonic()
        n = recompute(year=year, county_ids=county_ids)
        self.stdout.write(self.style.SUCCESS(f"{year}: {n} scores in {time.monotonic() - started:.1f} s"))

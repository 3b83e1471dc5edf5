from django.core.management.base import BaseCommand

from apps.calendar.library import known_years
from apps.calendar.services import sync_holidays


class Command(BaseCommand):
    help = "Fill the holiday table from chinese-calendar for every year it knows (safe to run again)."

    def handle(self, *args, **options):
        result = sync_holidays()
        years = known_years()
        self.stdout.write(f"chinese-calendar knows {years[0]}–{years[-1]}")
        for year, n in sorted(result.changed.items()):
            self.stdout.write(f"{year}: {n} row(s) created, updated or removed")
        for year in result.kept_by_admin:
            self.stdout.write(
                self.style.WARNING(f"{year}: kept as a system admin entered it (source = admin)")
            )
        if not result.changed:
            self.stdout.write(self.style.SUCCESS("holiday table already matches the library"))

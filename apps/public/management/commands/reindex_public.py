from django.core.management.base import BaseCommand

from apps.public import search


class Command(BaseCommand):
    help = "Rebuild the public site's search index from what is published (after bulk imports or seeds)."

    def handle(self, *args, **options):
        written = search.rebuild(progress=lambda kind, done, total: None)
        self.stdout.write(f"{written} entries indexed")

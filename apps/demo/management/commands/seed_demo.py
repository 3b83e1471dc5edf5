import time

from django.core.management.base import BaseCommand, CommandError

from apps.places.models import Region

from ...seed import refuse_in_production, seed_demo


class Command(BaseCommand):
    help = (
        "Build the demo county 汉阴县 (10 towns, 177 county and 603 town deputies, 15,600 households) and "
        "six demo logins (password renda-demo). Same data on every run. Refuses in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds regions (for `make run`)",
        )

    def handle(self, *args, if_empty=False, **options):
        refuse_in_production()
        if Region.objects.exists():
            if if_empty:
                self.stdout.write("数据库已有数据，跳过演示数据。 Database not empty: demo data not seeded.")
                return
            raise CommandError(
                "数据库已有数据，拒绝写入演示数据（空库时使用 --if-empty 可自动跳过）。 "
                "The database is not empty: seed the demo only into an empty database."
            )
        started = time.monotonic()
        counts = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"汉阴县演示数据已生成 / demo county seeded in {time.monotonic() - started:.1f} s"
            )
        )
        for key, value in counts.items():
            self.stdout.write(f"  {key:28} {value}")

import argparse
import time

from django.core.management.base import BaseCommand

from ...seed import SCALES, seed_bench


class Command(BaseCommand):
    help = (
        "Write benchmark data under its own province code (never the demo's). "
        "--scale county: one county like the demo (10 towns, 780 deputies, 15,600 households, voters) "
        "under 980000. --scale province: 100 counties, 1,200 towns, 90,000 deputies, 1.8 million "
        "households under 990000, without voters. Both: about 1,667 opinions a year per town (2 million "
        "on the province), reception days, 25 suggestions per town (30,000 on the province) with their "
        "signatures, co-handling parts and feedback, no workflow steps. Logins bench-county and "
        "bench-town, password renda-bench. Refuses in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        # Smaller shapes for the tests only.
        parser.add_argument("--counties", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--towns", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--opinions-per-town", type=float, help=argparse.SUPPRESS)
        parser.add_argument("--suggestions-per-town", type=float, help=argparse.SUPPRESS)

    def handle(
        self,
        *args,
        scale,
        counties=None,
        towns=None,
        opinions_per_town=None,
        suggestions_per_town=None,
        **options,
    ):
        started = time.monotonic()
        log = self.stdout.write if options["verbosity"] > 1 else None
        written = seed_bench(
            scale,
            counties=counties,
            towns=towns,
            opinions_per_town=opinions_per_town,
            suggestions_per_town=suggestions_per_town,
            log=log,
        )
        for label, count in written.items():
            self.stdout.write(f"  {label:28} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(f"seed_bench --scale {scale}: {time.monotonic() - started:.1f} s")
        )

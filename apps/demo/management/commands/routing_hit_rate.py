from django.core.management.base import BaseCommand

from ...opinions import routing_hit_rate_on_demo


class Command(BaseCommand):
    help = (
        "How often the suggested handling unit equals the unit that finally took an opinion, leave-one-out "
        "over the demo county's assigned opinions (per town, and over the county as one pool)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", default="610921", help="county code (default: the demo county)")

    def handle(self, *args, county, **options):
        r = routing_hit_rate_on_demo(county)
        if not r["items"]:
            self.stdout.write("没有已交办的事项 / no assigned opinions in this county")
            return
        self.stdout.write(
            f"承办单位推荐命中率 / routing hit rate ({r['items']} assigned opinions, leave-one-out)"
        )
        for row in r["per_town"]:
            self.stdout.write(f"  {row['town']:8} {row['items']:5}  {row['hit_rate']:.1%}")
        self.stdout.write(f"  within each town (what the item page suggests): {r['within_town']:.1%}")
        self.stdout.write(f"  county as one pool:          {r['county_pool']:.1%}")
        self.stdout.write(f"  county pool, first unit the town may assign: {r['county_pool_as_shown']:.1%}")
        self.stdout.write(
            f"  county pool, only neighbours with units the town may assign: "
            f"{r['county_pool_assignable_only']:.1%}"
        )

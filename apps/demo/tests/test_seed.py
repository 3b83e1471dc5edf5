import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F

from apps.accounts.models import Role, RoleGrant, User
from apps.audit.models import AuditEvent
from apps.people.models import Deputy, GridRole, Household, MemberContact, Voter
from apps.places.models import HandlingUnit, Region, Station

pytestmark = pytest.mark.django_db

# Pinned so that a change to the generator, or anything random that leaks into it, shows up here:
# the demo county is described in docs and walkthroughs by these people.
FIRST_TEN_DEPUTIES = [
    "董良鹏",
    "袁海生",
    "田忠生",
    "邓永",
    "高德",
    "孙清正",
    "韩才生",
    "方金良",
    "陈世永",
    "彭飞新",
]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    return run("seed_demo")


def table_counts() -> dict:
    return {
        m.__name__: m.objects.count()
        for m in (
            Region,
            Station,
            HandlingUnit,
            Deputy,
            GridRole,
            Household,
            Voter,
            MemberContact,
            User,
            RoleGrant,
            AuditEvent,
        )
    }


def test_seed_demo_builds_the_county_of_the_report(demo):
    county = Region.objects.get(code="610921")
    assert (
        county.name == "汉阴县" and county.parent.code == "610900" and county.parent.parent.code == "610000"
    )
    towns = Region.objects.filter(level="town", county=county, is_street=False).order_by("code")
    assert [t.code for t in towns] == [f"610921{n}" for n in range(100, 110)]
    street = Region.objects.get(level="town", county=county, is_street=True)
    assert street.name == "凤台街道" and street.code == "610921001"
    assert Deputy.objects.filter(town=street, top_level="town").count() == 10
    assert towns[0].name == "城关镇"
    assert Deputy.objects.filter(top_level="county").count() == 177
    assert Deputy.objects.filter(top_level="town").count() == 603
    leaders = Deputy.objects.filter(grid_roles__isnull=False).distinct()
    assert leaders.filter(top_level="county").count() == 107
    assert leaders.filter(top_level="town").count() == 573
    assert not GridRole.objects.exclude(grid__level="grid").exists()
    assert not GridRole.objects.exclude(grid__town=F("deputy__town")).exists()


def test_every_deputy_contacts_twenty_households_of_about_fifty_voters(demo):
    per_deputy = Household.objects.values("contact_deputy").annotate(n=Count("pk"))
    assert {row["n"] for row in per_deputy} == {20}
    assert per_deputy.count() == 780
    assert 2.3 < Voter.objects.count() / Household.objects.count() < 2.7


def test_the_largest_town_is_the_county_seat(demo):
    by_town = Deputy.objects.values("town__name").annotate(n=Count("pk")).order_by("-n")
    assert by_town[0]["town__name"] == "城关镇"


def test_poor_households_are_paired_with_a_deputy_of_their_town(demo):
    poor = Household.objects.filter(is_poor=True)
    assert 0.02 < poor.count() / Household.objects.count() < 0.04
    assert not poor.filter(paired_deputy__isnull=True).exists()
    assert not Household.objects.filter(is_poor=False, paired_deputy__isnull=False).exists()
    assert not poor.exclude(paired_deputy__town=F("town")).exists()


def test_regions_carry_the_tree_fields_save_would_compute(demo):
    for region in Region.objects.select_related("parent").order_by("?")[:300]:
        expected = Region(pk=region.pk, code=region.code, level=region.level, parent=region.parent)
        expected.fill_tree_fields()
        assert (region.path, region.county_id, region.town_id) == (
            expected.path,
            expected.county_id,
            expected.town_id,
        )


def test_deputies_carry_the_fields_save_would_compute(demo):
    from apps.people.pinyin import initials_of, pinyin_of

    for deputy in Deputy.objects.select_related("region")[:200]:
        assert deputy.name_pinyin == pinyin_of(deputy.name)
        assert deputy.name_initials == initials_of(deputy.name)
        assert (deputy.county_id, deputy.town_id) == (deputy.region.county_id, deputy.region.town_id)


def test_each_town_has_a_presidium_of_five_to_nine(demo):
    sizes = Deputy.objects.filter(is_presidium_member=True).values("town").annotate(n=Count("pk"))
    assert len(sizes) == 11  # the ten towns' presidiums and the street's working committee
    assert all(5 <= row["n"] <= 9 for row in sizes)
    assert Deputy.objects.filter(is_standing_committee_member=True, top_level="county").count() >= 3


def test_members_contact_deputies_and_households_some_under_quota(demo):
    members = Deputy.objects.filter(is_presidium_member=True) | Deputy.objects.filter(
        is_standing_committee_member=True
    )
    counts = [
        (
            MemberContact.objects.filter(member=m, deputy__isnull=False).count(),
            MemberContact.objects.filter(member=m, household__isnull=False).count(),
        )
        for m in members
    ]
    assert all(d <= 5 and h <= 5 for d, h in counts)
    assert sum(1 for d, h in counts if (d, h) == (5, 5)) > len(counts) / 2
    assert any(d < 5 or h < 5 for d, h in counts)


@pytest.mark.parametrize(
    ("username", "role", "target"),
    [
        ("county", Role.COUNTY_OFFICE, lambda g: g.region.code == "610921"),
        ("town", Role.TOWN_OFFICE, lambda g: g.region.name == "城关镇"),
        (
            "station",
            Role.STATION_KEEPER,
            lambda g: g.station.level == "town" and g.station.town.name == "城关镇",
        ),
        ("deputy", Role.DEPUTY, lambda g: g.deputy.town.name == "城关镇" and g.deputy.top_level == "town"),
        ("unit", Role.UNIT_STAFF, lambda g: g.unit.name == "城关镇人民政府"),
        ("admin", Role.ADMIN, lambda g: True),
        ("street", Role.TOWN_OFFICE, lambda g: g.region.is_street and g.region.name == "凤台街道"),
    ],
)
def test_demo_logins_have_their_grants(demo, username, role, target):
    user = User.objects.get(username=username)
    assert user.check_password("renda-demo")
    assert user.display_name
    grants = list(RoleGrant.objects.filter(user=user))
    assert [g.role for g in grants] == [role]
    assert target(grants[0])


def test_demo_logins_are_wired_to_their_station_deputy_and_phone(demo):
    assert Station.objects.get(keeper__username="station").name == "城关镇人大代表联络站"
    assert Deputy.objects.get(user__username="deputy").contact_households.count() == 20
    assert User.objects.get(phone="13800000002").username == "town"
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_seed_demo_records_one_audit_event(demo):
    event = AuditEvent.objects.get(action="demo.seeded")
    assert event.actor is None
    assert event.summary["county_deputies"] == 177 and event.summary["households"] == 15600


def test_seed_demo_if_empty_changes_nothing(demo):
    before = table_counts()
    out = run("seed_demo", "--if-empty")
    assert "not seeded" in out
    assert table_counts() == before


def test_seed_demo_refuses_a_database_with_data(demo):
    with pytest.raises(CommandError, match="not empty"):
        run("seed_demo")


def test_seed_demo_is_deterministic(demo):
    names = list(Deputy.objects.order_by("id").values_list("name", flat=True)[:10])
    assert names == FIRST_TEN_DEPUTIES


def test_seed_demo_leaves_an_existing_user_alone():
    User.objects.create_user(username="admin", password="my-own-secret")
    run("seed_demo")
    admin = User.objects.get(username="admin")
    assert admin.check_password("my-own-secret") and not admin.is_superuser
    assert not RoleGrant.objects.filter(user=admin).exists()
    assert User.objects.filter(username="county").exists()


def test_demo_logins_prints_the_table(demo):
    out = run("demo_logins")
    assert "http://127.0.0.1:8000" in out
    for username in ("county", "town", "station", "deputy", "unit", "admin"):
        assert f"  {username} " in out
    assert "renda-demo" in out and "城关镇" in out


def test_seed_bench_county_scale_writes_a_county_and_the_bench_logins():
    run("seed_bench", "--scale", "county", "--towns", "2")
    county = Region.objects.get(level="county")
    assert county.code.startswith("98") and county.parent.parent.code == "980000"
    assert Region.objects.filter(level="town").count() == 2
    assert Deputy.objects.count() == 2 * 78
    assert Household.objects.count() == 20 * Deputy.objects.count()
    assert Voter.objects.exists()
    town_login = User.objects.get(username="bench-town")
    assert town_login.check_password("renda-bench")
    assert RoleGrant.objects.get(user=town_login).region.level == "town"
    assert RoleGrant.objects.get(user__username="bench-county").region == county
    with pytest.raises(CommandError, match="exists already"):
        run("seed_bench", "--scale", "county", "--towns", "2")


def test_seed_bench_province_scale_has_no_voters_and_sits_beside_the_demo(demo):
    run("seed_bench", "--scale", "province", "--counties", "2", "--towns", "2")
    province = Region.objects.get(code="990000")
    bench = Region.objects.filter(path__startswith=province.path)
    assert bench.filter(level="county").count() == 2
    assert Deputy.objects.filter(county__path__startswith=province.path).count() == 2 * 2 * 75
    assert not Voter.objects.filter(household__county__path__startswith=province.path).exists()
    assert Deputy.objects.filter(county__code="610921").count() == 780


@pytest.mark.parametrize(
    "command", [["seed_demo"], ["seed_demo", "--if-empty"], ["seed_bench", "--scale", "county"]]
)
def test_refuses_in_production(settings, command):
    settings.RENDA_ENV = "production"
    with pytest.raises(CommandError, match="production"):
        run(*command)
    assert not Region.objects.exists()

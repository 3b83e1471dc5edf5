"""The logins that let someone try each role of the demo and that the benchmark calls the API with."""

from __future__ import annotations

import os

from django.contrib.auth.hashers import make_password

from apps.accounts.models import Role, RoleGrant, User
from apps.people.models import Deputy, DeputyLevel
from apps.places.models import HandlingUnit, Station

from .county import CountyBuilder

DEMO_PASSWORD = "renda-demo"
BENCH_PASSWORD = "renda-bench"
# `make run` passes HOST and PORT through the environment; the printed address follows them.
DEMO_URL = f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# username, role, what the scope is in words (the table), phone for login by phone
DEMO_LOGINS = [
    ("county", Role.COUNTY_OFFICE, "汉阴县 / Hanyin county", "13800000001"),
    ("town", Role.TOWN_OFFICE, "城关镇 / Chengguan town", "13800000002"),
    ("station", Role.STATION_KEEPER, "城关镇人大代表联络站 / town station", "13800000003"),
    ("deputy", Role.DEPUTY, "城关镇代表 / a town deputy", "13800000004"),
    ("unit", Role.UNIT_STAFF, "城关镇人民政府 / town government", "13800000005"),
    ("admin", Role.ADMIN, "全部 / everything", "13800000006"),
    ("street", Role.TOWN_OFFICE, "凤台街道人大工委 / the street's office", "13800000007"),
]


def demo_deputy(b: CountyBuilder):
    """The deputy behind the `deputy` login: the first ordinary town deputy of the county seat (no post, not
    on the presidium) who leads a grid, so that the login has households, a station and a group to show."""
    seat = b.towns[0]
    return next(
        d
        for d in seat.deputies
        if d.level == DeputyLevel.TOWN
        and d.grid is not None
        and not d.is_presidium
        and not d.post.flags & {"lead", "chair", "vice", "head"}
    )


def create_demo_logins(b: CountyBuilder) -> list[str]:
    """Create the six demo users; a username or phone already taken is left alone and reported."""
    seat = b.towns[0]
    deputy = demo_deputy(b)
    station = Station.objects.get(pk=seat.station_id)
    unit = HandlingUnit.objects.get(pk=seat.unit_ids[0])
    scopes = {
        "county": ("李文华", {"region_id": b.county.id}),
        "town": ("陈静", {"region_id": seat.node.id}),
        "station": (station.keeper_name, {"station_id": station.pk}),
        "deputy": (deputy.name, {"deputy_id": deputy.id}),
        "unit": (unit.contact_person, {"unit_id": unit.pk}),
        "admin": ("系统管理员", {}),
    }
    street = next((t for t in b.towns if t.spec.is_street), None)
    if street is not None:
        scopes["street"] = ("周敏", {"region_id": street.node.id})
    password = make_password(DEMO_PASSWORD)  # hashed once: the slow hasher runs one time, not six
    skipped = []
    for username, role, _scope, phone in DEMO_LOGINS:
        if username not in scopes:
            continue
        if User.objects.filter(username=username).exists() or User.objects.filter(phone=phone).exists():
            skipped.append(username)
            continue
        display_name, target = scopes[username]
        user = User.objects.create(
            username=username,
            password=password,
            display_name=display_name,
            phone=phone,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        RoleGrant.objects.create(user=user, role=role, **target)
        if role == Role.STATION_KEEPER:
            Station.objects.filter(pk=station.pk).update(keeper=user)
        if role == Role.DEPUTY:
            Deputy.objects.filter(pk=deputy.id).update(user=user)
    return skipped


def set_bench_logins(county_id: int, town_id: int):
    """`bench-county` and `bench-town`, pointed at the county and town just built (replacing old grants)."""
    password = make_password(BENCH_PASSWORD)
    for username, role, region_id in (
        ("bench-county", Role.COUNTY_OFFICE, county_id),
        ("bench-town", Role.TOWN_OFFICE, town_id),
    ):
        user, _created = User.objects.get_or_create(username=username, defaults={"display_name": username})
        user.password = password
        user.save(update_fields=["password"])
        RoleGrant.objects.filter(user=user).delete()
        RoleGrant.objects.create(user=user, role=role, region_id=region_id)


def describe_grant(grant: RoleGrant) -> str:
    target = grant.region or grant.station or grant.unit or grant.deputy
    return str(target) if target else "全部 / everything"

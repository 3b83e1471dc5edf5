"""The street fixture: 凤台街道 of 汉阴县, a street (DOMAIN §1) beside the world's two townships."""

import pytest

from apps.accounts.tests.factories import user_with
from apps.people.tests.factories import DeputyFactory, MandateFactory
from apps.places.models import RegionLevel
from apps.places.tests.factories import RegionFactory, StationFactory, village


@pytest.fixture
def street(world):
    """The world with 凤台街道 (`street`), its community 文峰社区, station, council member 王五 (`member`,
    `member_user`) and its office (`street_user`)."""
    s = RegionFactory(
        code="610921001", name="凤台街道", level=RegionLevel.TOWN, parent=world.county, is_street=True
    )
    community = village(s, "610921001001", "文峰社区")
    station = StationFactory(name="凤台街道代表联络站", region=s)
    member = DeputyFactory(name="王五", region=community, station=station)
    MandateFactory(deputy=member, congress_region=s)
    world.street, world.member, world.community = s, member, community
    world.member_user = user_with("deputy", "member", deputy=member)
    member.user = world.member_user
    member.save()
    world.street_user = user_with("town_office", "street", region=s)
    return world

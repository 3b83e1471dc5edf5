"""The contact quotas [local] are counted, compared and filtered in SQL, one page at a time."""

from apps.people.models import MemberContact
from apps.people.selectors import quota_rows
from apps.people.tests.factories import DeputyFactory, HouseholdFactory, MandateFactory


def _quota(settings, households=2, members=1):
    settings.RENDA = {
        **settings.RENDA,
        "QUOTA_HOUSEHOLDS_PER_DEPUTY": households,
        "QUOTA_MEMBER_DEPUTIES": members,
        "QUOTA_MEMBER_HOUSEHOLDS": members,
    }


def test_a_member_is_off_until_both_member_quotas_are_met(world, settings):
    _quota(settings)
    HouseholdFactory(region=world.grid_a, contact_deputy=world.deputy_a)  # now 2, as the quota asks
    world.deputy_a.is_presidium_member = True
    world.deputy_a.save()
    rows = {r["deputy"].name: r for r in quota_rows(world.town_user)}
    assert rows["张三"]["is_member"] and rows["张三"]["off"] and rows["张三"]["member_deputies"] == 0
    MemberContact.objects.create(member=world.deputy_a, deputy=world.deputy_a2)
    MemberContact.objects.create(member=world.deputy_a, household=world.household_a)
    rows = {r["deputy"].name: r for r in quota_rows(world.town_user)}
    assert not rows["张三"]["off"] and rows["张三"]["member_households"] == 1
    assert rows["赵六"]["off"] and rows["赵六"]["member_deputies"] is None


def test_only_off_is_filtered_and_counted_in_the_database(world, settings):
    _quota(settings, households=1)
    rows = quota_rows(world.county_user, only_off=True)
    assert rows.count() == 1 and [r["deputy"].name for r in rows[0:10]] == ["赵六"]
    assert len(quota_rows(world.county_user)) == 3


def test_the_quota_page_costs_the_same_for_many_deputies(
    world, settings, client, django_assert_max_num_queries
):
    client.force_login(world.town_user)
    client.get("/api/v1/quotas")
    with django_assert_max_num_queries(8) as few:
        client.get("/api/v1/quotas?only_off=false")
    for i in range(20):
        d = DeputyFactory(name=f"代表{i}", region=world.village_a, station=world.station_a)
        MandateFactory(deputy=d, congress_region=world.town_a)
        HouseholdFactory(region=world.grid_a, contact_deputy=d)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/quotas?only_off=false").json()
    assert body["count"] == 22

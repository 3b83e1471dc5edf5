"""The opinion list → supervision list (issue 18 part 2): each opinion's topic key set at intake, the
roll-up of a town or county period as a GROUP BY (counts, places, examples), one action to list a topic
as a plan item linked back to its opinions, and the API."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.opinions import services as opinions
from apps.opinions.models import Opinion
from apps.opinions.similarity import topic_key
from apps.places.tests.factories import village
from apps.supervision import selectors, services

from .factories import plan

pytestmark = pytest.mark.django_db
WATER = "water:供水管"  # jieba cuts 供水管道 as 供水管 + 道


def test_the_topic_key_is_the_category_and_the_matter_without_the_place():
    a = topic_key("water", "月河村三组供水管道老化", places=("月河村",))
    b = topic_key("water", "东坝村供水管道经常爆裂")
    assert a == b == "water:供水管"
    assert topic_key("road", "") == "road:"


def _opinion(world, title, region, topic="water", days_ago=1):
    item = opinions.register(
        actor=world.town_user if region.town_id == world.town_a.pk else world.town_b_user,
        data={
            "source": "letter",
            "title": title,
            "content": title + "，希望尽快解决。",
            "region": region.code,
            "topic": topic,
            "submitter_name": "群众",
            "submitter_phone": "13900000001",
        },
    )
    Opinion.objects.filter(pk=item.pk).update(received_on=timezone.localdate() - timedelta(days=days_ago))
    return item


@pytest.fixture
def raised(world):
    v2 = village(world.town_a, "610921100002", "双乳村")
    rows = [
        _opinion(world, "月河村供水管道老化", world.village_a),
        _opinion(world, "月河村二组供水管道爆裂", world.village_a),
        _opinion(world, "双乳村供水管道漏水", v2),
        _opinion(world, "双乳村通组路泥泞", v2, topic="road"),
        _opinion(world, "东坝村供水管道老化", world.village_b),
        _opinion(world, "月河村供水水压低", world.village_a, days_ago=800),  # out of the period
    ]
    return world, rows


def test_the_roll_up_counts_topics_places_and_examples_in_the_database(raised, django_assert_max_num_queries):
    world, rows = raised
    assert rows[0].topic_key == WATER
    today = timezone.localdate()
    with django_assert_max_num_queries(3):
        town = selectors.rollup(world.town_a, today - timedelta(days=365), today)
    top = town[0]
    assert (top.key, top.count, top.places, top.label) == (WATER, 3, 2, "饮水安全·供水管")
    assert len(top.examples) == 3 and not top.listed
    assert [t.key for t in town] == [WATER, rows[3].topic_key]
    county = selectors.rollup(world.county, today - timedelta(days=365), today)
    assert county[0].count == 4 and county[0].places == 3


def test_listing_a_topic_makes_a_plan_item_linked_to_its_opinions(raised):
    world, rows = raised
    today = timezone.localdate()
    p = plan(world)
    item = services.list_topic(
        actor=world.town_user, plan_id=p.pk, topic_key=WATER,
        date_from=today - timedelta(days=365), date_to=today,
    )  # fmt: skip
    assert item.plan == p and item.topic_key == WATER and item.kind == "inspection"
    assert set(item.opinions.all()) == set(rows[:3])  # the town's, in the period
    assert list(rows[0].supervision_items.all()) == [item]
    assert selectors.rollup(world.town_a, today - timedelta(days=365), today)[0].listed


def test_the_opinion_page_shows_its_plan_item(raised, client):
    world, rows = raised
    today = timezone.localdate()
    item = services.list_topic(
        actor=world.town_user, plan_id=plan(world).pk, topic_key=WATER,
        date_from=today - timedelta(days=30), date_to=today,
    )  # fmt: skip
    client.force_login(world.town_user)
    page = client.get(rows[0].get_absolute_url()).content.decode()
    assert item.topic in page and item.get_absolute_url() in page


def test_the_command_gives_existing_opinions_their_key(raised):
    _world, rows = raised
    Opinion.objects.update(topic_key="")
    call_command("assign_topic_keys")
    assert Opinion.objects.get(pk=rows[0].pk).topic_key == WATER
    assert not Opinion.objects.filter(topic_key="").exists()


def test_the_roll_up_api_is_the_offices_and_scoped(raised, api_get):
    world, _rows = raised
    got = api_get(world.town_user, "/api/v1/supervision/topics")
    assert got.status_code == 200 and got.json()[0]["count"] == 3
    assert api_get(world.county_user, "/api/v1/supervision/topics").json()[0]["count"] == 4
    other = api_get(world.town_b_user, "/api/v1/supervision/topics", region=world.town_a.pk)
    assert other.status_code == 404
    assert api_get(world.deputy_user, "/api/v1/supervision/topics").status_code == 403

"""Fixtures shared by every app's tests: a small county with two towns and one user per role."""

import pytest

from apps.accounts.tests.factories import user_with
from apps.people.tests.factories import DeputyFactory, HouseholdFactory, MandateFactory
from apps.places.tests.factories import HandlingUnitFactory, StationFactory, county, grid, town, village


class World:
    pass


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Each test starts and ends in the default language (zh-hans). A request made in English (the
    language switch, Accept-Language) leaves that language active on the thread; without this reset
    the next test on the same worker would see English messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached tokens live in the cache: each test starts without another's. On Redis
    only this worker's keys go (its own KEY_PREFIX, settings/test.py): `clear()` would empty the whole Redis
    database under the other pytest-xdist worker's running test."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):  # django-redis
        cache.delete_pattern("*")
    else:
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings, tmp_path_factory, request):
    """Each test has its own checkpoint file (issue 22): the database rolls back after a test, a file
    would not, and another test's checkpoints would then disagree with this test's log."""
    import hashlib

    name = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:20]
    path = tmp_path_factory.getbasetemp() / f"audit-checkpoints-{name}.jsonl"
    settings.RENDA = {**settings.RENDA, "AUDIT_CHECKPOINT_FILE": str(path)}
    yield


@pytest.fixture
def world(db):
    """汉阴县 with 城关镇 and 涧池镇, a village and grid in each, a station, two deputies and households,
    and a user for every role."""
    w = World()
    w.county = county()
    w.town_a = town(w.county, "610921100", "城关镇")
    w.town_b = town(w.county, "610921101", "涧池镇")
    w.village_a = village(w.town_a, "610921100001", "月河村")
    w.village_b = village(w.town_b, "610921101001", "东坝村")
    w.grid_a = grid(w.village_a, "61092110000101", "月河村总网格")
    w.station_a = StationFactory(name="城关镇代表联络站", region=w.town_a)
    w.station_b = StationFactory(name="涧池镇代表联络站", region=w.town_b)
    w.unit_a = HandlingUnitFactory(name="城关镇人民政府", region=w.town_a)
    w.deputy_a = DeputyFactory(name="张三", region=w.village_a, station=w.station_a)
    w.deputy_a2 = DeputyFactory(name="赵六", region=w.village_a, station=w.station_a)
    w.deputy_b = DeputyFactory(name="李四", region=w.village_b, station=w.station_b)
    for d, t in ((w.deputy_a, w.town_a), (w.deputy_a2, w.town_a), (w.deputy_b, w.town_b)):
        MandateFactory(deputy=d, congress_region=t)
    w.household_a = HouseholdFactory(region=w.grid_a, contact_deputy=w.deputy_a)
    w.household_b = HouseholdFactory(region=w.village_b, contact_deputy=w.deputy_b)
    w.county_user = user_with("county_office", "county", region=w.county)
    w.town_user = user_with("town_office", "town", region=w.town_a)
    w.town_b_user = user_with("town_office", "townb", region=w.town_b)
    w.keeper_user = user_with("station_keeper", "station", station=w.station_a)
    w.deputy_user = user_with("deputy", "deputy", deputy=w.deputy_a)
    w.deputy_a.user = w.deputy_user
    w.deputy_a.save()
    w.unit_user = user_with("unit_staff", "unit", unit=w.unit_a)
    return w


@pytest.fixture
def outbox(settings):
    """Send SMS and e-mail through MemoryBackend; the list holds what left the platform in this test."""
    from apps.notifications import backends

    settings.RENDA = {**settings.RENDA, "NOTIFY_BACKEND": "apps.notifications.backends.MemoryBackend"}
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()


@pytest.fixture
def api_get(client):
    """GET an API path as a user, through a bearer token like an outside client would."""

    def get(user, path, **params):
        from apps.accounts.services import issue_token

        token = issue_token(user=user)
        return client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {token}")

    return get

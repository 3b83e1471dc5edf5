import pytest

from apps.notifications import backends


@pytest.fixture
def outbox(settings):
    """Send through MemoryBackend; the list holds what left the platform in this test."""
    settings.RENDA = {**settings.RENDA, "NOTIFY_BACKEND": "apps.notifications.backends.MemoryBackend"}
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()


@pytest.fixture
def reachable(world):
    """Two users with a phone each; the town clerk also has an e-mail address."""
    world.town_user.phone, world.town_user.email = "13900000001", "clerk@example.cn"
    world.town_user.save()
    world.deputy_user.phone = "13900000002"
    world.deputy_user.save()
    return world

import pytest


@pytest.fixture
def reachable(world):
    """Two users with a phone each; the town clerk also has an e-mail address."""
    world.town_user.phone, world.town_user.email = "13900000001", "clerk@example.cn"
    world.town_user.save()
    world.deputy_user.phone = "13900000002"
    world.deputy_user.save()
    return world

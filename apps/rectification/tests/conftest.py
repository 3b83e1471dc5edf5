import pytest

from apps.rectification import services


@pytest.fixture
def item(world):
    """An item of 城关镇 assigned to its unit, reviewed by deputy 张三 (who has a login)."""
    return services.open_item(
        actor=world.town_user,
        source_label="2026年道路交通安全执法检查",
        region=world.town_a,
        unit=world.unit_a,
        title="月河村道路缺少安全护栏",
        detail="临河路段约300米无护栏。",
        reviewers=[world.deputy_a],
    )


def step(item, actor, key, **data):
    return services.act(actor=actor, item=item, key=key, data=data)

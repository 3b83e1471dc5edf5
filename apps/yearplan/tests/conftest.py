import pytest

from apps.calendar import table


@pytest.fixture(autouse=True)
def fresh_holiday_table():
    """A test's rolled-back holidays must not live on in the in-memory table (a rollback sends no signal)."""
    table.clear()
    yield
    table.clear()


@pytest.fixture
def item(world):
    from datetime import date

    from apps.yearplan import services

    return services.add_item(
        actor=world.town_user, region=world.town_a, kind="study", title="代表集中学习", when=date(2031, 3, 10)
    )

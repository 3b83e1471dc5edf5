import pytest

from apps.calendar import table


@pytest.fixture(autouse=True)
def fresh_holiday_table():
    """A test's rolled-back rows must not live on in the in-memory copy (a rollback sends no signal)."""
    table.clear()
    yield
    table.clear()

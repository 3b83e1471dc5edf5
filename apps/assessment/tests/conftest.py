import datetime

import pytest
from django.utils import timezone

from apps.accounts.tests.factories import user_with
from apps.assessment import examples, services

YEAR = timezone.localdate().year


@pytest.fixture
def county_user2(world):
    """A second county office login: scores are reviewed by another login than the one that scored."""
    return user_with("county_office", "county2", region=world.county)


@pytest.fixture
def table(world):
    """Hanyin's example table for this year, open for scoring."""
    t = examples.install(actor=world.county_user, county=world.county, year=YEAR)
    return services.act(actor=world.county_user, item=t, key="open_scoring", data={})


def day(month=3, d=10):
    return datetime.date(YEAR, month, d)

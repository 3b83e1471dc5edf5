import datetime

import pytest

from apps.duty.models import DutyRecord
from apps.duty.services import append_platform_record

pytestmark = pytest.mark.django_db


def test_platform_record_counts_at_once_and_only_once(world):
    day = datetime.date(2026, 3, 3)
    first = append_platform_record(
        deputy=world.deputy_a, kind="reception", date=day, title="接待选民", source_object=world.station_a
    )
    again = append_platform_record(
        deputy=world.deputy_a, kind="reception", date=day, title="接待选民", source_object=world.station_a
    )
    assert first.pk == again.pk
    assert DutyRecord.objects.filter(deputy=world.deputy_a).count() == 1
    assert first.review_state == "approved" and first.town_id == world.town_a.pk


def test_duty_ledger_is_scoped_like_deputies(world):
    from apps.accounts.scopes import visible_to

    append_platform_record(
        deputy=world.deputy_b,
        kind="reception",
        date=datetime.date(2026, 3, 3),
        title="接待选民",
        source_object=world.station_b,
    )
    assert not visible_to(world.town_user, DutyRecord).exists()
    assert visible_to(world.town_b_user, DutyRecord).count() == 1

"""Reception days (接待选民日): the yearly plan, the rota published in advance, the day's record."""

from datetime import date

import pytest

from apps.calendar.services import is_workday
from apps.common.errors import PermissionDenied, ValidationFailed
from apps.duty.models import DutyRecord
from apps.notifications.models import Notification
from apps.opinions import services
from apps.opinions.models import ReceptionDay
from apps.opinions.rules import nth_weekday, reception_dates


def test_first_tuesday_of_each_month():
    assert nth_weekday(2026, 12, 1, 1) == date(2026, 12, 1)
    assert nth_weekday(2026, 3, 1, 1) == date(2026, 3, 3)
    assert nth_weekday(2026, 3, -1, 4) == date(2026, 3, 27)


@pytest.mark.django_db
def test_a_reception_day_in_a_holiday_moves_to_the_next_working_day():
    days = reception_dates(2025, 1, 1, is_workday)
    assert len(days) == 12
    # First Tuesday of October 2025 is the 7th, inside the National Day holiday (Oct 1–8).
    assert days[9] == date(2025, 10, 9)
    assert days[0] == date(2025, 1, 7)


@pytest.mark.django_db
def test_planning_a_year_creates_twelve_days_once(world):
    created = services.plan_year(actor=world.keeper_user, station=world.station_a, year=2026)
    assert len(created) == 12
    assert services.plan_year(actor=world.town_user, station=world.station_a, year=2026) == []
    assert ReceptionDay.objects.filter(station=world.station_a).count() == 12
    with pytest.raises(PermissionDenied):
        services.plan_year(actor=world.town_b_user, station=world.station_a, year=2026)
    with pytest.raises(PermissionDenied):
        services.plan_year(actor=world.deputy_user, station=world.station_a, year=2026)


@pytest.fixture
def day(world):
    return ReceptionDay.objects.create(
        station=world.station_a, region=world.station_a.region, date=date(2026, 11, 3)
    )


@pytest.mark.django_db
def test_publishing_the_rota_tells_the_deputies_on_duty(world, day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_rota(actor=world.keeper_user, day=day, deputy_ids=[world.deputy_a.pk], publish=True)
    assert list(day.rota.all()) == [world.deputy_a] and day.rota_published_at
    assert Notification.objects.filter(recipient=world.deputy_user, kind="reception.rota").count() == 1


@pytest.mark.django_db
def test_only_deputies_of_the_town_can_be_on_the_rota(world, day):
    with pytest.raises(ValidationFailed):
        services.set_rota(actor=world.keeper_user, day=day, deputy_ids=[world.deputy_b.pk])


@pytest.mark.django_db
def test_recording_the_day_counts_each_present_deputy_once(world, day):
    ids = [world.deputy_a.pk, world.deputy_a2.pk]
    services.record_day(
        actor=world.keeper_user, day=day, present_ids=ids, voters_received=23, notes="反映道路3件"
    )
    services.record_day(actor=world.keeper_user, day=day, present_ids=ids, voters_received=25)
    day.refresh_from_db()
    assert day.voters_received == 25 and day.is_recorded
    assert DutyRecord.objects.filter(kind="reception").count() == 2


@pytest.mark.django_db
def test_a_day_still_to_come_cannot_be_recorded(world):
    later = ReceptionDay.objects.create(
        station=world.station_a, region=world.station_a.region, date=date(2099, 1, 6)
    )
    with pytest.raises(ValidationFailed):
        services.record_day(actor=world.keeper_user, day=later, present_ids=[], voters_received=1)


@pytest.mark.django_db
def test_items_raised_on_the_day_link_to_it(world, day):
    from .factories import opinion

    item = opinion(world, actor=world.keeper_user, source="reception", reception_day=day.pk)
    assert item.reception_day == day and item.station == world.station_a

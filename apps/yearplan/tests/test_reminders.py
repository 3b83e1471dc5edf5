from datetime import date

import pytest

from apps.notifications.models import Notification
from apps.yearplan import services
from apps.yearplan.reminders import send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def thursday(world):
    return services.add_item(
        actor=world.town_user,
        region=world.town_a,
        kind="reception",
        title="接待选民日",
        when=date(2031, 3, 13),
    )


def _sent():
    return list(
        Notification.objects.filter(kind="yearplan.reminder").values_list("recipient__username", flat=True)
    )


def test_the_reminder_goes_three_working_days_ahead_to_the_office_and_the_towns_deputies(world, thursday):
    assert send_reminders(date(2031, 3, 7)) == 0  # Friday: four working days ahead, too early
    assert send_reminders(date(2031, 3, 10)) == 1  # Monday
    assert sorted(_sent()) == sorted([world.town_user.username, world.deputy_user.username])


def test_a_reminder_missed_on_its_day_still_goes_later_but_never_after_the_item(world, thursday):
    assert send_reminders(date(2031, 3, 14)) == 0
    assert send_reminders(date(2031, 3, 12)) == 1


def test_a_reminder_is_sent_once_however_often_the_task_runs(world, thursday):
    send_reminders(date(2031, 3, 10))
    assert send_reminders(date(2031, 3, 10)) == 0
    assert send_reminders(date(2031, 3, 11)) == 0
    assert len(_sent()) == 2


def test_a_moved_item_is_reminded_again_for_its_new_date_and_a_cancelled_one_never(world, thursday):
    send_reminders(date(2031, 3, 10))
    services.act(actor=world.town_user, item=thursday, key="move", data={"date": "2031-03-20"})
    assert send_reminders(date(2031, 3, 14)) == 0
    assert send_reminders(date(2031, 3, 17)) == 1
    assert len(_sent()) == 4
    other = services.add_item(
        actor=world.town_user, region=world.town_a, kind="study", title="学习", when=date(2031, 3, 27)
    )
    services.act(actor=world.town_user, item=other, key="cancel", data={"reason": "改期另行通知"})
    assert send_reminders(date(2031, 3, 24)) == 0


def test_the_reminder_also_goes_by_sms_once(world, thursday):
    from apps.notifications.models import OutboundMessage

    world.deputy_user.phone = "13800000001"
    world.deputy_user.save(update_fields=["phone"])
    send_reminders(date(2031, 3, 10))
    send_reminders(date(2031, 3, 11))
    sms = OutboundMessage.objects.filter(channel="sms", address="13800000001")
    assert sms.count() == 1 and "接待选民日" in sms.get().text


def test_a_towns_own_lead_time_moves_its_reminder_and_no_other_towns(world, thursday):
    from apps.localrules.services import set_value

    set_value(actor=world.county_user, region=world.town_a, key="YEARPLAN_REMIND_WORKING_DAYS", value=5)
    other = services.add_item(
        actor=world.town_b_user,
        region=world.town_b,
        kind="reception",
        title="接待选民日",
        when=date(2031, 3, 13),
    )
    assert send_reminders(date(2031, 3, 6)) == 1  # Thursday: five working days ahead of town A's item
    thursday.refresh_from_db()
    other.refresh_from_db()
    assert thursday.reminded_for == date(2031, 3, 13)
    assert other.reminded_for is None  # town B keeps the default three
    assert send_reminders(date(2031, 3, 10)) == 1

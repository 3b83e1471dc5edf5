from datetime import date, datetime

import pytest

from apps.audit.models import AuditEvent
from apps.calendar.models import CalendarDay, DayKind
from apps.calendar.services import is_workday
from apps.yearplan import services
from apps.yearplan.models import PlanItem

pytestmark = pytest.mark.django_db

PER_TOWN = 28  # 12 receptions, 4 studies, 2 briefings, 2 research, 1 inspection, 1 report-back, 2+4 meetings


def test_a_county_generates_every_town_on_working_days(world):
    CalendarDay.objects.create(date=date(2031, 6, 16), kind=DayKind.HOLIDAY, name="端午节")
    made = services.generate(actor=world.county_user, region=world.county, year=2031)
    assert made == {world.town_a.pk: PER_TOWN, world.town_b.pk: PER_TOWN}
    dates = list(PlanItem.objects.values_list("date", flat=True))
    assert all(is_workday(d) for d in dates)
    june = PlanItem.objects.get(town=world.town_a, kind="reception", date__month=6)
    assert june.date == date(2031, 6, 17)  # the 15th is a Sunday, the 16th a holiday
    assert AuditEvent.objects.filter(action="yearplan.generated").count() == 2


def test_a_make_up_working_day_counts_as_one(world):
    # 2031-02-15 is a Saturday, made a working day: the reception day stays on it.
    CalendarDay.objects.create(date=date(2031, 2, 15), kind=DayKind.MAKEUP_WORKDAY, name="春节调休")
    services.generate(actor=world.town_user, region=world.town_a, year=2031)
    assert PlanItem.objects.get(kind="reception", date__month=2).date == date(2031, 2, 15)


def test_generating_again_adds_nothing_and_keeps_what_the_office_changed(world):
    services.generate(actor=world.town_user, region=world.town_a, year=2031)
    item = PlanItem.objects.get(kind="inspection")
    services.act(actor=world.town_user, item=item, key="move", data={"date": "2031-11-04"})
    again = services.generate(actor=world.county_user, region=world.county, year=2031)
    assert again == {world.town_a.pk: 0, world.town_b.pk: PER_TOWN}
    assert PlanItem.objects.get(pk=item.pk).date == date(2031, 11, 4)


def test_sessions_and_presidium_meetings_on_record_replace_the_template_dates(world):
    from apps.meetings.models import Meeting, Session

    Session.objects.create(region=world.town_a, term=20, number=3, title="第二十届人大第三次会议",
                           starts_on=date(2031, 3, 3))  # fmt: skip
    from django.utils import timezone

    Meeting.objects.create(region=world.town_a, kind="presidium", title="主席团第五次会议",
                           starts_at=timezone.make_aware(datetime(2031, 5, 6, 9)))  # fmt: skip
    services.generate(actor=world.town_user, region=world.town_a, year=2031)
    sessions = PlanItem.objects.filter(kind="session")
    assert [(s.date, s.title) for s in sessions] == [(date(2031, 3, 3), "第二十届人大第三次会议")]
    assert list(PlanItem.objects.filter(kind="presidium").values_list("date", flat=True)) == [
        date(2031, 5, 6)
    ]


def test_a_town_office_cannot_generate_another_town(world):
    from apps.common.errors import NotFound, PermissionDenied

    with pytest.raises((NotFound, PermissionDenied)):
        services.generate(actor=world.town_user, region=world.town_b, year=2031)
    assert not PlanItem.objects.exists()
    assert AuditEvent.objects.filter(action="access.denied").exists()


def test_moving_to_a_holiday_is_refused_and_cancelling_is_audited(world, item):
    from apps.common.errors import DomainError

    CalendarDay.objects.create(date=date(2031, 3, 12), kind=DayKind.HOLIDAY, name="测试假日")
    with pytest.raises(DomainError):
        services.act(actor=world.town_user, item=item, key="move", data={"date": "2031-03-12"})
    item = services.act(actor=world.town_user, item=item, key="cancel", data={"reason": "与会议冲突"})
    assert item.state == "cancelled" and item.cancel_reason == "与会议冲突"
    assert AuditEvent.objects.filter(action="yearplan.cancel").exists()


def test_a_street_gets_no_session_or_presidium_line(world):
    world.town_b.is_street = True
    world.town_b.save(update_fields=["is_street"])
    made = services.generate(actor=world.county_user, region=world.county, year=2031)
    assert made[world.town_b.pk] == PER_TOWN - 6
    assert not PlanItem.objects.filter(town=world.town_b, kind__in=("session", "presidium")).exists()

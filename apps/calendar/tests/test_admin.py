"""System admins edit the holiday table in Django admin; every change lands in the audit log."""

from datetime import date

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.audit.services import verify_chain
from apps.calendar.models import CalendarDay, CalendarYear, DayKind, YearSource
from apps.calendar.services import add_working_days

pytestmark = pytest.mark.django_db


def _add_day(admin_client, **data):
    return admin_client.post(reverse("admin:calendar_calendarday_add"), data)


def test_admin_adding_a_holiday_appends_an_audit_event_and_moves_deadlines(admin_client, admin_user):
    assert add_working_days(date(2031, 3, 6), 5) == date(2031, 3, 13)
    resp = _add_day(admin_client, date="2031-03-10", kind=DayKind.HOLIDAY, name="测试假日")
    assert resp.status_code == 302
    day = CalendarDay.objects.get(date=date(2031, 3, 10))
    event = AuditEvent.objects.get(action="calendar.day.created")
    assert (event.actor, event.object_id) == (admin_user, str(day.pk))
    assert event.summary["created"]["name"] == "测试假日"
    assert add_working_days(date(2031, 3, 6), 5) == date(2031, 3, 14)
    assert CalendarYear.objects.get(year=2031).source == YearSource.ADMIN
    assert list(verify_chain()) == []


def test_admin_editing_a_library_day_is_audited_and_claims_the_year(admin_client):
    day = CalendarDay.objects.get(date=date(2025, 10, 6))
    url = reverse("admin:calendar_calendarday_change", args=[day.pk])
    resp = admin_client.post(url, {"date": "2025-10-06", "kind": DayKind.HOLIDAY, "name": "中秋节"})
    assert resp.status_code == 302
    event = AuditEvent.objects.get(action="calendar.day.changed")
    assert event.summary == {"name": ["中秋", "中秋节"]}
    assert AuditEvent.objects.get(action="calendar.year.changed").summary == {"source": ["library", "admin"]}


def test_admin_deleting_a_day_is_audited(admin_client):
    day = CalendarDay.objects.get(date=date(2026, 2, 28))
    resp = admin_client.post(reverse("admin:calendar_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert resp.status_code == 302
    assert (
        AuditEvent.objects.get(action="calendar.day.deleted").summary["deleted"]["kind"] == "makeup_workday"
    )


def test_make_up_working_day_on_a_weekday_is_refused(admin_client):
    resp = _add_day(admin_client, date="2031-03-10", kind=DayKind.MAKEUP_WORKDAY, name="测试假日")
    assert resp.status_code == 200
    assert not CalendarDay.objects.filter(date=date(2031, 3, 10)).exists()
    assert not AuditEvent.objects.exists()


def test_admin_marks_a_year_announced_with_an_audit_event(admin_client):
    year = CalendarYear.objects.create(year=2027)
    resp = admin_client.post(
        reverse("admin:calendar_calendaryear_changelist"),
        {"action": "mark_announced", "_selected_action": [year.pk]},
    )
    assert resp.status_code == 302
    year.refresh_from_db()
    assert year.announced
    assert AuditEvent.objects.get(action="calendar.year.changed").summary == {"announced": [False, True]}


def test_year_list_counts_days_in_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        page = admin_client.get(reverse("admin:calendar_calendaryear_changelist"))
    assert page.status_code == 200
    row = page.context["cl"].result_list.get(year=2026)
    assert (row.holidays, row.makeup_workdays) == (33, 6)  # 2026's notice: 33 days off, 6 make-up days


@pytest.mark.parametrize("name", ["calendarday_changelist", "calendarday_add", "calendaryear_add"])
def test_admin_pages_render(admin_client, name):
    assert admin_client.get(reverse(f"admin:calendar_{name}")).status_code == 200

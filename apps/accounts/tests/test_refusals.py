"""A refusal leaves exactly one `access.denied` event even when the refused action's transaction rolls back:
written after the rollback by the API's error handler, the page middleware, or `records_refusals()` around a
service's own transaction (issue #13, item 3)."""

import pytest
from django.db import transaction
from django.urls import reverse

from apps.accounts.scopes import CHANGE, deny, in_transaction, records_refusals
from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.meetings.tests.factories import plan

pytestmark = pytest.mark.django_db


def _denied(**filters):
    return AuditEvent.objects.filter(action="access.denied", **filters)


def _refused_inside_a_transaction(user, obj):
    with transaction.atomic():
        AuditEvent.objects.count()  # some work of the action, rolled back with it
        deny(user, CHANGE, obj)


def test_a_test_case_wrapper_is_not_a_transaction_of_the_code():
    assert not in_transaction()
    with transaction.atomic():
        assert in_transaction()


def test_outside_a_transaction_the_refusal_is_written_at_once(world):
    with pytest.raises(PermissionDenied) as caught:
        deny(world.unit_user, CHANGE, world.station_a)
    assert _denied().count() == 1 and caught.value.refusal.written


def test_inside_a_transaction_the_refusal_waits_for_the_rollback(world):
    with pytest.raises(PermissionDenied) as caught:
        _refused_inside_a_transaction(world.unit_user, world.station_a)
    assert not _denied().exists() and not caught.value.refusal.written


def test_a_service_wrapped_in_records_refusals_leaves_exactly_one_event(world):
    @records_refusals()
    def service():
        _refused_inside_a_transaction(world.unit_user, world.station_a)

    with pytest.raises(PermissionDenied):
        service()
    event = _denied().get()
    assert event.object_id == str(world.station_a.pk) and event.actor == world.unit_user
    assert event.summary == {"attempted": "change"}


def test_nested_records_refusals_write_once_and_only_outside_every_transaction(world):
    with pytest.raises(PermissionDenied) as caught, records_refusals():
        with transaction.atomic(), records_refusals():
            _refused_inside_a_transaction(world.unit_user, world.station_a)
        raise AssertionError("not reached")
    assert _denied().count() == 1 and caught.value.refusal.written


def test_other_errors_pass_through_records_refusals(world):
    with pytest.raises(ValidationFailed), records_refusals(), transaction.atomic():
        raise ValidationFailed()
    assert not _denied().exists()


def test_a_refused_service_called_directly_leaves_one_event(world):
    """A real service refusing inside its own transaction: another town's office opens a meeting's
    check-in."""
    from apps.meetings.services import open_checkin

    meeting = plan(world)
    with pytest.raises(NotFound):
        open_checkin(actor=world.town_b_user, meeting_id=meeting.pk)
    assert _denied(object_id=str(meeting.pk)).count() == 1


def test_api_handler_writes_a_refusal_raised_inside_a_transaction(world, client, monkeypatch):
    from apps.meetings import services

    def refusing(*, actor, meeting_id):  # a service without records_refusals: the handler alone writes it
        _refused_inside_a_transaction(actor, world.station_a)

    monkeypatch.setattr(services, "open_checkin", refusing)
    meeting = plan(world)
    client.force_login(world.town_user)
    resp = client.post(f"/api/v1/meetings/{meeting.pk}/checkin/open")
    assert resp.status_code == 403
    assert _denied(object_id=str(world.station_a.pk)).count() == 1


def test_api_refusal_seen_by_both_the_service_and_the_handler_is_written_once(world, client):
    meeting = plan(world)
    client.force_login(world.town_b_user)
    resp = client.post(f"/api/v1/meetings/{meeting.pk}/checkin/open")
    assert resp.status_code == 404
    assert _denied(object_id=str(meeting.pk)).count() == 1


def test_page_middleware_writes_a_refusal_raised_inside_a_transaction(world, client, monkeypatch):
    from apps.places import services

    def refusing(*, actor, station_id, data, reason=""):
        _refused_inside_a_transaction(actor, world.station_a)

    monkeypatch.setattr(services, "update_station", refusing)
    client.force_login(world.town_user)
    resp = client.post(reverse("places:station_detail", args=[world.station_a.pk]), {"name": "改名"})
    assert resp.status_code == 403
    assert _denied(object_id=str(world.station_a.pk)).count() == 1


def test_a_refusal_the_view_caught_itself_is_written_at_the_end_of_the_request(world, client, monkeypatch):
    from apps.places import services, views

    def refusing(*, actor, station_id, data, reason=""):
        try:
            _refused_inside_a_transaction(actor, world.station_a)
        except PermissionDenied as exc:  # shown beside the form, as some views do with domain errors
            raise ValidationFailed(fields={"name": [str(exc.message)]}) from exc

    monkeypatch.setattr(services, "update_station", refusing)
    assert views.services is services
    client.force_login(world.town_user)
    resp = client.post(reverse("places:station_detail", args=[world.station_a.pk]), {"name": "改名"})
    assert resp.status_code == 400
    assert _denied(object_id=str(world.station_a.pk)).count() == 1


# --- out of sight answers 404 for writes too (issue #13) --------------------------------------------------


def test_a_write_on_an_object_out_of_sight_answers_404_and_is_logged(world):
    from apps.accounts.scopes import get_or_deny
    from apps.places.models import Station

    with pytest.raises(NotFound):
        get_or_deny(world.town_b_user, Station, CHANGE, pk=world.station_a.pk)
    assert _denied(object_id=str(world.station_a.pk), actor=world.town_b_user).count() == 1


def test_a_write_on_an_object_in_sight_but_not_changeable_answers_403_and_is_logged(world):
    from apps.accounts import permissions as perms
    from apps.accounts.scopes import get_or_deny
    from apps.places.models import Station

    with pytest.raises(PermissionDenied):  # the keeper sees their station but may not edit it
        get_or_deny(world.keeper_user, Station, perms.STATION_EDIT, pk=world.station_a.pk)
    assert _denied(object_id=str(world.station_a.pk), actor=world.keeper_user).count() == 1


def test_a_missing_object_answers_404_without_a_refusal(world):
    from apps.accounts.scopes import get_or_deny
    from apps.places.models import Station

    with pytest.raises(NotFound):
        get_or_deny(world.town_user, Station, CHANGE, pk=987654)
    assert not _denied().exists()


def test_creating_in_another_town_is_404_but_without_the_capability_anywhere_403(world):
    from apps.accounts import permissions as perms

    with pytest.raises(NotFound):
        perms.require_in(world.town_b_user, perms.MEETING_MANAGE, world.town_a)
    with pytest.raises(PermissionDenied):
        perms.require_in(world.unit_user, perms.MEETING_MANAGE, world.town_a)
    assert _denied(object_id=str(world.town_a.pk)).count() == 2

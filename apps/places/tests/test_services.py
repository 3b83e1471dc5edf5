"""Editing a station: the office of its town changes the allowed fields, audited; nobody else does."""

import pytest

from apps.audit.models import AuditEvent
from apps.common.errors import DomainError, PermissionDenied, ValidationFailed
from apps.places import services


def test_town_office_edits_its_station_and_the_change_is_audited(world):
    station = services.update_station(
        actor=world.town_user,
        station_id=world.station_a.pk,
        data={"address": "人民路8号", "opening_schedule": "每周二上午", "checklist": {"room": True}},
        reason="搬迁",
    )
    station.refresh_from_db()
    assert station.address == "人民路8号" and station.opening_schedule == "每周二上午"
    assert station.checklist["room"] is True and station.checklist["keeper"] is False
    assert station.checklist_done == 1
    event = AuditEvent.objects.get(action="places.station.updated")
    assert event.object_id == str(station.pk)


def test_fields_outside_the_editable_list_are_ignored(world):
    services.update_station(actor=world.town_user, station_id=world.station_a.pk, data={"level": "county"})
    world.station_a.refresh_from_db()
    assert world.station_a.level == "town"


def test_county_office_edits_a_station_of_any_town_of_its_county(world):
    services.update_station(actor=world.county_user, station_id=world.station_b.pk, data={"name": "涧池站"})
    world.station_b.refresh_from_db()
    assert world.station_b.name == "涧池站"


@pytest.mark.parametrize(
    "data, field",
    [({"name": "  "}, "name"), ({"checklist": {"room": True, "pool": True}}, "checklist")],
)
def test_bad_input_is_a_field_error(world, data, field):
    with pytest.raises(ValidationFailed) as caught:
        services.update_station(actor=world.town_user, station_id=world.station_a.pk, data=data)
    assert field in caught.value.fields


def test_the_keeper_sees_but_does_not_edit_the_station(world):
    with pytest.raises(PermissionDenied):
        services.update_station(actor=world.keeper_user, station_id=world.station_a.pk, data={"name": "x"})


def test_another_towns_office_cannot_edit(world):
    with pytest.raises(DomainError) as caught:
        services.update_station(actor=world.town_b_user, station_id=world.station_a.pk, data={"name": "x"})
    assert caught.value.status in (403, 404)  # 404 once a change to an unseen object answers like a read
    world.station_a.refresh_from_db()
    assert world.station_a.name == "城关镇代表联络站"


def test_a_refused_edit_is_logged(world):
    for user in (world.keeper_user, world.town_b_user):
        with pytest.raises(DomainError):
            services.update_station(actor=user, station_id=world.station_a.pk, data={"name": "x"})
        assert AuditEvent.objects.filter(action="access.denied", actor=user).exists()

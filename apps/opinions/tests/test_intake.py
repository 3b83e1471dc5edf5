"""Intake from every source (DOMAIN §3): who may register what, and the public door."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.common.errors import PermissionDenied, Throttled, ValidationFailed
from apps.duty.models import DutyRecord
from apps.opinions import services
from apps.opinions.models import Opinion
from apps.workflow.uploads import attachments_of

from .factories import opinion

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_letter_registered_by_the_office_gets_a_code_and_a_deadline(world):
    item = opinion(world)
    assert (
        item.state == "registered" and item.tracking_code.startswith("MY") and len(item.tracking_code) == 12
    )
    assert item.town == world.town_a and item.county == world.county
    assert item.due_date is not None and item.registered_by == world.town_user


def test_the_keeper_registers_at_the_own_station_only(world):
    item = opinion(world, actor=world.keeper_user, source="reception", station=world.station_a.pk)
    assert item.station == world.station_a
    with pytest.raises(PermissionDenied):
        opinion(world, actor=world.keeper_user, source="letter")  # no station: not the keeper's to register


def test_a_deputys_household_visit_counts_in_the_duty_record(world):
    item = opinion(world, actor=world.deputy_user, source="visit", deputy=world.deputy_a.pk)
    assert DutyRecord.objects.filter(deputy=world.deputy_a, kind="household_visit").count() == 1
    assert item.deputy == world.deputy_a
    with pytest.raises(PermissionDenied):
        opinion(world, actor=world.deputy_user, source="visit", deputy=world.deputy_a2.pk)


def test_a_visit_without_a_deputy_is_a_field_error(world):
    with pytest.raises(ValidationFailed) as caught:
        opinion(world, source="visit")
    assert "deputy" in caught.value.fields


def test_an_enterprise_order_needs_the_enterprise_and_is_taken_by_a_deputy(world):
    with pytest.raises(ValidationFailed):
        opinion(world, source="enterprise")
    item = opinion(
        world, source="enterprise", enterprise_name="汉阴县富硒茶业有限公司", deputy=world.deputy_a.pk
    )
    item = services.act(actor=world.deputy_user, item=item, key="take")
    assert item.state == "accepted" and item.deputy == world.deputy_a


def test_taking_is_only_for_enterprise_orders(world):
    from apps.workflow.errors import IllegalTransition

    with pytest.raises(IllegalTransition):
        services.act(actor=world.town_user, item=opinion(world, deputy=world.deputy_a.pk), key="take")


def test_a_deliberation_meeting_item_can_be_answered_on_the_spot(world):
    item = opinion(world, source="deliberation")
    item = services.act(
        actor=world.town_user, item=item, key="answer_on_spot", data={"reply": "县交通局当场答复"}
    )
    assert item.state == "replied" and item.on_spot and item.reply_on_time


def test_another_towns_office_cannot_register_here(world):
    with pytest.raises(PermissionDenied):
        opinion(world, actor=world.town_b_user)


def test_a_station_of_another_town_does_not_fit_the_region(world):
    with pytest.raises(ValidationFailed) as caught:
        opinion(world, station=world.station_b.pk)
    assert "station" in caught.value.fields


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("content", ""),
        ("content", "长" * 2001),
        ("submitter_phone", "12345"),
        ("topic", "weather"),
        ("source", "pigeon"),
        ("region", "999999"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_saved(world, field, value):
    with pytest.raises(ValidationFailed) as caught:
        opinion(world, **{field: value})
    assert field in caught.value.fields
    assert Opinion.objects.count() == 0


def test_photos_are_attached_at_intake_and_wrong_types_refused(world):
    item = opinion(world)
    services.add_attachment(actor=world.town_user, item=item, upload=SimpleUploadedFile("a.png", PNG))
    assert attachments_of(item).count() == 1
    with pytest.raises(ValidationFailed):
        services.register(
            actor=world.town_user,
            data={
                "source": "letter",
                "content": "内容",
                "region": world.village_a.code,
            },
            uploads=[SimpleUploadedFile("a.jpg", b"not an image")],
        )
    assert Opinion.objects.count() == 1


def test_unit_staff_cannot_attach_to_an_item_not_assigned_to_them(world):
    with pytest.raises(PermissionDenied):
        services.add_attachment(
            actor=world.unit_user, item=opinion(world), upload=SimpleUploadedFile("a.png", PNG)
        )


# --- the public door ---------------------------------------------------------------------------------------


def public(world, **data):
    fields = {
        "station": world.station_a.pk,
        "content": "东坝村路灯坏了很久，晚上出行不安全",
        "submitter_phone": "13911112222",
    }
    fields.update(data)
    return services.submit_public(data=fields, ip=data.pop("ip", "10.0.0.1"))


def test_a_voter_scanning_the_station_code_gets_a_tracking_code(world):
    item = public(world)
    assert (
        item.source == "online" and item.station == world.station_a and item.region == world.station_a.region
    )
    assert services.opinion_for_public(item.tracking_code.lower()) == item


def test_a_voter_scanning_a_deputys_code_reaches_that_deputy(world):
    item = public(world, station=None, deputy_code=world.deputy_a.public_code)
    assert item.deputy == world.deputy_a


def test_an_anonymous_voter_must_leave_a_phone(world):
    with pytest.raises(ValidationFailed) as caught:
        public(world, submitter_phone="")
    assert "submitter_phone" in caught.value.fields


def test_an_enterprise_submitting_online_enters_the_four_orders_flow(world):
    assert public(world, enterprise_name="汉阴县月河电子厂").source == "enterprise"


def test_public_submission_is_limited_per_address_and_per_phone(world, settings):
    settings.RENDA = {
        **settings.RENDA,
        "PUBLIC_SUBMIT_PER_IP_PER_HOUR": 2,
        "PUBLIC_SUBMIT_PER_PHONE_PER_DAY": 3,
    }
    public(world)
    public(world, submitter_phone="13911113333")
    with pytest.raises(Throttled):
        public(world, submitter_phone="13911114444")
    public(world, ip="10.0.0.2")  # another address; the phone's second today
    public(world, ip="10.0.0.3")
    with pytest.raises(Throttled):
        public(world, ip="10.0.0.4")  # the phone's fourth today
    assert Opinion.objects.count() == 4


def test_an_unknown_tracking_code_is_not_found(world):
    from apps.common.errors import NotFound

    with pytest.raises(NotFound):
        services.opinion_for_public("MYNOTACODE00")

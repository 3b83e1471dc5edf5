"""Every write about people: each checks permission through the one layer, writes in one transaction and
appends an audit event."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals
from apps.audit.services import apply_and_record, changes, record
from apps.common.errors import ValidationFailed

from .models import DEPUTY_PERSONAL_FIELDS, Deputy, Household, MandateStatus
from .rules import validate_phone

DEPUTY_EDITABLE = [
    *DEPUTY_PERSONAL_FIELDS,
    "station_id",
    "status",
    "bio",
    "is_presidium_member",
    "is_standing_committee_member",
    "on_plate",
]


def _check_deputy_fields(data: dict, region) -> dict:
    errors = {}
    if "name" in data and not (data["name"] or "").strip():
        errors["name"] = [_("姓名不能为空")]
    if data.get("phone"):
        msg = validate_phone(data["phone"])
        if msg:
            errors["phone"] = [msg]
    if "status" in data and data["status"] not in MandateStatus.values:
        errors["status"] = [_("状态无效")]
    if data.get("station_id"):
        from apps.places.models import Station

        station = Station.objects.filter(pk=data["station_id"]).first()
        if station is None or (region.town_id and station.town_id not in (None, region.town_id)):
            errors["station_id"] = [_("联络站不存在或不在该代表所在区划")]
    if errors:
        raise ValidationFailed(fields=errors)
    return data


@records_refusals()
def update_deputy(*, actor, deputy_id: int, data: dict, reason: str = "") -> Deputy:
    """Change a deputy's record; only offices whose grant covers the deputy may."""
    with transaction.atomic():
        deputy = get_or_deny(actor, Deputy, perms.PEOPLE_EDIT, pk=deputy_id)
        deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
        data = {k: v for k, v in data.items() if k in DEPUTY_EDITABLE}
        _check_deputy_fields(data, deputy.region)
        apply_and_record(
            actor=actor, instance=deputy, data=data, action="people.deputy.updated", reason=reason
        )
    return deputy


def create_deputy(*, actor, region, data: dict, reason: str = "") -> Deputy:
    perms.require_in(actor, perms.PEOPLE_EDIT, region)
    data = {k: v for k, v in data.items() if k in DEPUTY_EDITABLE}
    _check_deputy_fields({"name": data.get("name", ""), **data}, region)
    with transaction.atomic():
        deputy = Deputy(region=region, top_level=data.pop("top_level", "town"), **data)
        deputy.save()
        record(
            actor=actor,
            action="people.deputy.created",
            obj=deputy,
            summary=changes(deputy, ["name", "region_id", "station_id"]),
            reason=reason,
        )
    return deputy


@records_refusals()
def set_household_contact(*, actor, household_id: int, deputy_id: int | None, reason: str = "") -> Household:
    """Link a household to the deputy who contacts it (DOMAIN §2)."""
    with transaction.atomic():
        household = get_or_deny(actor, Household, perms.PEOPLE_EDIT, pk=household_id)
        household = Household.objects.select_for_update().get(pk=household.pk)
        if deputy_id is not None:
            deputy = get_or_deny(actor, Deputy, perms.PEOPLE_EDIT, pk=deputy_id)
            if deputy.town_id != household.town_id:
                raise ValidationFailed(fields={"deputy_id": [_("联系代表须与选民户在同一镇")]})
        apply_and_record(
            actor=actor,
            instance=household,
            data={"contact_deputy_id": deputy_id},
            action="people.household.contact_changed",
            reason=reason,
        )
    return household

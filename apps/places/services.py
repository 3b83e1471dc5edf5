"""Every write about places, checked, in one transaction, audited."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals
from apps.audit.services import apply_and_record
from apps.common.errors import ValidationFailed

from .models import STATION_CHECKLIST, Station

STATION_EDITABLE = ["name", "address", "keeper_name", "keeper_phone", "opening_schedule", "checklist"]


@records_refusals()
def update_station(*, actor, station_id: int, data: dict, reason: str = "") -> Station:
    with transaction.atomic():
        station = get_or_deny(actor, Station, perms.STATION_EDIT, pk=station_id)
        station = Station.objects.select_for_update().get(pk=station.pk)
        data = {k: v for k, v in data.items() if k in STATION_EDITABLE}
        if "name" in data and not (data["name"] or "").strip():
            raise ValidationFailed(fields={"name": [_("名称不能为空")]})
        if "checklist" in data:
            known = {key for key, _label in STATION_CHECKLIST}
            unknown = set(data["checklist"]) - known
            if unknown:
                raise ValidationFailed(
                    fields={"checklist": [_("未知的建设清单项：%s") % ", ".join(sorted(unknown))]}
                )
            data["checklist"] = {key: bool(data["checklist"].get(key)) for key in known}
        apply_and_record(
            actor=actor, instance=station, data=data, action="places.station.updated", reason=reason
        )
    return station

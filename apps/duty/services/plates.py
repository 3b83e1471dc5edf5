"""The name-plate scheme (挂牌管理): warning, a recorded talk, removal from the plate list, reinstatement."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny
from apps.audit.services import record
from apps.common.errors import ValidationFailed
from apps.notifications.services import notify
from apps.people.models import Deputy

from ..models import (
    PlateAction,
    PlateKind,
)


def plate_action(
    *, actor, deputy_id: int, kind: str, reason: str, year: int, notes: str = "", date=None
) -> PlateAction:
    """A step of the name-plate scheme by the county or town office, with a reason: warning, a recorded talk,
    removal from the plate list (摘牌), reinstatement."""
    deputy = get_or_deny(actor, Deputy, perms.DUTY_PLATE, pk=deputy_id)
    errors = {}
    reason = (reason or "").strip()
    if kind not in PlateKind.values:
        errors["kind"] = _("请选择处理方式")
    if not reason:
        errors["reason"] = _("请填写理由")
    elif len(reason) > 300:
        errors["reason"] = _("理由不超过300字")
    if kind == PlateKind.TALK and not (notes or "").strip():
        errors["notes"] = _("约谈须填写谈话记录")
    if kind == PlateKind.REMOVAL and not deputy.on_plate:
        errors["kind"] = _("该代表已摘牌")
    if kind == PlateKind.REINSTATEMENT and deputy.on_plate:
        errors["kind"] = _("该代表在挂牌名单中，无需恢复")
    if errors:
        raise ValidationFailed(_("请检查填写的内容"), fields=errors)
    with transaction.atomic():
        deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
        action = PlateAction.objects.create(
            deputy=deputy,
            county_id=deputy.county_id,
            town_id=deputy.town_id,
            kind=kind,
            year=year,
            date=date or timezone.localdate(),
            reason=reason,
            notes=(notes or "").strip(),
            by=actor,
        )
        summary = {"deputy": deputy.pk, "kind": kind, "year": year}
        if kind in (PlateKind.REMOVAL, PlateKind.REINSTATEMENT):
            on_plate = kind == PlateKind.REINSTATEMENT
            Deputy.objects.filter(pk=deputy.pk).update(on_plate=on_plate)
            summary["on_plate"] = [deputy.on_plate, on_plate]
        record(actor=actor, action=f"duty.plate.{kind}", obj=action, reason=reason, summary=summary)
        if deputy.user_id:
            notify(
                recipients=[deputy.user],
                kind=f"duty.plate.{kind}",
                title=_("挂牌管理：%(kind)s") % {"kind": PlateKind(kind).label},
                body=reason,
                url="/duty/",
                obj=action,
                dedupe_key=f"duty-plate:{action.pk}",
            )
    return action

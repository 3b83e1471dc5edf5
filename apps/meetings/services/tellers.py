"""The meeting's tellers (监票人): named by the office, they key and decrypt every secret ballot of the
meeting (its secret votes and election rounds, apps.ballotbox)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.models import Role, RoleGrant
from apps.accounts.scopes import records_refusals
from apps.audit.services import record
from apps.ballotbox.errors import ErrorCode as BoxCode
from apps.common.errors import DomainError
from apps.common.errors import field_error as _fail
from apps.places.terms import terms_for

from ..models import Attendee, Meeting
from .base import _office_meeting

MIN_TELLERS = 2


def teller_choices(meeting: Meeting):
    """Who may be named: the logins of the meeting's deputies, and the office staff covering its town."""
    seated = Attendee.objects.filter(meeting=meeting).values("deputy_id")
    deputies = set(
        RoleGrant.objects.filter(role=Role.DEPUTY, deputy_id__in=seated).values_list("user_id", flat=True)
    )
    staff = set(RoleGrant.objects.exclude(role=Role.DEPUTY).values_list("user_id", flat=True))
    users = get_user_model().objects.filter(is_active=True, pk__in=deputies | staff).order_by("pk")
    return [u for u in users if u.pk in deputies or perms.holds_in(u, perms.BALLOTBOX_TELL, meeting.region)]


@records_refusals()
def name_tellers(*, actor, meeting_id: int, user_ids: list[int]) -> Meeting:
    """Name the meeting's tellers (at least two). Boxes already made keep the tellers they were made with."""
    with transaction.atomic():
        meeting = _office_meeting(actor, meeting_id)
        wanted = list(dict.fromkeys(int(i) for i in user_ids or []))
        allowed = {u.pk: u for u in teller_choices(meeting)}
        if any(i not in allowed for i in wanted):
            words = terms_for(meeting.region).words()
            raise _fail("tellers", _("监票人须为本次会议的%(addressee)s或%(office)s工作人员") % words)
        if len(wanted) < MIN_TELLERS:
            raise _fail("tellers", _("请至少指定两名监票人"))
        meeting.tellers.set([allowed[i] for i in wanted])
        record(actor=actor, action="meeting.tellers_named", obj=meeting, summary={"tellers": wanted})
    return meeting


def tellers_for_box(meeting: Meeting) -> list:
    """The tellers a new secret ballot of the meeting is keyed by; refused until two are named."""
    tellers = list(meeting.tellers.filter(is_active=True).order_by("pk"))
    if len(tellers) < MIN_TELLERS:
        raise DomainError(
            _("无记名投票须先为会议指定至少两名监票人"),
            code=BoxCode.NO_TELLERS,
            fields={"tellers": _("请先指定监票人")},
        )
    return tellers

"""After the election (issue 21 part 4, DOMAIN §5): the elected of a post, and the record of each one's
constitutional oath (宪法宣誓: who took it, when, before whom). The result announcement, the appointment
papers and the tally in Word are drawn from the stored outcomes (`word.py`).

An oath is recorded once, only for a person elected in a counted round, on a day from the election to
today; every record and every refusal is audited.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals
from apps.audit.services import record
from apps.common.errors import ValidationFailed
from apps.common.errors import field_error as _fail
from apps.common.params import Text

from .models import Oath, Outcome, Post, Result, RoundState
from .offices import elected_on
from .services import Conflict

BEFORE = Text(50, label=gettext_lazy("监誓人"))
PLACE = Text(100, label=gettext_lazy("宣誓地点"))


def elected(post: Post) -> list[Outcome]:
    """Everyone elected to the post, in the order of the rounds and their rank."""
    return list(
        Outcome.objects.filter(round__post=post, result=Result.ELECTED, round__state=RoundState.COUNTED)
        .select_related("round", "candidate", "oath", "office")
        .order_by("round__number", "rank")
    )


def elected_outcome(user, outcome_id: int) -> Outcome:
    """An elected outcome the user may see (a not-elected or uncounted one answers 404 like a missing one:
    it has no appointment paper)."""
    return get_or_deny(user, Outcome, pk=outcome_id, result=Result.ELECTED, round__state=RoundState.COUNTED)


def _text(param: Text, value, field: str, *, required: bool) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        if required:
            raise _fail(field, _("请填写%(label)s") % {"label": param.label})
        return ""
    try:
        return param.clean(text, name=field)
    except ValidationFailed:
        raise _fail(field, param.problem()) from None


@records_refusals()
def record_oath(*, actor, outcome_id: int, taken_on: date | None, before: str, place: str = "") -> Oath:
    """Record that an elected person took the constitutional oath, on `taken_on`, before `before`."""
    outcome = get_or_deny(actor, Outcome, perms.ELECTION_MANAGE, pk=outcome_id)
    before = _text(BEFORE, before, "before", required=True)
    place = _text(PLACE, place, "place", required=False)
    if not isinstance(taken_on, date):
        raise _fail("taken_on", _("请填写宣誓日期"))
    with transaction.atomic():
        outcome = (
            Outcome.objects.select_related("round__post").select_for_update(of=("self",)).get(pk=outcome.pk)
        )
        if outcome.result != Result.ELECTED or outcome.round.state != RoundState.COUNTED:
            raise Conflict(_("只有当选的人员才能进行宪法宣誓"))
        if Oath.objects.filter(outcome=outcome).exists():
            raise Conflict(_("%(name)s的宪法宣誓已经记录") % {"name": outcome.name})
        if taken_on < elected_on(outcome.round):
            raise _fail("taken_on", _("宣誓日期不能早于当选日期"))
        if taken_on > timezone.localdate():
            raise _fail("taken_on", _("宣誓日期不能晚于今天"))
        try:
            with transaction.atomic():
                oath = Oath.objects.create(
                    outcome=outcome, taken_on=taken_on, before=before, place=place, recorded_by=actor
                )
        except IntegrityError:
            raise Conflict(_("%(name)s的宪法宣誓已经记录") % {"name": outcome.name}) from None
        record(
            actor=actor,
            action="election.oath_recorded",
            obj=oath,
            summary={
                "outcome": outcome.pk,
                "name": outcome.name,
                "post": outcome.round.post_id,
                "taken_on": taken_on.isoformat(),
                "before": before,
                "place": place,
            },
        )
    return oath

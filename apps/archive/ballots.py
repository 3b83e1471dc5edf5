"""The report-back rating's ballot box (apps.ballotbox, issue 15): its tellers, finding it, what a meeting
page shows of it, and the receiver that files the result once the tellers have decrypted the totals.

A rating has no tellers (监票人) of its own, so the office staff member who prepares it and a second staff
member they name act together: the box's key is split between the two, and only both, at the close, can
decrypt the combined totals (never a single rating)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.models import Role, RoleGrant
from apps.ballotbox import services as ballotbox
from apps.ballotbox.models import Box
from apps.common.choices import Satisfaction
from apps.common.errors import field_error
from apps.places.terms import terms_for

from .models import ReportBackMeeting, ReportBackState

SECOND_TELLER = "second_teller"


def _is_staff_teller(user, meeting: ReportBackMeeting) -> bool:
    """Office staff over the meeting's town who may act as a teller (an office grant covering it)."""
    return perms.holds_in(user, perms.BALLOTBOX_TELL, meeting.region)


def second_teller_choices(meeting: ReportBackMeeting, actor) -> list:
    """Who the office may name: the active office staff covering the town, the actor aside."""
    staff = RoleGrant.objects.exclude(role=Role.DEPUTY).values_list("user_id", flat=True)
    users = (
        get_user_model()
        .objects.filter(is_active=True, pk__in=staff)
        .exclude(pk=getattr(actor, "pk", None))
        .order_by("pk")
    )
    return [u for u in users if _is_staff_teller(u, meeting)]


def second_teller(meeting: ReportBackMeeting, actor, user_id: int):
    """The second teller the office named, or a field error. Another town's staff, a deputy, an inactive or
    unknown user all get the same answer: nothing tells them apart."""
    if user_id == getattr(actor, "pk", None):
        raise field_error(SECOND_TELLER, _("第二名监票人须是另一位工作人员，不能是您本人"))
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not _is_staff_teller(user, meeting):
        words = terms_for(meeting.town).words()
        raise field_error(SECOND_TELLER, _("第二名监票人须是%(here)s（或县）人大办的在职工作人员") % words)
    return user


def make_box(meeting: ReportBackMeeting, *, actor, second) -> Box:
    """The meeting's box: one row per reporting deputy (in the speakers' order), the rated satisfaction
    labels as options, the actor and the second staff member as its tellers."""
    speakers = list(meeting.speakers.select_related("deputy").order_by("id"))
    return ballotbox.create_box(
        actor=actor,
        region=meeting.region,
        title=meeting.title,
        labels=[str(label) for _v, label in Satisfaction.rated()],
        questions=[s.deputy.name for s in speakers],
        tellers=[actor, second],
        target=meeting,
    )


def rating_box(meeting: ReportBackMeeting) -> Box | None:
    ct = ContentType.objects.get_for_model(ReportBackMeeting)
    return Box.objects.filter(content_type=ct, object_id=meeting.pk).order_by("-id").first()


def choice_index(choice: str) -> int:
    """A satisfaction value as the box's 0-based option."""
    return Satisfaction.rated_values().index(choice)


def tellers(meeting: ReportBackMeeting, box: Box | None = None) -> list[dict]:
    """The box's tellers and their steps, for the meeting page and the API: who still owes a key share
    (before the rating opens) or a share of the decryption (while counting)."""
    box = box if box is not None else rating_box(meeting)
    if box is None:
        return []
    out = []
    for t in box.trustees.select_related("user", "tally").order_by("id"):
        user = t.user
        share = getattr(t, "tally", None) is not None
        owes = ""
        if box.state == "setup" and not t.public_share:
            owes = "key"
        elif box.state == "closed" and not share:
            owes = "share"
        out.append(
            {
                "user_id": user.pk,
                "name": getattr(user, "display_name", "") or user.get_username(),
                "key_made": bool(t.public_share),
                "share_given": share,
                "owes": owes,
            }
        )
    return out


def missing_keys(meeting: ReportBackMeeting) -> list[str]:
    return [t["name"] for t in tellers(meeting) if not t["key_made"]]


def on_tallied(sender, box, **kwargs):
    """The last teller's share has decrypted the totals: file the meeting's result, once (the platform's
    `file_results` step, audited by the engine), inside the same transaction."""
    if box.content_type_id != ContentType.objects.get_for_model(ReportBackMeeting).pk:
        return
    meeting = ReportBackMeeting.objects.filter(pk=box.object_id).first()
    if meeting is None or meeting.state != ReportBackState.COUNTING:
        return
    from apps.workflow.services import transition

    transition(meeting, "file_results", actor=None, system=True)

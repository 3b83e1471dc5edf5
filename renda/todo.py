"""The home page's to-do list (issue 16 item 8): what waits for this person, overdue first, each line one
click from the action. Tracked items come generically from the transition tables
(`apps.workflow.todo`); this module adds what is no tracked item: a teller's owed key or decryption
shares, co-signature invitations, replies to rate, meetings, reception duty and commitments. It lives in
the project, as the home page does, because it reads across the apps."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import own_deputy_id, visible_to
from apps.workflow.todo import Line, sort_key, tracked_lines

# How far ahead meetings and reception days are listed.
AHEAD_DAYS = 14
PER_KIND = 20


def todo(user, today=None) -> list[Line]:
    """Every line for `user`, overdue first, then by due date."""
    today = today or timezone.localdate()
    lines = tracked_lines(user, today)
    for part in (_teller, _invitations, _ratings, _meetings, _reception, _commitments):
        lines.extend(part(user, today))
    return sorted(lines, key=sort_key)


def _teller(user, today):
    from apps.ballotbox.selectors import owed_keys, owed_shares

    desk = reverse("ballotbox:desk")
    for seat in owed_keys(user)[:PER_KIND]:
        yield Line(_("监票"), _("生成密钥份额"), str(seat.box), desk, key=f"teller.key:{seat.pk}")
    for seat in owed_shares(user)[:PER_KIND]:
        yield Line(_("监票"), _("提交解密份额"), str(seat.box), desk, key=f"teller.share:{seat.pk}")


def _invitations(user, today):
    from apps.suggestions.selectors import invitations

    url = reverse("suggestions:invitations")
    for sig in invitations(user, pending_only=True)[:PER_KIND]:
        item = sig.suggestion or sig.motion
        yield Line(_("联名邀请"), _("确认或谢绝联名"), str(item), url, key=f"signature:{sig.pk}")


def _ratings(user, today):
    """Replies awaiting this deputy's rating (a confirmed signer who has not rated this round)."""
    from django.db.models import Exists, F, OuterRef

    from apps.suggestions.models import Feedback, Suggestion

    me = own_deputy_id(user)
    if me is None:
        return
    rated = Feedback.objects.filter(suggestion=OuterRef("pk"), deputy_id=me, round=F("suggestion__rounds"))
    qs = (
        visible_to(user, Suggestion)
        .filter(state="replied", signatures__deputy_id=me, signatures__status="confirmed")
        .exclude(Exists(rated))
        .distinct()
        .order_by("pk")
    )
    for s in qs[:PER_KIND]:
        yield Line(_("代表建议"), _("评价答复"), str(s), s.get_absolute_url(), key=f"rate:{s.pk}")
    from apps.archive.models import ReportBackMeeting

    for m in visible_to(user, ReportBackMeeting).filter(state="rating").order_by("pk")[:PER_KIND]:
        yield Line(_("述职测评"), _("参加测评"), str(m), m.get_absolute_url(), key=f"report_back:{m.pk}")
    yield from _surveys(user, me)


def _surveys(user, me: int):
    """Open satisfaction surveys of department evaluations this deputy has not answered yet."""
    from apps.evaluations.models import SurveyParticipation
    from apps.evaluations.rules import voter_key
    from apps.evaluations.selectors import surveys_to_answer

    surveys = list(surveys_to_answer(user).order_by("closes_at", "pk")[:PER_KIND])
    keys = {voter_key(s.pk, f"deputy:{me}"): s for s in surveys}
    answered = set(SurveyParticipation.objects.filter(voter_key__in=keys).values_list("voter_key", flat=True))
    for key, survey in keys.items():
        if key in answered:
            continue
        url = reverse("evaluations:rate", args=[survey.pk])
        due = timezone.localtime(survey.closes_at).date() if survey.closes_at else None
        title = str(survey.evaluation)
        yield Line(_("工作评议"), _("参加满意度测评"), title, url, due=due, key=f"survey:{survey.pk}")


def _meetings(user, today):
    """A deputy's meetings ahead; an office's meetings still to prepare."""
    from apps.meetings.models import Meeting

    soon = timezone.now() + timedelta(days=AHEAD_DAYS)
    ahead = Meeting.objects.filter(state__in=["planned", "open"], starts_at__lte=soon).order_by("starts_at")
    me = own_deputy_id(user)
    seen = set()
    if me is not None:
        for m in visible_to(user, ahead.filter(attendees__deputy_id=me).distinct())[:PER_KIND]:
            seen.add(m.pk)
            day = timezone.localtime(m.starts_at).date()
            yield Line(_("会议"), _("参加会议"), str(m), _meeting_url(m), due=day, key=f"meeting:{m.pk}")
    if perms.holds(user, perms.MEETING_MANAGE):
        for m in visible_to(user, ahead.filter(state="planned"), perms.MEETING_MANAGE)[:PER_KIND]:
            if m.pk not in seen:
                day = timezone.localtime(m.starts_at).date()
                yield Line(_("会议"), _("筹备会议"), str(m), _meeting_url(m), due=day, key=f"meeting:{m.pk}")


def _meeting_url(m) -> str:
    return reverse("meetings:detail", args=[m.pk])


def _reception(user, today):
    from apps.opinions.models import ReceptionDay

    me = own_deputy_id(user)
    if me is None:
        return
    qs = visible_to(user, ReceptionDay).filter(
        rota__id=me, date__gte=today, date__lte=today + timedelta(days=AHEAD_DAYS)
    )
    for day in qs.select_related("station").order_by("date").distinct()[:PER_KIND]:
        yield Line(
            _("接待选民日"),
            _("值班"),
            str(day),
            day.get_absolute_url(),
            due=day.date,
            key=f"reception:{day.pk}",
        )


def _commitments(user, today):
    """The deputy's own open commitments, by their planned date (a commitment's steps are the office's)."""
    from apps.archive.models import Commitment

    me = own_deputy_id(user)
    if me is None:
        return
    qs = visible_to(user, Commitment).filter(deputy_id=me, state="open").order_by("target_date", "pk")
    for c in qs[:PER_KIND]:
        yield Line(
            _("实事承诺"),
            _("兑现承诺"),
            str(c),
            c.get_absolute_url(),
            due=c.target_date,
            overdue=c.target_date < today,
            key=f"commitment:{c.pk}",
        )

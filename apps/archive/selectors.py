"""Every read of the archive app, already scoped: commitments, report-back meetings, the deputy's archive
page, the written-report draft, who has not reported back this term, and who is behind on contact duty."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.apps import apps as django_apps
from django.db.models import Count, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, visible_to
from apps.duty.models import ActivityKind, DutyRecord, ReviewState
from apps.localrules.selectors import per_town
from apps.people.models import Deputy, Household, Mandate, MandateStatus
from apps.people.selectors import _count, region_q
from apps.places.models import Region

from . import ballots
from .models import (
    Commitment,
    CommitmentState,
    ReportBackMeeting,
    ReportBackSpeaker,
    ReportBackState,
)


def _has_household_fk() -> bool:
    return any(f.name == "household" for f in DutyRecord._meta.get_fields())


# --- commitments ----------


def commitments(
    user,
    *,
    year: int | None = None,
    region: Region | None = None,
    deputy_id: int | None = None,
    state: str = "",
) -> QuerySet[Commitment]:
    qs = visible_to(user, Commitment).select_related("deputy", "town")
    if year:
        qs = qs.filter(year=year)
    if region is not None:
        qs = qs.filter(region_q(region, "deputy__"))
    if deputy_id:
        qs = qs.filter(deputy_id=deputy_id)
    if state:
        qs = qs.filter(state=state)
    return qs.annotate(n_progress=Count("progress")).order_by("town__code", "deputy__name_pinyin", "id")


def commitment(user, pk: int) -> Commitment:
    item = get_or_deny(user, Commitment, pk=pk)
    return Commitment.objects.select_related("deputy", "town", "rated_by").get(pk=item.pk)


def public_commitments(deputy: Deputy, year: int) -> list[dict]:
    """What the public card shows: title, target date and state; never the detail or the progress notes,
    which may name households."""
    rows = (
        Commitment.objects.filter(deputy=deputy, year=year)
        .exclude(state=CommitmentState.WITHDRAWN)
        .order_by("id")
    )
    return [
        {
            "title": c.title,
            "year": c.year,
            "target_date": c.target_date,
            "state": c.state,
            "state_label": str(c.get_state_display()),
            "rating": c.rating,
            "rating_label": str(c.get_rating_display()) if c.rating else "",
        }
        for c in rows
    ]


def public_counts(deputy: Deputy) -> list[tuple[str, int]]:
    """Activity counts for the public card: the duty app's when it offers them, else approved records."""
    try:
        from apps.duty.selectors import public_counts as duty_counts  # type: ignore[attr-defined]
    except ImportError:
        duty_counts = None
    if duty_counts is not None:
        counts = duty_counts(deputy)
        if isinstance(counts, dict):
            return list(counts.items())
        return list(counts)
    rows = (
        DutyRecord.objects.filter(deputy=deputy, review_state=ReviewState.APPROVED)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    labels = dict(ActivityKind.choices)
    return [(str(labels.get(r["kind"], r["kind"])), r["n"]) for r in rows]


# --- report-back meetings ----------


def meetings(user, *, year: int | None = None, region: Region | None = None) -> QuerySet[ReportBackMeeting]:
    ids = visible_to(user, ReportBackMeeting).values("pk")
    qs = ReportBackMeeting.objects.filter(pk__in=ids).select_related("region")
    if year:
        qs = qs.filter(date__year=year)
    if region is not None:
        qs = qs.filter(region_q(region))
    return qs.annotate(n_speakers=Count("speakers")).order_by("-date", "-id")


def meeting(user, pk: int) -> ReportBackMeeting:
    item = get_or_deny(user, ReportBackMeeting, pk=pk)
    return ReportBackMeeting.objects.select_related("region").get(pk=item.pk)


def rating_progress(item: ReportBackMeeting) -> dict:
    """How far the voters' rating has come against the town's minimum [local: REPORT_BACK_MIN_RATED_SHARE]:
    voters who rated, the fewest needed, the share's label, why it cannot simply close yet (while rating),
    and the reason it was closed short of voters (the `close_rating_anyway` step), if it was."""
    from apps.localrules.selectors import local_value
    from apps.workflow.services import steps_of

    from . import rules

    share = int(local_value("REPORT_BACK_MIN_RATED_SHARE", item))
    closed = (
        item.state in (ReportBackState.COUNTING, ReportBackState.CLOSED) and item.participants is not None
    )
    rated = item.participants if closed else item.participations.count()
    anyway = steps_of(item).filter(transition="close_rating_anyway").values_list("reason", flat=True).first()
    return {
        "rated": rated,
        "need": rules.min_raters(item.expected_voters, share),
        "share": rules.share_label(share),
        "shortfall": rules.too_few_raters(rated, item.expected_voters, share)
        if item.state == ReportBackState.RATING
        else None,
        "closed_anyway_reason": anyway,
    }


def speakers_of(item: ReportBackMeeting) -> list[ReportBackSpeaker]:
    return list(item.speakers.select_related("deputy").order_by("id"))


def my_speakers(deputy: Deputy) -> QuerySet[ReportBackSpeaker]:
    return (
        ReportBackSpeaker.objects.filter(deputy=deputy)
        .select_related("meeting", "meeting__region")
        .order_by("-meeting__date")
    )


def current_mandates(user, *, region: Region | None = None, today: date) -> QuerySet[Mandate]:
    qs = visible_to(user, Mandate).filter(
        status=MandateStatus.IN_OFFICE, term_start__lte=today, term_end__gte=today
    )
    if region is not None:
        qs = qs.filter(region_q(region, "deputy__"))
    return qs.select_related("deputy", "deputy__town", "congress_region")


def not_reported_back(user, *, region: Region | None = None, today: date) -> list[dict]:
    """Deputies of the current term who have not yet reported back to voters in it (DOMAIN §8: every
    deputy at least once a term). A report counts once its meeting's rating is closed and filed."""
    mandates = list(current_mandates(user, region=region, today=today).order_by("deputy__name_pinyin"))
    ids = {m.deputy_id for m in mandates}
    held = {}
    for deputy_id, on in ReportBackSpeaker.objects.filter(
        deputy_id__in=ids, meeting__state=ReportBackState.CLOSED
    ).values_list("deputy_id", "meeting__date"):
        held.setdefault(deputy_id, []).append(on)
    rows, seen = [], set()
    for m in mandates:
        if m.deputy_id in seen:
            continue
        if any(m.term_start <= on <= m.term_end for on in held.get(m.deputy_id, [])):
            seen.add(m.deputy_id)
            continue
        # A deputy with two mandates is listed once, under the first one not yet reported in.
        seen.add(m.deputy_id)
        rows.append({"deputy": m.deputy, "mandate": m, "term_end": m.term_end})
    return rows


# --- the written report (述职报告) ----------


def year_counts(deputy: Deputy, year: int) -> dict[str, int]:
    rows = (
        DutyRecord.objects.filter(deputy=deputy, date__year=year, review_state=ReviewState.APPROVED)
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {r["kind"]: r["n"] for r in rows}


def labelled_year_counts(deputy: Deputy, year: int) -> list[tuple[str, int]]:
    """The year's counts as a page shows them: by label (联名附议, not co_signature), most first."""
    labels = dict(ActivityKind.choices)
    counts = year_counts(deputy, year)
    return [(str(labels.get(k, k)), n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _signatures(deputy: Deputy, start: date, end: date):
    from apps.suggestions.models import Signature, SignatureStatus

    return (
        Signature.objects.filter(
            deputy=deputy,
            suggestion__isnull=False,
            suggestion__created_at__date__gte=start,
            suggestion__created_at__date__lte=end,
        )
        .exclude(status=SignatureStatus.DECLINED)
        .select_related("suggestion")
        .order_by("suggestion__created_at")
    )


def _attendance(deputy: Deputy, start: date, end: date):
    from apps.meetings.models import Attendee

    return (
        Attendee.objects.filter(
            deputy=deputy, meeting__starts_at__date__gte=start, meeting__starts_at__date__lte=end
        )
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )


def draft_report(deputy: Deputy, year: int) -> str:
    """The written report drafted from the deputy's records of the year, for the deputy to edit."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    counts = year_counts(deputy, year)
    labels = dict(ActivityKind.choices)
    lines = [
        _("各位选民："),
        _("我是%(name)s，现将%(year)s年度履行人大代表职责的情况报告如下，请予评议。")
        % {
            "name": deputy.name,
            "year": year,
        },
        _("一、履职活动"),
    ]
    if counts:
        parts = [
            _("%(kind)s%(n)s次") % {"kind": labels.get(k, k), "n": n}
            for k, n in sorted(counts.items(), key=lambda kv: -kv[1])
        ]
        lines.append(
            _("本年度共登记履职活动%(total)s次：%(parts)s。")
            % {
                "total": sum(counts.values()),
                "parts": "，".join(parts),
            }
        )
    else:
        lines.append(_("本年度暂无登记的履职活动。"))
    attendance = list(_attendance(deputy, start, end))
    if attendance:
        present = sum(1 for a in attendance if a.checked_in_at)
        lines.append(
            _("应参加会议%(n)s次，实际出席%(present)s次。") % {"n": len(attendance), "present": present}
        )
    lines.append(_("二、提出建议"))
    sigs = list(_signatures(deputy, start, end))
    if sigs:
        for s in sigs:
            role = _("领衔") if s.is_lead else _("联名")
            lines.append(f"（{role}）{s.suggestion.title}：{s.suggestion.state_label}")
    else:
        lines.append(_("本年度未提出建议。"))
    lines.append(_("三、实事承诺"))
    items = list(Commitment.objects.filter(deputy=deputy, year=year).order_by("id"))
    if items:
        for c in items:
            lines.append(f"{c.title}：{c.get_state_display()}")
    else:
        lines.append(_("本年度未作实事承诺。"))
    lines.append(_("四、存在的不足和今后的打算"))
    lines.append(_("（请代表本人填写）"))
    return "\n".join(lines)


# --- the archive (履职档案) ----------


@dataclass
class TermWindow:
    term: int | None
    label: str
    start: date
    end: date


def term_windows(deputy: Deputy, today: date) -> list[TermWindow]:
    seen, out = set(), []
    for m in deputy.mandates.order_by("-term_start"):
        if m.term in seen:
            continue
        seen.add(m.term)
        out.append(
            TermWindow(
                m.term,
                _("第%(t)s届（%(a)s—%(b)s）")
                % {
                    "t": m.term,
                    "a": m.term_start.year,
                    "b": m.term_end.year,
                },
                m.term_start,
                m.term_end,
            )
        )
    if not out:
        out.append(TermWindow(None, str(today.year), date(today.year, 1, 1), date(today.year, 12, 31)))
    return out


def pick_term(windows: list[TermWindow], term: str | int | None, today: date) -> TermWindow:
    for w in windows:
        if term and str(w.term) == str(term):
            return w
    for w in windows:
        if w.start <= today <= w.end:
            return w
    return windows[0]


def _score_of(deputy: Deputy, year: int):
    try:
        score_model = django_apps.get_model("duty", "Score")
    except LookupError:
        return None
    return score_model.objects.filter(deputy=deputy, year=year).first()


def deputy_archive(user, deputy_id: int, *, term=None, today: date) -> dict:
    """Everything of one deputy in one term: duty records (all kinds, with review state), commitments,
    suggestions (lead and co-signed), meeting attendance and leave, report-back ratings, the score."""
    deputy = get_or_deny(user, Deputy, pk=deputy_id)
    deputy = Deputy.objects.select_related("town", "region", "station").get(pk=deputy.pk)
    windows = term_windows(deputy, today)
    window = pick_term(windows, term, today)
    start, end = window.start, window.end
    records = DutyRecord.objects.filter(deputy=deputy, date__gte=start, date__lte=end).order_by(
        "-date", "-id"
    )
    return {
        "deputy": deputy,
        "windows": windows,
        "window": window,
        "records": records[:500],
        "record_counts": [
            (str(dict(ActivityKind.choices).get(r["kind"], r["kind"])), r["n"])
            for r in records.order_by().values("kind").annotate(n=Count("id"))
        ],
        "commitments": Commitment.objects.filter(
            deputy=deputy, year__gte=start.year, year__lte=end.year
        ).order_by("-year", "id"),
        "signatures": _signatures(deputy, start, end),
        "attendance": _attendance(deputy, start, end),
        "report_backs": ReportBackSpeaker.objects.filter(
            deputy=deputy, meeting__date__gte=start, meeting__date__lte=end
        )
        .select_related("meeting")
        .order_by("-meeting__date"),
        "score": _score_of(deputy, min(today.year, end.year)),
        "paired": Household.objects.filter(paired_deputy=deputy).select_related("region"),
        "contact_count": Household.objects.filter(contact_deputy=deputy).count(),
    }


# --- contact duties and paired poor households (结对帮扶) ----------


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def behind(user, *, region: Region | None = None, today: date) -> dict:
    """Who is behind on contact duty this year: deputies whose household visits this year are fewer than
    the households assigned to them (each visited at least once a year; the assignment itself is checked
    against the [local] QUOTA_HOUSEHOLDS_PER_DEPUTY on the people quota page), and paired poor households with
    no help recorded this quarter (by household when duty records name one, else by paired deputy)."""
    year_start, q_start = date(today.year, 1, 1), quarter_start(today)
    deputies = visible_to(user, Deputy)
    if region is not None:
        deputies = deputies.filter(region_q(region))
    # Correlated COUNT subqueries: one row per deputy, no join fan-out between households and records.
    visits = DutyRecord.objects.filter(
        deputy=OuterRef("pk"),
        kind=ActivityKind.HOUSEHOLD_VISIT,
        date__gte=year_start,
        review_state=ReviewState.APPROVED,
    )
    rows = (
        deputies.annotate(
            n_assigned=_count(Household.objects.filter(contact_deputy=OuterRef("pk")), "contact_deputy"),
            n_visits=_count(visits, "deputy"),
        )
        .filter(n_assigned__gt=0)
        .select_related("town")
        .order_by("town__code", "name_pinyin")
    )
    quota_of = per_town("QUOTA_HOUSEHOLDS_PER_DEPUTY")  # [local], the deputy's town's quota
    slow = [
        {"deputy": d, "assigned": d.n_assigned, "visits": d.n_visits, "quota": quota_of(d)}
        for d in rows
        if d.n_visits < d.n_assigned
    ]
    paired = visible_to(user, Household).filter(is_poor=True, paired_deputy__isnull=False)
    if region is not None:
        paired = paired.filter(region_q(region))
    help_q = DutyRecord.objects.filter(
        kind__in=[ActivityKind.POVERTY_HELP, ActivityKind.HOUSEHOLD_VISIT],
        date__gte=q_start,
        review_state=ReviewState.APPROVED,
    )
    if _has_household_fk():
        helped = help_q.filter(household__isnull=False).values("household_id")
        paired = paired.exclude(pk__in=helped)
    else:
        helped = help_q.filter(kind=ActivityKind.POVERTY_HELP).values("deputy_id")
        paired = paired.exclude(paired_deputy_id__in=helped)
    paired = paired.select_related("region", "paired_deputy", "town").order_by("town__code", "head_name")
    return {"slow": slow, "unvisited": paired, "quarter_start": q_start, "year_start": year_start}


def household_help(deputy: Deputy, year: int) -> list[dict]:
    """The deputy's paired and contacted households with this year's visits and help against each."""
    households = Household.objects.filter(Q(paired_deputy=deputy) | Q(contact_deputy=deputy)).select_related(
        "region"
    )
    counts = {}
    if _has_household_fk():
        for row in (
            DutyRecord.objects.filter(
                deputy=deputy, date__year=year, household__isnull=False, review_state=ReviewState.APPROVED
            )
            .values("household_id", "kind")
            .annotate(n=Count("id"))
        ):
            counts[(row["household_id"], row["kind"])] = row["n"]
    return [
        {
            "household": h,
            "paired": h.paired_deputy_id == deputy.pk,
            "visits": counts.get((h.pk, ActivityKind.HOUSEHOLD_VISIT), 0),
            "help": counts.get((h.pk, ActivityKind.POVERTY_HELP), 0),
        }
        for h in households.order_by("-is_poor", "head_name")[:200]
    ]


# --- the rating's ballot box ----------


def second_teller_choices(user, meeting_id: int) -> list[tuple]:
    """The office staff `user` may name as the second teller of the meeting's rating: (user, name)."""
    item = get_or_deny(user, ReportBackMeeting, perms.REPORT_BACK_MANAGE, pk=meeting_id)
    return [
        (u, getattr(u, "display_name", "") or u.get_username())
        for u in ballots.second_teller_choices(item, user)
    ]


def receipt_url(receipt: str) -> str:
    """Where anyone checks that a sealed rating is among those counted (apps.ballotbox, public)."""
    return f"/api/v1/public/ballotbox/receipts/{receipt}"

"""Reads of the year's calendar, each already scoped: the items an office or a deputy sees (a list, a
month), one item, and the compliance view (which townships and deputies are behind), computed in SQL."""

from __future__ import annotations

import calendar as _cal
from datetime import date

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, office_regions, own_deputy, visible_to
from apps.common.errors import NotFound

from .choices import ItemKind
from .models import PlanItem


def visible_items(user, cap=perms.YEARPLAN_BROWSE):
    """Offices see their county's or town's items; a deputy sees their own township's."""
    qs = visible_to(user, PlanItem, cap)
    deputy = own_deputy(user) if perms.holds(user, cap) else None
    if deputy is not None and deputy.town_id and "deputy" in cap.roles:
        qs = qs | PlanItem.objects.filter(town_id=deputy.town_id)
    return qs


def items(user, *, year: int, town: int | None = None, kind: str = "", month: int | None = None,
          state: str = ""):  # fmt: skip
    qs = visible_items(user).filter(year=year)
    if town:
        qs = qs.filter(town_id=town)
    if kind:
        qs = qs.filter(kind=kind)
    if month:
        qs = qs.filter(date__month=month)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("region").order_by("date", "town_id", "id")


def item_for(user, pk: int) -> PlanItem:
    """One item the user sees; out of sight is missing (404), and the refusal is logged."""
    found = visible_items(user).filter(pk=pk).first()
    if found is not None:
        return found
    hidden = PlanItem.objects.filter(pk=pk).first()
    if hidden is None:
        raise NotFound()
    deny(user, perms.YEARPLAN_BROWSE, hidden, hidden=True)


def month_weeks(year: int, month: int, rows) -> list[list[dict]]:
    """The month as weeks (Monday first) of days, each with its items (None outside the month)."""
    by_day: dict[date, list] = {}
    for item in rows:
        by_day.setdefault(item.date, []).append(item)
    weeks = []
    for week in _cal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([
            {"date": d, "items": by_day.get(d, [])} if d.month == month else None for d in week
        ])  # fmt: skip
    return weeks


# --- compliance ---------------------------------------------------------------------------------------------
def _held_q():
    """Per item kind, whether the town has a record in the item's window (an EXISTS per kind)."""
    from apps.archive.models import ReportBackMeeting
    from apps.duty.models import DutyRecord
    from apps.meetings.models import Meeting, MeetingKind, Session
    from apps.opinions.models import ReceptionDay
    from apps.supervision.models import Activity

    town, start, end = OuterRef("town_id"), OuterRef("window_start"), OuterRef("window_end")
    held_activity = Activity.objects.filter(town_id=town, starts_on__gte=start, starts_on__lte=end).exclude(
        state__in=("planned", "cancelled")
    )
    return {
        ItemKind.RECEPTION: ReceptionDay.objects.filter(
            town_id=town, date__gte=start, date__lte=end, recorded_at__isnull=False
        ),
        ItemKind.STUDY: DutyRecord.objects.filter(
            town_id=town, kind="study", date__gte=start, date__lte=end
        ).exclude(review_state="rejected"),
        ItemKind.SESSION: Session.objects.filter(region_id=town, starts_on__gte=start, starts_on__lte=end),
        ItemKind.PRESIDIUM: Meeting.objects.filter(
            town_id=town, kind=MeetingKind.PRESIDIUM, starts_at__date__gte=start, starts_at__date__lte=end
        ).exclude(state="planned"),
        ItemKind.REPORT_BACK: ReportBackMeeting.objects.filter(town_id=town, date__gte=start, date__lte=end),
        ItemKind.RESEARCH: held_activity.filter(kind="research"),
        ItemKind.INSPECTION: held_activity.filter(kind__in=("inspection", "law_inspection")),
        ItemKind.SUPERVISION: held_activity,
    }


CHECKED_KINDS = (
    ItemKind.RECEPTION, ItemKind.STUDY, ItemKind.SESSION, ItemKind.PRESIDIUM, ItemKind.REPORT_BACK,
    ItemKind.RESEARCH, ItemKind.INSPECTION, ItemKind.SUPERVISION,
)  # fmt: skip


def checked_items(user, *, year: int, today: date):
    """The items past their date (still planned, of a kind a record can show held), each with `held`."""
    held = _held_q()
    whens = [When(kind=k, then=Exists(held[k])) for k in CHECKED_KINDS]
    return (
        visible_items(user, perms.YEARPLAN_COMPLIANCE)
        .filter(year=year, state="planned", date__lt=today, kind__in=CHECKED_KINDS)
        .annotate(held=Case(*whens, default=Value(True)))
    )


def behind_items(user, *, year: int, today: date, town: int | None = None):
    qs = checked_items(user, year=year, today=today).filter(held=False)
    if town:
        qs = qs.filter(town_id=town)
    return qs.select_related("region").order_by("town_id", "date", "id")


def township_compliance(user, *, year: int, today: date) -> list[dict]:
    """Per township: items due so far, how many lack a record (behind), one GROUP BY."""
    rows = (
        checked_items(user, year=year, today=today)
        .order_by()
        .values("town_id", "region__name")
        .annotate(due=Count("pk"), behind=Count("pk", filter=Q(held=False)))
        .order_by("-behind", "region__name")
    )
    return [
        {"town": r["town_id"], "town_name": r["region__name"], "due": r["due"], "behind": r["behind"]}
        for r in rows
    ]


# A deputy's own part: each study, research and inspection item of their township needs a duty record of
# the matching kind in the item's window (reception days go by rota, so they count for the township).
DEPUTY_DUTY = {ItemKind.STUDY: "study", ItemKind.RESEARCH: "inspection", ItemKind.INSPECTION: "inspection"}


def deputy_compliance(user, *, year: int, today: date, town: int | None = None):
    """Deputies in office in the townships the user sees, with `due` and `missed` (items of their town
    with no duty record of theirs), those behind first; correlated subqueries, no rows in Python."""
    from apps.duty.models import DutyRecord
    from apps.people.models import Deputy

    towns = visible_items(user, perms.YEARPLAN_COMPLIANCE).filter(year=year).values("town_id")
    duty_kind = Case(*[When(kind=k, then=Value(v)) for k, v in DEPUTY_DUTY.items()], output_field=CharField())
    own_record = DutyRecord.objects.filter(
        deputy_id=OuterRef(OuterRef("pk")),
        kind=OuterRef("duty_kind"),
        date__gte=OuterRef("window_start"),
        date__lte=OuterRef("window_end"),
    ).exclude(review_state="rejected")
    past = PlanItem.objects.filter(
        town_id=OuterRef("town_id"), year=year, state="planned", date__lt=today, kind__in=list(DEPUTY_DUTY)
    ).annotate(duty_kind=duty_kind, done=Exists(own_record))

    def count(qs):
        return Coalesce(
            Subquery(qs.order_by().values("town_id").annotate(n=Count("pk")).values("n")[:1]), Value(0)
        )

    qs = Deputy.objects.filter(town_id__in=towns, status="in_office")
    if town:
        qs = qs.filter(town_id=town)
    return (
        qs.annotate(due=count(past), missed=count(past.filter(done=False)))
        .select_related("town")
        .order_by("-missed", "town_id", "name_pinyin", "id")
    )


def town_for_export(user, town_id: int | None):
    """The township whose year is exported: the one asked for when the user sees it (else 404, as a missing
    one), or, when none is asked, the user's only township; None when the user sees several."""
    from apps.places.models import Region

    perms.require(user, perms.YEARPLAN_BROWSE)
    towns = Region.objects.filter(level="town")
    offices = list(office_regions(user))
    deputy = own_deputy(user)
    q = Q(pk__in=[r.pk for r in offices if r.level == "town"])
    q |= Q(county_id__in=[r.pk for r in offices if r.level == "county"])
    if deputy is not None and deputy.town_id:
        q |= Q(pk=deputy.town_id)
    towns = towns.filter(q).order_by("code")
    if town_id:
        found = towns.filter(pk=town_id).first()
        if found is None:
            raise NotFound()
        return found
    mine = list(towns[:2])
    return mine[0] if len(mine) == 1 else None

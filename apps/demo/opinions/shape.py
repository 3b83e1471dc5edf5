"""The demo year of opinions: its shape (the shares the seeds report: reception day 45%, deputies' visits
25%, online 12%, letters 10%, enterprises 4%, deliberation meetings 4%), its dates and the plan's types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.utils import timezone

from apps.calendar.services import add_working_days, is_workday
from apps.duty.models import DutyRecord
from apps.opinions.models import Opinion, ReceptionDay
from apps.opinions.workflow import OPINION_WORKFLOW
from apps.places.models import HandlingUnit
from apps.workflow.models import Step

from ..county import DeputyPlan, Town, Village
from ..opinion_texts import TOPICS

WF = OPINION_WORKFLOW
# Parents first: BulkWriter writes tables in this order.
DEMO_MODELS = [
    HandlingUnit,
    ReceptionDay,
    ReceptionDay.rota.through,
    ReceptionDay.present.through,
    Opinion,
    Step,
    DutyRecord,
]
BENCH_MODELS = [ReceptionDay, ReceptionDay.rota.through, ReceptionDay.present.through]

# --- the shape (Yangdong's year: ~2,900 voters received, 560 opinions, nearly all assigned, ~95% resolved)
SOURCE_WEIGHTS = {
    "reception": 45,
    "visit": 25,
    "online": 12,
    "letter": 10,
    "enterprise": 4,
    "deliberation": 4,
}
ON_SPOT_SHARE = {"deliberation": 0.55, "reception": 0.04}  # answered there and then
NOT_ACCEPTED_SHARE = 0.01
CONVERTED_SHARE = 0.008  # turned into a deputy's suggestion
MERGED_SHARE = 0.01  # the same matter raised again
OVERDUE_SHARE = 0.03  # of assigned items: still with the unit after the deadline
LATE_REPLY_SHARE = 0.08  # replied, but after the 15 working days
DISSATISFIED_SHARE = 0.035
REDO_SHARE = 0.7  # of dissatisfied: assigned again (重新交办); the rest closed as not solved
DAYS = 365
RECEPTION_DAYS = 12
# Voters received per town in the year: Yangdong received about five voters per opinion collected
# (2,900 and 560); the demo towns collect 150–250 opinions, so about 900–1,200 voters.
VOTERS_PER_TOWN = (900, 1200)
DEMO_OPINIONS = (150, 250)  # per town, by the town's size
DEMO_SEED = "2018-opinions"  # own stream: the county's people do not change when opinions do

NOT_ACCEPTED_REASONS = (
    "该事项已进入诉讼程序，已告知反映人依法通过司法途径解决。",
    "反映的是个人之间的债务纠纷，不属于受理范围，已告知反映人向人民法院起诉。",
    "该事项属于邻县管辖，已告知反映人向所在地反映。",
    "反映事项已有生效判决，已向反映人做好解释工作。",
)
REDO_REASON = "群众对办理结果不满意，重新交办"
ONLINE_REASON = "网上提交"
_COMPANY = re.compile(r"汉阴[^\s，。、“”]{2,12}?有限公司")


def _aware(day: date, minutes: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))


@lru_cache(maxsize=4096)
def _due(state: str, day: date):
    """What the engine sets on entering `state` on `day`: (due date, provisional)."""
    due = WF.state(state).due
    if due is None:
        return None, False
    d = due.resolve(day)
    return d.due, bool(d.provisional)


def _deadline(state: str, day: date, item) -> tuple[date | None, bool]:
    """The engine's deadline of a state, cached per day: a seeded county has no township overrides yet, so
    every item's place gives the county's default."""
    return _due(state, day)


def _office_day(day: date, lag: int) -> date:
    """`lag` working days after `day`; 0 means the same day if it is a working day, else the next one."""
    if lag == 0:
        return day if is_workday(day) else add_working_days(day, 1)
    return add_working_days(day, lag)


def _working_days_before(day: date, n: int) -> date:
    while n > 0:
        day -= timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def _source_pool() -> list[str]:
    return [s for s, w in SOURCE_WEIGHTS.items() for _ in range(w)]


def _units_named(town: str) -> list[tuple[str, str]]:
    """(name, level) of every unit the texts name, for one town."""
    out = []
    for topic in TOPICS:
        for template in topic.units:
            level = "town" if "{town}" in template else "county"
            out.append((template.format(town=town), level))
    return out


# --- the demo county ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class Who:
    label: str
    user_id: int | None = None


PUBLIC = Who("公众")


@dataclass(eq=False)
class DayPlan:
    id: int
    town: Town
    date: date
    rota: list[DeputyPlan]
    present: list[DeputyPlan]
    recorded: bool
    opinions: int = 0
    on_spot: int = 0


@dataclass(eq=False)
class Event:
    key: str  # a transition of OPINION_WORKFLOW, or "create"
    day: date
    who: Who
    data: dict = field(default_factory=dict)
    reason: str = ""
    duty: bool = False  # a deputy's return visit: counts in the deputy's duty record


@dataclass(eq=False)
class Item:
    town: Town
    source: str
    received_on: date
    topic: str
    village: Village
    region_id: int
    title: str
    content: str
    station_id: int | None
    deputy: DeputyPlan | None
    day: DayPlan | None
    submitter_name: str
    submitter_phone: str
    enterprise_name: str
    unit_name: str
    responsible: str
    code: str
    outcome: str = "normal"  # normal, on_spot, not_accepted, converted, merged, stuck
    force: str = ""  # a state the item must end in (coverage of every state, the demo logins)
    merge_into: Item | None = None
    taker: DeputyPlan | None = None  # the deputy who takes an enterprise's order (定单)
    events: list[Event] = field(default_factory=list)
    id: int = 0
    final_day: date | None = None


# Lags (working days) of a forced item, and how long ago it came in: it stops in the named state.
FORCED = {
    "registered": (0, "create"),
    "accepted": (1, "accept"),
    "assigned": (4, "assign"),
    "replied": (8, "reply"),
    "visited": (14, "visit"),
    "overdue": (24, "assign"),
}
FORCED_LAGS = {"intake": 0, "assign": 1, "reply": 5, "visit": 3}

"""The shape of a session's suggestions: the shares the seeds report, the session's day, the plan's types.

Each town held its yearly session (第十八届人民代表大会第五次会议) on a working day of January; about 80% of
the suggestions were raised there (大会期间), the rest between sessions (闭会期间, 直通车) over the months
since; a third of the session ones were handed in on paper and entered and submitted by the town office.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from apps.calendar.services import is_workday
from apps.duty.models import DutyRecord
from apps.suggestions.models import (
    CoHandling,
    Feedback,
    Motion,
    Signature,
    Suggestion,
    SupervisionVisit,
)
from apps.suggestions.workflow import COHANDLING_WORKFLOW, MOTION_WORKFLOW, SUGGESTION_WORKFLOW
from apps.workflow.models import Step

from ..county import DeputyPlan, Town
from ..opinions import Who

WF, CWF, MWF = SUGGESTION_WORKFLOW, COHANDLING_WORKFLOW, MOTION_WORKFLOW
SYSTEM = Who("系统")  # what the engine writes as the actor of a system step
# Parents first: BulkWriter writes tables in this order.
DEMO_MODELS = [
    Suggestion,
    Motion,
    Signature,
    CoHandling,
    Feedback,
    SupervisionVisit,
    Suggestion.opinions.through,
    Step,
    DutyRecord,
]
BENCH_MODELS = [Suggestion, Signature, CoHandling, Feedback, SupervisionVisit]

DEMO_TOTAL = 212  # Hanyin: 212 suggestions in 10 towns in a session year
BENCH_PER_TOWN = 25
DEMO_SEED = "2018-suggestions"

# --- the shape ----------------------------------------------------------------------------------------------
BETWEEN_SHARE = 0.2  # raised between sessions (直通车)
JOINT_SHARE = 0.4  # joint suggestions: 2-6 co-signers
DECLINE_SHARE = 0.06  # of joint: one invited deputy declines (not a signer)
CATEGORY_WEIGHTS = {"A": 45, "B": 35, "C": 15, "D": 5}  # of replies
# Round 2 after re-handling: the unit does more (C often becomes B, B sometimes A).
UPGRADE = {"A": {"A": 1}, "B": {"B": 6, "A": 4}, "C": {"C": 6, "B": 4}, "D": {"D": 5, "C": 3, "B": 2}}
DISSATISFIED = {"A": 0.02, "B": 0.07, "C": 0.2, "D": 0.3}  # round 1: one signer rates "dissatisfied"
SOLVED_LATER = {"B": 0.85, "C": 0.3}  # tracked items replied to again as solved (when the day has come)
LATE_SHARE = 0.06  # replied after the 3 months
COHANDLING_SHARE = 0.2
KEY_SHARE = 0.1  # key suggestions (重点督办)
UNPUBLISHED_SHARE = 0.05
USUAL_UNIT_SHARE = 0.75
PAPER_SHARE = 0.3  # of session items: handed in on paper, entered and submitted by the town office
# Of a county's suggestions (at least the minimum in the demo county): outcomes at review and after.
OUTCOMES = {
    "declined": (0.02, 3),
    "merged": (0.02, 3),
    "returned": (0.01, 2),  # returned for revision, then submitted again and registered
    "send_back": (0.01, 1),  # sent back by a unit as not its business, then assigned again
    "stuck": (0.012, 2),  # still with the unit long after the 3 months (overdue)
}
CONSULT_WEIGHTS = {"meeting": 25, "visit": 35, "phone": 33, "other": 4, "none": 3}
HANDLING = {"satisfied": 78, "basic": 19, "no_opinion": 3}
RESULT = {
    "A": {"satisfied": 72, "basic": 25, "no_opinion": 3},
    "B": {"satisfied": 50, "basic": 45, "no_opinion": 5},
    "C": {"satisfied": 30, "basic": 60, "no_opinion": 10},
    "D": {"satisfied": 25, "basic": 60, "no_opinion": 15},
}
GENERIC_CO_UNITS = ("县财政局", "县发改局")  # money and projects: the usual co-handlers


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def session_day(year: int, index: int) -> date:
    """The town's session: the (3 + index % 10)-th working day of January."""
    d = date(year, 1, 1)
    n = 3 + index % 10
    while True:
        if is_workday(d):
            n -= 1
            if n == 0:
                return d
        d += timedelta(days=1)


def session_year(today: date) -> int:
    """The last session: January of this year once March has come, else last January's."""
    return today.year if today.month >= 3 else today.year - 1


@dataclass(eq=False)
class TownCtx:
    town: Town
    county_name: str
    office: Who
    deputies: list[DeputyPlan]  # of the town congress: who raises and signs suggestions
    presidium: list[DeputyPlan]
    units: dict[str, list[int]]  # topic -> unit ids, the usual one first
    all_units: list[int]
    generic: list[int]  # co-handlers of any topic (finance, development)
    session: date
    session_end: date
    assign_day: date
    label: str

    @property
    def name(self) -> str:
        return self.town.node.name


@dataclass(eq=False)
class Ev:
    key: str  # a transition of the workflow, "create", or a service's write (cosign, consult, rate ...)
    day: date
    who: Who
    data: dict = field(default_factory=dict)
    reason: str = ""
    at: datetime | None = None


@dataclass(eq=False)
class MotionPlan:
    ctx: TownCtx
    kind: str  # presidium, agenda, to_suggestion
    title: str
    content: str
    lead: DeputyPlan | None
    co: list[DeputyPlan]
    events: list[Ev] = field(default_factory=list)
    id: int = 0
    suggestion: Plan | None = None


@dataclass(eq=False)
class Plan:
    ctx: TownCtx
    lead: DeputyPlan
    co: list[DeputyPlan]  # invited co-signers
    accepts: dict  # co-signer -> True (confirmed) / False (declined); absent: still invited
    period: str
    topic: str
    title: str
    content: str
    created: date
    unit: int
    co_units: list[int]
    responsible: str
    opinions: list[int] = field(default_factory=list)
    outcome: str = "normal"
    force: str = ""
    opts: dict = field(default_factory=dict)
    merge_into: Plan | None = None
    merged_from: list[Plan] = field(default_factory=list)
    key_member: DeputyPlan | None = None
    unpublish: bool = False
    paper: bool = False
    motion: MotionPlan | None = None
    events: list[Ev] = field(default_factory=list)
    id: int = 0
    number: str = ""
    session_label: str | None = None  # None: the town's session

    def signers(self) -> list[DeputyPlan]:
        """Suggestion.signers(): confirmed signatures, and those of the suggestions merged into it."""
        out: list[DeputyPlan] = []
        for p in (self, *self.merged_from):
            for d in (p.lead, *(d for d in p.co if p.accepts.get(d))):
                if d not in out:
                    out.append(d)
        return out

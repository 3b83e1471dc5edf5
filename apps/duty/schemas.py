"""The bodies and answers of the duty API (api.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from apps.common.api import Ref
from apps.common.params import YEAR, IdArg, IdItem, PageArg, PageSizeArg, YearArg

from .models import ActivityKind, PlateKind, ReviewState

# The years the pages accept (common.params.YEAR): out of range is a 422 naming the field.
Year = YEAR.api()


class DutyRecordOut(Schema):
    id: int
    deputy: Ref
    kind: str
    kind_label: str
    date: dt.date
    title: str
    detail: str
    place: str
    units: int
    hours: Decimal | None
    household: Ref | None
    source: str
    review_state: str
    review_state_label: str
    review_reason: str
    photos: list[int] = []
    created_at: dt.datetime


class RecordFilter(Schema):
    state: ReviewState | None = None
    kind: ActivityKind | None = None
    deputy: IdArg = None
    year: Year = None
    page: PageArg = 1
    page_size: PageSizeArg = None


class DutyRecordIn(Schema):
    deputy: IdArg = None
    kind: str
    date: dt.date
    title: str
    detail: str = ""
    place: str = ""
    hours: Decimal | None = None
    household: int | None = None


class DutyRecordPatch(Schema):
    kind: str | None = None
    date: dt.date | None = None
    title: str | None = None
    detail: str | None = None
    place: str | None = None
    hours: Decimal | None = None
    household: int | None = None


class ApproveManyIn(Schema):
    ids: list[IdItem] = Field(
        ..., min_length=1, max_length=200, description="要通过的待审核记录编号，最多 200 条"
    )


class RefusedOut(Schema):
    id: int
    message: str


class ApproveManyOut(Schema):
    approved: list[int]
    refused: list[RefusedOut]


class ReviewIn(Schema):
    approve: bool
    reason: str = ""


class RuleIO(Schema):
    kind: str
    first_points: Decimal
    further_points: Decimal
    cap: Decimal | None = None


class TableOut(Schema):
    county: str
    year: int
    base_score: Decimal
    five_good_min_score: Decimal
    five_good_min_suggestions: int
    rules: list[RuleIO]


class TableIn(Schema):
    base_score: Decimal = Decimal(0)
    five_good_min_score: Decimal = Decimal(90)
    five_good_min_suggestions: int = 1
    rules: list[RuleIO]


class ScoreOut(Schema):
    deputy: Ref
    year: int
    total: Decimal
    band: str
    rank_in_town: int | None
    rank_in_station: int | None
    rank_in_group: int | None
    breakdown: dict


class ScoreFilter(Schema):
    year: Year = None
    town: str | None = None
    band: str = ""
    order: str = "rank"
    page: PageArg = 1
    page_size: PageSizeArg = None


class DutyGroupOut(Schema):
    name: str
    n: int
    avg: Decimal
    good: int
    fair: int
    poor: int


class MyScoreOut(Schema):
    year: int
    live: ScoreOut | None
    published_quarter: int | None
    published: ScoreOut | None


class ScorePublishIn(Schema):
    year: int
    quarter: int
    county: str | None = None


class PublicationOut(Schema):
    year: int
    quarter: int
    published_at: dt.datetime
    scores: int


class PlateOut(Schema):
    id: int
    deputy: Ref
    kind: str
    kind_label: str
    year: int
    date: dt.date
    reason: str
    notes: str


class PlateIn(Schema):
    deputy: int
    kind: PlateKind
    reason: str
    notes: str = ""
    year: YearArg = None
    date: dt.date | None = None


class PublicCountsOut(Schema):
    year: int | None
    quarter: int | None
    counts: dict[str, int]
    labels: dict[str, str]

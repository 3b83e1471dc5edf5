"""The bodies and answers of the archive API (api.py), and how a model becomes one."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from apps.common.api import Ref
from apps.common.params import YEAR, IdArg, PageArg

from . import ballots, selectors


def ref_of(d) -> dict:
    return {"id": d.pk, "name": d.name}


# The years the pages accept (common.params.YEAR): out of range is a 422 naming the field.
Year = YEAR.api()


class CommitmentOut(Schema):
    id: int
    deputy: Ref
    year: int
    title: str
    detail: str
    target_date: dt.date
    state: str
    state_label: str
    rating: str
    rating_label: str
    rating_reason: str
    rated_on: dt.date | None


def commitment_out(c) -> dict:
    return {
        "id": c.pk,
        "deputy": ref_of(c.deputy),
        "year": c.year,
        "title": c.title,
        "detail": c.detail,
        "target_date": c.target_date,
        "state": c.state,
        "state_label": str(c.get_state_display()),
        "rating": c.rating,
        "rating_label": str(c.get_rating_display()) if c.rating else "",
        "rating_reason": c.rating_reason,
        "rated_on": c.rated_on,
    }


class CommitmentIn(Schema):
    deputy_id: int
    title: str
    detail: str = ""
    target_date: dt.date


class ProgressIn(Schema):
    note: str
    date: dt.date | None = None


class ProgressOut(Schema):
    id: int
    date: dt.date
    note: str


class RatingIn(Schema):
    rating: str
    reason: str = ""


class ReasonIn(Schema):
    reason: str


class SpeakerOut(Schema):
    id: int
    deputy: Ref
    report_state: str
    submitted_at: dt.datetime | None
    satisfied: int | None
    basic: int | None
    dissatisfied: int | None
    satisfaction_rate: float | None


class RatingTellerOut(Schema):
    user_id: int
    name: str
    key_made: bool = Field(..., description="已在监票台生成密钥份额")
    share_given: bool = Field(..., description="已提交解密份额")
    owes: str = Field(..., description="尚欠：key 密钥份额（开启测评前），share 解密份额（计票中），空：无")


class RatingTellerChoiceOut(Schema):
    id: int
    name: str


class ReportBackMeetingOut(Schema):
    id: int
    title: str
    town: Ref
    date: dt.date
    place: str
    expected_voters: int
    state: str
    state_label: str
    participants: int | None
    speakers: list[SpeakerOut] = []
    # the detail only: the rating against the town's minimum share of the expected voters [local]
    rated: int | None = Field(None, description="已参评选民人数")
    min_raters: int | None = Field(
        None, description="结束测评至少须参评的人数（应到选民代表 × 本镇（街道）最低参评比例）"
    )
    min_share: str | None = Field(None, description="本镇（街道）最低参评比例，如“三分之一”")
    shortfall: str | None = Field(None, description="测评中且参评人数不足时：不能直接结束测评的原因")
    closed_anyway_reason: str | None = Field(None, description="参评人数不足仍结束测评时记录的理由")
    box_id: int | None = Field(None, description="本场测评的加密票箱（准备测评后）")
    tellers: list[RatingTellerOut] = Field(
        [], description="本场测评的两名监票人（人大办工作人员）及其在监票台（/ballotbox/desk/）的进度"
    )


def speaker_out(s) -> dict:
    return {
        "id": s.pk,
        "deputy": ref_of(s.deputy),
        "report_state": s.report_state,
        "submitted_at": s.submitted_at,
        "satisfied": s.satisfied,
        "basic": s.basic,
        "dissatisfied": s.dissatisfied,
        "satisfaction_rate": s.satisfaction_rate,
    }


def meeting_out(m, *, speakers=True) -> dict:
    return {
        "id": m.pk,
        "title": m.title,
        "town": ref_of(m.region),
        "date": m.date,
        "place": m.place,
        "expected_voters": m.expected_voters,
        "state": m.state,
        "state_label": str(m.get_state_display()),
        "participants": m.participants,
        "speakers": [speaker_out(s) for s in selectors.speakers_of(m)] if speakers else [],
        **(_progress(m) if speakers else {}),
        **(_box(m) if speakers else {}),
    }


def _box(m) -> dict:
    box = ballots.rating_box(m)
    return {"box_id": box.pk if box else None, "tellers": ballots.tellers(m, box)}


def _progress(m) -> dict:
    p = selectors.rating_progress(m)
    return {
        "rated": p["rated"],
        "min_raters": p["need"],
        "min_share": p["share"],
        "shortfall": p["shortfall"],
        "closed_anyway_reason": p["closed_anyway_reason"],
    }


class ReportBackMeetingIn(Schema):
    town_id: int
    title: str = ""
    date: dt.date | None = None
    place: str = ""
    expected_voters: int = 50
    deputy_ids: list[int]


class ReportIn(Schema):
    report: str
    submit: bool = False


class ReportOut(Schema):
    id: int
    deputy: Ref
    meeting_id: int
    report: str
    drafted: bool
    report_state: str


class PendingOut(Schema):
    deputy: Ref
    town: str
    term: int
    term_end: dt.date


def report_out(s) -> dict:
    return {
        "id": s.pk,
        "deputy": ref_of(s.deputy),
        "meeting_id": s.meeting_id,
        "report": s.report or selectors.draft_report(s.deputy, s.meeting.date.year),
        "drafted": not s.report,
        "report_state": s.report_state,
    }


class ArchiveRecordOut(Schema):
    id: int
    date: dt.date
    kind: str
    kind_label: str
    title: str
    review_state: str


class SignatureOut(Schema):
    suggestion_id: int
    title: str
    is_lead: bool
    state: str


class AttendanceOut(Schema):
    meeting_id: int
    title: str
    on: dt.date
    present: bool
    leave: str


class ArchiveOut(Schema):
    deputy: Ref
    term: int | None
    start: dt.date
    end: dt.date
    records: list[ArchiveRecordOut]
    commitments: list[CommitmentOut]
    suggestions: list[SignatureOut]
    attendance: list[AttendanceOut]
    report_backs: list[SpeakerOut]
    score: float | None


class RegisterOut(Schema):
    key: str
    title: str
    summary: bool


class RegisterRowsOut(Schema):
    key: str
    title: str
    headers: list[str]
    rows: list[list[str | int | None]]
    count: int
    page: int


class RegisterFilters(Schema):
    year: Year = None
    region: str = ""
    station: IdArg = None
    deputy: IdArg = None
    page: PageArg = 1


class SlowOut(Schema):
    deputy: Ref
    town: str
    visits: int
    assigned: int
    quota: int


class UnvisitedOut(Schema):
    household_id: int
    head_name: str
    village: str
    paired_deputy: Ref


class BehindOut(Schema):
    year_start: dt.date
    quarter_start: dt.date
    slow: list[SlowOut]
    unvisited: list[UnvisitedOut]


class PublicCommitmentOut(Schema):
    title: str
    year: int
    target_date: dt.date
    state: str
    state_label: str
    rating: str
    rating_label: str


class RatingPageOut(Schema):
    title: str
    date: dt.date
    state: str
    deputies: list[Ref]


class ReportBackBallotIn(Schema):
    phone: str
    choices: dict[int, str]


class ReportBackBallotOut(Schema):
    ok: bool
    receipt: str = Field(..., description="回执码：测评结束计票后可凭此核对自己的选票已计入")
    check_url: str = Field(..., description="核对回执的公开地址")

"""/api/v1/archive/... (commitments, report-back, the deputy's archive, registers, who is behind) and the
public /api/v1/public/archive/... (a deputy's commitments, the voters' rating).

Thin: each operation parses with a schema and calls one selector or service with `request.user`; scoping
lives there. Deputies appear by id and name only; the public answers hold no phone, ID number or address.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from apps.accounts.scopes import get_or_deny
from apps.common.api import ERRORS, Page, Ref, paginate
from apps.common.errors import NotFound
from apps.people.selectors import public_card
from apps.places.selectors import region_by_code

from . import registers, selectors, services
from .models import ReportBackSpeaker
from .report import annual_report

router = Router(tags=["archive"])
public_router = Router(tags=["archive"], auth=None)


def _ref(d) -> dict:
    return {"id": d.pk, "name": d.name}


# --- commitments ----------


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


def _commitment(c) -> dict:
    return {
        "id": c.pk,
        "deputy": _ref(c.deputy),
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


@router.get("/archive/commitments", response=Page[CommitmentOut])
def list_commitments(
    request,
    year: int | None = None,
    region: str = "",
    deputy: int | None = None,
    state: str = "",
    page: int = 1,
):
    reg = region_by_code(request.user, region) if region else None
    qs = selectors.commitments(request.user, year=year, region=reg, deputy_id=deputy, state=state)
    data = paginate(qs, page)
    data["items"] = [_commitment(c) for c in data["items"]]
    return data


@router.post("/archive/commitments", response={201: CommitmentOut, **ERRORS})
def create_commitment(request, body: CommitmentIn):
    item = services.create_commitment(
        actor=request.user,
        deputy_id=body.deputy_id,
        data={"title": body.title, "detail": body.detail, "target_date": body.target_date},
    )
    return Status(201, _commitment(item))


@router.get("/archive/commitments/{pk}", response={200: CommitmentOut, **ERRORS})
def get_commitment(request, pk: int):
    return _commitment(selectors.commitment(request.user, pk))


@router.post("/archive/commitments/{pk}/progress", response={201: ProgressOut, **ERRORS})
def add_progress(request, pk: int, body: ProgressIn):
    p = services.add_progress(
        actor=request.user, commitment_id=pk, data={"note": body.note, "date": body.date}
    )
    return Status(201, p)


@router.post("/archive/commitments/{pk}/rating", response={200: CommitmentOut, **ERRORS})
def rate_commitment(request, pk: int, body: RatingIn):
    item = services.rate_commitment(
        actor=request.user, commitment_id=pk, rating=body.rating, reason=body.reason
    )
    return _commitment(item)


@router.post("/archive/commitments/{pk}/withdraw", response={200: CommitmentOut, **ERRORS})
def withdraw_commitment(request, pk: int, body: ReasonIn):
    return _commitment(services.withdraw_commitment(actor=request.user, commitment_id=pk, reason=body.reason))


# --- report-back ----------


class SpeakerOut(Schema):
    id: int
    deputy: Ref
    report_state: str
    submitted_at: dt.datetime | None
    satisfied: int | None
    basic: int | None
    dissatisfied: int | None
    satisfaction_rate: float | None


class MeetingOut(Schema):
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


def _speaker(s) -> dict:
    return {
        "id": s.pk,
        "deputy": _ref(s.deputy),
        "report_state": s.report_state,
        "submitted_at": s.submitted_at,
        "satisfied": s.satisfied,
        "basic": s.basic,
        "dissatisfied": s.dissatisfied,
        "satisfaction_rate": s.satisfaction_rate,
    }


def _meeting(m, *, speakers=True) -> dict:
    return {
        "id": m.pk,
        "title": m.title,
        "town": _ref(m.region),
        "date": m.date,
        "place": m.place,
        "expected_voters": m.expected_voters,
        "state": m.state,
        "state_label": str(m.get_state_display()),
        "participants": m.participants,
        "speakers": [_speaker(s) for s in selectors.speakers_of(m)] if speakers else [],
    }


class MeetingIn(Schema):
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


@router.get("/archive/report-backs", response=Page[MeetingOut])
def list_meetings(request, year: int | None = None, region: str = "", page: int = 1):
    reg = region_by_code(request.user, region) if region else None
    data = paginate(selectors.meetings(request.user, year=year, region=reg), page)
    data["items"] = [_meeting(m, speakers=False) for m in data["items"]]
    return data


@router.post("/archive/report-backs", response={201: MeetingOut, **ERRORS})
def plan_meeting(request, body: MeetingIn):
    m = services.plan_meeting(
        actor=request.user,
        region_id=body.town_id,
        data={
            "title": body.title,
            "date": body.date,
            "place": body.place,
            "expected_voters": body.expected_voters,
        },
        deputy_ids=body.deputy_ids,
    )
    return Status(201, _meeting(m))


@router.get("/archive/report-backs/pending", response=list[PendingOut])
def not_reported(request, region: str = ""):
    reg = region_by_code(request.user, region) if region else None
    rows = selectors.not_reported_back(request.user, region=reg, today=timezone.localdate())
    return [
        {
            "deputy": _ref(r["deputy"]),
            "town": r["deputy"].town.name if r["deputy"].town else "",
            "term": r["mandate"].term,
            "term_end": r["term_end"],
        }
        for r in rows
    ]


@router.get("/archive/report-backs/{pk}", response={200: MeetingOut, **ERRORS})
def get_meeting(request, pk: int):
    return _meeting(selectors.meeting(request.user, pk))


@router.post("/archive/report-backs/{pk}/open", response={200: MeetingOut, **ERRORS})
def open_rating(request, pk: int):
    return _meeting(services.open_rating(actor=request.user, meeting_id=pk))


@router.post("/archive/report-backs/{pk}/close", response={200: MeetingOut, **ERRORS})
def close_rating(request, pk: int):
    return _meeting(services.close_rating(actor=request.user, meeting_id=pk))


def _report(s) -> dict:
    return {
        "id": s.pk,
        "deputy": _ref(s.deputy),
        "meeting_id": s.meeting_id,
        "report": s.report or selectors.draft_report(s.deputy, s.meeting.date.year),
        "drafted": not s.report,
        "report_state": s.report_state,
    }


@router.get("/archive/speakers/{pk}/report", response={200: ReportOut, **ERRORS})
def get_report(request, pk: int):
    found = get_or_deny(request.user, ReportBackSpeaker, pk=pk)
    return _report(ReportBackSpeaker.objects.select_related("deputy", "meeting").get(pk=found.pk))


@router.put("/archive/speakers/{pk}/report", response={200: ReportOut, **ERRORS})
def save_report(request, pk: int, body: ReportIn):
    return _report(
        services.save_report(actor=request.user, speaker_id=pk, text=body.report, submit=body.submit)
    )


# --- the archive, registers, who is behind ----------


class RecordOut(Schema):
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
    records: list[RecordOut]
    commitments: list[CommitmentOut]
    suggestions: list[SignatureOut]
    attendance: list[AttendanceOut]
    report_backs: list[SpeakerOut]
    score: float | None


@router.get("/archive/deputies/{pk}", response={200: ArchiveOut, **ERRORS})
def deputy_archive(request, pk: int, term: int | None = None):
    ctx = selectors.deputy_archive(request.user, pk, term=term, today=timezone.localdate())
    w = ctx["window"]
    return {
        "deputy": _ref(ctx["deputy"]),
        "term": w.term,
        "start": w.start,
        "end": w.end,
        "records": [
            {
                "id": r.pk,
                "date": r.date,
                "kind": r.kind,
                "kind_label": str(r.get_kind_display()),
                "title": r.title,
                "review_state": r.review_state,
            }
            for r in ctx["records"]
        ],
        "commitments": [_commitment(c) for c in ctx["commitments"].select_related("deputy")],
        "suggestions": [
            {
                "suggestion_id": s.suggestion_id,
                "title": s.suggestion.title,
                "is_lead": s.is_lead,
                "state": s.suggestion.state,
            }
            for s in ctx["signatures"]
        ],
        "attendance": [
            {
                "meeting_id": a.meeting_id,
                "title": a.meeting.title,
                "on": timezone.localtime(a.meeting.starts_at).date(),
                "present": a.checked_in_at is not None,
                "leave": a.leave,
            }
            for a in ctx["attendance"]
        ],
        "report_backs": [_speaker(s) for s in ctx["report_backs"].select_related("deputy")],
        "score": float(ctx["score"].total) if ctx["score"] is not None else None,
    }


@router.get(
    "/archive/deputies/{pk}/annual-report/{year}",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "年度履职报告（Word）",
                "content": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}},
            }
        }
    },
)
def annual(request, pk: int, year: int):
    ctx = selectors.deputy_archive(request.user, pk, today=timezone.localdate())
    data = annual_report(ctx["deputy"], year, today=timezone.localdate())
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="report-{pk}-{year}.docx"'
    return response


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
    year: int | None = None
    region: str = ""
    station: int | None = None
    deputy: int | None = None
    page: int = 1


@router.get("/archive/registers", response=list[RegisterOut])
def list_registers(request):
    return [{"key": r.key, "title": str(r.title), "summary": r.summary} for r in registers.REGISTERS]


def _cell(v):
    if v is None or isinstance(v, int):
        return v
    return str(v)


@router.get("/archive/registers/{key}", response={200: RegisterRowsOut, **ERRORS})
def register_rows(request, key: str, filters: Query[RegisterFilters]):
    reg = registers.BY_KEY.get(key)
    if reg is None:
        raise NotFound()
    f = registers.Filters(
        year=filters.year or timezone.localdate().year,
        region=region_by_code(request.user, filters.region) if filters.region else None,
        station_id=filters.station,
        deputy_id=filters.deputy,
    )
    if reg.summary:
        headers = ["代表", "所在镇", *registers.table_headers(), "合计"]
        all_rows = registers.table_rows(request.user, f)
        size = 50
        start = (max(filters.page, 1) - 1) * size
        data = {"items": all_rows[start : start + size], "count": len(all_rows), "page": max(filters.page, 1)}
        rows = [
            [r["deputy"].name, r["deputy"].town.name if r["deputy"].town else "", *r["counts"], r["total"]]
            for r in data["items"]
        ]
    else:
        headers = [str(c.title) for c in reg.columns]
        data = paginate(registers.records(request.user, reg, f), filters.page)
        rows = [[_cell(c.get(r)) for c in reg.columns] for r in data["items"]]
    return {
        "key": reg.key,
        "title": str(reg.title),
        "headers": headers,
        "rows": rows,
        "count": data["count"],
        "page": data["page"],
    }


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


@router.get("/archive/behind", response=BehindOut)
def behind(request, region: str = ""):
    reg = region_by_code(request.user, region) if region else None
    data = selectors.behind(request.user, region=reg, today=timezone.localdate())
    return {
        "year_start": data["year_start"],
        "quarter_start": data["quarter_start"],
        "slow": [
            {
                "deputy": _ref(r["deputy"]),
                "town": r["deputy"].town.name if r["deputy"].town else "",
                "visits": r["visits"],
                "assigned": r["assigned"],
                "quota": r["quota"],
            }
            for r in data["slow"]
        ],
        "unvisited": [
            {
                "household_id": h.pk,
                "head_name": h.head_name,
                "village": h.region.name,
                "paired_deputy": _ref(h.paired_deputy),
            }
            for h in data["unvisited"][:500]
        ],
    }


# --- public ----------


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


class BallotIn(Schema):
    phone: str
    choices: dict[int, str]


class BallotOut(Schema):
    ok: bool


@public_router.get("/deputies/{code}/commitments", response={200: list[PublicCommitmentOut], 404: None})
def public_commitments(request, code: UUID, year: int | None = None):
    deputy = public_card(code)
    if deputy is None:
        raise Http404
    return selectors.public_commitments(deputy, year or timezone.localdate().year)


@public_router.get("/rate/{token}", response={200: RatingPageOut, **ERRORS})
def rating_page(request, token: str):
    m = services.rating_meeting(token)
    return {
        "title": m.title,
        "date": m.date,
        "state": m.state,
        "deputies": [_ref(s.deputy) for s in selectors.speakers_of(m)],
    }


@public_router.post("/rate/{token}", response={200: BallotOut, **ERRORS})
def cast(request, token: str, body: BallotIn):
    services.cast_rating(token=token, phone=body.phone, choices=body.choices)
    return {"ok": True}

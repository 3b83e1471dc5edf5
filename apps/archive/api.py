"""/api/v1/archive/... (commitments, report-back, the deputy's archive, registers, who is behind) and the
public /api/v1/public/archive/... (a deputy's commitments, the voters' rating).

Thin: each operation parses with a schema and calls one selector or service with `request.user`; scoping
lives there. Deputies appear by id and name only; the public answers hold no phone, ID number or address.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from apps.accounts.scopes import get_or_deny
from apps.common.api import ERRORS, Page, paginate
from apps.common.downloads import DOCX_MIME, docx_response
from apps.common.errors import NotFound
from apps.common.params import YEAR, IdArg, PageArg, TermArg, YearPath
from apps.people.selectors import public_card
from apps.places.selectors import region_by_code

from . import registers, selectors, services
from .models import ReportBackSpeaker
from .report import annual_report
from .schemas import (
    ArchiveOut,
    BehindOut,
    CommitmentIn,
    CommitmentOut,
    PendingOut,
    ProgressIn,
    ProgressOut,
    PublicCommitmentOut,
    RatingIn,
    RatingPageOut,
    RatingTellerChoiceOut,
    ReasonIn,
    RegisterFilters,
    RegisterOut,
    RegisterRowsOut,
    ReportBackBallotIn,
    ReportBackBallotOut,
    ReportBackMeetingIn,
    ReportBackMeetingOut,
    ReportIn,
    ReportOut,
    Year,
    commitment_out,
    meeting_out,
    ref_of,
    report_out,
    speaker_out,
)
from .workflow import ReportBackCloseAnywayIn, ReportBackPrepareIn

router = Router(tags=["archive"])
public_router = Router(tags=["archive"], auth=None)


# --- commitments ----------


@router.get("/archive/commitments", response=Page[CommitmentOut])
def list_commitments(
    request,
    year: Year = None,
    region: str = "",
    deputy: IdArg = None,
    state: str = "",
    page: PageArg = 1,
):
    reg = region_by_code(request.user, region) if region else None
    qs = selectors.commitments(request.user, year=year, region=reg, deputy_id=deputy, state=state)
    data = paginate(qs, page)
    data["items"] = [commitment_out(c) for c in data["items"]]
    return data


@router.post("/archive/commitments", response={201: CommitmentOut, **ERRORS})
def create_commitment(request, body: CommitmentIn):
    item = services.create_commitment(
        actor=request.user,
        deputy_id=body.deputy_id,
        data={"title": body.title, "detail": body.detail, "target_date": body.target_date},
    )
    return Status(201, commitment_out(item))


@router.get("/archive/commitments/{pk}", response={200: CommitmentOut, **ERRORS})
def get_commitment(request, pk: int):
    return commitment_out(selectors.commitment(request.user, pk))


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
    return commitment_out(item)


@router.post("/archive/commitments/{pk}/withdraw", response={200: CommitmentOut, **ERRORS})
def withdraw_commitment(request, pk: int, body: ReasonIn):
    return commitment_out(
        services.withdraw_commitment(actor=request.user, commitment_id=pk, reason=body.reason)
    )


# --- report-back ----------


@router.get("/archive/report-backs", response=Page[ReportBackMeetingOut])
def list_meetings(request, year: Year = None, region: str = "", page: PageArg = 1):
    reg = region_by_code(request.user, region) if region else None
    data = paginate(selectors.meetings(request.user, year=year, region=reg), page)
    data["items"] = [meeting_out(m, speakers=False) for m in data["items"]]
    return data


@router.post("/archive/report-backs", response={201: ReportBackMeetingOut, **ERRORS})
def plan_meeting(request, body: ReportBackMeetingIn):
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
    return Status(201, meeting_out(m))


@router.get("/archive/report-backs/pending", response=list[PendingOut])
def not_reported(request, region: str = ""):
    reg = region_by_code(request.user, region) if region else None
    rows = selectors.not_reported_back(request.user, region=reg, today=timezone.localdate())
    return [
        {
            "deputy": ref_of(r["deputy"]),
            "town": r["deputy"].town.name if r["deputy"].town else "",
            "term": r["mandate"].term,
            "term_end": r["term_end"],
        }
        for r in rows
    ]


@router.get("/archive/report-backs/{pk}", response={200: ReportBackMeetingOut, **ERRORS})
def get_meeting(request, pk: int):
    return meeting_out(selectors.meeting(request.user, pk))


@router.get(
    "/archive/report-backs/{pk}/teller-choices", response={200: list[RatingTellerChoiceOut], **ERRORS}
)
def teller_choices(request, pk: int):
    """可被指定为第二名监票人的人大办工作人员（不含调用者本人）。"""
    return [{"id": u.pk, "name": n} for u, n in selectors.second_teller_choices(request.user, pk)]


@router.post("/archive/report-backs/{pk}/prepare", response={200: ReportBackMeetingOut, **ERRORS})
def prepare_rating(request, pk: int, body: ReportBackPrepareIn):
    """准备测评：指定第二名监票人（本镇、街道或县人大办的在职工作人员，不能是调用者本人），建立本场测评的加密票箱，
    调用者与第二名监票人共同担任监票人。两人在监票台（POST /api/v1/ballotbox/teller/keys）生成密钥份额后，
    才能开启测评（open）。"""
    return meeting_out(
        services.prepare_rating(actor=request.user, meeting_id=pk, second_teller=body.second_teller)
    )


@router.post("/archive/report-backs/{pk}/open", response={200: ReportBackMeetingOut, **ERRORS})
def open_rating(request, pk: int):
    """开启测评（开启票箱）。尚未准备测评，或有监票人未生成密钥份额时答复 409 并说明。"""
    return meeting_out(services.open_rating(actor=request.user, meeting_id=pk))


@router.post("/archive/report-backs/{pk}/close", response={200: ReportBackMeetingOut, **ERRORS})
def close_rating(request, pk: int):
    """结束测评（截止票箱），进入计票：两名监票人在监票台提交解密份额（POST /api/v1/ballotbox/teller/shares）
    后，结果自动归档。参评选民不足本镇（街道）最低参评比例时答复 409 并说明原因（可改用 close-anyway）。"""
    return meeting_out(services.close_rating(actor=request.user, meeting_id=pk))


@router.post("/archive/report-backs/{pk}/close-anyway", response={200: ReportBackMeetingOut, **ERRORS})
def close_rating_anyway(request, pk: int, body: ReportBackCloseAnywayIn):
    """参评人数不足本镇（街道）最低参评比例（默认为应到选民代表的三分之一）时，人大办说明理由后仍结束测评；
    理由记入办理过程和审计日志；随后与 close 一样进入计票。参评人数已达到比例时答复 409，请用 close。"""
    return meeting_out(services.close_rating_anyway(actor=request.user, meeting_id=pk, reason=body.reason))


@router.get("/archive/speakers/{pk}/report", response={200: ReportOut, **ERRORS})
def get_report(request, pk: int):
    found = get_or_deny(request.user, ReportBackSpeaker, pk=pk)
    return report_out(ReportBackSpeaker.objects.select_related("deputy", "meeting").get(pk=found.pk))


@router.put("/archive/speakers/{pk}/report", response={200: ReportOut, **ERRORS})
def save_report(request, pk: int, body: ReportIn):
    return report_out(
        services.save_report(actor=request.user, speaker_id=pk, text=body.report, submit=body.submit)
    )


# --- the archive, registers, who is behind ----------


@router.get("/archive/deputies/{pk}", response={200: ArchiveOut, **ERRORS})
def deputy_archive(request, pk: int, term: TermArg = None):
    ctx = selectors.deputy_archive(request.user, pk, term=term, today=timezone.localdate())
    w = ctx["window"]
    return {
        "deputy": ref_of(ctx["deputy"]),
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
        "commitments": [commitment_out(c) for c in ctx["commitments"].select_related("deputy")],
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
        "report_backs": [speaker_out(s) for s in ctx["report_backs"].select_related("deputy")],
        "score": float(ctx["score"].total) if ctx["score"] is not None else None,
    }


@router.get(
    "/archive/deputies/{pk}/annual-report/{year}",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "年度履职报告（Word）",
                "content": {DOCX_MIME: {}},
            }
        }
    },
)
def annual(request, pk: int, year: YearPath):
    year = YEAR.clean(year, name="year")
    ctx = selectors.deputy_archive(request.user, pk, today=timezone.localdate())
    data = annual_report(ctx["deputy"], year, today=timezone.localdate())
    return docx_response(data, f"report-{pk}-{year}.docx")


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


@router.get("/archive/behind", response=BehindOut)
def behind(request, region: str = ""):
    reg = region_by_code(request.user, region) if region else None
    data = selectors.behind(request.user, region=reg, today=timezone.localdate())
    return {
        "year_start": data["year_start"],
        "quarter_start": data["quarter_start"],
        "slow": [
            {
                "deputy": ref_of(r["deputy"]),
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
                "paired_deputy": ref_of(h.paired_deputy),
            }
            for h in data["unvisited"][:500]
        ],
    }


# --- public ----------


@public_router.get("/deputies/{code}/commitments", response={200: list[PublicCommitmentOut], 404: None})
def public_commitments(request, code: UUID, year: Year = None):
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
        "deputies": [ref_of(s.deputy) for s in selectors.speakers_of(m)],
    }


@public_router.post("/rate/{token}", response={200: ReportBackBallotOut, **ERRORS})
def cast(request, token: str, body: ReportBackBallotIn):
    """提交一次无记名测评：选择在同一事务中加密封存入本场测评的票箱，答复回执码。"""
    receipt = services.cast_rating(token=token, phone=body.phone, choices=body.choices)
    return {"ok": True, "receipt": receipt, "check_url": selectors.receipt_url(receipt)}

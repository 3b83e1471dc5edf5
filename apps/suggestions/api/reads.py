"""Reading suggestions: the list, the counts and one suggestion."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Schema

from apps.common.api import ErrorOut, Page, Ref, RegionRef, paginate
from apps.common.params import REGION_CODE, SEARCH, YEAR, IdArg, PageArg, PageSizeArg, Text
from apps.places.selectors import region_by_code
from apps.workflow.api import (
    StepOut,
    TrackedOut,
    TransitionOut,
    steps_out,
    transitions_out,
)

from .. import selectors
from ..models import SignatureStatus
from .common import (
    SignerOut,
    _office_only,
    _signature,
    router,
)

# --- suggestions: reads -----------------------------------------------------------------------------------


class SuggestionOut(TrackedOut):
    id: int
    number: str = Field(..., description="立案号，如 城关建〔2026〕12号；立案前为空")
    tracking_code: str = Field(..., description="查询码")
    title: str
    topic: str
    topic_label: str = Field(..., alias="get_topic_display")
    period: str
    period_label: str = Field(..., alias="get_period_display")
    session_label: str
    region: RegionRef
    lead: Ref
    unit: Ref | None
    category: str
    is_key: bool
    created_at: datetime
    submitted_on: date | None
    assigned_on: date | None
    replied_on: date | None
    closed_on: date | None


class OpinionRef(Schema):
    id: int
    tracking_code: str
    title: str


class CoHandlingOut(TrackedOut):
    id: int
    unit: Ref
    input_text: str
    input_on: date | None


class ConsultationOut(Schema):
    method: str
    method_label: str
    on: date | None
    note: str


class FeedbackOut(Schema):
    deputy: Ref
    round: int
    handling: str
    handling_label: str = Field(..., alias="get_handling_display")
    result: str
    result_label: str = Field(..., alias="get_result_display")
    comment: str
    at: datetime


class VisitOut(Schema):
    id: int
    date: date
    note: str


class SuggestionDetailOut(SuggestionOut):
    content: str
    outcome_note: str
    merged_into: int | None = Field(None, alias="merged_into_id")
    signers: list[SignerOut]
    opinions: list[OpinionRef]
    responsible_person: str
    extended: bool
    extension_reason: str
    cohandlings: list[CoHandlingOut]
    consultation: ConsultationOut | None
    category_label: str = Field(..., alias="get_category_display")
    doc_number: str
    signer: str
    done_text: str
    planned_text: str
    planned_by: date | None
    not_adopted_text: str
    reply_text: str
    reply_on_time: bool | None
    rounds: int
    solved: bool
    solved_on: date | None
    feedback: list[FeedbackOut]
    key_member: Ref | None
    visits: list[VisitOut]
    publish: bool
    escalated_at: datetime | None
    version: int
    steps: list[StepOut]
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_signers(obj):
        own = list(obj.signatures.select_related("deputy").order_by("-is_lead", "pk"))
        seen = {s.deputy_id for s in own}
        out = [_signature(s) for s in own]
        # Signers of suggestions merged into this one are answered here too (并案: each one separately).
        for deputy in obj.signers().exclude(pk__in=seen).order_by("pk"):
            out.append(
                {
                    "deputy": {"id": deputy.pk, "name": deputy.name},
                    "is_lead": False,
                    "status": SignatureStatus.CONFIRMED,
                    "status_label": str(SignatureStatus.CONFIRMED.label),
                    "responded_at": None,
                    "merged": True,
                }
            )
        return out

    @staticmethod
    def resolve_opinions(obj):
        return list(obj.opinions.order_by("pk"))

    @staticmethod
    def resolve_cohandlings(obj):
        return list(obj.cohandlings.select_related("unit").order_by("pk"))

    @staticmethod
    def resolve_consultation(obj):
        if not obj.consult_method:
            return None
        return {
            "method": obj.consult_method,
            "method_label": str(obj.get_consult_method_display()),
            "on": obj.consult_on,
            "note": obj.consult_note,
        }

    @staticmethod
    def resolve_feedback(obj):
        return list(selectors.feedback_of(obj))

    @staticmethod
    def resolve_visits(obj):
        return list(obj.visits.all())

    @staticmethod
    def resolve_steps(obj):
        return steps_out(obj)

    @staticmethod
    def resolve_transitions(obj, context):
        return transitions_out(context["request"].user, obj)


# Filters refuse what the pages refuse (common.params): a year out of bounds, NUL in a text (422, not a 500).
YearFilter, CodeFilter, SearchFilter, WordFilter = YEAR.api(), REGION_CODE.api(), SEARCH.api(), Text(40).api()


class SuggestionFilters(Schema):
    region: CodeFilter = None
    unit: IdArg = None
    state: WordFilter = ""
    period: WordFilter = ""
    topic: WordFilter = ""
    q: SearchFilter = ""
    year: YearFilter = None
    key_only: bool = False
    overdue: bool = False
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/suggestions", response=Page[SuggestionOut], summary="代表建议列表")
def list_suggestions(request, filters: Query[SuggestionFilters]):
    """按角色与区划限定范围的代表建议列表：人大办看本辖区，承办单位看交由本单位主办的，代表看本人领衔或
    联名的。`region` 为区划代码，`state` 可为某一状态或 `open`（未办结），`overdue=true` 只列超期的，
    `key_only=true` 只列重点督办的，`q` 匹配标题、内容或立案号。"""
    region = region_by_code(request.user, filters.region) if filters.region else None
    qs = selectors.suggestions(
        request.user,
        region=region,
        unit=filters.unit,
        state=filters.state,
        period=filters.period,
        topic=filters.topic,
        q=(filters.q or "").strip(),
        year=filters.year,
        key_only=filters.key_only,
        overdue=filters.overdue,
    )
    return paginate(qs, filters.page, filters.page_size)


# --- counts (declared before /suggestions/{id}) -------------------------------------------------------------


class FigureRow(Schema):
    key: int | str | None = Field(None, description="镇、承办单位或代表的编号，或会议名称")
    label: str | None
    total: int
    replied: int
    on_time: int
    a: int
    b: int
    c: int
    d: int
    solved: int
    overdue: int
    rated: int
    on_time_rate: float | None = Field(None, description="按时答复率（%）")
    solved_rate: float | None = Field(None, description="解决率（A类及后来解决的B类，%）")
    satisfaction_rate: float | None = Field(None, description="对办理结果的满意率（满意+基本满意，%）")
    a_share: float | None
    b_share: float | None
    c_share: float | None
    d_share: float | None


class SuggestionStatsOut(Schema):
    by: str
    year: int
    rows: list[FigureRow]


class SuggestionStatsFilters(Schema):
    by: Literal["town", "unit", "deputy", "session"] = "town"
    year: YearFilter = None
    region: CodeFilter = None


@router.get(
    "/suggestions/stats",
    response={200: SuggestionStatsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="代表建议统计",
)
def suggestion_stats(request, filters: Query[SuggestionStatsFilters]):
    """本年度（或 `year`）按镇、承办单位、领衔代表或会议（`by=town|unit|deputy|session`）统计的件数、
    答复数、按时答复率、A/B/C/D 类占比、解决率与满意率，解决率和满意率并列显示。仅县、镇（街道）
    人大办可用。"""
    _office_only(request.user)
    year = filters.year or timezone.localdate().year
    region = region_by_code(request.user, filters.region) if filters.region else None
    rows = selectors.figures(request.user, by=filters.by, year=year, region=region)
    return {"by": filters.by, "year": year, "rows": rows}


@router.get(
    "/suggestions/{suggestion_id}", response={200: SuggestionDetailOut, 404: ErrorOut}, summary="代表建议详情"
)
def get_suggestion(request, suggestion_id: int):
    """一件建议的全部信息：联名代表及确认情况、来源社情民意、主办和协办单位、面商、答复、代表反馈、
    重点督办、办理过程，以及当前用户此刻可进行的操作。范围外的建议答复 404。"""
    return selectors.suggestion_detail(request.user, suggestion_id)

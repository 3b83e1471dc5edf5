"""/api/v1/supervision/vice-mayor-ratings... (tag supervision): the vice-mayors' report-back at a session
meeting, their written reports, the deputies' secret rating, the result (hall screen and minutes)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, File, Router, Schema, Status, UploadedFile

from apps.common.api import ERRORS, Page, column, paginate
from apps.common.downloads import docx_response
from apps.common.errors import NotFound
from apps.common.params import IdItem, PageArg
from apps.workflow.api import TrackedOut, add_action_routes
from apps.workflow.uploads import attachments_of, file_response

from . import selectors
from . import services_officials as services
from .models import OfficialRating, RatedOfficial
from .word import official_record_docx
from .workflow import OFFICIAL_RATING_WORKFLOW

router = Router(tags=["supervision"])


class RatedOfficialIn(Schema):
    name: column(RatedOfficial._meta.get_field("name"))
    post: column(RatedOfficial._meta.get_field("post"))


class OfficialRatingIn(Schema):
    meeting: IdItem = Field(..., description="会议编号（人代会会议）")
    title: column(OfficialRating._meta.get_field("title"))
    officials: list[RatedOfficialIn] = Field(
        ..., min_length=1, max_length=30, description="述职人员，按述职顺序"
    )


class RatedOfficialOut(Schema):
    id: int
    name: str
    post: str
    report: int | None = Field(None, description="述职报告文件编号")
    report_name: str
    filed: bool
    satisfied: int | None
    basic: int | None
    dissatisfied: int | None
    shares: dict[str, float | None]


class OfficialRatingOut(TrackedOut):
    id: int
    meeting: int = Field(..., alias="meeting_id")
    title: str
    participants: int | None
    officials: list[RatedOfficialOut] = Field(..., alias="officials_out")


class OfficialBallotIn(Schema):
    choices: dict[int, Literal["satisfied", "basic", "dissatisfied"]] = Field(
        ..., description="按述职人员编号，每人满意、基本满意或不满意"
    )


class OfficialReceiptOut(Schema):
    receipt: str


class OfficialRatingRowOut(TrackedOut):
    id: int
    meeting: int = Field(..., alias="meeting_id")
    title: str


def rating_out(item):
    item.officials_out = selectors.official_results(item)
    return item


@router.get(
    "/supervision/vice-mayor-ratings", response=Page[OfficialRatingRowOut], summary="副镇长述职评议列表"
)
def list_ratings(request, page: PageArg = 1):
    return paginate(selectors.official_ratings(request.user), page)


@router.post(
    "/supervision/vice-mayor-ratings",
    response={201: OfficialRatingOut, **ERRORS},
    summary="安排副镇长述职评议",
)
def create_rating(request, payload: OfficialRatingIn):
    """在本镇的人代会会议上安排述职人员（姓名、职务）；之后上传书面述职报告、准备并开启测评。"""
    item = services.create_rating(
        actor=request.user,
        meeting_id=payload.meeting,
        title=payload.title,
        officials=[o.dict() for o in payload.officials],
    )
    return Status(201, rating_out(item))


@router.get(
    "/supervision/vice-mayor-ratings/{vice_mayor_rating_id}",
    response={200: OfficialRatingOut, **ERRORS},
    summary="副镇长述职评议（含测评结果）",
)
def get_rating(request, vice_mayor_rating_id: int):
    """述职人员、述职报告和（计票后的）测评结果；会场大屏和代表手机读的也是它。"""
    return rating_out(selectors.official_rating(request.user, vice_mayor_rating_id))


@router.post(
    "/supervision/vice-mayor-ratings/{vice_mayor_rating_id}/officials/{official}/report",
    response={201: RatedOfficialOut, **ERRORS},
    summary="上传书面述职报告",
)
def add_report(request, vice_mayor_rating_id: int, official: int, file: File[UploadedFile]):
    services.attach_report(
        actor=request.user, rating_id=vice_mayor_rating_id, official_id=official, upload=file
    )
    item = selectors.official_rating(request.user, vice_mayor_rating_id)
    return Status(201, next(r for r in selectors.official_results(item) if r["id"] == official))


@router.get(
    "/supervision/vice-mayor-ratings/{vice_mayor_rating_id}/files/{att}",
    response={200: None, **ERRORS},
    summary="下载述职报告",
)
def get_report(request, vice_mayor_rating_id: int, att: int):
    found = (
        attachments_of(selectors.official_rating(request.user, vice_mayor_rating_id)).filter(pk=att).first()
    )
    if found is None:
        raise NotFound()
    return file_response(found)


@router.post(
    "/supervision/vice-mayor-ratings/{vice_mayor_rating_id}/ballots",
    response={201: OfficialReceiptOut, **ERRORS},
    summary="对述职人员测评（无记名）",
)
def rate(request, vice_mayor_rating_id: int, payload: OfficialBallotIn):
    """已签到的代表对每位述职人员选择满意、基本满意或不满意，每人一次；选择密封进票箱，只保存密文。"""
    receipt = services.rate(actor=request.user, rating_id=vice_mayor_rating_id, choices=payload.choices)
    return Status(201, {"receipt": receipt})


@router.get(
    "/supervision/vice-mayor-ratings/{vice_mayor_rating_id}/record.docx",
    response={200: None, **ERRORS},
    summary="述职测评结果（Word，供会议记录）",
)
def record(request, vice_mayor_rating_id: int):
    item = selectors.official_rating(request.user, vice_mayor_rating_id)
    return docx_response(official_record_docx(item), "述职测评结果.docx")


add_action_routes(
    router,
    path="/supervision/vice-mayor-ratings/{vice_mayor_rating_id}",
    id_param="vice_mayor_rating_id",
    workflow=OFFICIAL_RATING_WORKFLOW,
    fetch=selectors.official_rating,
    act=lambda *, actor, item, key, data: rating_out(
        services.act_on_rating(actor=actor, item=item, key=key, data=data)
    ),
    out=OfficialRatingOut,
    noun="副镇长述职评议",
)

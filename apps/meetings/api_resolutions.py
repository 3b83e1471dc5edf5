"""/api/v1 for resolutions followed up (issue 16 item 6), tag meetings: the adopted resolutions and their
implementation items, assigning an item to a unit, the items a unit or office sees, progress reports and
files, the workflow's actions (report, done, return) and the report in Word for the presidium."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from apps.common.api import ERRORS, Page, column, paginate
from apps.common.downloads import docx_response
from apps.common.errors import NotFound
from apps.common.params import ID, Day, PageArg, PageSizeArg
from apps.workflow.api import TrackedOut, add_action_routes
from apps.workflow.uploads import attachments_of, file_response

from . import selectors_resolutions as sel
from . import services
from .models import ResolutionTask
from .services.resolutions import WORKING_DAYS_MAX
from .word_resolutions import implementation_docx
from .workflow import RESOLUTION_WORKFLOW

router = Router(tags=["meetings"])
Id = ID.required()
TargetArg = Day(label="完成时限").api()


class AdoptedResolutionOut(Schema):
    id: int = Field(..., description="表决编号")
    meeting: int = Field(..., alias="meeting_id")
    meeting_title: str = Field(..., alias="meeting.title")
    title: str
    closed_at: date | None
    tasks_count: int

    @staticmethod
    def resolve_closed_at(obj):
        return obj.closed_at.date() if obj.closed_at else None


class ResolutionTaskIn(Schema):
    unit: Id = Field(..., description="责任单位：本镇（街道）或本县的承办单位")
    title: column(ResolutionTask._meta.get_field("title"))
    target_date: TargetArg = None  # a fixed date; or working_days, not both
    working_days: int | None = Field(
        None, ge=1, le=WORKING_DAYS_MAX, description="完成时限：自今天起的工作日数；与 target_date 二选一"
    )


class ResolutionTaskOut(TrackedOut):
    id: int
    vote: int = Field(..., alias="vote_id")
    resolution_title: str = Field(..., alias="vote.title")
    meeting: int = Field(..., alias="vote.meeting_id")
    unit: int = Field(..., alias="unit_id")
    unit_name: str = Field(..., alias="unit.name")
    title: str
    target_date: date
    assigned_on: date
    progress_text: str
    reported_on: date | None
    reports_count: int
    review_note: str


class ResolutionProgressOut(Schema):
    id: int
    date: date
    text: str


class ResolutionFileOut(Schema):
    id: int
    name: str
    kind: str
    size: int


class ResolutionTaskFilters(Schema):
    state: Annotated[str, Field(max_length=24)] = ""
    page: PageArg = 1
    page_size: PageSizeArg = None


class AdoptedFilters(Schema):
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/resolutions", response=Page[AdoptedResolutionOut], summary="已通过的决议决定")
def list_resolutions(request, filters: Query[AdoptedFilters]):
    """人大办可交办实施事项的决议、决定（表决通过的），附已交办事项数。"""
    return paginate(sel.adopted_votes(request.user), filters.page, filters.page_size)


@router.get(
    "/resolutions/{vote_id}/tasks",
    response={200: list[ResolutionTaskOut], **ERRORS},
    summary="一项决议决定的实施事项",
)
def resolution_tasks(request, vote_id: int):
    """该决议、决定交办的全部实施事项及其状态（人大办）。"""
    return list(sel.vote_tasks(sel.vote_for(request.user, vote_id)).select_related("vote"))


@router.post(
    "/resolutions/{vote_id}/tasks", response={201: ResolutionTaskOut, **ERRORS}, summary="交办实施事项"
)
def assign_task(request, vote_id: int, payload: ResolutionTaskIn):
    """把表决通过的决议、决定的一项实施事项交给责任单位，完成时限为固定日期或自今天起的工作日数。"""
    task = services.assign_task(
        actor=request.user,
        vote_id=vote_id,
        unit_id=payload.unit,
        title=payload.title,
        target_date=payload.target_date,
        working_days=payload.working_days,
    )
    return Status(201, task)


@router.get("/resolution-tasks", response=Page[ResolutionTaskOut], summary="决议实施事项列表")
def list_tasks(request, filters: Query[ResolutionTaskFilters]):
    """镇（街道）人大办看本镇（街道），县人大办看全县，承办单位看交给本单位的。"""
    qs = sel.tasks(request.user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return paginate(qs, filters.page, filters.page_size)


@router.get(
    "/resolution-tasks/{resolution_task_id}",
    response={200: ResolutionTaskOut, **ERRORS},
    summary="决议实施事项详情",
)
def get_task(request, resolution_task_id: int):
    return sel.task_for(request.user, resolution_task_id)


@router.get(
    "/resolution-tasks/{resolution_task_id}/progress",
    response={200: list[ResolutionProgressOut], **ERRORS},
    summary="实施事项的进展报告",
)
def task_progress(request, resolution_task_id: int):
    return sel.task_progress(sel.task_for(request.user, resolution_task_id))


@router.get(
    "/resolution-tasks/{resolution_task_id}/files",
    response={200: list[ResolutionFileOut], **ERRORS},
    summary="实施事项的材料",
)
def task_files(request, resolution_task_id: int):
    return list(attachments_of(sel.task_for(request.user, resolution_task_id)))


@router.post(
    "/resolution-tasks/{resolution_task_id}/files",
    response={201: ResolutionFileOut, **ERRORS},
    summary="上传实施事项的材料",
)
def add_task_file(request, resolution_task_id: int, file: File[UploadedFile]):
    """责任单位报告进展时附上的照片、文件（图片、PDF、Word、Excel）；办结后不能再上传。"""
    att = services.attach_task_file(actor=request.user, task_id=resolution_task_id, upload=file)
    return Status(201, att)


@router.get(
    "/resolution-tasks/{resolution_task_id}/files/{att}",
    response={200: None, **ERRORS},
    summary="下载实施事项的材料",
)
def get_task_file(request, resolution_task_id: int, att: int):
    found = attachments_of(sel.task_for(request.user, resolution_task_id)).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)


@router.get(
    "/meetings/{meeting_id}/resolution-report.docx",
    response={200: None, **ERRORS},
    summary="关于决议决定执行情况的报告（Word）",
)
def resolution_report(request, meeting_id: int):
    """向主席团或下次会议报告本次会议决议、决定的执行情况：每项实施事项的责任单位、时限、状态和进展。"""
    meeting = sel.meeting_for_report(request.user, meeting_id)
    return docx_response(
        implementation_docx(meeting, sel.meeting_tasks(meeting)), "决议决定执行情况的报告.docx"
    )


add_action_routes(
    router,
    path="/resolution-tasks/{resolution_task_id}",
    id_param="resolution_task_id",
    workflow=RESOLUTION_WORKFLOW,
    fetch=sel.task_for,
    act=services.act_on_task,
    out=ResolutionTaskOut,
    noun="决议实施事项",
)

"""/api/v1 for group deliberation and agenda checklists (issue 16 items 4 and 7), tag meetings: a session's
groups, the recorder's opinions per report, the digest in Word and its answer (the workflow's actions API),
and the township's checklist per kind of meeting and a meeting's own with what is still missing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status

from apps.accounts import permissions as perms
from apps.common.api import ERRORS, Page, column, paginate
from apps.common.downloads import docx_response
from apps.common.errors import NotFound
from apps.common.params import ID, IdArg, PageArg, PageSizeArg
from apps.places.models import Region
from apps.workflow.api import TrackedOut, add_action_routes

from . import selectors_deliberation as sel
from . import services
from .models import (
    ChecklistEntry,
    ChecklistPart,
    ChecklistStatus,
    DeliberationGroup,
    DeliberationOpinion,
    MeetingChecklistItem,
    MeetingKind,
)
from .selectors import meeting_for
from .word import digest_of
from .workflow import DIGEST_WORKFLOW

router = Router(tags=["meetings"])
Id = ID.required()


class DeliberationGroupIn(Schema):
    name: column(DeliberationGroup._meta.get_field("name"))
    recorder: IdArg = Field(
        None, description="记录人：本镇（街道）人大办工作人员或本镇（街道）代表的登录账号"
    )
    members: list[Id] = Field(..., max_length=500, description="组员：本镇（街道）代表的编号")


class DeliberationGroupOut(Schema):
    id: int
    session: int = Field(..., alias="session_id")
    name: str
    recorder: int | None = Field(None, alias="recorder_id")
    recorder_name: str
    members: list[int]

    @staticmethod
    def resolve_recorder_name(obj) -> str:
        r = obj.recorder
        return (r.display_name or r.get_username()) if r else ""

    @staticmethod
    def resolve_members(obj) -> list[int]:
        return sorted(d.pk for d in obj.members.all())


class DeliberationOpinionIn(Schema):
    agenda_item: Id = Field(..., description="所审议的报告（议程编号）")
    deputy: Id = Field(..., description="发言代表")
    text: Annotated[str, Field(max_length=services.deliberation.OPINION_MAX)]


class DeliberationOpinionOut(Schema):
    id: int
    group: int = Field(..., alias="group_id")
    agenda_item: int = Field(..., alias="agenda_item_id")
    deputy: int = Field(..., alias="deputy_id")
    deputy_name: str = Field(..., alias="deputy.name")
    text: str
    entered_at: datetime


class DeliberationReportOut(Schema):
    id: int
    title: str
    meeting: int = Field(..., alias="meeting_id")


class DeliberationGroupDetailOut(DeliberationGroupOut):
    reports: list[DeliberationReportOut]
    opinions: list[DeliberationOpinionOut]

    @staticmethod
    def resolve_reports(obj) -> list:
        return list(services.session_reports(obj.session))

    @staticmethod
    def resolve_opinions(obj) -> list:
        return list(sel.group_opinions(obj))


class DigestIn(Schema):
    unit: Id = Field(..., description="负责研究处理的政府承办单位")


class DigestOut(TrackedOut):
    id: int
    title: str
    agenda_item: int = Field(..., alias="agenda_item_id")
    unit: int = Field(..., alias="unit_id")
    unit_name: str = Field(..., alias="unit.name")
    opinions_count: int
    sent_on: date
    answer_text: str
    answered_on: date | None
    review_note: str


class DigestFilters(Schema):
    state: Annotated[str, Field(max_length=24)] = ""
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get(
    "/sessions/{session_id}/groups",
    response={200: list[DeliberationGroupOut], **ERRORS},
    summary="审议小组列表",
)
def list_groups(request, session_id: int):
    """代表大会会议的审议小组（代表小组）及其组员和记录人。"""
    session = sel.session_for(request.user, session_id, perms.MEETING_MANAGE)
    return list(sel.groups_of(request.user, session))


@router.post(
    "/sessions/{session_id}/groups", response={201: DeliberationGroupOut, **ERRORS}, summary="组建审议小组"
)
def create_group(request, session_id: int, payload: DeliberationGroupIn):
    group = services.form_group(
        actor=request.user,
        session_id=session_id,
        name=payload.name,
        recorder_id=payload.recorder,
        member_ids=payload.members,
    )
    return Status(201, group)


@router.get(
    "/deliberation/groups/{group_id}",
    response={200: DeliberationGroupDetailOut, **ERRORS},
    summary="审议小组详情",
)
def get_group(request, group_id: int):
    """小组、所审议的报告和已记录的审议意见（记录人、组员和本镇（街道）人大办可看）。"""
    group = sel.group_for(request.user, group_id)
    return (
        DeliberationGroup.objects.select_related("recorder", "session")
        .prefetch_related("members")
        .get(pk=group.pk)
    )


@router.post(
    "/deliberation/groups/{group_id}/opinions",
    response={201: DeliberationOpinionOut, **ERRORS},
    summary="记录审议意见",
)
def add_opinion(request, group_id: int, payload: DeliberationOpinionIn):
    """小组记录人（或镇（街道）人大办）记录一位代表对一个报告的审议意见；汇总送交政府后不能再增加。"""
    opinion = services.record_opinion(
        actor=request.user,
        group_id=group_id,
        agenda_item_id=payload.agenda_item,
        deputy_id=payload.deputy,
        text=payload.text,
    )
    return Status(201, DeliberationOpinion.objects.select_related("deputy").get(pk=opinion.pk))


@router.delete(
    "/deliberation/opinions/{deliberation_opinion_id}",
    response={204: None, **ERRORS},
    summary="删除审议意见",
)
def delete_opinion(request, deliberation_opinion_id: int):
    services.remove_opinion(actor=request.user, opinion_id=deliberation_opinion_id)
    return Status(204, None)


@router.get(
    "/deliberation/reports/{agenda_item_id}/opinions",
    response={200: list[DeliberationOpinionOut], **ERRORS},
    summary="一个报告的全部审议意见",
)
def report_opinions(request, agenda_item_id: int):
    return sel.report_opinions(sel.report_for(request.user, agenda_item_id))


@router.get(
    "/deliberation/reports/{agenda_item_id}/digest.docx",
    response={200: None, **ERRORS},
    summary="审议意见汇总（Word）",
)
def digest_document(request, agenda_item_id: int):
    """关于《…报告》的审议意见汇总（GB/T 9704）：送交前为草稿，送交后写明承办单位和时限。"""
    item = sel.report_for(request.user, agenda_item_id)
    data = digest_of(item, sel.report_opinions(item), sel.report_digest(item))
    return docx_response(data, "审议意见汇总.docx")


@router.post(
    "/deliberation/reports/{agenda_item_id}/digest",
    response={201: DigestOut, **ERRORS},
    summary="汇总审议意见并送交政府",
)
def send_digest(request, agenda_item_id: int, payload: DigestIn):
    """汇总各小组对该报告的审议意见，送交负责的承办单位研究处理，按工作日计算答复时限并跟踪。"""
    digest = services.send_digest(actor=request.user, agenda_item_id=agenda_item_id, unit_id=payload.unit)
    return Status(201, digest)


@router.get("/deliberation/digests", response=Page[DigestOut], summary="审议意见汇总列表")
def list_digests(request, filters: Query[DigestFilters]):
    """镇（街道）人大办看本镇（街道），县人大办看全县，承办单位看送交本单位的。"""
    qs = sel.digests(request.user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return paginate(qs, filters.page, filters.page_size)


@router.get(
    "/deliberation/digests/{digest_id}", response={200: DigestOut, **ERRORS}, summary="审议意见汇总详情"
)
def get_digest(request, digest_id: int):
    return sel.digest_for(request.user, digest_id)


@router.get(
    "/deliberation/digests/{digest_id}/document.docx",
    response={200: None, **ERRORS},
    summary="送交的审议意见汇总（Word）",
)
def digest_sent_document(request, digest_id: int):
    digest = sel.digest_for(request.user, digest_id)
    data = digest_of(digest.agenda_item, sel.report_opinions(digest.agenda_item), digest)
    return docx_response(data, f"{digest.title}.docx")


add_action_routes(
    router,
    path="/deliberation/digests/{digest_id}",
    id_param="digest_id",
    workflow=DIGEST_WORKFLOW,
    fetch=sel.digest_for,
    act=services.act_on_digest,
    out=DigestOut,
    noun="审议意见汇总",
)


# --- agenda checklists -----------------------------------------------------------------------------------


class ChecklistLineOut(Schema):
    id: int | None = None
    part: str
    label: str
    keywords: str


class TownChecklistOut(Schema):
    kind: str
    # False: the town has no list of its own for this kind and starts from the shipped default.
    custom: bool
    lines: list[ChecklistLineOut]


class ChecklistQuery(Schema):
    town: Id = Field(..., description="镇（区划编号）")
    kind: MeetingKind


class ChecklistEntryIn(Schema):
    town: Id
    kind: MeetingKind
    part: ChecklistPart
    label: column(ChecklistEntry._meta.get_field("label"))
    keywords: column(ChecklistEntry._meta.get_field("keywords")) = ""


class ChecklistAdoptIn(Schema):
    town: Id
    kind: MeetingKind


class MeetingChecklistLineOut(Schema):
    id: int
    part: str
    label: str
    keywords: str
    status: str
    missing: bool


class MeetingChecklistOut(Schema):
    lines: list[MeetingChecklistLineOut]
    missing: list[str]


class SettleIn(Schema):
    status: ChecklistStatus


def _town(user, pk: int) -> Region:
    town = Region.objects.filter(pk=pk, level="town").first()
    if town is None:
        raise NotFound()
    perms.require_in(user, perms.MEETING_MANAGE, town)
    return town


def _town_checklist(town, kind) -> dict:
    own = sel.township_checklist(town, kind)
    lines = own or [
        {"part": p, "label": label, "keywords": kw} for p, label, kw in services.township_lines(town, kind)
    ]
    return {"kind": kind, "custom": bool(own), "lines": lines}


@router.get("/checklists", response={200: TownChecklistOut, **ERRORS}, summary="会议议程和内容清单")
def town_checklist(request, q: Query[ChecklistQuery]):
    """本镇（街道）某类会议的议程和文件清单；本镇（街道）尚未自定义时为系统默认清单（参照桐乡“会议议程和内容清单”）。"""
    town = _town(request.user, q.town)
    return _town_checklist(town, q.kind)


@router.post("/checklists", response={201: TownChecklistOut, **ERRORS}, summary="增加清单事项")
def add_checklist_line(request, payload: ChecklistEntryIn):
    town = _town(request.user, payload.town)
    services.add_checklist_entry(
        actor=request.user,
        region=town,
        kind=payload.kind,
        part=payload.part,
        label=payload.label,
        keywords=payload.keywords,
    )
    return Status(201, _town_checklist(town, payload.kind))


@router.post(
    "/checklists/adopt", response={200: TownChecklistOut, **ERRORS}, summary="以默认清单建立本镇（街道）清单"
)
def adopt_checklist(request, payload: ChecklistAdoptIn):
    town = _town(request.user, payload.town)
    services.adopt_default_checklist(actor=request.user, region=town, kind=payload.kind)
    return _town_checklist(town, payload.kind)


@router.delete("/checklists/{checklist_entry_id}", response={204: None, **ERRORS}, summary="删除清单事项")
def delete_checklist_line(request, checklist_entry_id: int):
    services.remove_checklist_entry(actor=request.user, entry_id=checklist_entry_id)
    return Status(204, None)


def _meeting_checklist(meeting) -> dict:
    lines, missing = sel.checklist(meeting)
    gone = {line.pk for line in missing}
    return {
        "lines": [
            {
                "id": line.pk,
                "part": line.part,
                "label": line.label,
                "keywords": line.keywords,
                "status": line.status,
                "missing": line.pk in gone,
            }
            for line in lines
        ],
        "missing": [line.label for line in missing],
    }


@router.get(
    "/meetings/{meeting_id}/checklist", response={200: MeetingChecklistOut, **ERRORS}, summary="会前清单"
)
def meeting_checklist(request, meeting_id: int):
    """会议的议程和文件清单，及会前还缺的事项（missing）：议程标题或文件名含事项名或关键词即为已备。"""
    return _meeting_checklist(meeting_for(request.user, meeting_id, perms.MEETING_MANAGE))


@router.post(
    "/meetings/{meeting_id}/checklist/{checklist_item_id}",
    response={200: MeetingChecklistOut, **ERRORS},
    summary="标记清单事项",
)
def settle_checklist_line(request, meeting_id: int, checklist_item_id: int, payload: SettleIn):
    """标记为已备齐（如纸质文件）、本次不需要，或恢复为待落实。"""
    meeting = meeting_for(request.user, meeting_id, perms.MEETING_MANAGE)
    if not MeetingChecklistItem.objects.filter(pk=checklist_item_id, meeting=meeting).exists():
        raise NotFound()
    services.settle_checklist_item(actor=request.user, item_id=checklist_item_id, status=payload.status)
    return _meeting_checklist(meeting)

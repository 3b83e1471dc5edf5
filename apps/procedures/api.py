"""/api/v1/procedures (tag procedures, issue 21 part 5): every procedure with its states and steps (who may
take each, its input, the deadline where it leads), the same data the charts draw; one procedure and its
Word and PDF papers; the rules book ([law] and [local] rules with their values per township) and a
township's own rule documents."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from apps.accounts import permissions as perms
from apps.common.api import ERRORS, ErrorOut
from apps.common.downloads import DOCX_MIME, docx_response, file_response
from apps.common.errors import NotFound
from apps.common.params import ID
from apps.workflow.uploads import file_response as attachment_response

from . import papers, services
from . import selectors as sel
from .catalogue import procedure, procedures
from .data import Deadline, Procedure

router = Router(tags=["procedures"])
Id = ID.required()


class ProcedureDeadlineOut(Schema):
    working_days: int | None = Field(None, description="工作日数")
    months: int | None = Field(None, description="月数")
    setting: str | None = Field(None, description="保存该数值的本地规则设置项")
    text: str = Field(..., description="时限说明")


class ProcedureStateOut(Schema):
    key: str
    label: str
    initial: bool
    final: bool = Field(..., description="办结环节")
    deadline: ProcedureDeadlineOut | None = Field(None, description="在此环节停留的时限")


class ProcedureInputOut(Schema):
    name: str
    label: str
    required: bool


class ProcedureStepOut(Schema):
    key: str
    label: str
    sources: list[str]
    target: str
    capability: str = Field(..., description="权限名（空：仅系统办理）")
    capability_label: str
    who: list[str] = Field(..., description="可办理的角色")
    system: bool = Field(..., description="系统可自动办理")
    inputs: list[ProcedureInputOut]
    deadline: ProcedureDeadlineOut | None = Field(None, description="进入目标环节后的时限")


class ProcedureOut(Schema):
    key: str
    label: str
    group: str = Field(..., description="item：事项办理流程；congress：代表大会会议程序")
    model: str
    note: str
    states: list[ProcedureStateOut]
    transitions: list[ProcedureStepOut]


def _deadline(d: Deadline | None) -> dict | None:
    if d is None:
        return None
    return {"working_days": d.working_days, "months": d.months, "setting": d.setting, "text": d.text}


def procedure_out(p: Procedure) -> dict:
    return {
        "key": p.key,
        "label": p.label,
        "group": p.group,
        "model": p.model,
        "note": p.note,
        "states": [
            {
                "key": n.key,
                "label": n.label,
                "initial": n.initial,
                "final": n.final,
                "deadline": _deadline(n.deadline),
            }
            for n in p.nodes
        ],
        "transitions": [
            {
                "key": e.key,
                "label": e.label,
                "sources": list(e.sources),
                "target": e.target,
                "capability": e.capability,
                "capability_label": e.capability_label,
                "who": list(e.who),
                "system": e.system,
                "inputs": [{"name": n, "label": lbl, "required": r} for n, lbl, r in e.inputs],
                "deadline": _deadline(e.deadline),
            }
            for e in p.edges
        ],
    }


class RulesBookLawOut(Schema):
    key: str
    rule: str
    source: str = Field(..., description="法律及条款")
    setting: str = Field(..., description="保存该数值的设置项（如有）")
    value: str


class RulesBookTownValueOut(Schema):
    town: str = Field(..., description="镇（街道）的区划代码")
    name: str
    value: int | bool | str


class RulesBookLocalOut(Schema):
    key: str = Field(..., description="设置项")
    label: str
    source: str
    unit: str
    default: int | bool | str
    towns: list[RulesBookTownValueOut]


class RulesBookOut(Schema):
    laws: list[RulesBookLawOut]
    local: list[RulesBookLocalOut]


class RuleDocumentOut(Schema):
    id: int
    town: str = Field(..., alias="region.code")
    town_name: str = Field(..., alias="region.name")
    title: str
    number: str
    adopted_on: date | None


def _require(request):
    perms.require(request.user, perms.PROCEDURE_BROWSE)


@router.get("", response={200: list[ProcedureOut], **ERRORS}, summary="全部流程")
def list_procedures(request):
    """每个事项办理流程（由工作流表生成）及代表大会会议、会议、表决的程序：环节、办理人、输入与时限。"""
    _require(request)
    return [procedure_out(p) for p in procedures()]


@router.get("/rules", response={200: RulesBookOut, **ERRORS}, summary="规则汇编")
def rules_book(request):
    """平台执行的每条法定规则（法律及条款）和本地规则（设置项、默认值及本人所辖各镇的取值）。"""
    _require(request)
    towns = sel.towns_for(request.user)
    laws = [
        {
            "key": r["rule"].key,
            "rule": str(r["rule"].rule),
            "source": r["source"],
            "setting": r["rule"].setting,
            "value": str(r["value"]),
        }
        for r in sel.law_rows()
    ]
    local = [
        {
            "key": r["setting"].key,
            "label": str(r["setting"].label),
            "source": str(r["source"]),
            "unit": str(r["setting"].unit),
            "default": r["default"],
            "towns": [
                {"town": t.code, "name": t.name, "value": v} for t, v in zip(towns, r["values"], strict=True)
            ],
        }
        for r in sel.local_rows(towns)
    ]
    return {"laws": laws, "local": local}


DOCX = {"responses": {200: {"description": "Word（GB/T 9704）", "content": {DOCX_MIME: {}}}}}
PDF = {"responses": {200: {"description": "PDF（A4）", "content": {"application/pdf": {}}}}}


@router.get("/rules/word", response={200: None, **ERRORS}, summary="规则汇编（Word）", openapi_extra=DOCX)
def rules_word(request):
    _require(request)
    towns = sel.towns_for(request.user)
    data = papers.rules_docx(
        sel.law_rows(), sel.local_rows(towns), towns, list(sel.documents(request.user)[:200])
    )
    return docx_response(data, "规则汇编.docx")


@router.get("/rules/documents", response={200: list[RuleDocumentOut], **ERRORS}, summary="本镇规章制度")
def documents(request):
    _require(request)
    return list(sel.documents(request.user)[:200])


class RuleDocumentIn(Schema):
    town: Id = Field(..., description="镇（街道）的编号")
    title: Annotated[str, Field(min_length=1, max_length=services.TITLE_MAX)]
    number: Annotated[str, Field(max_length=services.NUMBER_MAX)] = ""
    adopted_on: date | None = Field(None, ge=date(1949, 10, 1), le=date(2100, 12, 31))


@router.post("/rules/documents", response={201: RuleDocumentOut, **ERRORS}, summary="上传本镇规章制度")
def add_document(request, data: Form[RuleDocumentIn], file: File[UploadedFile]):
    """人大办上传本镇的规章制度（PDF、Word 或图片）；上传记入审计日志。"""
    doc = services.add_document(
        actor=request.user,
        town_id=data.town,
        title=data.title,
        number=data.number,
        adopted_on=data.adopted_on,
        upload=file,
    )
    return Status(201, doc)


@router.get("/rules/documents/{rule_document_id}", response={200: None, **ERRORS}, summary="下载本镇规章制度")
def get_document(request, rule_document_id: int):
    att = sel.document_file(sel.document(request.user, rule_document_id))
    if att is None:
        raise NotFound()
    return attachment_response(att)


@router.delete(
    "/rules/documents/{rule_document_id}", response={204: None, **ERRORS}, summary="删除本镇规章制度"
)
def remove_document(request, rule_document_id: int):
    services.remove_document(actor=request.user, document_id=rule_document_id)
    return Status(204, None)


def _proc(key: str) -> Procedure:
    p = procedure(key)
    if p is None:
        raise NotFound()
    return p


@router.get("/{procedure_key}", response={200: ProcedureOut, 404: ErrorOut, **ERRORS}, summary="一个流程")
def get_procedure(request, procedure_key: str):
    _require(request)
    return procedure_out(_proc(procedure_key))


@router.get(
    "/{procedure_key}/word", response={200: None, **ERRORS}, summary="流程图（Word）", openapi_extra=DOCX
)
def procedure_word(request, procedure_key: str):
    """流程图（PNG）及各环节表，GB/T 9704 公文格式。"""
    _require(request)
    p = _proc(procedure_key)
    return docx_response(papers.procedure_docx(p), f"{papers.procedure_title(p)}.docx")


@router.get(
    "/{procedure_key}/pdf", response={200: None, **ERRORS}, summary="流程图（PDF）", openapi_extra=PDF
)
def procedure_pdf(request, procedure_key: str):
    _require(request)
    p = _proc(procedure_key)
    return file_response(papers.procedure_pdf(p), f"{papers.procedure_title(p)}.pdf", "application/pdf")

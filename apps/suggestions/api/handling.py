"""Drafting and handling a suggestion: drafts and co-signing, the actions of its workflow, the
consultation, feedback, key supervision, visits, publication, the reply letter, co-handling parts."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status

from apps.accounts.scopes import get_or_deny, visible_to
from apps.common.api import ERRORS, ErrorOut, Page, Ref, paginate
from apps.common.choices import Satisfaction
from apps.common.downloads import docx_response
from apps.common.errors import NotFound
from apps.common.params import PageArg, PageSizeArg
from apps.opinions.models import Topic
from apps.workflow.api import (
    add_action_routes,
)

from .. import selectors, services
from ..letter import reply_letter
from ..models import CoHandling, ConsultMethod, Period
from ..workflow import COHANDLING_WORKFLOW, SUGGESTION_WORKFLOW
from .common import (
    SuggestionRef,
    router,
)
from .reads import (
    CoHandlingOut,
    SuggestionDetailOut,
    SuggestionOut,
    VisitOut,
)

# --- suggestions: drafting --------------------------------------------------------------------------------


class SuggestionIn(Schema):
    title: str = ""
    content: str = ""
    topic: str = Field(Topic.OTHER, description="、".join(Topic.values))
    period: str = Field(Period.SESSION, description="、".join(Period.values))
    session_label: str = ""
    co_signers: list[int] = Field([], description="邀请联名的本镇（街道）代表编号")
    opinions: list[int] = Field([], description="来源社情民意编号")
    lead: int | None = Field(None, description="人大办代为录入时：领衔代表编号")


@router.post("/suggestions", response={201: SuggestionDetailOut, **ERRORS}, summary="起草代表建议")
def create_suggestion(request, payload: SuggestionIn):
    """代表起草本人领衔的建议（可邀请本镇（街道）代表联名、关联来源社情民意）；人大办可为代表录入（`lead`）。
    新建议为草稿，被邀请的代表收到通知，确认后才算联名。"""
    return Status(201, services.create_draft(actor=request.user, data=payload.dict(exclude_none=True)))


class SuggestionPatch(Schema):
    title: str | None = None
    content: str | None = None
    topic: str | None = None
    period: str | None = None
    session_label: str | None = None
    co_signers: list[int] | None = Field(None, description="联名代表的完整名单（新增的会收到邀请）")


@router.patch(
    "/suggestions/{suggestion_id}", response={200: SuggestionDetailOut, **ERRORS}, summary="修改建议草稿"
)
def update_suggestion(request, suggestion_id: int, payload: SuggestionPatch):
    """修改草稿或退回修改的建议，只改请求中给出的字段；`co_signers` 为联名代表的完整名单。只有领衔代表
    或人大办可以修改，已提交的建议不能修改。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    return services.update_draft(actor=request.user, item=item, data=data)


class SignatureIn(Schema):
    accept: bool


@router.post(
    "/suggestions/{suggestion_id}/signature",
    response={200: SuggestionDetailOut, **ERRORS},
    summary="确认或谢绝联名",
)
def sign_suggestion(request, suggestion_id: int, payload: SignatureIn):
    """被邀请的代表确认（`accept=true`）或谢绝联名；确认后记入本人履职记录。建议提交后不能再更改。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    services.respond(actor=request.user, item=item, accept=payload.accept)
    return item


# --- suggestions: handling --------------------------------------------------------------------------------


add_action_routes(
    router,
    path="/suggestions/{suggestion_id}",
    id_param="suggestion_id",
    workflow=SUGGESTION_WORKFLOW,
    fetch=selectors.suggestion_detail,
    act=services.act,
    out=SuggestionDetailOut,
    noun="代表建议",
)


class ConsultationIn(Schema):
    method: str = Field("", description="、".join(ConsultMethod.values))
    on: date | None = None
    note: str = ""


@router.post(
    "/suggestions/{suggestion_id}/consultation",
    response={200: SuggestionDetailOut, **ERRORS},
    summary="登记面商情况",
)
def record_consultation(request, suggestion_id: int, payload: ConsultationIn):
    """主办单位答复前登记与代表的面商：方式（座谈、走访、电话、其他，或“未沟通”）、日期和情况。
    未登记面商的建议不能答复。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    return services.record_consultation(
        actor=request.user, item=item, method=payload.method, on=payload.on, note=payload.note
    )


class FeedbackIn(Schema):
    handling: str = Field("", description="对办理工作：" + "、".join(Satisfaction.values))
    result: str = Field("", description="对办理结果：" + "、".join(Satisfaction.values))
    comment: str = ""


@router.post(
    "/suggestions/{suggestion_id}/feedback",
    response={200: SuggestionDetailOut, **ERRORS},
    summary="代表反馈评价",
)
def give_feedback(request, suggestion_id: int, payload: FeedbackIn):
    """署名代表对本轮答复分别评价办理工作和办理结果。有“不满意”时建议重新办理；全部代表评价后，A、D 类
    办结，B、C 类转入跟踪落实。每位代表每轮只能评价一次。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    services.rate(
        actor=request.user,
        item=item,
        handling=payload.handling,
        result=payload.result,
        comment=payload.comment,
    )
    return selectors.suggestion_detail(request.user, suggestion_id)


class KeyIn(Schema):
    is_key: bool
    member: int | None = Field(None, description="督办的主席团成员（代表编号）")


@router.post(
    "/suggestions/{suggestion_id}/key", response={200: SuggestionDetailOut, **ERRORS}, summary="设定重点督办"
)
def mark_key(request, suggestion_id: int, payload: KeyIn):
    """人大办按主席团决定把建议列为（或取消）重点督办，并指定跟踪督办的主席团成员。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    return services.mark_key(actor=request.user, item=item, is_key=payload.is_key, member_id=payload.member)


class VisitIn(Schema):
    on: date | None = Field(None, description="日期，默认今天")
    note: str = ""


@router.post(
    "/suggestions/{suggestion_id}/visits", response={201: VisitOut, **ERRORS}, summary="登记督办情况"
)
def add_visit(request, suggestion_id: int, payload: VisitIn):
    """为重点督办建议登记一次视察或督办情况（人大办或督办的主席团成员）。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    return Status(201, services.add_visit(actor=request.user, item=item, on=payload.on, note=payload.note))


class SuggestionPublishIn(Schema):
    publish: bool


@router.post(
    "/suggestions/{suggestion_id}/publish",
    response={200: SuggestionDetailOut, **ERRORS},
    summary="设定答复公开",
)
def set_publish(request, suggestion_id: int, payload: SuggestionPublishIn):
    """设定答复是否向社会公开（默认公开）；不公开的答复不出现在公开的答复列表中。仅人大办可设定。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    return services.set_publish(actor=request.user, item=item, publish=payload.publish)


class SuggestionSimilarOut(Schema):
    suggestion: SuggestionOut
    score: float = Field(..., description="相似度 0–1")


class SuggestionSimilarityOut(Schema):
    similar: list[SuggestionSimilarOut]


@router.get(
    "/suggestions/{suggestion_id}/similar",
    response={200: SuggestionSimilarityOut, 404: ErrorOut},
    summary="相似建议",
)
def similar(request, suggestion_id: int):
    """本镇（街道）已提交的相似建议，供审查时并案参考；只列出当前用户能查看的建议。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    found = selectors.similar_submitted(item, user=request.user)
    return {"similar": [{"suggestion": s, "score": score} for s, score in found]}


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get(
    "/suggestions/{suggestion_id}/letter.docx",
    response={200: None, 404: ErrorOut},
    url_name="suggestion_letter",
    summary="下载答复函",
)
def letter(request, suggestion_id: int):
    """本轮答复的答复函（Word 文档，红头、文号、答复正文、答复类别、签发人和日期）。能查看该建议的用户
    才能下载；尚未答复的建议答复 404。"""
    item = selectors.suggestion_detail(request.user, suggestion_id)
    if not item.rounds:
        raise NotFound()
    return docx_response(reply_letter(item), _("答复函-%(n)s.docx") % {"n": item.number or item.pk})


# --- co-handling ------------------------------------------------------------------------------------------


class CoHandlingSuggestionOut(SuggestionRef):
    content: str
    lead_unit: Ref | None = Field(None, alias="unit")


class CoHandlingPartOut(CoHandlingOut):
    suggestion: CoHandlingSuggestionOut
    version: int


class CoHandlingFilters(Schema):
    state: str = Field("", description="requested 待提交，submitted 已提交")
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/cohandlings", response=Page[CoHandlingPartOut], summary="协办事项列表")
def list_cohandlings(request, filters: Query[CoHandlingFilters]):
    """当前用户可见的协办事项：协办单位看交由本单位协办的（含建议标题和内容），人大办看本辖区的。"""
    qs = (
        visible_to(request.user, CoHandling)
        .select_related("unit", "suggestion__unit")
        .order_by("due_date", "pk")
    )
    if filters.state:
        qs = qs.filter(state=filters.state)
    return paginate(qs, filters.page, filters.page_size)


class CoInputIn(Schema):
    text: str = ""


@router.post(
    "/cohandlings/{cohandling_id}/input", response={200: CoHandlingPartOut, **ERRORS}, summary="提交协办意见"
)
def cohandling_input(request, cohandling_id: int, payload: CoInputIn):
    """协办单位在时限内（交办后 1 个月）向主办单位提交协办意见，主办单位收到通知。与
    `POST /cohandlings/{id}/actions/submit_input`（input_text）相同。"""
    part = get_or_deny(request.user, CoHandling, pk=cohandling_id)
    return services.cohandling_input(actor=request.user, part=part, text=payload.text)


def _part(user, pk: int) -> CoHandling:
    return get_or_deny(user, CoHandling, pk=pk)


def _act_part(*, actor, item, key, data):
    from apps.workflow.services import transition

    return transition(item, key, actor=actor, data=data)


add_action_routes(
    router,
    path="/cohandlings/{cohandling_id}",
    id_param="cohandling_id",
    workflow=COHANDLING_WORKFLOW,
    fetch=_part,
    act=_act_part,
    out=CoHandlingPartOut,
    noun="协办",
)

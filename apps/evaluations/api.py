"""/api/v1/supervision/evaluations... and /api/v1/supervision/evaluation-surveys/... (tag supervision):
department evaluations by the eight steps, their files and written opinions, the satisfaction survey and a
deputy's secret answer, the results per department and the two Word papers.

Thin: each operation parses with a schema and calls one selector or service with `request.user`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from apps.common.api import ERRORS, Page, column, paginate
from apps.common.downloads import docx_response
from apps.common.errors import NotFound
from apps.common.params import IdArg, IdItem, PageArg, PageSizeArg, YearArg, YearPath
from apps.workflow.api import StepOut, TrackedOut, add_action_routes, steps_out
from apps.workflow.uploads import attachments_of, file_response

from . import selectors, services
from .models import DepartmentEvaluation, EvaluatedUnit
from .word import announcement_docx, opinions_docx
from .workflow import EVALUATION_WORKFLOW, SURVEY_WORKFLOW

router = Router(tags=["supervision"])


class EvaluationIn(Schema):
    region: IdItem = Field(..., description="镇（区划编号）")
    year: YearPath
    title: column(DepartmentEvaluation._meta.get_field("title"))
    units: list[IdItem] = Field(..., min_length=1, max_length=200, description="被评议单位（承办单位编号）")
    activity: IdArg = Field(
        None, description="所落实的监督计划事项（本镇监督计划中形式为部门评议的事项，可选）"
    )


class EvaluationOut(TrackedOut):
    id: int
    region: int = Field(..., alias="region_id")
    region_name: str = Field(..., alias="region.name")
    year: int
    title: str
    step_dates: dict[str, str] = Field(..., description="各步骤的日期，键为该步骤进入的状态")
    activity: int | None = Field(None, alias="activity_id", description="所落实的监督计划事项编号")


class EvaluatedUnitOut(Schema):
    unit_id: int
    unit_name: str
    opinion: str
    filed: bool = Field(..., description="测评结果是否已解密归档")
    satisfied: int | None
    basic: int | None
    dissatisfied: int | None
    total: int | None
    shares: dict[str, float | None] = Field(..., description="满意、基本满意、不满意各占百分比")
    must_rectify: bool = Field(..., description="不满意率超过本镇规定比例，须提交整改方案")
    plan_due: date | None = Field(..., description="整改方案提交期限")


class EvaluationRectificationOut(Schema):
    id: int = Field(..., description="整改事项编号")
    unit: int = Field(..., alias="unit_id", description="整改责任单位（被评议单位）")
    unit_name: str = Field(..., alias="unit.name")
    title: str
    state: str
    state_label: str
    deadline: date = Field(..., description="整改时限（该单位整改方案的提交期限）")

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.state_label)


class EvaluationDetailOut(EvaluationOut):
    units: list[EvaluatedUnitOut] = Field(..., alias="units_out")
    rectifications: list[EvaluationRectificationOut] = Field(
        ...,
        alias="rectifications_out",
        description="督促整改步骤为不满意率超过规定比例的单位各交办的整改事项（本人可见的）",
    )
    survey: int | None = Field(None, alias="survey_out", description="满意度测评编号（尚未设立时为空）")
    steps: list[StepOut] = Field(..., alias="steps_out")


class EvaluationOpinionIn(Schema):
    opinion: column(EvaluatedUnit._meta.get_field("opinion"))


class SurveyIn(Schema):
    opens_at: datetime
    closes_at: datetime
    public: bool = Field(False, description="是否向公众开放（凭手机验证码，每个号码一次）")


class SurveyOut(TrackedOut):
    id: int
    evaluation: int = Field(..., alias="evaluation_id")
    opens_at: datetime
    closes_at: datetime
    public: bool
    participants: int | None


class SurveyAnswerIn(Schema):
    choice: Literal["satisfied", "basic", "dissatisfied"] = Field(..., description="满意、基本满意或不满意")
    comment: Annotated[str, Field(max_length=500)] = ""


class SurveyResponseIn(Schema):
    answers: dict[int, SurveyAnswerIn] = Field(..., description="按被评议单位编号，每个单位的评价和可选意见")


class SurveyReceiptOut(Schema):
    receipt: str = Field(..., description="密封选票的回执，可在公开页面核对已计入")


class SurveyCommentsOut(Schema):
    unit_id: int
    comments: list[str]


class EvaluationFileOut(Schema):
    id: int
    name: str
    kind: str
    size: int


class EvaluationFilters(Schema):
    year: YearArg = None
    state: Annotated[str, Field(max_length=24)] = ""
    page: PageArg = 1
    page_size: PageSizeArg = None


def detail_out(item, user):
    """The evaluation with its departments' results, its survey's id and its timeline."""
    survey = selectors.survey_of(item)
    item.units_out = selectors.results(item, user)
    item.survey_out = survey.pk if survey else None
    item.steps_out = steps_out(item)
    item.rectifications_out = selectors.rectifications(item, user)
    return item


@router.get("/supervision/evaluations", response=Page[EvaluationOut], summary="工作评议列表")
def list_evaluations(request, filters: Query[EvaluationFilters]):
    """人大办看本镇（县看全县）；被评议单位看评议本单位的；代表看本镇的。"""
    qs = selectors.evaluations(request.user, year=filters.year, state=filters.state)
    return paginate(qs, filters.page, filters.page_size)


@router.post(
    "/supervision/evaluations", response={201: EvaluationDetailOut, **ERRORS}, summary="新建工作评议"
)
def create_evaluation(request, payload: EvaluationIn):
    """镇人大办新建一次工作评议：评议名称、年度和被评议单位（本镇或本县的承办单位）；本镇代表为参评代表。"""
    item = services.create_evaluation(
        actor=request.user,
        region_id=payload.region,
        year=payload.year,
        title=payload.title,
        unit_ids=payload.units,
        activity_id=payload.activity,
    )
    return Status(201, detail_out(item, request.user))


@router.get(
    "/supervision/evaluations/{evaluation_id}",
    response={200: EvaluationDetailOut, **ERRORS},
    summary="工作评议详情",
)
def get_evaluation(request, evaluation_id: int):
    """评议的八个步骤（谁、何时、日期和说明）、被评议单位、评议意见与测评结果。"""
    return detail_out(selectors.evaluation(request.user, evaluation_id), request.user)


@router.put(
    "/supervision/evaluations/{evaluation_id}/units/{unit_id}/opinion",
    response={200: EvaluatedUnitOut, **ERRORS},
    summary="填写对一个单位的评议意见",
)
def set_opinion(request, evaluation_id: int, unit_id: int, payload: EvaluationOpinionIn):
    """提出书面评议意见之前，人大办填写或修改对被评议单位的评议意见。"""
    services.set_opinion(
        actor=request.user, evaluation_id=evaluation_id, unit_id=unit_id, opinion=payload.opinion
    )
    item = selectors.evaluation(request.user, evaluation_id)
    return next(r for r in selectors.results(item, request.user) if r["unit_id"] == unit_id)


@router.get(
    "/supervision/evaluations/{evaluation_id}/comments",
    response={200: list[SurveyCommentsOut], **ERRORS},
    summary="测评意见（不署名）",
)
def comments(request, evaluation_id: int):
    """参评人对各单位的意见：只有文字，从不显示、也不保存是谁提的。"""
    item = selectors.evaluation(request.user, evaluation_id)
    return [{"unit_id": k, "comments": v} for k, v in selectors.comments(item, request.user).items()]


@router.get(
    "/supervision/evaluations/{evaluation_id}/files",
    response={200: list[EvaluationFileOut], **ERRORS},
    summary="评议材料",
)
def files(request, evaluation_id: int):
    return list(attachments_of(selectors.evaluation(request.user, evaluation_id)))


@router.post(
    "/supervision/evaluations/{evaluation_id}/files",
    response={201: EvaluationFileOut, **ERRORS},
    summary="上传评议材料",
)
def add_file(request, evaluation_id: int, file: File[UploadedFile]):
    """各步骤的材料（通知、调研报告、会议记录、评议意见、整改报告等）；归档后不能再上传。"""
    return Status(201, services.attach_file(actor=request.user, evaluation_id=evaluation_id, upload=file))


@router.get(
    "/supervision/evaluations/{evaluation_id}/files/{att}",
    response={200: None, **ERRORS},
    summary="下载评议材料",
)
def get_file(request, evaluation_id: int, att: int):
    found = attachments_of(selectors.evaluation(request.user, evaluation_id)).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)


@router.get(
    "/supervision/evaluations/{evaluation_id}/opinions.docx",
    response={200: None, **ERRORS},
    summary="评议意见（Word）",
)
def opinions_word(request, evaluation_id: int):
    """对各被评议单位的书面评议意见，公文格式。"""
    return docx_response(
        opinions_docx(selectors.evaluation(request.user, evaluation_id), user=request.user), "评议意见.docx"
    )


@router.get(
    "/supervision/evaluations/{evaluation_id}/announcement.docx",
    response={200: None, **ERRORS},
    summary="评议结果公告（Word）",
)
def announcement_word(request, evaluation_id: int):
    """各单位的测评票数和比例，须整改的单位，公文格式。"""
    return docx_response(
        announcement_docx(selectors.evaluation(request.user, evaluation_id), user=request.user),
        "评议结果公告.docx",
    )


@router.post(
    "/supervision/evaluations/{evaluation_id}/survey",
    response={201: SurveyOut, **ERRORS},
    summary="设立满意度测评",
)
def create_survey(request, evaluation_id: int, payload: SurveyIn):
    """设定测评的开始和截止时间；之后由人大办准备（指定第二名监票人）、两名监票人生成密钥后开启。"""
    survey = services.create_survey(
        actor=request.user,
        evaluation_id=evaluation_id,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        public=payload.public,
    )
    return Status(201, survey)


@router.get(
    "/supervision/evaluation-surveys/{evaluation_survey_id}",
    response={200: SurveyOut, **ERRORS},
    summary="满意度测评",
)
def get_survey(request, evaluation_survey_id: int):
    return selectors.survey(request.user, evaluation_survey_id)


@router.post(
    "/supervision/evaluation-surveys/{evaluation_survey_id}/responses",
    response={201: SurveyReceiptOut, **ERRORS},
    summary="参加满意度测评（无记名）",
)
def respond(request, evaluation_survey_id: int, payload: SurveyResponseIn):
    """本镇代表对每个被评议单位选择满意、基本满意或不满意，可附意见；每人一次，测评时间内有效。
    选择在服务器上密封进票箱，只保存密文；参评记录只是一个带密钥的散列，不含时间和选择。"""
    choices = {k: {"choice": v.choice, "comment": v.comment} for k, v in payload.answers.items()}
    receipt = services.respond(actor=request.user, survey_id=evaluation_survey_id, choices=choices)
    return Status(201, {"receipt": receipt})


add_action_routes(
    router,
    path="/supervision/evaluations/{evaluation_id}",
    id_param="evaluation_id",
    workflow=EVALUATION_WORKFLOW,
    fetch=selectors.evaluation,
    act=lambda *, actor, item, key, data: detail_out(
        services.act_on_evaluation(actor=actor, item=item, key=key, data=data), actor
    ),
    out=EvaluationDetailOut,
    noun="工作评议",
)
add_action_routes(
    router,
    path="/supervision/evaluation-surveys/{evaluation_survey_id}",
    id_param="evaluation_survey_id",
    workflow=SURVEY_WORKFLOW,
    fetch=selectors.survey,
    act=services.act_on_survey,
    out=SurveyOut,
    noun="满意度测评",
)


# --- the public survey (where the office opened it): one answer per phone number proved by an SMS code ----

public_router = Router(tags=["supervision"], auth=None)


class PublicSurveyOut(Schema):
    title: str
    opens_at: datetime
    closes_at: datetime
    open: bool
    units: list[dict[str, int | str]] = Field(..., description="被评议单位：unit_id、name")


class PublicCodeIn(Schema):
    phone: Annotated[str, Field(max_length=20)]


class PublicResponseIn(Schema):
    phone: Annotated[str, Field(max_length=20)]
    code: Annotated[str, Field(max_length=10)]
    answers: dict[int, SurveyAnswerIn]


@public_router.get("/evaluations/rate/{token}", response={200: PublicSurveyOut, **ERRORS}, summary="公众测评")
def public_survey(request, token: str):
    """向公众开放的满意度测评：评议名称、测评时间和被评议单位。"""
    survey = services.public_survey(token[:64])
    now = timezone.now()
    return {
        "title": survey.evaluation.title,
        "opens_at": survey.opens_at,
        "closes_at": survey.closes_at,
        "open": survey.state == "open" and survey.opens_at <= now < survey.closes_at,
        "units": [{"unit_id": r.unit_id, "name": r.unit.name} for r in selectors.rows(survey.evaluation)],
    }


@public_router.post(
    "/evaluations/rate/{token}/code", response={204: None, **ERRORS}, summary="获取测评验证码"
)
def public_code(request, token: str, payload: PublicCodeIn):
    """向手机号码发送六位验证码（五分钟内有效，一次有效；同一号码、同一地址每小时次数有限）。"""
    services.request_public_code(token=token[:64], phone=payload.phone)
    return Status(204, None)


@public_router.post(
    "/evaluations/rate/{token}/responses", response={201: SurveyReceiptOut, **ERRORS}, summary="公众参加测评"
)
def public_respond(request, token: str, payload: PublicResponseIn):
    """凭验证码对每个被评议单位评价，每个手机号码一次；只保存号码的带密钥散列，不保存号码本身。"""
    choices = {k: {"choice": v.choice, "comment": v.comment} for k, v in payload.answers.items()}
    receipt = services.respond_public(
        token=token[:64], phone=payload.phone, code=payload.code, choices=choices
    )
    return Status(201, {"receipt": receipt})

"""/api/v1/assessment (tag assessment, issue 20 parts 1-3): the county's indicator tables (made, copied from
last year, edited while a draft, moved through their steps), the computed indicators on offer, the ranking
with its tie-break rules, the advanced units, the Excel and Word outputs; a town's assessment with every
figure, the records behind a computed figure, manual scores with their evidence files and review steps;
and under /api/v1/public/assessment the published results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.http import HttpResponse
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from apps.common.api import ERRORS, ErrorOut, Page, column, paginate
from apps.common.downloads import docx_response
from apps.common.errors import NotFound
from apps.common.excel import workbook_response
from apps.common.params import ID, PageArg, PageSizeArg, YearArg
from apps.places.models import Region
from apps.workflow.api import StepOut, TrackedOut, add_action_routes, steps_out
from apps.workflow.uploads import attachments_of, file_response

from . import metrics, selectors, services
from .choices import Source
from .exports import results_docx, title_of, workbook
from .inputs import POINTS_FIELD
from .models import Aspect, Indicator, IndicatorTable, ManualScore, TownAssessment
from .workflow import SCORE_WORKFLOW, TABLE_WORKFLOW

router = Router(tags=["assessment"])
public_router = Router(tags=["public"], auth=None)
Id = ID.required()
Points = Annotated[Decimal, Field(**POINTS_FIELD)]


class AssessmentMetricOut(Schema):
    key: str
    label: str
    unit: str = Field(..., description="count 次数；percent 百分比")
    what: str = Field(..., description="计入的记录")


class AssessmentTableIn(Schema):
    region: Id = Field(..., description="县的区划编号")
    year: YearArg = Field(..., description="年度")
    title: column(IndicatorTable._meta.get_field("title")) = ""
    base_score: Points = Decimal(100)
    copy_from: Id | None = Field(None, description="复制本县另一年度的考核表（如上一年度）")


class AssessmentAspectIn(Schema):
    name: column(Aspect._meta.get_field("name"))
    order: int = Field(1, ge=0, le=999)
    is_bonus: bool = Field(False, description="加分项（在基础分之上另加，如创新工作）")


class AssessmentIndicatorIn(Schema):
    aspect: Id = Field(..., description="考核方面的编号")
    name: column(Indicator._meta.get_field("name"))
    order: int = Field(1, ge=0, le=999)
    source: Source = Field(Source.MANUAL, description="computed 平台自动计算；manual 县人大办评分")
    metric: Annotated[str, Field(max_length=40, description="计算口径（见 GET /assessment/metrics）")] = ""
    target: Points = Decimal(0)
    base_points: Points = Decimal(0)
    increment_points: Points = Decimal(0)
    cap: Points = Decimal(0)
    deduction: Points = Decimal(0)
    evidence_rule: column(Indicator._meta.get_field("evidence_rule")) = ""


class AssessmentAspectOut(Schema):
    id: int
    order: int
    name: str
    is_bonus: bool


class AssessmentIndicatorOut(Schema):
    id: int
    aspect: int = Field(..., alias="aspect_id")
    order: int
    name: str
    source: str
    metric: str
    target: Decimal
    base_points: Decimal
    increment_points: Decimal
    cap: Decimal
    deduction: Decimal
    evidence_rule: str


class AssessmentTableOut(TrackedOut):
    id: int
    county: str = Field(..., alias="region.name")
    year: int
    title: str
    base_score: Decimal
    is_example: bool
    published_on: date | None


class AssessmentTableDetailOut(AssessmentTableOut):
    aspects: list[AssessmentAspectOut]
    indicators: list[AssessmentIndicatorOut]
    steps: list[StepOut]

    @staticmethod
    def resolve_aspects(obj) -> list:
        return list(obj.aspects.all())

    @staticmethod
    def resolve_indicators(obj) -> list:
        return list(obj.indicators.all())


class AssessmentLineOut(Schema):
    indicator: int
    value: Decimal | None = Field(None, description="计算得出的数值（次数或百分比）；人工评分指标为空")
    part: int | None = Field(None, description="计入的记录数")
    whole: int | None = Field(None, description="比率的分母（记录总数）")
    points: Decimal
    deducted: Decimal
    score: int | None = Field(None, description="人工评分的编号")
    score_state: str = Field("", description="人工评分的状态（只有已审核的计分）")


class AssessmentTownOut(Schema):
    assessment: int | None = Field(None, description="镇考核的编号")
    town: int
    name: str
    rank: int
    total: Decimal
    computed: Decimal = Field(..., description="其中平台自动计算的得分")
    deducted: Decimal
    tie_rule: str = Field(..., description="同分时决定先后的规则；空为无同分")
    advanced: bool


class AssessmentTownDetailOut(AssessmentTownOut):
    year: int
    lines: list[AssessmentLineOut]


class AssessmentRankingOut(Schema):
    table: int
    year: int
    towns: list[AssessmentTownOut]


class AssessmentTownRowOut(Schema):
    id: int
    table: int = Field(..., alias="table_id")
    year: int = Field(..., alias="table.year")
    town: str = Field(..., alias="region.name")
    advanced: bool
    total: Decimal | None = Field(None, description="公布时的总分")
    rank: int | None = Field(None, description="公布时的名次")
    tie_rule: str


class AssessmentRecordOut(Schema):
    id: int
    label: str
    counted: bool


class AssessmentRecordsOut(Schema):
    indicator: int
    metric: str
    what: str
    items: list[AssessmentRecordOut]
    count: int
    page: int
    page_size: int


class ManualScoreIn(Schema):
    indicator: Id
    points: Points
    note: column(ManualScore._meta.get_field("note")) = ""


class ManualScoreOut(TrackedOut):
    id: int
    assessment: int = Field(..., alias="assessment_id")
    indicator: int = Field(..., alias="indicator_id")
    indicator_name: str = Field(..., alias="indicator.name")
    points: Decimal
    note: str
    review_note: str


class ManualScoreDetailOut(ManualScoreOut):
    steps: list[StepOut]


class AssessmentFileOut(Schema):
    id: int
    name: str
    kind: str
    size: int


class AssessmentAdvancedIn(Schema):
    towns: list[Id] = Field(..., max_length=500, description="评为先进单位的镇考核编号（其余取消）")
    note: column(TownAssessment._meta.get_field("advanced_note")) = ""


def _town_out(t) -> dict:
    return {
        "assessment": t.assessment_id, "town": t.town_id, "name": t.name, "rank": t.rank, "total": t.total,
        "computed": t.computed, "deducted": t.deducted, "tie_rule": t.tie_rule, "advanced": t.advanced,
    }  # fmt: skip


def _line_out(ln) -> dict:
    return {
        "indicator": ln.indicator.pk, "value": ln.value, "part": ln.part, "whole": ln.whole,
        "points": ln.points, "deducted": ln.deducted, "score": ln.score.pk if ln.score else None,
        "score_state": ln.score.state if ln.score else "",
    }  # fmt: skip


@router.get("/metrics", response={200: list[AssessmentMetricOut], **ERRORS}, summary="可自动计算的指标口径")
def list_metrics(request):
    """平台能从记录中自动计算的指标（每个口径一个 SQL 汇总）。"""
    selectors.tables(request.user)
    return [
        {"key": m.key, "label": str(m.label), "unit": m.unit, "what": str(m.what)}
        for m in metrics.REGISTRY.values()
    ]


@router.get("/tables", response={200: Page[AssessmentTableOut], **ERRORS}, summary="考核指标体系列表")
def list_tables(request, page: PageArg = 1, page_size: PageSizeArg = None):
    """县人大办：本县各年度的考核表。镇人大办看不到考核表，只看本镇的考核（/assessment/towns）。"""
    return paginate(selectors.tables(request.user), page, page_size)


@router.post("/tables", response={201: AssessmentTableOut, **ERRORS}, summary="建立年度考核表")
def create_table(request, payload: AssessmentTableIn):
    """建立一个年度的考核表；`copy_from` 复制本县另一年度（如上一年度）的考核方面和指标。"""
    table = services.create_table(
        actor=request.user, region_id=payload.region, year=payload.year, title=payload.title,
        base_score=payload.base_score, copy_from=payload.copy_from,
    )  # fmt: skip
    return Status(201, table)


@router.get("/tables/{table_id}", response={200: AssessmentTableDetailOut, **ERRORS}, summary="考核表详情")
def get_table(request, table_id: int):
    table = selectors.table_for(request.user, table_id)
    table.steps = steps_out(table)
    return table


@router.post(
    "/tables/{table_id}/aspects", response={201: AssessmentAspectOut, **ERRORS}, summary="增加考核方面"
)
def add_aspect(request, table_id: int, payload: AssessmentAspectIn):
    """编制中的考核表才能修改。"""
    return Status(201, services.add_aspect(actor=request.user, table_id=table_id, **payload.dict()))


@router.post(
    "/tables/{table_id}/indicators", response={201: AssessmentIndicatorOut, **ERRORS}, summary="增加考核指标"
)
def add_indicator(request, table_id: int, payload: AssessmentIndicatorIn):
    """编制中的考核表才能修改；自动计算的指标须选择计算口径。"""
    return Status(201, services.save_indicator(actor=request.user, table_id=table_id, data=payload.dict()))


@router.put(
    "/indicators/{indicator_id}", response={200: AssessmentIndicatorOut, **ERRORS}, summary="修改考核指标"
)
def change_indicator(request, indicator_id: int, payload: AssessmentIndicatorIn):
    _ind, table = services.indicator_table(request.user, indicator_id)
    return services.save_indicator(
        actor=request.user, table_id=table.pk, data=payload.dict(), indicator_id=indicator_id
    )


@router.delete("/indicators/{indicator_id}", response={204: None, **ERRORS}, summary="删除考核指标")
def delete_indicator(request, indicator_id: int):
    services.delete_indicator(actor=request.user, indicator_id=indicator_id)
    return Status(204, None)


@router.get("/tables/{table_id}/ranking", response={200: AssessmentRankingOut, **ERRORS}, summary="考核排名")
def ranking(request, table_id: int):
    """全县各镇的得分和名次（由记录实时计算；公布后以公布时为准另见公开接口）。同分时依次比较扣分（少者居前）
    和平台自动计算得分（高者居前），`tie_rule` 说明用了哪条规则；各项都相同的并列。"""
    res = selectors.ranking(request.user, table_id)
    return {"table": res.table.pk, "year": res.table.year, "towns": [_town_out(t) for t in res.towns]}


@router.put("/tables/{table_id}/advanced", response={200: list[int], **ERRORS}, summary="评选先进单位")
def choose_advanced(request, table_id: int, payload: AssessmentAdvancedIn):
    """评分阶段由县人大办评选：给出的镇为先进单位，其余取消。"""
    return services.choose_advanced(
        actor=request.user, table_id=table_id, assessment_ids=payload.towns, note=payload.note
    )


@router.get("/tables/{table_id}/results.xlsx", response={200: None, **ERRORS}, summary="考核结果（Excel）")
def results_xlsx(request, table_id: int):
    res = selectors.ranking(request.user, table_id)
    return workbook_response(workbook(res), f"{res.table.year}年镇人大工作考核结果")


@router.get("/tables/{table_id}/results.docx", response={200: None, **ERRORS}, summary="考核结果通报（Word）")
def results_word(request, table_id: int):
    """按 GB/T 9704 格式的考核结果通报。"""
    res = selectors.ranking(request.user, table_id)
    return docx_response(results_docx(res), f"{title_of(res.table)}.docx")


add_action_routes(
    router, path="/tables/{table_id}", id_param="table_id", workflow=TABLE_WORKFLOW,
    fetch=selectors.table_for, act=services.act, out=AssessmentTableOut, noun="考核表",
)  # fmt: skip


@router.get("/towns", response={200: Page[AssessmentTownRowOut], **ERRORS}, summary="镇考核列表")
def list_towns(request, year: YearArg = None, page: PageArg = 1, page_size: PageSizeArg = None):
    """镇人大办只看本镇；县人大办看全县。"""
    return paginate(selectors.town_rows(request.user, year=year), page, page_size)


@router.get("/towns/{assessment_id}", response={200: AssessmentTownDetailOut, **ERRORS}, summary="镇考核详情")
def get_town(request, assessment_id: int):
    """每项指标的数值、得分和扣分，总分和在全县的名次。"""
    row, _res, town = selectors.town_result(request.user, assessment_id)
    return {**_town_out(town), "year": row.table.year, "lines": [_line_out(ln) for ln in town.lines]}


class AssessmentRecordsFilters(Schema):
    indicator: Id = Field(..., description="自动计算的指标编号")
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get(
    "/towns/{assessment_id}/records", response={200: AssessmentRecordsOut, **ERRORS}, summary="指标背后的记录"
)
def records(request, assessment_id: int, filters: Query[AssessmentRecordsFilters]):
    """一个自动计算的数值背后的记录，`counted` 表示是否计入（比率的分子）。"""
    _row, indicator, metric, qs = selectors.drill(request.user, assessment_id, filters.indicator)
    page = paginate(qs, filters.page, filters.page_size)
    page["items"] = [{"id": r.pk, "label": str(r), "counted": r.counted} for r in page["items"]]
    return {"indicator": indicator.pk, "metric": metric.key, "what": str(metric.what), **page}


@router.post("/towns/{assessment_id}/scores", response={201: ManualScoreOut, **ERRORS}, summary="人工评分")
def add_score(request, assessment_id: int, payload: ManualScoreIn):
    """县人大办对一个镇的人工评分指标评分（须另一名县人大办人员审核后计分）。"""
    made = services.score(
        actor=request.user,
        assessment_id=assessment_id,
        indicator_id=payload.indicator,
        points=payload.points,
        note=payload.note,
    )
    return Status(201, made)


@router.get(
    "/towns/{assessment_id}/scores", response={200: list[ManualScoreOut], **ERRORS}, summary="镇的人工评分"
)
def town_scores(request, assessment_id: int):
    return list(selectors.scores(request.user, assessment_id))


@router.get("/scores/{score_id}", response={200: ManualScoreDetailOut, **ERRORS}, summary="评分详情")
def get_score(request, score_id: int):
    item = selectors.score_for(request.user, score_id)
    item.steps = steps_out(item)
    return item


@router.get("/scores/{score_id}/files", response={200: list[AssessmentFileOut], **ERRORS}, summary="佐证材料")
def files(request, score_id: int):
    return list(attachments_of(selectors.score_for(request.user, score_id)))


@router.post("/scores/{score_id}/files", response={201: AssessmentFileOut, **ERRORS}, summary="上传佐证材料")
def add_file(request, score_id: int, file: File[UploadedFile]):
    return Status(201, services.attach_file(actor=request.user, score_id=score_id, upload=file))


@router.get("/scores/{score_id}/files/{att}", response={200: None, **ERRORS}, summary="下载佐证材料")
def get_file(request, score_id: int, att: int) -> HttpResponse:
    found = attachments_of(selectors.score_for(request.user, score_id)).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)


add_action_routes(
    router, path="/scores/{score_id}", id_param="score_id", workflow=SCORE_WORKFLOW,
    fetch=selectors.score_for, act=services.act, out=ManualScoreOut, noun="评分",
)  # fmt: skip


# --- the public site -------------------------------------------------------------------------------------
class PublicAssessmentTownOut(Schema):
    rank: int | None
    town: str = Field(..., alias="region.name")
    total: Decimal | None
    tie_rule: str
    advanced: bool


class PublicAssessmentOut(Schema):
    county: str
    year: int
    title: str
    published_on: date | None
    towns: list[PublicAssessmentTownOut]


@public_router.get(
    "/regions/{region}", response={200: PublicAssessmentOut, 404: ErrorOut}, summary="镇人大工作考核结果公示"
)
def public_results(request, region: str, year: YearArg = None):
    """县人大常委会公布的年度考核名次、总分和先进单位（默认最近公布的年度）。"""
    county = Region.objects.filter(code=region[:32], level="county").first()
    tables = selectors.published(county) if county else None
    table = (tables.filter(year=year) if year else tables).first() if tables is not None else None
    if table is None:
        raise NotFound()
    return {
        "county": county.name,
        "year": table.year,
        "title": table.title,
        "published_on": table.published_on,
        "towns": list(selectors.public_rows(table)),
    }

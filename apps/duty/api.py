"""/api/v1/duty/... (records, review, points table, scores, publication, plate scheme, five-good candidates)
and /api/v1/public/duty/deputies/{code}/counts (DOMAIN §8).

Thin: each operation parses with a schema and calls one selector or service with `request.user`; scoping
lives in the selectors (`visible_to`) and the services. Deputies appear by id and name only."""

from __future__ import annotations

import uuid

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile

from apps.accounts.scopes import is_admin
from apps.common.api import ERRORS, ErrorOut, Page, paginate
from apps.common.errors import NotFound, ValidationFailed
from apps.common.idempotency import KeyHeader, once
from apps.common.params import PageArg, PageSizeArg, YearArg, YearPath
from apps.people.selectors import public_card
from apps.places.models import Region
from apps.workflow.api import add_action_routes
from apps.workflow.services import transition

from . import selectors, services
from .models import DutyRecord
from .schemas import (
    ApproveManyIn,
    ApproveManyOut,
    DutyGroupOut,
    DutyRecordIn,
    DutyRecordOut,
    DutyRecordPatch,
    MyScoreOut,
    PlateIn,
    PlateOut,
    PublicationOut,
    PublicCountsOut,
    RecordFilter,
    ReviewIn,
    ScoreFilter,
    ScoreOut,
    ScorePublishIn,
    TableIn,
    TableOut,
    Year,
)
from .workflow import DUTY_RECORD_WORKFLOW

router = Router(tags=["duty"])
public_router = Router(tags=["duty"], auth=None)


def _this_year() -> int:
    return timezone.localdate().year


# --- records ------------------------------------------------------------------------------------------


def _record(rec, photos=None) -> dict:
    return {
        "id": rec.pk,
        "deputy": {"id": rec.deputy_id, "name": rec.deputy.name},
        "kind": rec.kind,
        "kind_label": str(rec.get_kind_display()),
        "date": rec.date,
        "title": rec.title,
        "detail": rec.detail,
        "place": rec.place,
        "units": rec.units,
        "hours": rec.hours,
        "household": {"id": rec.household_id, "name": rec.household.head_name} if rec.household_id else None,
        "source": rec.source,
        "review_state": rec.review_state,
        "review_state_label": str(rec.get_review_state_display()),
        "review_reason": rec.review_reason,
        "photos": photos or [],
        "created_at": rec.created_at,
    }


@router.get("/duty/records", response=Page[DutyRecordOut], summary="履职记录列表")
def list_records(request, filters: Query[RecordFilter]):
    """本人（代表）或本辖区（人大办）的履职记录，可按审核状态、类别、代表、年度筛选。"""
    qs = selectors.records(
        request.user,
        state=filters.state or "",
        kind=filters.kind or "",
        deputy=filters.deputy,
        year=filters.year,
    )
    page = paginate(qs, filters.page, filters.page_size)
    page["items"] = [_record(r) for r in page["items"]]
    return page


@router.post("/duty/records", response={201: DutyRecordOut, **ERRORS}, summary="登记履职记录")
def create_record(request, payload: DutyRecordIn, idempotency_key: KeyHeader = None):
    """代表登记本人的学习、走访、视察调研、结对帮扶、民情日记或其他履职（人大办可为本镇（街道）代表登记），
    待镇（街道）人大办审核后计分。照片另用 `POST /duty/records/{id}/photos` 上传。
    带 `Idempotency-Key` 重复提交（手机离线草稿）时返回第一次登记的记录，不再新建。"""
    deputy_id = payload.deputy or services.own_deputy_id(request.user)
    if not deputy_id:
        raise ValidationFailed(_("请选择代表"), fields={"deputy": [_("请选择代表")]})
    data = payload.dict()
    data["household_id"] = data.pop("household")
    rec, _created = once(
        user=request.user,
        key=idempotency_key,
        model=DutyRecord,
        create=lambda: services.create_record(actor=request.user, deputy_id=deputy_id, data=data),
    )
    return Status(201, _record(rec))


def _photos(rec) -> list[int]:
    from apps.workflow.uploads import attachments_of

    return [a.pk for a in attachments_of(rec)]


@router.get("/duty/records/{record_id}", response={200: DutyRecordOut, **ERRORS}, summary="履职记录详情")
def get_record(request, record_id: int):
    rec = selectors.record_detail(request.user, record_id)
    return _record(rec, _photos(rec))


@router.patch("/duty/records/{record_id}", response={200: DutyRecordOut, **ERRORS}, summary="修改履职记录")
def update_record(request, record_id: int, payload: DutyRecordPatch):
    """代表可修改待审核或被退回的本人记录；人大办可修改本镇（街道）代表的记录。修改后重新待审核，已计分的记录
    暂停计分。平台自动记录不能修改。"""
    data = payload.dict(exclude_unset=True)
    if "household" in data:
        data["household_id"] = data.pop("household")
    rec = services.update_record(actor=request.user, pk=record_id, data=data)
    return _record(rec, _photos(rec))


@router.delete("/duty/records/{record_id}", response={204: None, **ERRORS}, summary="撤回履职记录")
def withdraw_record(request, record_id: int):
    """撤回尚未计分（待审核或被退回）的记录。"""
    services.withdraw_record(actor=request.user, pk=record_id)
    return Status(204, None)


@router.post("/duty/records/{record_id}/photos", response={201: DutyRecordOut, **ERRORS}, summary="上传照片")
def add_photo(request, record_id: int, file: File[UploadedFile]):
    """给本人或本镇（街道）代表的记录加照片（按文件内容校验类型与大小）；记录回到待审核。"""
    rec = services.update_record(actor=request.user, pk=record_id, data={}, uploads=[file])
    return Status(201, _record(rec, _photos(rec)))


@router.post(
    "/duty/records/{record_id}/review", response={200: DutyRecordOut, **ERRORS}, summary="审核履职记录"
)
def review_record(request, record_id: int, payload: ReviewIn):
    """镇（街道）人大办审核待审核记录：通过即计分；退回须说明理由，并通知代表。"""
    rec = services.review_record(
        actor=request.user, pk=record_id, approve=payload.approve, reason=payload.reason
    )
    return _record(rec)


@router.post("/duty/review/approve", response={200: ApproveManyOut, **ERRORS}, summary="批量通过履职记录")
def approve_many(request, payload: ApproveManyIn):
    """镇（街道）人大办一次通过多条待审核记录：每条单独经审核流程、单独留痕；已审核或不在权限范围内的记录列在
    `refused` 中并说明原因，其余照常通过。"""
    from apps.accounts import permissions as perms

    perms.require(request.user, perms.DUTY_REVIEW)
    done, refused = services.approve_many(actor=request.user, pks=payload.ids)
    return {"approved": [r.pk for r in done], "refused": [{"id": pk, "message": m} for pk, m in refused]}


def _act(*, actor, item, key, data):
    services.refuse_platform(item)
    return _record(transition(item, key, actor=actor, data=data))


add_action_routes(
    router,
    path="/duty/records/{record_id}",
    id_param="record_id",
    workflow=DUTY_RECORD_WORKFLOW,
    fetch=selectors.record_detail,
    act=_act,
    out=DutyRecordOut,
    noun="履职记录",
)


# --- the points table ----------------------------------------------------------------------------------


def _county(request, code: str | None) -> Region:
    """The county asked for: the user's own (another county's code answers like a missing one), any for an
    administrator."""
    if code and is_admin(request.user):
        county = Region.objects.filter(code=code, level="county").first()
        if county is None:
            raise NotFound()
        return county
    county = selectors.county_of(request.user)
    if code and county is not None and county.code != code:
        raise NotFound()
    if county is None:
        raise NotFound()
    return county


def _table_out(table) -> dict:
    return {
        "county": table.county.code,
        "year": table.year,
        "base_score": table.base_score,
        "five_good_min_score": table.five_good_min_score,
        "five_good_min_suggestions": table.five_good_min_suggestions,
        "rules": [
            {"kind": r.kind, "first_points": r.first_points, "further_points": r.further_points, "cap": r.cap}
            for r in table.rules.all()
        ],
    }


@router.get("/duty/tables/{year}", response={200: TableOut, **ERRORS}, summary="年度积分标准")
def get_table(request, year: YearPath, county: str | None = None):
    """本县某年度的积分标准（首次得分、每增加一次得分、上限；负分为扣分项）。"""
    own = selectors.county_of(request.user)
    region = _county(request, county)
    if own is None or (region.pk != own.pk and not request.user.is_superuser):
        raise NotFound()
    table = selectors.table(region, year)
    if table is None:
        raise NotFound()
    return _table_out(table)


@router.put("/duty/tables/{year}", response={200: TableOut, **ERRORS}, summary="设置年度积分标准")
def put_table(request, year: YearPath, payload: TableIn, county: str | None = None):
    """县人大常委会代表工委设置本县某年度的积分标准（整表替换，记入审计日志，并重算该年度得分）。"""
    region = _county(request, county)
    table = services.save_table(
        actor=request.user,
        county=region,
        year=year,
        base_score=payload.base_score,
        five_good_min_score=payload.five_good_min_score,
        five_good_min_suggestions=payload.five_good_min_suggestions,
        rows={r.kind: (r.first_points, r.further_points, r.cap) for r in payload.rules},
    )
    return _table_out(selectors.table(region, table.year))


@router.post("/duty/tables/{year}/copy", response={201: TableOut, **ERRORS}, summary="沿用上年积分标准")
def copy_table(request, year: YearPath, county: str | None = None):
    region = _county(request, county)
    table = services.copy_table(actor=request.user, county=region, from_year=year - 1, to_year=year)
    return Status(201, _table_out(selectors.table(region, table.year)))


# --- scores --------------------------------------------------------------------------------------------


def _score(s) -> dict:
    return {
        "deputy": {"id": s.deputy_id, "name": s.deputy.name},
        "year": s.year,
        "total": s.total,
        "band": s.band,
        "rank_in_town": s.rank_in_town,
        "rank_in_station": s.rank_in_station,
        "rank_in_group": s.rank_in_group,
        "breakdown": s.breakdown,
    }


@router.get("/duty/scores", response=Page[ScoreOut], summary="履职得分与排名")
def list_scores(request, filters: Query[ScoreFilter]):
    """人大办看本辖区代表的实时得分与排名（`order=low` 由低到高，看谁落后）；代表只看到本人。"""
    town = (
        Region.objects.filter(code=filters.town).values_list("pk", flat=True).first()
        if filters.town
        else None
    )
    qs = selectors.scores(
        request.user, year=filters.year or _this_year(), town=town, band=filters.band, order=filters.order
    )
    page = paginate(qs, filters.page, filters.page_size)
    page["items"] = [_score(s) for s in page["items"]]
    return page


@router.get("/duty/scores/groups", response=list[DutyGroupOut], summary="按镇、联络站、代表小组统计得分")
def score_groups(request, by: str = "town", year: Year = None):
    return selectors.score_groups(request.user, year=year or _this_year(), by=by)


@router.get("/duty/scores/me", response={200: MyScoreOut, **ERRORS}, summary="本人得分")
def my_score(request, year: Year = None):
    """代表本人本年度的实时积分明细，以及最近一次公布的得分和排名。"""
    deputy = selectors.own_deputy(request.user)
    if deputy is None:
        raise NotFound()
    year = year or _this_year()
    live = selectors.live_score(request.user, deputy, year)
    pub = selectors.published_score(deputy, year)
    published = None
    if pub:
        published = {**_score_like(pub, deputy, year), "rank_in_station": None, "rank_in_group": None}
    return {
        "year": year,
        "live": _score(live) if live else None,
        "published_quarter": pub.publication.quarter if pub else None,
        "published": published,
    }


def _score_like(pub, deputy, year) -> dict:
    return {
        "deputy": {"id": deputy.pk, "name": deputy.name},
        "year": year,
        "total": pub.total,
        "band": pub.band,
        "rank_in_town": pub.rank_in_town,
        "breakdown": pub.breakdown,
    }


@router.post("/duty/publications", response={201: PublicationOut, **ERRORS}, summary="按季度公布得分")
def publish(request, payload: ScorePublishIn):
    """县人大常委会代表工委公布本县某季度的得分（重算后存档），代表和公众看到的是最近公布的结果。"""
    pub = services.publish_quarter(
        actor=request.user,
        county=_county(request, payload.county),
        year=payload.year,
        quarter=payload.quarter,
    )
    return Status(
        201,
        {
            "year": pub.year,
            "quarter": pub.quarter,
            "published_at": pub.published_at,
            "scores": pub.scores.count(),
        },
    )


@router.get("/duty/five-good", response=list[ScoreOut], summary="五好代表候选人")
def five_good(request, year: YearArg = None):
    return [_score(s) for s in selectors.five_good_candidates(request.user, year=year or _this_year())]


# --- the name-plate scheme -----------------------------------------------------------------------------


def _plate(a) -> dict:
    return {
        "id": a.pk,
        "deputy": {"id": a.deputy_id, "name": a.deputy.name},
        "kind": a.kind,
        "kind_label": str(a.get_kind_display()),
        "year": a.year,
        "date": a.date,
        "reason": a.reason,
        "notes": a.notes,
    }


@router.get("/duty/plate-actions", response=Page[PlateOut], summary="挂牌管理记录")
def list_plate_actions(request, year: YearArg = None, page: PageArg = 1, page_size: PageSizeArg = None):
    out = paginate(selectors.plate_actions(request.user, year=year), page, page_size)
    out["items"] = [_plate(a) for a in out["items"]]
    return out


@router.post("/duty/plate-actions", response={201: PlateOut, **ERRORS}, summary="警示、约谈、摘牌、恢复挂牌")
def create_plate_action(request, payload: PlateIn):
    """县或镇（街道）人大办对代表进行警示、约谈（须有谈话记录）、摘牌或恢复挂牌，均须说明理由并记入审计日志。"""
    action = services.plate_action(
        actor=request.user,
        deputy_id=payload.deputy,
        kind=payload.kind,
        reason=payload.reason,
        notes=payload.notes,
        year=payload.year or _this_year() - 1,
        date=payload.date,
    )
    return Status(201, _plate(action))


@router.get("/duty/plate-proposals", response=list[ScoreOut], summary="建议摘牌（连续两年评价为差）")
def plate_proposals(request, year: YearArg = None):
    return [_score(s) for s in selectors.removal_proposals(request.user, year=year or _this_year())]


# --- public --------------------------------------------------------------------------------------------


@public_router.get(
    "/deputies/{code}/counts", response={200: PublicCountsOut, 404: ErrorOut}, summary="代表履职次数"
)
def public_counts(request, code: uuid.UUID):
    """代表码名片上的履职次数：最近一次公布的季度，各类履职的次数；不含得分、排名和任何个人信息。"""
    deputy = public_card(code)  # the one door by code: a recalled or ended mandate is a missing code
    if deputy is None:
        raise NotFound()
    return selectors.public_counts(deputy)

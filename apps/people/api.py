from datetime import date
from uuid import UUID

from ninja import Field, Query, Router, Schema

from apps.common.api import ErrorOut, Page, Ref, RegionRef, column, paginate
from apps.common.errors import NotFound
from apps.common.params import Day, IdArg, PageArg, PageSizeArg
from apps.places.selectors import region_by_code

from . import selectors, services
from .models import Deputy

router = Router(tags=["people"])
public_router = Router(tags=["public"], auth=None)


class DeputyOut(Schema):
    id: int
    name: str
    gender: str
    top_level: str
    status: str
    region: RegionRef
    station: Ref | None
    occupation: str
    workplace: str
    phone: str
    public_code: UUID


class MandateOut(Schema):
    level: str
    term: int
    term_start: date
    term_end: date
    district: str
    status: str
    congress_region: RegionRef


class GroupOut(Schema):
    id: int
    name: str
    kind: str


class GridOut(Schema):
    code: str
    name: str
    grid_level: int | None


class OfficeOut(Schema):
    title: str = Field(..., description="职务")
    started_on: date = Field(..., description="任职日期")
    ended_on: date | None = Field(None, description="离任日期")
    source: str = Field(..., description="产生方式（如某次会议选举）")


class DeputyDetailOut(DeputyOut):
    ethnicity: str
    birth_date: date | None
    party: str
    address: str
    bio: str
    on_plate: bool
    is_presidium_member: bool
    is_standing_committee_member: bool
    mandates: list[MandateOut]
    groups: list[GroupOut]
    grids: list[GridOut]
    offices: list[OfficeOut] = Field(..., description="担任的职务（当选记录）")

    @staticmethod
    def resolve_offices(obj):
        return list(obj.offices.all())

    @staticmethod
    def resolve_mandates(obj):
        return list(obj.mandates.all())

    @staticmethod
    def resolve_groups(obj):
        return list(obj.groups.all())

    @staticmethod
    def resolve_grids(obj):
        return [r.grid for r in obj.grid_roles.all()]


# Only what DeputyOut shows: the list is the busiest endpoint (see bench/).
LIST_FIELDS = [
    "id",
    "name",
    "gender",
    "top_level",
    "status",
    "occupation",
    "workplace",
    "phone",
    "public_code",
    "name_pinyin",
    "region__code",
    "region__name",
    "station__name",
]


class DeputyFilters(Schema):
    q: str | None = None
    level: str | None = None
    region: str | None = None
    station: IdArg = None
    group: IdArg = None
    status: str | None = None
    grid_leader: bool | None = None
    page: PageArg = 1
    page_size: PageSizeArg = None


def _deputy_qs(request, f: DeputyFilters):
    region = region_by_code(request.user, f.region) if f.region else None
    return selectors.deputies(
        request.user,
        q=f.q or "",
        level=f.level or "",
        region=region,
        station_id=f.station,
        group_id=f.group,
        status=f.status or "",
        grid_leader=f.grid_leader,
    )


@router.get("/deputies", response=Page[DeputyOut])
def list_deputies(request, filters: Query[DeputyFilters]):
    """Deputies the caller may see; `q` matches the name, its pinyin or pinyin initials ("zs" finds 张三)."""
    qs = (
        _deputy_qs(request, filters)
        .select_related(None)
        .select_related("region", "station")
        .only(*LIST_FIELDS)
    )
    return paginate(qs, filters.page, filters.page_size)


@router.get("/deputies/{deputy_id}", response={200: DeputyDetailOut, 404: ErrorOut})
def get_deputy(request, deputy_id: int):
    return selectors.deputy_detail(request.user, deputy_id)


_deputy = Deputy._meta.get_field


class DeputyPatch(Schema):
    """Only the fields sent change; a text field sent as null, or longer than its column, is a 422."""

    name: column(_deputy("name")) = None
    gender: column(_deputy("gender")) = None
    ethnicity: column(_deputy("ethnicity")) = None
    birth_date: Day().api() = None
    party: column(_deputy("party")) = None
    occupation: column(_deputy("occupation")) = None
    workplace: column(_deputy("workplace")) = None
    phone: column(_deputy("phone")) = None
    address: column(_deputy("address")) = None
    station_id: IdArg = None
    status: column(_deputy("status")) = None
    bio: column(_deputy("bio")) = None
    reason: str = Field("", max_length=500)


@router.patch(
    "/deputies/{deputy_id}", response={200: DeputyDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def patch_deputy(request, deputy_id: int, payload: DeputyPatch):
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    services.update_deputy(actor=request.user, deputy_id=deputy_id, data=data, reason=reason)
    return selectors.deputy_detail(request.user, deputy_id)


class HouseholdOut(Schema):
    id: int
    head_name: str
    region: RegionRef
    address: str
    phone: str
    member_count: int
    voter_count: int
    is_poor: bool
    contact_deputy: Ref | None
    paired_deputy: Ref | None


class HouseholdFilters(Schema):
    region: str | None = None
    deputy: IdArg = None
    poor: bool | None = None
    q: str | None = None
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/households", response=Page[HouseholdOut])
def list_households(request, filters: Query[HouseholdFilters]):
    region = region_by_code(request.user, filters.region) if filters.region else None
    qs = selectors.households(
        request.user, region=region, deputy_id=filters.deputy, poor=filters.poor, q=filters.q or ""
    )
    return paginate(qs, filters.page, filters.page_size)


class ContactIn(Schema):
    deputy_id: int | None
    reason: str = ""


@router.put(
    "/households/{household_id}/contact",
    response={200: HouseholdOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def set_contact(request, household_id: int, payload: ContactIn):
    return services.set_household_contact(
        actor=request.user, household_id=household_id, deputy_id=payload.deputy_id, reason=payload.reason
    )


class QuotaOut(Schema):
    deputy: Ref
    households: int
    households_quota: int
    is_member: bool
    member_deputies: int | None
    member_households: int | None
    off: bool


class QuotaFilters(Schema):
    region: str | None = None
    only_off: bool = True
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/quotas", response=Page[QuotaOut])
def list_quotas(request, filters: Query[QuotaFilters]):
    """Who is under or over the contact quotas ([local] settings QUOTA_*)."""
    region = region_by_code(request.user, filters.region) if filters.region else None
    rows = selectors.quota_rows(request.user, region=region, only_off=filters.only_off)
    return paginate(rows, filters.page, filters.page_size)


class PublicCardOut(Schema):
    name: str
    gender: str
    levels: list[str]
    town: str | None
    station: str | None
    station_schedule: str | None
    groups: list[str]
    occupation: str
    activity: dict[str, int]


@public_router.get("/deputies/{public_code}", response={200: PublicCardOut, 404: ErrorOut})
def public_card(request, public_code: UUID):
    """The deputy's public card behind the 代表码: never phone, ID number or address."""
    deputy = selectors.public_card(public_code)
    if deputy is None:
        raise NotFound()
    return {
        "name": deputy.name,
        "gender": deputy.get_gender_display(),
        "levels": [m.get_level_display() for m in deputy.mandates.all()],
        "town": deputy.town.name if deputy.town else None,
        "station": deputy.station.name if deputy.station else None,
        "station_schedule": deputy.station.opening_schedule if deputy.station else None,
        "groups": [g.name for g in deputy.groups.all()],
        "occupation": deputy.occupation,
        "activity": dict(selectors.activity_counts(deputy)),
    }

from ninja import Field, Query, Router, Schema

from apps.common.api import ErrorOut, Page, RegionRef, column, paginate
from apps.common.params import REGION_CODE, SEARCH, PageArg, PageSizeArg, Text

from . import selectors, services
from .models import Station

router = Router(tags=["places"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    grid_level: int | None
    parent: RegionRef | None


class RegionFilters(Schema):
    parent: str | None = None
    level: str | None = None
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/regions", response=Page[RegionOut])
def list_regions(request, filters: Query[RegionFilters]):
    parent = selectors.region_by_code(request.user, filters.parent) if filters.parent else None
    return paginate(
        selectors.regions(request.user, parent=parent, level=filters.level or ""),
        filters.page,
        filters.page_size,
    )


@router.get("/regions/{code}", response={200: RegionOut, 404: ErrorOut})
def get_region(request, code: str):
    return selectors.region_by_code(request.user, code)


class StationOut(Schema):
    id: int
    name: str
    level: str
    region: RegionRef
    address: str
    keeper_name: str
    keeper_phone: str
    opening_schedule: str
    checklist: dict
    checklist_done: int


class StationFilters(Schema):
    region: str | None = None
    level: str | None = None
    q: str | None = None
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/stations", response=Page[StationOut])
def list_stations(request, filters: Query[StationFilters]):
    region = selectors.region_by_code(request.user, filters.region) if filters.region else None
    qs = selectors.stations(request.user, region=region, level=filters.level or "", q=filters.q or "")
    return paginate(qs, filters.page, filters.page_size)


@router.get("/stations/{station_id}", response={200: StationOut, 404: ErrorOut})
def get_station(request, station_id: int):
    return selectors.station_detail(request.user, station_id)


_station = Station._meta.get_field


class StationPatch(Schema):
    """Only the fields sent change; a text field sent as null, or longer than its column, is a 422."""

    name: column(_station("name")) = None
    address: column(_station("address")) = None
    keeper_name: column(_station("keeper_name")) = None
    keeper_phone: column(_station("keeper_phone")) = None
    opening_schedule: column(_station("opening_schedule")) = None
    checklist: dict[str, bool] = None
    reason: str = Field("", max_length=500)


@router.patch(
    "/stations/{station_id}", response={200: StationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def patch_station(request, station_id: int, payload: StationPatch):
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    return services.update_station(actor=request.user, station_id=station_id, data=data, reason=reason)


class UnitOut(Schema):
    id: int
    name: str
    level: str
    region: RegionRef
    contact_person: str
    contact_phone: str
    is_active: bool


class UnitFilters(Schema):
    region: REGION_CODE.api() = None
    level: Text(16, label="level").api() = None
    q: SEARCH.api() = None
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/units", response=Page[UnitOut])
def list_units(request, filters: Query[UnitFilters]):
    region = selectors.region_by_code(request.user, filters.region) if filters.region else None
    qs = selectors.units(request.user, region=region, level=filters.level or "", q=filters.q or "")
    return paginate(qs, filters.page, filters.page_size)

"""One county, generated: regions down to grids, stations, handling units and deputies (DOMAIN §1-2).

`build_county` serves both the demo county (hanyin.py) and the benchmark counties (bench.py); the
households, voters and contact links that hang off the deputies are in households.py. All randomness
comes from the one `random.Random` passed in, in a fixed order, so a seed gives the same county.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass, field

from apps.people.models import Deputy, DeputyGroup, DeputyLevel, GridRole, Mandate
from apps.places.models import STATION_CHECKLIST, HandlingUnit, Region, RegionLevel, Station, StationLevel

from . import names
from .bulk import BulkWriter
from .occupations import (
    COUNTY_POOL,
    COUNTY_POSTS,
    STREET_POSTS,
    TOWN_POOL,
    TOWN_POSTS,
    TOWN_UNITS,
    VILLAGE_HEAD,
    Post,
    pool_post,
    post,
)

# The current terms: both congresses were elected in the autumn 2026 round (换届), five-year terms.
COUNTY_TERM = (19, datetime.date(2026, 10, 16), datetime.date(2031, 10, 15))
TOWN_TERM = (19, datetime.date(2026, 10, 9), datetime.date(2031, 10, 8))
OPENING_SCHEDULE = "每月第一个星期二 9:00-12:00 接待选民"  # DOMAIN §3: reception day [local]


@dataclass
class TownSpec:
    name: str
    code: str  # 9 digits: county code + 3
    villages: list[str]  # communities (…社区) first; names unique within the town
    county_deputies: int
    town_deputies: int  # in a street: the residents' council members (议事员, DOMAIN §1)
    is_street: bool = False


@dataclass
class CountySpec:
    name: str
    code: str
    towns: list[TownSpec]
    county_units: list[str]
    # Exactly this many deputies of each level lead a grid; None: `grid_leader_share` of them.
    county_grid_leaders: int | None = None
    town_grid_leaders: int | None = None
    grid_leader_share: float = 0.9
    households_per_deputy: int = 20
    with_voters: bool = True
    room_share: float = 0.8  # villages with a liaison room (联络室)
    station_address: str = ""


@dataclass(slots=True)
class Node:
    """A region row as written, enough to hang children and scoped rows on it."""

    id: int
    code: str
    name: str
    path: str
    county_id: int | None
    town_id: int | None
    group_no: int = 0  # the 村民小组 a grid covers, for addresses


@dataclass(eq=False)
class Village:
    node: Node
    stem: str  # the name without 村/社区, used for area-group and company names
    is_community: bool
    room_id: int | None = None
    total_grid: Node | None = None


@dataclass(eq=False)
class DeputyPlan:
    name: str
    gender: str
    level: str  # DeputyLevel.COUNTY or TOWN: the highest mandate
    post: Post
    village: Village
    town_mandate: bool
    id: int = 0
    leads_grid: bool = False
    grid: Node | None = None
    is_presidium: bool = False
    station_id: int | None = None


@dataclass(eq=False)
class Town:
    spec: TownSpec
    node: Node
    villages: list[Village]
    station_id: int = 0
    unit_ids: list[int] = field(default_factory=list)
    deputies: list[DeputyPlan] = field(default_factory=list)
    household_ids: list[int] = field(default_factory=list)


def add_region(
    w: BulkWriter, *, code, name, level, parent: Node | None, grid_level=None, is_street=False
) -> Node:
    """Write a region with the tree fields Region.fill_tree_fields would compute."""
    rid = w.reserve(Region)
    county_id = rid if level == RegionLevel.COUNTY else (parent.county_id if parent else None)
    if level == RegionLevel.TOWN:
        town_id = rid
    elif level in (RegionLevel.VILLAGE, RegionLevel.GRID) and parent:
        town_id = parent.town_id
    else:
        town_id = None
    path = (parent.path if parent else "/") + code + "/"
    w.add(
        Region,
        id=rid,
        code=code,
        name=name,
        level=level,
        grid_level=grid_level,
        is_street=is_street,
        parent_id=parent.id if parent else None,
        county_id=county_id,
        town_id=town_id,
        path=path,
    )
    return Node(rid, code, name, path, county_id, town_id)


class CountyBuilder:
    def __init__(self, w: BulkWriter, rng: random.Random, spec: CountySpec, parent: Node | None, people):
        self.w, self.rng, self.spec, self.parent, self.people = w, rng, spec, parent, people
        self.towns: list[Town] = []

    def build(self) -> CountyBuilder:
        self.regions()
        self.stations()
        self.units()
        self.plan_deputies()
        self.choose_grid_leaders()
        for town in self.towns:
            for village in town.villages:
                self.grids(village, [d for d in town.deputies if d.village is village])
        self.choose_presidium()
        self.write_deputies()
        self.groups()
        return self

    # --- places -------------------------------------------------------------------------------------
    def regions(self):
        spec, w = self.spec, self.w
        self.county = add_region(
            w, code=spec.code, name=spec.name, level=RegionLevel.COUNTY, parent=self.parent
        )
        for ts in spec.towns:
            node = add_region(
                w,
                code=ts.code,
                name=ts.name,
                level=RegionLevel.TOWN,
                parent=self.county,
                is_street=ts.is_street,
            )
            villages, communities, farms = [], 0, 0
            for vname in ts.villages:
                is_community = vname.endswith("社区")
                # Official numbering: communities (居委会) 0xx, villages (村委会) 2xx.
                if is_community:
                    communities += 1
                    code = f"{ts.code}{communities:03d}"
                else:
                    farms += 1
                    code = f"{ts.code}{200 + farms:03d}"
                vnode = add_region(w, code=code, name=vname, level=RegionLevel.VILLAGE, parent=node)
                villages.append(Village(vnode, vname.removesuffix("社区").removesuffix("村"), is_community))
            self.towns.append(Town(ts, node, villages))

    def _checklist(self) -> dict:
        # Most stations have most of the "ten-haves"; a few items are still missing here and there.
        missing = set(self.rng.sample(range(len(STATION_CHECKLIST)), self.rng.choice([0, 0, 1, 1, 2, 3])))
        return {key: i not in missing for i, (key, _label) in enumerate(STATION_CHECKLIST)}

    def _station(self, *, name, level, region: Node, parent_id, address) -> int:
        return self.w.add(
            Station,
            name=name,
            level=level,
            region_id=region.id,
            county_id=region.county_id,
            town_id=region.town_id,
            parent_id=parent_id,
            address=address,
            keeper_name=self.people.name(self.rng, "M" if self.rng.random() < 0.6 else "F"),
            keeper_phone=names.phone(self.rng),
            opening_schedule=OPENING_SCHEDULE,
            checklist=self._checklist(),
        )

    def stations(self):
        county = self.spec.name
        self.county_station_id = self._station(
            name=f"{county}人大代表联络总站",
            level=StationLevel.COUNTY,
            region=self.county,
            parent_id=None,
            address=self.spec.station_address or f"{county}人大常委会机关",
        )
        for town in self.towns:
            town.station_id = self._station(
                name=f"{town.node.name}人大代表联络站",
                level=StationLevel.TOWN,
                region=town.node,
                parent_id=self.county_station_id,
                address=f"{county}{town.node.name}人民政府院内",
            )
            for v in town.villages:
                if self.rng.random() < self.spec.room_share:
                    office = "居委会" if v.is_community else "村委会"
                    v.room_id = self._station(
                        name=f"{v.node.name}人大代表联络室",
                        level=StationLevel.VILLAGE,
                        region=v.node,
                        parent_id=town.station_id,
                        address=f"{county}{town.node.name}{v.node.name}{office}",
                    )

    def _unit(self, name, level, region: Node) -> int:
        return self.w.add(
            HandlingUnit,
            name=name,
            level=level,
            region_id=region.id,
            county_id=region.county_id,
            town_id=region.town_id,
            contact_person=self.people.name(self.rng, "M" if self.rng.random() < 0.6 else "F"),
            contact_phone=names.phone(self.rng),
        )

    def units(self):
        self.county_unit_ids = [self._unit(name, "county", self.county) for name in self.spec.county_units]
        for town in self.towns:
            # A street's government is its office (街道办事处).
            suffixes = [("办事处" if s == "人民政府" and town.spec.is_street else s) for s in TOWN_UNITS]
            town.unit_ids = [self._unit(town.node.name + suffix, "town", town.node) for suffix in suffixes]

    # --- deputies -----------------------------------------------------------------------------------
    def _place(self, town: Town, village: Village) -> dict:
        return {
            "county": self.spec.name,
            "town": town.node.name,
            "village": village.node.name,
            "kind": "社区" if village.is_community else "村",
            "committee": "居委会" if village.is_community else "村委会",
            "resident": "居民" if village.is_community else "村民",
            "stem": village.stem,
        }

    def _deputy(self, town: Town, level: str, village: Village, fixed=None) -> DeputyPlan:
        rng = self.rng
        place = self._place(town, village)
        if fixed:
            the_post = post(*fixed, place)
        else:
            the_post = pool_post(rng, COUNTY_POOL if level == DeputyLevel.COUNTY else TOWN_POOL, place)
        gender = "M" if rng.random() < (0.8 if fixed else 0.7) else "F"
        # A quarter of county deputies also sit in their town's congress; not the county leaders.
        town_mandate = level == DeputyLevel.TOWN or (not fixed and rng.random() < 0.25)
        return DeputyPlan(self.people.name(rng, gender), gender, level, the_post, village, town_mandate)

    def plan_deputies(self):
        rng = self.rng
        for i, town in enumerate(self.towns):
            seat = town.villages[0]
            others = town.villages[:]
            rng.shuffle(others)
            spread = iter(others * (1 + (town.spec.county_deputies + town.spec.town_deputies) // len(others)))
            county_posts = COUNTY_POSTS if i == 0 else []
            for n in range(town.spec.county_deputies):
                fixed = county_posts[n] if n < len(county_posts) else None
                village = seat if fixed else next(spread)
                town.deputies.append(self._deputy(town, DeputyLevel.COUNTY, village, fixed))
            heads = iter(town.villages)
            posts = STREET_POSTS if town.spec.is_street else TOWN_POSTS
            for n in range(town.spec.town_deputies):
                if n < len(posts):
                    fixed, village = posts[n], seat
                else:
                    village = next(heads, None)
                    fixed = VILLAGE_HEAD if village else None
                    village = village or next(spread)
                town.deputies.append(self._deputy(town, DeputyLevel.TOWN, village, fixed))

    def all_deputies(self):
        return [d for town in self.towns for d in town.deputies]

    def choose_grid_leaders(self):
        """Mark who leads a grid: officials are the first left out, then deputies picked at random."""
        for level, exact in (
            (DeputyLevel.COUNTY, self.spec.county_grid_leaders),
            (DeputyLevel.TOWN, self.spec.town_grid_leaders),
        ):
            pool = [d for d in self.all_deputies() if d.level == level]
            leaders = exact if exact is not None else round(len(pool) * self.spec.grid_leader_share)
            officials = [d for d in pool if "lead" in d.post.flags]
            rest = [d for d in pool if "lead" not in d.post.flags]
            left_out = officials[: len(pool) - leaders]
            left_out += self.rng.sample(rest, max(0, len(pool) - leaders - len(left_out)))
            out = set(left_out)
            for d in pool:
                d.leads_grid = d not in out  # which grid is chosen with the grids, in grids()

    def grids(self, village: Village, deputies: list[DeputyPlan]):
        """The village's grid tree (总网格 → 一级 → 二级), big enough that each leader has a grid."""
        rng, w = self.rng, self.w
        leaders = [d for d in deputies if d.leads_grid]
        leaders.sort(key=lambda d: "head" not in d.post.flags)  # the village head takes the 总网格
        first_count = rng.randint(2, 4)
        second_counts = [rng.randint(2, 3) for _ in range(first_count)]
        while 1 + first_count + sum(second_counts) < len(leaders):
            second_counts[sum(second_counts) % first_count] += 1
        name = village.node.name
        total = add_region(
            w,
            code=village.node.code + "01",
            name=f"{name}总网格",
            level=RegionLevel.GRID,
            parent=village.node,
            grid_level=1,
        )
        village.total_grid = total
        firsts, seconds = [], []
        for j in range(first_count):
            group = names.cn_number(j + 1)
            first = add_region(
                w,
                code=f"{total.code}{j + 1:02d}",
                name=f"{name}{group}组网格",
                level=RegionLevel.GRID,
                parent=total,
                grid_level=2,
            )
            first.group_no = j + 1
            firsts.append(first)
            for k in range(second_counts[j]):
                second = add_region(
                    w,
                    code=f"{first.code}{k + 1:02d}",
                    name=f"{name}{group}组{k + 1}号网格",
                    level=RegionLevel.GRID,
                    parent=first,
                    grid_level=3,
                )
                second.group_no = j + 1
                seconds.append(second)
        for deputy, grid in zip(leaders, [total, *firsts, *seconds], strict=False):
            deputy.grid = grid

    def choose_presidium(self):
        """5-9 presidium members per town from its congress; no one holding a government post."""
        for town in self.towns:
            eligible = [d for d in town.deputies if d.town_mandate and "gov" not in d.post.flags]
            fixed = [d for d in eligible if d.post.flags & {"chair", "vice", "lead"}]
            rest = [d for d in eligible if not d.post.flags & {"chair", "vice", "lead"}]
            size = max(len(fixed), self.rng.randint(5, 9))
            for d in fixed + self.rng.sample(rest, min(len(rest), size - len(fixed))):
                d.is_presidium = True

    def write_deputies(self):
        rng, w = self.rng, self.w
        for town in self.towns:
            for d in town.deputies:
                pinyin, initials = names.pinyin_keys(d.name)
                use_room = d.village.room_id and "lead" not in d.post.flags and rng.random() < 0.4
                d.station_id = d.village.room_id if use_room else town.station_id
                county_party = d.level == DeputyLevel.COUNTY
                parties = names.PARTIES_COUNTY if county_party else names.PARTIES_TOWN
                leader = d.post.flags & {"lead", "chair", "vice", "sc", "head"}
                party = "中共党员" if leader else names.weighted(rng, parties)
                d.id = w.add(
                    Deputy,
                    name=d.name,
                    name_pinyin=pinyin,
                    name_initials=initials,
                    gender=d.gender,
                    ethnicity=names.weighted(rng, names.ETHNICITIES),
                    birth_date=names.birth_date(rng),
                    party=party,
                    occupation=d.post.occupation,
                    workplace=d.post.workplace,
                    phone=names.phone(rng),
                    address=self.home_address(town, d.village),
                    region_id=town.node.id,
                    county_id=town.node.county_id,
                    town_id=town.node.id,
                    station_id=d.station_id,
                    top_level=d.level,
                    is_presidium_member=d.is_presidium,
                    is_standing_committee_member="sc" in d.post.flags,
                    public_code=uuid.UUID(int=rng.getrandbits(128), version=4),
                )
                self.mandates(town, d)
                if d.grid is not None:
                    w.add(GridRole, deputy_id=d.id, grid_id=d.grid.id)

    def mandates(self, town: Town, d: DeputyPlan):
        if d.level == DeputyLevel.COUNTY:
            term, start, end = COUNTY_TERM
            district = f"{town.node.name}第{self.rng.randint(1, 6)}选区"
            self.w.add(
                Mandate,
                deputy_id=d.id,
                level=DeputyLevel.COUNTY,
                congress_region_id=self.county.id,
                term=term,
                term_start=start,
                term_end=end,
                district=district,
            )
        if d.town_mandate:
            term, start, end = TOWN_TERM
            self.w.add(
                Mandate,
                deputy_id=d.id,
                level=DeputyLevel.TOWN,
                congress_region_id=town.node.id,
                term=term,
                term_start=start,
                term_end=end,
                district=f"{d.village.node.name}选区",
            )

    def home_address(self, town: Town, village: Village, group_no: int = 0) -> str:
        rng = self.rng
        where = f"{self.spec.name}{town.node.name}{village.node.name}"
        if village.is_community:
            estate = rng.choice(["幸福", "和谐", "阳光", "月河", "新城", "康居", "锦绣"])
            return f"{where}{estate}小区{rng.randint(1, 12)}栋{rng.randint(1, 4)}单元"
        return f"{where}{names.cn_number(group_no or rng.randint(1, 9))}组{rng.randint(1, 60)}号"

    def groups(self):
        """Area groups (代表小组) per town over contiguous villages; professional groups at county level."""
        rng, w = self.rng, self.w
        through = Deputy.groups.through
        for town in self.towns:
            count = min(len(town.villages), rng.randint(3, 6))
            size, extra = divmod(len(town.villages), count)
            start = 0
            for g in range(count):
                chunk = town.villages[start : start + size + (g < extra)]
                start += len(chunk)
                members = [d for d in town.deputies if d.village in chunk]
                leader = next((d for d in members if d.is_presidium), members[0] if members else None)
                gid = w.add(
                    DeputyGroup,
                    name=f"{town.node.name}{chunk[0].stem}片代表小组",
                    kind="area",
                    region_id=town.node.id,
                    county_id=town.node.county_id,
                    town_id=town.node.id,
                    leader_id=leader.id if leader else None,
                )
                for d in members:
                    w.add(through, deputy_id=d.id, deputygroup_id=gid)
        county_deputies = [d for d in self.all_deputies() if d.level == DeputyLevel.COUNTY]
        for name, flag in (("财经组", "fin"), ("法律组", "law"), ("农业农村组", "agri")):
            fitting = [d for d in county_deputies if flag in d.post.flags]
            members = sorted(fitting, key=lambda d: "sc" not in d.post.flags)[:15]
            if not members:
                continue
            gid = w.add(
                DeputyGroup,
                name=name,
                kind="professional",
                region_id=self.county.id,
                county_id=self.county.id,
                town_id=None,
                leader_id=members[0].id,
            )
            for d in members:
                w.add(through, deputy_id=d.id, deputygroup_id=gid)

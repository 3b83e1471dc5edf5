"""Synthetic counties for benchmarks: the demo county's shape, made-up names, codes under 98/99 (no real
province uses them, so they never collide with the demo county or with imported data)."""

from __future__ import annotations

import random

from .county import CountySpec, TownSpec
from .hanyin import COUNTY_UNITS

COUNTY_SCALE_PROVINCE = ("980000", "基准省（县级规模）")
PROVINCE_SCALE_PROVINCE = ("990000", "基准省（省级规模）")

_FIRST = "东西南北上下大小新老黄白青红金石龙凤马牛柳杨桃李梨松竹梅兰高平太永长安双三五"
_SECOND = "河坪坝沟湾岭山庄桥园林塘坡岩关台堡寨营湖溪"
STEMS = [a + b for a in _FIRST for b in _SECOND]


def stems(rng: random.Random, count: int) -> list[str]:
    return rng.sample(STEMS, count)


def bench_county_spec(
    rng: random.Random,
    *,
    code: str,
    name: str,
    towns: int,
    villages: int,
    county_per_town: int,
    town_per_town: int,
    with_voters: bool,
) -> CountySpec:
    town_specs = []
    for i, stem in enumerate(stems(rng, towns)):
        village_stems = stems(rng, villages)
        village_names = [f"{village_stems[0]}社区"] + [f"{s}村" for s in village_stems[1:]]
        town_specs.append(
            TownSpec(
                name=f"{stem}镇",
                code=f"{code}{100 + i}",
                villages=village_names,
                county_deputies=county_per_town,
                town_deputies=town_per_town,
            )
        )
    return CountySpec(
        name=name, code=code, towns=town_specs, county_units=COUNTY_UNITS, with_voters=with_voters
    )

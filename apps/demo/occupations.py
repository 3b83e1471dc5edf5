"""What deputies in a rural county do: the posts that come with the office and a weighted pool for the rest.

A post is (occupation, workplace template, flags). Templates take {county} {town} {village} {kind} (村/社区)
{committee} (村委会/居委会) {resident} {group} {crop} {animal} {company} {office}. Flags:
  gov   holds a post in a government body, so may not sit on a presidium or standing committee
        (地方组织法: their members may not hold posts in administrative organs)
  lead  an official who does not lead a grid
  sc    sits on the county standing committee
  head  the village's party secretary and committee head
  chair / vice  chair or vice-chair of the town congress (人大主席/副主席), always on its presidium
  fin / law / agri  fits the county's professional group of that name
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .names import cn_number

# County leaders who are county deputies; they live in the county seat (the first town).
COUNTY_POSTS = [
    ("县委书记", "中共{county}委员会书记", "lead"),
    ("县长", "{county}人民政府县长", "gov lead"),
    ("县人大常委会主任", "{county}人大常委会主任", "sc lead"),
    ("县人大常委会副主任", "{county}人大常委会副主任", "sc lead"),
    ("县人大常委会副主任", "{county}人大常委会副主任", "sc lead agri"),
    ("县人大常委会委员", "{county}人大常委会委员、财政经济工作委员会主任", "sc lead fin"),
    ("县人大常委会委员", "{county}人大常委会委员、法制工作委员会主任", "sc lead law"),
    ("县人大常委会委员", "{county}人大常委会委员、代表人事选举工作委员会主任", "sc lead"),
    ("副县长", "{county}人民政府副县长", "gov lead"),
    ("副县长", "{county}人民政府副县长", "gov lead agri"),
    ("法院院长", "{county}人民法院院长", "lead law"),
    ("检察长", "{county}人民检察院检察长", "lead law"),
]

# The town's own officials, town deputies living in the town seat.
TOWN_POSTS = [
    ("镇人大主席", "{town}人大主席", "chair lead"),
    ("镇党委书记", "{town}党委书记", "lead"),
    ("镇长", "{town}党委副书记、镇长", "gov lead"),
    ("镇人大副主席", "{town}人大副主席", "vice"),
]

# A street's (DOMAIN §1): the working committee of the county standing committee and the street's office.
STREET_POSTS = [
    ("人大街道工委主任", "{town}人大工委主任", "chair lead"),
    ("街道党工委书记", "{town}党工委书记", "lead"),
    ("街道办事处主任", "{town}党工委副书记、办事处主任", "gov lead"),
    ("人大街道工委副主任", "{town}人大工委副主任", "vice"),
]

# Each village's head: since 2021 usually one person holds both posts (一肩挑); leads the 总网格.
VILLAGE_HEAD = ("{kind}党支部书记、{committee}主任", "{village}党支部书记、{committee}主任", "head agri")

TOWN_POOL = [
    (6, "村党支部副书记", "{village}党支部副书记", "agri"),
    (5, "村委会副主任", "{village}{committee}副主任", "agri"),
    (3, "村务监督委员会主任", "{village}村务监督委员会主任", "agri"),
    (10, "村民小组长", "{village}{group}组组长", "agri"),
    (10, "种植大户", "{village}{crop}种植大户", "agri"),
    (5, "养殖大户", "{village}{animal}养殖场负责人", "agri"),
    (7, "专业合作社理事长", "{county}{company}专业合作社理事长", "agri fin"),
    (8, "个体工商户", "{town}个体工商户", "fin"),
    (5, "教师", "{town}中心小学教师", ""),
    (2, "教师", "{town}初级中学教师", ""),
    (3, "乡村医生", "{village}卫生室乡村医生", ""),
    (2, "医生", "{town}卫生院医生", ""),
    (4, "企业负责人", "{county}{company}有限公司总经理", "fin"),
    (12, "农民", "{village}{resident}", "agri"),
    (5, "镇干部", "{town}{office}干部", "gov"),
    (2, "返乡创业青年", "{county}{company}有限公司负责人", "fin"),
    (1, "人民调解员", "{town}人民调解委员会调解员", "law"),
]

COUNTY_POOL = [
    (14, "企业负责人", "{county}{company}有限公司董事长", "fin"),
    (8, "专业合作社理事长", "{county}{company}专业合作社理事长", "agri fin"),
    (6, "种植大户", "{village}{crop}种植大户", "agri"),
    (4, "养殖大户", "{village}{animal}养殖场负责人", "agri"),
    (6, "村党支部副书记", "{village}党支部副书记", "agri"),
    (5, "教师", "{county}中学教师", ""),
    (2, "校长", "{town}中心小学校长", ""),
    (4, "医生", "{county}人民医院医生", ""),
    (2, "医生", "{county}中医医院医生", ""),
    (6, "镇干部", "{town}党委副书记", ""),
    (6, "县直部门负责人", "{county}{bureau}局长", "gov"),
    (5, "个体工商户", "{town}个体工商户", "fin"),
    (2, "律师", "陕西{stem}律师事务所律师", "law"),
    (1, "司法所长", "{town}司法所所长", "gov law"),
    (5, "农民", "{village}{resident}", "agri"),
    (2, "返乡创业青年", "{county}{company}有限公司负责人", "fin"),
]

CROPS = ["富硒茶", "魔芋", "蚕桑", "油菜", "猕猴桃", "中药材", "烤烟", "食用菌", "水稻", "柑橘"]
ANIMALS = ["生猪", "肉牛", "山羊", "土鸡", "中蜂"]
INDUSTRIES = [
    "富硒茶业",
    "魔芋制品",
    "蚕桑丝绸",
    "农业开发",
    "生态农业",
    "建材",
    "商贸",
    "食品",
    "旅游开发",
    "中药材",
]
TOWN_OFFICES = ["党政办", "社会事务办", "农业综合服务站", "经济发展办", "社会治理办", "财政所"]
BUREAUS = [
    "农业农村",
    "水利",
    "林业",
    "交通运输",
    "教育体育",
    "卫生健康",
    "民政",
    "住建",
    "自然资源",
    "市场监管",
]

# A town's handling units (承办单位), each prefixed with the town's name.
TOWN_UNITS = [
    "人民政府",
    "党政办",
    "农业综合服务站",
    "社会事务办",
    "派出所",
    "司法所",
    "国土规划建设环保站",
    "财政所",
    "卫生院",
    "中心学校",
]


@dataclass
class Post:
    occupation: str
    workplace: str
    flags: frozenset[str]


def post(occupation: str, template: str, flags: str, place: dict) -> Post:
    return Post(occupation.format(**place), template.format(**place), frozenset(flags.split()))


def pool_post(rng: random.Random, pool: list, place: dict) -> Post:
    _w, occupation, template, flags = rng.choices(pool, weights=[p[0] for p in pool])[0]
    extras = {
        "group": cn_number(rng.randint(1, 9)),
        "crop": rng.choice(CROPS),
        "animal": rng.choice(ANIMALS),
        "company": place["stem"] + rng.choice(INDUSTRIES),
        "office": rng.choice(TOWN_OFFICES),
        "bureau": rng.choice(BUREAUS),
    }
    return post(occupation, template, flags, {**place, **extras})

"""Plausible people for a county in southern Shaanxi: names, phones, parties, birth dates.

Everything draws from the `random.Random` it is given, so the same seed gives the same people.
"""

from __future__ import annotations

import datetime
import random
from functools import lru_cache
from itertools import accumulate

from apps.people.pinyin import initials_of, pinyin_of

# Surnames with rough weights from national frequency; 沈 is raised because 汉阴 is the home of the three
# Shen brothers and the name is common there.
_SURNAMES = (
    "王14 李14 张13 刘11 陈9 杨8 黄5 赵5 吴4 周4 徐3 孙3 马3 朱3 胡3 郭3 何3 高3 林2 罗2 郑2 梁2 谢2 宋2 "
    "唐2 许2 韩2 冯2 邓2 曹2 彭2 曾2 肖2 田2 董2 袁2 潘1 于1 蒋1 蔡1 余2 杜1 叶1 程1 苏1 魏1 吕1 丁1 "
    "任1 沈3 姚1 卢1 姜1 崔1 钟1 谭1 陆1 汪1 范1 金1 石1 廖1 贾1 夏1 付1 方1 白1 邹1 孟1 熊1 秦1 邱1 "
    "江1 尹1 薛1 闫1 段1 雷2 侯1 龙1 史1 陶1 贺1 顾1 毛1 郝1 龚1 邵1 万1 钱1 严1 武1 戴1 孔1 向1 汤1 "
    "柯2 鲁1 储1 阮1 詹1 殷1 覃1 欧阳1"
).split()
SURNAMES = [s.rstrip("0123456789") for s in _SURNAMES]
_SURNAME_CUM = list(accumulate(int(s[len(n) :]) for s, n in zip(_SURNAMES, SURNAMES, strict=True)))

# Characters with two common readings in names (长, 朝, 乐 ...) are left out so pinyin keys are unambiguous.
MALE_CHARS = list(
    "建国明华军伟强平志勇斌涛林海春德文俊峰波刚鹏辉兵成永庆福昌贵荣宏兴安学忠富宝东良发金山全才生祥龙云新家超磊浩宇杰锋飞武正胜世清"
)
FEMALE_CHARS = list("秀英华兰芳玉琴梅丽霞燕红萍敏静娟莉艳珍凤琼婷慧娜丹雪洁春莲菊桂香翠云琳晓")

PHONE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 177 180 "
    "181 182 183 186 187 188 189 191 198 199".split()
)

# 政治面貌 with weights for deputies; 民主党派 members are rarer and mostly at county level.
PARTIES_TOWN = [
    ("中共党员", 64),
    ("群众", 30),
    ("共青团员", 2),
    ("民盟盟员", 1),
    ("民进会员", 1),
    ("九三学社社员", 1),
    ("农工党党员", 1),
]
PARTIES_COUNTY = [
    ("中共党员", 66),
    ("群众", 20),
    ("民盟盟员", 4),
    ("民进会员", 3),
    ("九三学社社员", 3),
    ("农工党党员", 2),
    ("无党派人士", 2),
]
ETHNICITIES = [("汉族", 97), ("回族", 2), ("满族", 1)]

CN_NUMBERS = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals, as in 村民小组 names (三组, 十二组)."""
    if n <= 10:
        return CN_NUMBERS[n]
    tens, ones = divmod(n, 10)
    return (CN_NUMBERS[tens] if tens > 1 else "") + "十" + (CN_NUMBERS[ones] if ones else "")


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _w in pairs], weights=[w for _p, w in pairs])[0]


def person_name(rng: random.Random, gender: str) -> str:
    surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
    chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
    # About one name in five has a single given character; doubled characters are left out as too rare.
    if rng.random() < 0.2:
        return surname + rng.choice(chars)
    first, second = rng.sample(chars, 2)
    return surname + first + second


def phone(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def birth_date(rng: random.Random, first_year: int = 1955, last_year: int = 1995) -> datetime.date:
    # Triangular: most deputies are between 40 and 60, few at the ends of the range.
    year = round(rng.triangular(first_year, last_year, first_year + (last_year - first_year) * 0.45))
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


@lru_cache(maxsize=100_000)
def pinyin_keys(name: str) -> tuple[str, str]:
    """What Deputy.save() computes, cached because generated names repeat."""
    return pinyin_of(name), initials_of(name)


class People:
    """Hands out names; with `pool_size`, from a fixed pool so that pinyin is computed once per name."""

    def __init__(self, rng: random.Random | None = None, pool_size: int = 0):
        self.pools = None
        if pool_size:
            self.pools = {g: [person_name(rng, g) for _ in range(pool_size)] for g in ("M", "F")}
            for pool in self.pools.values():
                for name in pool:
                    pinyin_keys(name)

    def name(self, rng: random.Random, gender: str) -> str:
        if self.pools:
            return rng.choice(self.pools[gender])
        return person_name(rng, gender)

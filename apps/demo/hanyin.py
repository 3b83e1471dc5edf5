"""The demo county 汉阴县 (Ankang, Shaanxi) as the 2018 report describes it (seeds/000).

Fixed by the report: 10 towns, 177 county deputies of whom 107 lead grids, 603 town deputies of whom 573
lead grids, 20 households and about 50 voters per deputy. The village names are plausible for the area,
not an official list; communities (社区) come first in each town and get the 0xx codes, villages 2xx.
"""

from .county import CountySpec, TownSpec

# (name, county deputies living there, town deputies, villages): 城关镇, the county seat, is the largest.
_TOWNS = [
    (
        "城关镇",
        28,
        75,
        "东风社区 南街社区 北城社区 新街社区 月河村 太平村 五一村 三元村 双坝村 新华村 "
        "东坡村 中堰村 永宁村 丝绸村",
    ),
    (
        "涧池镇",
        19,
        68,
        "涧池社区 紫云村 仁河村 五坪村 高梁村 金星村 红光村 双喜村 沙坝村 龙王村 桑园村 堰坎村 石门村",
    ),
    (
        "蒲溪镇",
        18,
        66,
        "蒲溪社区 王莽村 塘口村 小河村 芦山村 田禾村 盘龙村 兴隆村 铁瓦村 中坝村 花果村 松树村",
    ),
    ("平梁镇", 16, 57, "平梁社区 太行村 清河村 棋盘村 金钟村 三柳村 月明村 梁家村 新庄村 龙泉村"),
    ("双乳镇", 17, 63, "双乳社区 三同村 江河村 铁铃村 大兴村 青龙村 长岭村 磨坪村 双丰村 凤凰村 黄土村"),
    ("铁佛寺镇", 14, 50, "铁佛寺社区 安良村 清泉村 宏丰村 柳林村 东沟村 坡垭村 白鹤村 合心村"),
    (
        "漩涡镇",
        19,
        72,
        "漩涡社区 黄龙村 堰坪村 茨沟村 东河村 马河村 田湾村 鳌头村 梨树村 三湾村 胜利村 龙垭村 桃园村 塔岭村",
    ),
    ("汉阳镇", 15, 52, "汉阳社区 长红村 联合村 天池村 兴龙村 大坪村 马家村 双星村 太坪村 石家村"),
    ("双河口镇", 14, 48, "双河口社区 营梁村 三湘村 乐平村 回龙村 高坪村 茶园村 龙寨村 沙河村"),
    ("观音河镇", 13, 42, "观音河社区 六合村 和平村 双河村 中河村 大湾村 松林村 庙湾村"),
]

COUNTY_UNITS = [
    "县发改局",
    "县教育体育局",
    "县公安局",
    "县民政局",
    "县财政局",
    "县人社局",
    "县自然资源局",
    "县住建局",
    "县交通运输局",
    "县水利局",
    "县农业农村局",
    "县林业局",
    "县卫生健康局",
    "县市场监管局",
    "县文化旅游广电局",
    "县应急管理局",
    "县生态环境分局",
    "县供电分公司",
]


# One street (街道, DOMAIN §1) beside the towns, not in the report: the new district north of the seat, with a
# working committee of the county standing committee (人大街道工委) and a residents' council (居民议事会)
# whose members (议事员) stand where town deputies would. Its deputies are taken from 城关镇's figures, so the
# county's totals stay the report's. Street codes are 001-099 (GB/T 10114).
_STREET = ("凤台街道", "610921001", 4, 10, "凤台社区 文峰社区 新城社区 东山社区")


def hanyin_spec() -> CountySpec:
    towns = [
        TownSpec(
            name=name, code=f"610921{100 + i}", villages=villages.split(), county_deputies=c, town_deputies=t
        )
        for i, (name, c, t, villages) in enumerate(_TOWNS)
    ]
    name, code, c, t, villages = _STREET
    towns.append(TownSpec(name, code, villages.split(), county_deputies=c, town_deputies=t, is_street=True))
    return CountySpec(
        name="汉阴县",
        code="610921",
        towns=towns,
        county_units=COUNTY_UNITS,
        county_grid_leaders=107,
        town_grid_leaders=573,
        station_address="汉阴县城关镇北城街县人大常委会机关一楼",
    )

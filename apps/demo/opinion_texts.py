"""Plausible 社情民意 for the demo county 汉阴县: what voters raise, who handles it, what the unit replies.

A mountain county along the 月河 where villages grow 富硒 tea and 魔芋: opinions are mostly about roads and
drinking water, then farming, social security and the rest. Each topic has title and content templates and
slots (road kind, trouble, wish ...); a slot named "trouble|fix" holds pairs so that a wish answers its
trouble. Texts of one topic share vocabulary without repeating each other.

Near-duplicates: with probability ECHO_SHARE (15%) a text restates the one standing matter of its village
and topic (the same road, the same broken pipe), drawn from a generator seeded by (topic, village) and only
worded anew. Two such texts from the same village and topic are the same matter raised by two voters; in
2,000 opinions over the ten demo towns (200 a town, villages drawn uniformly) 4-5% have such a twin (3.6 to
5.3% over six seeds): what similarity search has to find. Independent texts of one village and topic may
also happen to name the same trouble, as real ones do.

Unit names are those the demo seed creates (apps.demo.hanyin.COUNTY_UNITS and town units from
apps.demo.occupations.TOWN_UNITS) so a caller can look them up by name. Everything draws from the
`random.Random` it is given: the same seed gives the same texts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .names import cn_number

ECHO_SHARE = 0.15  # share of texts that restate their village's standing matter of the topic
USUAL_UNIT_SHARE = 0.85  # the rest goes to another plausible unit, so routing is learnable but not trivial


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    weight: int  # percent of opinions (the weights add up to 100)
    units: tuple[str, ...]  # the usual unit first, then other plausible ones; "{town}" is the town's name
    titles: tuple[str, ...]
    contents: tuple[str, ...]
    slots: dict[str, tuple[str, ...]]  # name -> options; a slot "a|b" takes options "x|y" (a=x, b=y)
    replies: tuple[str, ...]


_OPENERS = (
    "",
    "",
    "",
    "选民反映：",
    "据{resident}反映，",
    "代表走访时了解到，",
    "联络站接待日有选民反映，",
    "网格走访中{resident}提出，",
)
_CLOSERS = ("", "", "群众意见较大。", "此事已多次反映。", "恳请有关部门予以重视。")
_COMMUNITY_SPOTS = ("滨河小区", "新城小区", "安置小区", "老街片区", "东片区", "西片区")


def pick_topic(rng: random.Random) -> str:
    """A topic key by the topics' weights, which are percentages: roads 22, water 18, farming 12 ..."""
    return rng.choices(TOPICS, weights=[t.weight for t in TOPICS])[0].key


def opinion_text(rng: random.Random, topic_key: str, village: str) -> tuple[str, str]:
    """(title, content) of an opinion about `topic_key` raised in `village` (e.g. 月河村, 东风社区)."""
    topic = TOPIC_BY_KEY[topic_key]
    echo = rng.random() < ECHO_SHARE
    # The standing matter is the same for every echo of this village and topic, whatever the seed.
    matter_rng = random.Random(f"{topic_key}/{village}") if echo else rng
    raw = _matter(matter_rng, topic, village)
    raw["opener"] = rng.choice(_OPENERS)
    raw["closer"] = rng.choice(_CLOSERS)
    values = {name: value.format(**raw) for name, value in raw.items()}
    return rng.choice(topic.titles).format(**values), rng.choice(topic.contents).format(**values)


def _matter(rng: random.Random, topic: Topic, village: str) -> dict[str, str]:
    values = {
        "village": village,
        "spot": _spot(rng, village),
        "resident": "居民" if village.endswith("社区") else "村民",
        "n": str(rng.randint(5, 60)),
        "km": f"{rng.randint(5, 45) / 10:.1f}",
        "kids": str(rng.randint(12, 90)),
        "staff": str(rng.randint(20, 300)),
        "money": str(rng.choice((50, 80, 100, 150, 200, 300, 500))),
    }
    for names, options in topic.slots.items():
        picked = rng.choice(options)
        if "|" in names:
            values.update(zip(names.split("|"), picked.split("|"), strict=True))
        else:
            values[names] = picked
    return values


def _spot(rng: random.Random, village: str) -> str:
    """Where in the village: a 村民小组 (三组) or, in a community, an estate."""
    if village.endswith("社区"):
        return village + rng.choice(_COMMUNITY_SPOTS)
    return village + cn_number(rng.randint(1, 9)) + "组"


def unit_for(rng: random.Random, topic_key: str, town: str) -> str:
    """The unit that finally handled an opinion: mostly the topic's usual one, sometimes another."""
    units = [u.format(town=town) for u in TOPIC_BY_KEY[topic_key].units]
    if len(units) == 1 or rng.random() < USUAL_UNIT_SHARE:
        return units[0]
    return rng.choice(units[1:])


def reply_text(rng: random.Random, topic_key: str) -> str:
    """A handling unit's reply (答复) to an opinion of the topic."""
    opening = rng.choice(("", "收到意见后，我单位高度重视，立即组织人员核实。", "经研究，现答复如下："))
    body = rng.choice(TOPIC_BY_KEY[topic_key].replies).format(
        year=rng.choice((2026, 2027)),
        month=rng.randint(1, 12),
        n=rng.randint(2, 30),
    )
    closing = rng.choice(("", "感谢您对我们工作的关心和支持。", "后续将持续跟踪落实。"))
    return opening + body + closing


_SATISFIED = (
    "{way}回访反映人，对办理结果表示满意，认为答复及时、措施具体。",
    "{way}回访，反映人表示问题已经解决，对承办单位的工作表示感谢。",
    "{way}回访，群众反映现场已整改到位，对办理结果满意。",
)
_UNSATISFIED = (
    "{way}回访，反映人表示问题仍未彻底解决，对答复不满意，要求重新办理。",
    "{way}回访，反映人认为答复只说列入计划，没有具体完成时间，表示不满意。",
    "{way}回访，现场查看发现整改尚未到位，群众意见仍然较大，建议退回承办单位重新办理。",
)


def visit_note(rng: random.Random, satisfied: bool) -> str:
    """The deputy's note after visiting the voter about the reply (回访)."""
    way = rng.choice(("电话", "上门", "代表入户", "在联络站接待日"))
    return rng.choice(_SATISFIED if satisfied else _UNSATISFIED).format(way=way)


# --- the topics ---------------------------------------------------------------------------------------------

ROAD = Topic(
    key="road",
    label="道路交通",
    weight=22,
    units=("县交通运输局", "{town}人民政府", "{town}国土规划建设环保站"),
    titles=(
        "关于{road_title}{short}的建议",
        "{spot}{road}急需{short}",
        "请求{short}{road_title}",
        "{road_title}{symptom}，盼早日{short}",
    ),
    contents=(
        "{opener}{spot}的{road}{trouble}，{impact}，希望{fix}，方便群众出行。",
        "{spot}{road}全长{km}公里，{trouble}，{impact}。{closer}建议{fix}。",
        "{opener}这条{road}是{spot}{n}户{resident}进出的唯一通道，{trouble}，{impact}，盼望早日{fix}。",
        "近年来{spot}{road}{trouble}，雨季尤为严重，{impact}。请交通部门实地查看，{fix}。",
    ),
    slots={
        "road|road_title": (
            "通组路|{village}通组路",
            "通村水泥路|{village}通村路",
            "产业路|{village}产业路",
            "入户便道|{village}入户便道",
            "茶园生产便道|{village}茶园便道",
            "沿河便道|{village}沿月河便道",
            "过河漫水桥|{village}漫水桥",
        ),
        "trouble|fix|short|symptom": (
            "年久失修，坑洼不平|对破损路段进行整修|整修|坑洼难行",
            "至今还是土路，雨天泥泞不堪|尽快硬化路面|硬化|雨天泥泞",
            "路基下沉，路面出现大面积裂缝|重新铺筑路面|维修|路面开裂",
            "边坡垮塌，时有落石|清理塌方并加固边坡|加固|边坡垮塌",
            "被拉砂石的重车压坏，多处断板|修复断板并限制重车通行|维修|多处断板",
            "路面太窄，会车十分困难|拓宽路面并增设错车道|拓宽|会车困难",
            "临崖路段没有护栏，转弯处视线不好|加装护栏和警示标志|加装护栏|临崖无护栏",
            "汛期一涨水就被淹没，无法通行|改建为过水桥涵|改建|汛期断行",
        ),
        "impact": (
            "群众出行十分困难",
            "学生上学只能绕远路",
            "茶叶和魔芋运不出去，只能肩挑背扛",
            "雨天骑摩托车的人多次滑倒受伤",
            "急病患者救护车开不进来",
            "老人孩子走路提心吊胆",
        ),
    },
    replies=(
        "经实地查看，已将该路段列入{year}年通组路硬化计划，预计{month}月底前完工。",
        "我局已组织技术人员现场勘查，塌方路段已清理完毕，边坡加固工程将于{month}月开工。",
        "该路段属于农村公路养护范围，已安排养护队进行修补，同时增设警示标志{n}处。",
        "经与镇政府共同研究，拟申报{year}年农村公路危桥改造项目，资金到位后立即实施。",
    ),
)

WATER = Topic(
    key="water",
    label="饮水安全",
    weight=18,
    units=("县水利局", "{town}农业综合服务站", "{town}人民政府"),
    titles=(
        "关于解决{spot}{symptom}的建议",
        "{village}{facility}需{short}",
        "{spot}{symptom}",
        "请求为{village}{short}",
    ),
    contents=(
        "{opener}{spot}的{facility}{trouble}，{impact}，希望{fix}，让群众喝上放心水。",
        "{spot}共有{n}户{resident}靠{facility}吃水，近来{trouble}，{impact}。{closer}请求{fix}。",
        "{opener}{village}{facility}建成已十多年，{trouble}，{impact}。建议水利部门{fix}，保障饮水安全。",
        "入夏以来{spot}的{facility}{trouble}，{impact}，{resident}盼望尽快{fix}。",
    ),
    slots={
        "facility": ("集中供水工程", "自来水管网", "蓄水池", "山泉引水管", "供水站", "过滤池"),
        "trouble|fix|short|symptom": (
            "管道老化，经常爆裂漏水|更换老化管道|更换供水管道|经常停水",
            "每逢旱季就断水|新建一座蓄水池，增加蓄水量|新建蓄水池|旱季断水",
            "水源地被山洪冲毁|重新选址修建水源工程|修复水源|吃水困难",
            "出水浑浊，烧开后有很多水垢|加装过滤消毒设备并定期检测水质|改善水质|自来水浑浊",
            "水压不够，高处的农户接不上水|加装加压设备并延伸管网|解决吃水难|高处农户接不上水",
            "一到冬天管道就冻裂|将裸露管道深埋或加装保温层|维修供水管道|冬季管道冻裂",
        ),
        "impact": (
            "{n}户群众只能到几里外挑水吃",
            "饮水安全得不到保障",
            "老人孩子喝水都成了难题",
            "养殖户的生产用水也受到影响",
            "一停水就是好几天",
        ),
    },
    replies=(
        "经实地查看，已安排维修人员更换老化管道{n}米，{month}月中旬已恢复正常供水。",
        "我局已将该村纳入{year}年农村供水保障工程，新建蓄水池一座，预计{month}月底前完工。",
        "已委托县疾控中心对水源进行取样检测，并加装过滤消毒设备，水质已达到饮用标准。",
        "镇农业综合服务站已组织抢修，并落实专人管护，今后发现问题可直接联系管水员。",
    ),
)

SCHOOL = Topic(
    key="school",
    label="教育就学",
    weight=7,
    units=("县教育体育局", "{town}中心学校", "{town}人民政府"),
    titles=(
        "关于{village}{school}{short}的建议",
        "{village}{school}{symptom}",
        "请求解决{village}学生{symptom}",
    ),
    contents=(
        "{opener}{village}{school}{trouble}，{impact}，希望教育部门{fix}。",
        "{spot}有{kids}名孩子在{school}就读，{trouble}，{impact}。{closer}建议{fix}。",
        "{opener}{school}{trouble}，{impact}。请求{fix}，让孩子们安心上学。",
    ),
    slots={
        "school": ("村小", "教学点", "小学", "幼儿园"),
        "trouble|fix|short|symptom": (
            "校舍老旧，墙体开裂|对校舍进行安全鉴定和维修加固|校舍维修|校舍老旧",
            "教师缺编，一个老师要带两个年级|补充教师，稳定师资队伍|补充教师|缺老师",
            "没有校车，孩子每天要步行一个多小时|开通校车或安排接送|开通校车|上学路远",
            "校门口紧挨公路，没有减速带和斑马线|在校门口设置减速带和警示标志|交通安全|校门口不安全",
            "没有食堂，学生只能在教室吃冷饭|修建学生食堂|修建食堂|吃饭难",
            "留守儿童多，放学后无人看管|开设课后托管服务|课后托管|放学无人看管",
        ),
        "impact": (
            "家长很不放心",
            "孩子上学的安全没有保障",
            "教学质量难以保证",
            "不少家长只好把孩子转到县城上学",
        ),
    },
    replies=(
        "经现场查看，校舍维修已列入{year}年校舍安全保障项目，将于暑假期间施工。",
        "我局已从县城学校选派{n}名教师到该校支教，秋季学期将通过招聘补足缺编教师。",
        "已协调交通部门在校门口设置减速带和警示标志，并安排护学岗在上下学时段值守。",
        "中心学校已开设课后托管服务，由教师轮流看护并辅导作业，家长可自愿报名，不收取费用。",
    ),
)

MEDICAL = Topic(
    key="medical",
    label="医疗卫生",
    weight=7,
    units=("县卫生健康局", "{town}卫生院"),
    titles=(
        "关于{village}{clinic}{short}的建议",
        "{spot}群众{symptom}",
        "请求{short}",
    ),
    contents=(
        "{opener}{village}{clinic}{trouble}，{impact}，希望卫生部门{fix}，让群众在家门口看得上病。",
        "{spot}有不少{patient}，{trouble}，{impact}。{closer}建议{fix}。",
        "{opener}{clinic}{trouble}，{impact}。请求{fix}，方便群众就近看病。",
    ),
    slots={
        "clinic": ("卫生室", "卫生室", "卫生服务点"),
        "patient": ("高血压、糖尿病患者", "留守老人", "行动不便的老人", "慢性病患者"),
        "trouble|fix|short|symptom": (
            "乡村医生年龄偏大，后继无人|配备一名年轻的乡村医生|配备村医|缺医生",
            "常用药品经常断货|保障常用药品供应|保障药品供应|买药难",
            "没有坐诊医生，看病要跑到镇上|安排医生定期坐诊|安排医生坐诊|看病难",
            "设备陈旧，连血常规都做不了|更新医疗设备|更新医疗设备|检查难",
            "医保报销手续繁琐，要跑好几趟|简化报销流程，推行一站式结算|简化医保报销|报销难",
            "慢性病患者每月都要到县城拿药|开通慢性病送药上门服务|送药上门|拿药不便",
        ),
        "impact": (
            "老人看病很不方便",
            "小病常常拖成大病",
            "群众看病负担较重",
            "留守老人就医困难",
        ),
    },
    replies=(
        "我局已安排镇卫生院医生每周二、周五到村卫生室坐诊，并将该村列入村医定向培养计划。",
        "经核实，村卫生室药品已按基本药物目录补齐，今后由卫生院每月统一配送。",
        "县医保中心已在镇上开通一站式结算窗口，住院费用出院时即可直接报销。",
        "已将该村{n}名慢性病患者纳入家庭医生签约服务，每月上门随访并送药。",
    ),
)

ENVIRONMENT = Topic(
    key="environment",
    label="生态环境",
    weight=8,
    units=("县生态环境分局", "{town}国土规划建设环保站", "{town}人民政府"),
    titles=(
        "关于{village}{source}{short}的反映",
        "{spot}{source}{symptom}",
        "请求整治{village}{source}",
    ),
    contents=(
        "{opener}{spot}附近的{source}{trouble}，{impact}，希望{fix}。",
        "{spot}{source}{trouble}已有一年多，{impact}。{closer}请环保部门{fix}。",
        "{opener}{village}{source}{trouble}，{impact}，多次反映未果，请求{fix}。",
    ),
    slots={
        "source|trouble|fix|short|symptom": (
            "养猪场|粪污直接排进月河支流，河水发黑发臭|督促整改，依法查处直排行为|污染|污水直排",
            "魔芋加工厂|废水未经处理就排进河沟，臭味难闻|督促建设污水处理设施|污染|废水直排",
            "石料厂|粉尘和噪音扰民，夜间也不停工|责令限时整改并限定作业时间|扰民|粉尘噪音扰民",
            "砖厂|烟囱冒黑烟，粉尘落满房前屋后|检测排放并督促安装除尘设施|扰民|黑烟粉尘扰民",
            "垃圾收集点|垃圾堆放多日无人清运，蚊蝇滋生|增设垃圾桶并定期清运|清运|垃圾无人清运",
            "河道|有人私挖乱采砂石，河床被挖得坑坑洼洼|严厉打击非法采砂并修复河床|采砂|乱采砂石",
            "田边地头|焚烧垃圾和秸秆，浓烟呛人|加强巡查，禁止露天焚烧|焚烧|浓烟呛人",
        ),
        "impact": (
            "周边群众苦不堪言",
            "影响了附近富硒茶园的品质",
            "夏天根本不敢开窗",
            "群众多次反映都没有得到解决",
        ),
    },
    replies=(
        "经现场检查，该养殖场存在粪污直排行为，已责令停产整改并依法立案处罚。",
        "我分局已对该企业下达限期整改通知书，要求{month}月底前完成除尘降噪设施改造。",
        "镇上已在该村增设垃圾收集箱{n}个，并与保洁公司约定每两天清运一次，村上安排专人监督。",
        "已联合水利、公安部门开展河道专项整治，查处非法采砂{n}起，河床修复工程正在实施。",
    ),
)

AGRICULTURE = Topic(
    key="agriculture",
    label="农业生产",
    weight=12,
    units=("{town}农业综合服务站", "县农业农村局", "县林业局"),
    titles=(
        "关于{village}{crop}{short}的建议",
        "{spot}{crop}{symptom}",
        "请求帮助{village}{crop}{short}",
    ),
    contents=(
        "{opener}{spot}种植的{crop}{trouble}，{impact}，希望{fix}。",
        "{spot}有{n}户{resident}以{crop}为主要收入，今年{trouble}，{impact}。{closer}建议{fix}。",
        "{opener}{village}家家户户种{crop}，今年{trouble}，{impact}。请求农业部门{fix}。",
    ),
    slots={
        "crop": ("富硒茶", "魔芋", "油菜", "水稻", "猕猴桃", "核桃", "中药材"),
        "trouble|fix|short|symptom": (
            "遭遇倒春寒，大面积受冻|给予受灾补贴并指导恢复生产|灾后补贴|受冻",
            "接连被下山的野猪拱食糟蹋|组织野猪防控，落实损失补偿|野猪防控|遭野猪破坏",
            "因灌溉渠道淤塞垮塌，田里放不进水|修复灌溉渠道|修复水渠|缺水灌溉",
            "收购价格低，销路不畅|帮助联系收购企业，拓宽销路|拓宽销路|卖难",
            "病虫害严重，群众缺乏防治技术|派农技人员到田间指导|技术指导|病虫害严重",
            "种苗质量差，成活率很低|调查种苗来源并帮助补种|补种|种苗成活率低",
        ),
        "impact": (
            "群众损失较大",
            "一年的收入没了着落",
            "种植积极性受到打击",
            "不少地块已经撂荒",
        ),
    },
    replies=(
        "站里已派农技人员到田间开展病虫害防治指导，发放防治药剂{n}份，并在村上举办技术培训班。",
        "经核查，受灾面积和受损农户已登记上报，受灾补贴将于{month}月发放到户，并安排农技人员指导补种。",
        "县农业农村局已联系{n}家收购企业与合作社签订收购协议，保底价收购。",
        "镇上已组建野猪防控队伍开展捕猎防控，并协助受损农户办理农业保险理赔，损失较大的给予补助。",
    ),
)

SOCIAL_SECURITY = Topic(
    key="social_security",
    label="社会保障",
    weight=10,
    units=("{town}社会事务办", "县人社局", "县民政局"),
    titles=(
        "关于{village}{person}{short}的建议",
        "{spot}{person}{symptom}",
        "请求解决{person}{short}问题",
    ),
    contents=(
        "{opener}{spot}的{person}{trouble}，{impact}，希望{fix}，把政策落到实处。",
        "{spot}有{n}户{person}，{trouble}，{impact}。{closer}建议{fix}。",
        "{opener}{village}一户{person}{trouble}，{impact}，请求社会事务部门{fix}。",
    ),
    slots={
        "person|trouble|fix|short|symptom": (
            "因病致贫户|申请低保已半年仍未批复|尽快入户核查，符合条件的纳入低保|低保审批|低保迟迟未批",
            "独居老人|领取养老金每年要到镇上认证，行动不便|提供上门认证服务|养老认证|认证不便",
            "留守儿童家庭|遭遇意外后申请的临时救助迟迟没有发放|及时发放临时救助资金|临时救助|救助未发放",
            "残疾人家庭|残疾人两项补贴被停发|核实情况后恢复补贴发放|补贴停发|补贴被停发",
            "高龄老人|高龄补贴发放不及时|按月足额发放高龄补贴|高龄补贴|补贴发放不及时",
            "脱贫户|医保和养老保险缴费负担较重|落实困难群体参保资助政策|参保资助|缴费负担重",
        ),
        "impact": (
            "生活陷入困境",
            "家里的日子难以为继",
            "老人们意见很大",
            "基本生活得不到保障",
        ),
    },
    replies=(
        "经入户核查，该户符合低保条件，已于{month}月纳入农村低保，补发{n}个月低保金。",
        "县社保中心已开通手机刷脸认证，行动不便的老人由村干部上门协助完成认证。",
        "临时救助资金已于{month}月发放到户，并将该户列为重点关爱对象定期走访。",
        "经核实，补贴停发系信息比对有误，已恢复发放并补发停发期间的补贴。",
    ),
)

HOUSING = Topic(
    key="housing",
    label="住房安全",
    weight=6,
    units=("县住建局", "{town}国土规划建设环保站", "县自然资源局"),
    titles=(
        "关于{village}{house}{short}的建议",
        "{spot}{house}{symptom}",
        "请求解决{village}{house}{short}问题",
    ),
    contents=(
        "{opener}{spot}的{house}{trouble}，{impact}，希望有关部门实地查看，{fix}。",
        "{spot}{n}户{resident}住在{house}里，{trouble}，{impact}。{closer}请求{fix}。",
        "{opener}{village}{house}{trouble}，{impact}，多次反映未果，请住建部门{fix}。",
    ),
    slots={
        "house|trouble|fix|short|symptom": (
            "土坯房|墙体开裂，屋顶漏雨|鉴定后纳入危房改造|危房改造|墙裂漏雨",
            "移民搬迁安置房|建成多年仍未办理不动产权证|尽快办理不动产权证|办证|办不了房产证",
            "老旧住房|屋后山坡有滑坡隐患|对后坡进行地质灾害评估和治理|滑坡隐患|有滑坡隐患",
            "老旧小区|楼道灯损坏，下水道经常堵塞|对小区进行改造，完善配套设施|改造|下水道堵塞",
            "新建住房|宅基地审批迟迟办不下来，房子一直建不起来|加快宅基地审批|宅基地审批|建房审批难",
            "安置小区|外墙瓷砖大片脱落，砸坏过车辆|排查外墙隐患并维修|外墙维修|外墙脱落",
        ),
        "impact": (
            "一家人住得提心吊胆",
            "雨季安全隐患很大",
            "影响了群众正常生活",
            "群众反复上访",
        ),
    },
    replies=(
        "经房屋安全鉴定为C级危房，已纳入{year}年农村危房改造计划，补助资金到位后即开工。",
        "不动产权证办理所需资料已收齐，县不动产登记中心将于{month}月底前集中办证。",
        "已委托地质队对后坡进行勘查评估，治理前已落实{n}户群众汛期避险搬迁措施。",
        "该小区已列入{year}年老旧小区改造项目，楼道照明和排水管网将一并改造。",
    ),
)

ENTERPRISE = Topic(
    key="enterprise",
    label="企业诉求",
    weight=3,
    units=("县发改局", "县人社局", "县供电分公司", "县财政局", "县市场监管局"),
    titles=(
        "{company}关于{short}的诉求",
        "{company}{symptom}",
        "关于帮助{company}{short}的建议",
    ),
    contents=(
        "{company}主要从事{product}，{need}，{impact}。恳请{ask}。",
        "我公司位于{village}，主要从事{product}，{need}，{impact}，希望县里{ask}，帮助企业渡过难关。",
        "{company}现有员工{staff}人，{need}，{impact}。{closer}特申请{ask}。",
    ),
    slots={
        "company|product": tuple(
            f"汉阴{brand}{trade}有限公司|{product}"
            for brand in ("凤堰", "硒谷", "月河", "秦巴", "汉水", "龙岗")
            for trade, product in (
                ("茶业", "富硒茶种植加工"),
                ("魔芋食品", "魔芋精粉和魔芋食品生产"),
                ("服饰", "服装加工"),
                ("新型建材", "新型墙材生产"),
                ("农业开发", "香菇种植和销售"),
            )
        ),
        "need|ask|short|symptom": (
            "订单增加后用工缺口约{n}人，本地招工困难|协助对接劳务招聘并开展岗前培训|用工|招工难",
            "新上生产线后用电负荷不足，经常跳闸停产|协调供电部门增容改造线路|用电|用电负荷不足",
            "扩大生产需要流动资金约{money}万元，缺少抵押物，贷款难|协调银行提供贴息贷款|融资|贷款难",
            "厂区到国道的道路狭窄破损，大货车无法通行|硬化拓宽进厂道路|进厂道路|货车进不来",
            "变压器容量不够，申请增容一直未落实|加快变压器增容审批|增容|变压器容量不足",
        ),
        "impact": (
            "部分订单无法按期交付",
            "生产经营受到很大影响",
            "扩产计划被迫搁置",
        ),
    },
    replies=(
        "县人社局已在招聘会上为该企业设立专场，并组织{n}名脱贫劳动力参加岗前培训。",
        "县供电分公司已完成现场勘查，专用变压器增容和线路改造工程将于{month}月底前完成。",
        "已协调县农商银行为企业办理创业担保贷款，财政按规定给予贴息，首笔贷款已于{month}月放款。",
        "经县发改局协调，进厂道路已列入{year}年产业路建设计划，由交通部门组织实施，汛期前完成路基施工。",
    ),
)

PUBLIC_SAFETY = Topic(
    key="public_safety",
    label="公共安全",
    weight=4,
    units=("{town}派出所", "县公安局", "县应急管理局", "{town}司法所"),
    titles=(
        "关于{spot}{short}的建议",
        "{spot}{symptom}",
        "请求加强{village}{short}",
    ),
    contents=(
        "{opener}{spot}{trouble}，{impact}，希望{fix}，让群众安心。",
        "近段时间{spot}{trouble}，{impact}。{closer}建议{fix}。",
        "{opener}{village}{trouble}，{impact}，请求有关部门{fix}，保一方平安。",
    ),
    slots={
        "trouble|fix|short|symptom": (
            "夜间常有摩托车飙车，噪音扰民|加强夜间巡逻，整治飙车行为|夜间巡逻|夜间飙车",
            "电信诈骗多发，已有老人被骗走积蓄|进村入户开展防诈骗宣传|防诈骗宣传|老人被骗",
            "路口没有监控，接连发生偷盗|在主要路口安装治安监控|治安监控|接连被盗",
            "邻里因宅基地边界纠纷多次发生冲突|组织调解，化解矛盾|纠纷调解|邻里纠纷",
            "山坡出现裂缝，雨季威胁下方住户|开展地质灾害排查并落实避险措施|地灾排查|山体开裂",
            "有人私自储存烟花爆竹，存在火灾隐患|开展安全检查，依法查处|安全检查|火灾隐患",
        ),
        "impact": (
            "群众人心惶惶",
            "存在很大安全隐患",
            "影响了邻里和睦",
            "老人们晚上不敢出门",
        ),
    },
    replies=(
        "派出所已调整巡逻路线，每晚安排警力在该路段巡查，近期查处违法驾驶{n}起。",
        "派出所已联合村委会进村入户开展防诈骗宣传{n}场，帮助老人安装国家反诈中心APP，提醒不要轻信陌生来电。",
        "司法所已会同村调委会组织双方现场调解，双方签订了调解协议，纠纷已化解，将跟踪回访防止反复。",
        "已将该处列为地质灾害隐患点，落实专人监测，汛期前组织群众演练避险。",
    ),
)

CULTURE = Topic(
    key="culture",
    label="文化体育",
    weight=3,
    units=("县文化旅游广电局", "{town}社会事务办", "{town}人民政府"),
    titles=(
        "关于{village}{short}的建议",
        "{village}{symptom}",
        "请求{short}",
    ),
    contents=(
        "{opener}{village}{trouble}，{impact}。村里不少{resident}希望{fix}，把文化生活搞起来。",
        "{spot}有{n}户{resident}，{trouble}，{impact}。{closer}建议{fix}。",
        "{opener}{village}{trouble}，{impact}。请求文化部门{fix}，丰富群众业余生活。",
    ),
    slots={
        "trouble|fix|short|symptom": (
            "没有文化广场，跳广场舞只能在马路边|修建一处文化广场|修建文化广场|缺少活动场地",
            "农家书屋长期锁门，图书陈旧|更新图书并安排专人管理|农家书屋开放|书屋常年锁门",
            "健身器材损坏多年无人维修|维修更换健身器材|更换健身器材|健身器材损坏",
            "广播电视信号差，很多频道收不到|改善广电信号覆盖|改善广电信号|电视信号差",
            "老戏台年久失修|修缮戏台，恢复汉调二黄演出|修缮戏台|老戏台失修",
            "文化活动少，群众精神生活单调|多组织送戏下乡和电影放映|送戏下乡|文化活动少",
        ),
        "impact": (
            "群众意见较多",
            "年轻人都往县城跑",
            "老人们闲时无处可去",
        ),
    },
    replies=(
        "文化广场已列入{year}年村级综合服务设施建设项目，选址已确定，建成后将配套安装健身器材和照明设施。",
        "已为农家书屋补充新书{n}册，更新了报刊，由村文化管理员每周开放三天，寒暑假增加开放时间。",
        "县文旅广电局已将该村列入送戏下乡和公益电影放映计划，每月不少于一场，并邀请汉调二黄剧团演出。",
        "已协调广电网络公司对该村进行信号覆盖改造，{month}月底前完成，届时可收看全部公共频道。",
    ),
)

TOPICS = [
    ROAD,
    WATER,
    SCHOOL,
    MEDICAL,
    ENVIRONMENT,
    AGRICULTURE,
    SOCIAL_SECURITY,
    HOUSING,
    ENTERPRISE,
    PUBLIC_SAFETY,
    CULTURE,
]
TOPIC_BY_KEY = {t.key: t for t in TOPICS}

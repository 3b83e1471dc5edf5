"""Plausible 代表建议 texts for the demo county: what township deputies suggest, and how units answer.

A deputy's suggestion is either about one village's standing matter (built on `opinion_texts`, the voters'
own words, with the deputy's proposals added) or about the whole township (a topic's own titles with the
town's name). Replies follow the reply letter: document number, what is done, what is planned and by when,
why something is not adopted, by category (A solved, B in the plan, C not possible now, D for reference).
Everything draws from the `random.Random` it is given: the same seed gives the same texts.
"""

from __future__ import annotations

import random
from datetime import date

from .names import cn_number
from .opinion_texts import opinion_text, reply_text

VILLAGE_SHARE = 0.55  # suggestions about one village's matter; the rest are about the whole township

# topic -> town-wide titles, the situation, proposals ("{town}": the town's name, "{n}": a number)
TOWN_WIDE: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "road": (
        ("关于加强{town}农村公路养护管理的建议", "关于加快{town}通组路硬化建设的建议",
         "关于解决{town}集镇停车难问题的建议", "关于在{town}临崖临水路段增设安全防护设施的建议"),
        ("{town}现有农村公路{n}条，部分通组路修建年代早、标准低，养护经费不足，坑洼、塌方时有发生。",
         "随着群众生活水平提高，{town}机动车保有量逐年增加，集镇道路狭窄，车辆乱停乱放现象突出。",
         "{town}山大沟深，不少通组路沿河临崖，汛期塌方、落石频发，群众出行安全隐患较大。"),
        ("将破损严重的通组路纳入年度硬化和整修计划，分年度实施",
         "落实农村公路“路长制”，明确养护责任人和养护经费",
         "在临崖、急弯路段加装护栏和警示标志", "在集镇规划建设公共停车场，规范停车秩序",
         "争取上级交通项目资金，提高通组路建设标准"),
    ),
    "water": (
        ("关于提升{town}农村饮水安全保障水平的建议", "关于加强{town}集中供水工程管护的建议",
         "关于解决{town}高山片区季节性缺水问题的建议"),
        ("{town}部分村组集中供水工程建成时间较长，管网老化，冬季冻裂、夏季断水问题反复出现。",
         "{town}高山片区农户居住分散，水源不稳定，每逢旱季就有{n}户左右群众吃水困难。"),
        ("对老化管网进行更新改造", "在高山片区新建蓄水池，增加蓄水能力",
         "落实管水员和管护经费，建立长效管护机制",
         "定期开展水质检测并向群众公示结果", "将供水工程纳入县级农村供水保障项目统筹实施"),
    ),
    "school": (
        ("关于改善{town}中心学校办学条件的建议", "关于保障{town}留守儿童上下学安全的建议",
         "关于加强{town}乡村教师队伍建设的建议"),
        ("{town}中心学校现有学生{n}0余人，教室、宿舍和食堂容量不足，部分设施陈旧。",
         "{town}外出务工人员较多，留守儿童比例高，偏远村组学生上下学路途远、安全隐患多。"),
        ("加快学校宿舍和食堂改扩建", "开通或加密学生上下学公交班次",
         "落实乡村教师生活补助，稳定教师队伍",
         "在学校周边设置减速带和交通标志", "建立留守儿童关爱服务机制"),
    ),
    "medical": (
        ("关于提升{town}卫生院服务能力的建议", "关于加强{town}村卫生室建设的建议",
         "关于方便{town}群众就近看病取药的建议"),
        ("{town}卫生院医务人员不足，部分科室设备陈旧，群众看病多往县城跑。",
         "{town}部分村卫生室房屋简陋，村医年龄偏大，常用药品种类不全。"),
        ("为卫生院补充急需的医务人员和诊疗设备", "推进村卫生室标准化建设",
         "开展县级医院专家定期下乡坐诊",
         "扩大慢性病患者家庭医生签约服务覆盖面", "提高村医待遇，稳定村医队伍"),
    ),
    "environment": (
        ("关于加强{town}农村人居环境整治的建议", "关于加强{town}月河沿岸生态保护的建议",
         "关于完善{town}农村生活垃圾收运体系的建议"),
        ("{town}部分村组垃圾收集点不足，转运不及时，河道沿岸垃圾堆放问题时有反弹。",
         "{town}月河沿岸采砂、养殖活动较多，河道生态和群众生活环境受到一定影响。"),
        ("在人口集中的村组增设垃圾收集点，落实保洁人员", "加密垃圾转运频次，做到日产日清",
         "加强河道巡查，依法查处乱采乱挖", "推进农村污水处理设施建设", "将人居环境整治纳入村规民约"),
    ),
    "agriculture": (
        ("关于做大做强{town}富硒茶产业的建议", "关于扶持{town}魔芋产业发展的建议",
         "关于加强{town}农业社会化服务的建议", "关于完善{town}茶园生产便道的建议"),
        ("{town}现有茶园{n}00余亩，但品牌不响、加工能力弱，鲜叶价格受制于外地客商。",
         "{town}魔芋种植面积逐年扩大，但软腐病防治技术跟不上，种植户损失较大。"),
        ("整合资金扶持茶叶加工企业技改升级", "组织农技人员开展病虫害防治培训",
         "打造统一的区域公用品牌",
         "完善产业路和生产便道", "鼓励发展农民专业合作社，带动农户增收"),
    ),
    "social_security": (
        ("关于做好{town}困难群众救助工作的建议", "关于提升{town}养老服务水平的建议",
         "关于加强{town}城乡居民医保政策宣传的建议"),
        ("{town}60岁以上老人占比较高，空巢、失能老人照护问题日益突出。",
         "部分群众对城乡居民医保、养老保险政策了解不够，参保缴费和报销中遇到困难。"),
        ("在集镇建设日间照料中心", "及时将符合条件的困难群众纳入救助范围",
         "开展医保和养老保险政策进村入户宣传",
         "简化临时救助审批程序", "建立高龄、失能老人定期探访制度"),
    ),
    "housing": (
        ("关于加快{town}移民搬迁安置小区配套建设的建议", "关于做好{town}农村危房改造的建议",
         "关于解决{town}安置小区不动产登记办证问题的建议"),
        ("{town}移民搬迁安置小区入住群众{n}0余户，但物业管理、停车和公共设施配套仍不完善。",
         "{town}部分农户住房年久失修，存在安全隐患，改造资金不足。"),
        ("完善安置小区水电、路灯和停车等配套设施", "加快办理安置房不动产权证",
         "对危房开展全面排查，分类实施改造",
         "引入物业服务，建立小区自治管理机制"),
    ),
    "enterprise": (
        ("关于优化{town}营商环境的建议", "关于支持{town}社区工厂发展的建议",
         "关于帮助{town}小微企业解决融资难的建议"),
        ("{town}社区工厂吸纳了大量搬迁群众就近就业，但用工、用电和物流成本偏高。",
         "{town}小微企业普遍缺少抵押物，贷款难、贷款贵问题突出。"),
        ("落实社区工厂用电、租金等扶持政策", "协调金融机构推出适合小微企业的信贷产品",
         "建立企业诉求快速响应机制",
         "加强就业技能培训，提高用工稳定性"),
    ),
    "public_safety": (
        ("关于加强{town}农村治安防控的建议", "关于加强{town}防汛和地质灾害防治的建议",
         "关于在{town}集镇主要路口增设监控和红绿灯的建议"),
        ("{town}地处山区，汛期地质灾害隐患点多，部分隐患点群测群防措施不到位。",
         "{town}集镇车流人流量大，主要路口缺少信号灯和监控，交通事故时有发生。"),
        ("完善“雪亮工程”视频监控覆盖", "对地质灾害隐患点开展全面排查和搬迁避让",
         "在集镇主要路口增设信号灯",
         "加强农村电信诈骗防范宣传", "配齐村级防汛物资"),
    ),
    "culture": (
        ("关于丰富{town}群众文化生活的建议", "关于加强{town}传统村落和非遗保护的建议",
         "关于完善{town}全民健身设施的建议"),
        ("{town}村级文化活动场所利用率不高，部分健身器材损坏后无人维修。",
         "{town}民间汉调二黄、花鼓戏等传统文艺后继乏人，传统村落保护压力较大。"),
        ("在人口集中的村组建设文化广场和健身场地", "定期组织送戏下乡和文艺汇演",
         "对损坏的健身器材及时维修更换",
         "扶持民间文艺队伍，培养非遗传承人"),
    ),
}  # fmt: skip

_ORDINALS = ("一是", "二是", "三是", "四是")

DECLINE_REASONS = (
    "所提事项属于个人诉求，不属于代表建议范围，已告知通过信访渠道反映。",
    "所提事项已进入司法程序，不宜作为代表建议办理。",
    "所提事项属于村民自治范围，已转村委会研究办理，不作为代表建议立案。",
    "内容为单纯反映情况，没有具体意见和建议，经与代表沟通，不予立案。",
)
RETURN_REASONS = (
    "建议内容过于笼统，请补充具体地点、涉及户数和具体建议后重新提交。",
    "一件建议包含多个不相关事项，请按“一事一议”分开提出。",
    "请补充问题的基本情况和可行的建议措施。",
)
EXTENSION_REASONS = (
    "该建议涉及跨部门协调和项目资金申报，情况复杂，三个月内难以办结，经批准延期办理并已向代表说明。",
)
SEND_BACK_REASONS = (
    "所提事项不属于本单位职责范围，请重新交办。",
    "经核实该事项由县级主管部门负责，本单位无权处理，申请退回重新交办。",
)
RESUBMIT_NOTES = ("已按要求补充具体情况后重新提交。",)


def session_label(county: str, town: str, year: int) -> str:
    """The session a suggestion belongs to: the town congress's yearly session (第十八届…第五次会议 in
    2026; a new term, the 19th, from the 2026 elections)."""
    if year <= 2026:
        term, n = 18, 5 - (2026 - year)
    else:
        term, n = 19, year - 2026 + 1
    return f"{county}{town}第{cn_number(term)}届人民代表大会第{cn_number(max(1, n))}次会议"


def suggestion_text(rng: random.Random, topic: str, town: str, village: str) -> tuple[str, str]:
    """(title, content) of a deputy's suggestion: one village's matter with proposals, or a township one."""
    titles, situations, proposals = TOWN_WIDE[topic]
    picked = rng.sample(proposals, rng.randint(2, min(3, len(proposals))))
    asks = "；".join(f"{o}{p}" for o, p in zip(_ORDINALS, picked, strict=False)) + "。"
    if rng.random() < VILLAGE_SHARE:
        raw_title, raw = opinion_text(rng, topic, village)
        title = as_suggestion_title(raw_title)
        content = f"{raw}\n\n{rng.choice(('为此建议：', '具体建议如下：', '建议：'))}{asks}"
        return title[:100], content[:6000]
    n = str(rng.randint(12, 60))
    title = rng.choice(titles).format(town=town)
    situation = rng.choice(situations).format(town=town, n=n)
    content = f"{situation}{rng.choice(('群众反映强烈。', '影响群众生产生活。', ''))}\n\n为此建议：{asks}"
    return title[:100], content[:6000]


def as_suggestion_title(title: str) -> str:
    """A voter's title (月河村通组路坑洼难行，盼早日整修) as a deputy's: 关于…问题的建议."""
    core = title.split("关于", 1)[1] if "关于" in title else title
    for suffix in ("的建议", "的反映", "的诉求"):
        core = core.removesuffix(suffix)
    asked = core.startswith("请求") or "关于" in title or "需" in core
    core = core.removeprefix("请求为").removeprefix("请求")
    if "，" in core:
        core, asked = core.split("，", 1)[0], False
    return f"关于{core}{'' if asked else '问题'}的建议"


def merged_text(rng: random.Random, content: str) -> str:
    """A second deputy's suggestion of the same matter, in other words."""
    return rng.choice(("本人在走访中也了解到：", "同样的问题：", "")) + content


def consult_note(rng: random.Random, method: str, deputy: str, unit: str) -> str:
    if method == "none":
        return rng.choice(
            ("代表外出务工期间多次联系未果，已书面告知办理情况。", "代表表示无需面商，以书面答复为准。")
        )
    how = {
        "meeting": "召开座谈会",
        "visit": "登门走访",
        "phone": "电话沟通",
        "other": "通过微信",
    }[method]
    return (
        f"{unit}负责同志{how}，与{deputy}代表就建议办理思路进行面商，介绍了"
        + rng.choice(("现场勘查情况和初步方案", "资金安排和实施计划", "相关政策规定和办理难点"))
        + "，"
        + rng.choice(
            ("代表表示认可。", "代表对办理方案表示理解，希望加快进度。", "代表提出了补充意见，已吸收。")
        )
    )


def reply_parts(
    rng: random.Random,
    *,
    topic: str,
    category: str,
    title: str,
    number: str,
    deputy: str,
    unit: str,
    day: date,
    planned_by: date | None,
    again: bool = False,
) -> dict[str, str]:
    """done_text, planned_text, not_adopted_text and reply_text of a reply of the category."""
    done = reply_text(rng, topic)
    planned = not_adopted = ""
    if category == "A":
        done = done if "已" in done else "已组织实施，" + done
    elif category == "B":
        done = rng.choice(
            ("已完成现场勘查和方案设计。", "已完成项目立项，正在进行招标前期工作。", "已落实部分资金。")
        )
        planned = (
            rng.choice(("已列入", "已纳入", "拟列入"))
            + f"{planned_by.year}年度"
            + rng.choice(("项目计划", "民生实事计划", "重点工作计划"))
            + f"，计划于{planned_by.year}年{planned_by.month}月底前完成。"
        )
    elif category == "C":
        done = rng.choice(("已组织人员实地调查核实。", "已向代表详细说明有关情况。"))
        not_adopted = rng.choice(
            (
                "该项目投资较大，目前县镇财力有限，暂时无法安排实施，待争取到上级项目资金后优先考虑。",
                "该事项受国土空间规划和生态保护红线限制，目前不具备实施条件。",
                "该事项涉及上级政策调整，县镇两级无权决定，已向上级主管部门反映。",
            )
        )
        planned = rng.choice(("", "将积极向上争取项目，条件具备后优先安排。"))
    else:
        done = "已组织研究。"
        not_adopted = rng.choice(
            (
                "该建议对我单位改进工作很有参考价值，但目前尚不具备实施条件，留作今后工作参考。",
                "所提建议涉及面广，需在新一轮规划编制中统筹研究，留作参考。",
            )
        )
    head = (
        f"{deputy}代表：\n\n　　您{'（们）' if rng.random() < 0.5 else ''}提出的《{title}》（{number}）收悉。"
    )
    if again:
        head += "根据您的反馈意见，我单位对该建议重新进行了办理。"
    body = f"现答复如下：\n\n　　一、办理情况。{done}"
    if planned:
        body += f"\n\n　　二、下一步计划。{planned}"
    if not_adopted:
        body += f"\n\n　　{'三' if planned else '二'}、有关说明。{not_adopted}"
    tail = f"\n\n　　感谢您对我们工作的关心和支持。\n\n{unit}\n{day.year}年{day.month}月{day.day}日"
    return {
        "done_text": done,
        "planned_text": planned,
        "not_adopted_text": not_adopted,
        "reply_text": head + body + tail,
    }


def solved_text(rng: random.Random, day: date) -> str:
    return (
        f"关于该建议的落实情况：答复中所列事项已于{day.year}年{day.month}月{day.day}日全部完成，"
        + rng.choice(("经代表现场查看，群众反映良好。", "已通过验收并投入使用。", "已向代表通报落实情况。"))
    )


def cohandling_input(rng: random.Random, unit: str) -> str:
    return unit + rng.choice(
        (
            "已按职责提出协办意见：同意主办单位的办理方案，我单位负责做好项目审批和技术指导。",
            "协办意见：该事项涉及我单位的部分已核实，将配合主办单位争取项目资金。",
            "已派员参加现场勘查，提出了具体实施建议，并承诺在资金和政策上给予支持。",
        )
    )


def supervision_note(rng: random.Random, member: str, unit: str) -> str:
    return (
        f"主席团成员{member}"
        + rng.choice(("带领部分代表", "会同镇人大办", ""))
        + rng.choice(("深入现场督办，", "听取办理情况汇报，", "到实施现场查看进度，"))
        + f"{unit}汇报了办理进展。"
        + rng.choice(
            (
                "要求加快进度，确保按期办结。",
                "督办组对办理工作表示肯定，同时要求做好与代表的沟通。",
                "针对资金缺口问题，要求主办单位积极向上争取。",
            )
        )
    )


def feedback_comment(rng: random.Random, result: str) -> str:
    if result == "dissatisfied":
        return rng.choice(
            (
                "答复只说列入计划，没有具体时间，群众不满意。",
                "实地查看问题仍未解决，要求重新办理。",
                "答复没有针对所提建议，避重就轻。",
            )
        )
    if result == "basic":
        return rng.choice(("", "", "希望加快落实进度。", "建议办理过程中多听取群众意见。"))
    return rng.choice(("", "", "", "办理及时，群众满意。", "感谢承办单位的认真办理。"))


MOTIONS = {
    "presidium": (
        "关于实施月河沿岸人居环境综合整治工程的议案",
        "为改善集镇月河沿岸人居环境，主席团提请本次大会审议实施月河沿岸人居环境综合整治工程，"
        "内容包括沿河步道建设、污水管网改造和垃圾收集点整治，由镇人民政府组织实施，"
        "镇人大主席团负责监督，执行情况向下次大会报告。",
    ),
    "agenda": (
        "关于将集镇停车难问题列入本年度民生实事项目的议案",
        "集镇车辆乱停乱放问题长期存在，群众意见较大。领衔代表和联名代表建议将集镇停车场建设列入本年度"
        "民生实事项目，由镇人民政府制定实施方案并落实资金，年底前建成投用。",
    ),
    "to_suggestion": (
        "关于加快建设富硒茶产业园的议案",
        "我镇富硒茶产业基础较好，但加工能力弱、品牌不响。建议规划建设富硒茶产业园，整合加工企业，"
        "打造区域公用品牌，带动茶农增收。",
    ),
}
MOTION_TO_SUGGESTION_REASON = (
    "所提事项需县级统筹规划和资金支持，不属于本级人民代表大会职权范围，转为代表建议办理"
)
MOTION_AGENDA_REASON = "经主席团会议审议，列入大会议程"


def doc_prefix(unit: str, town: str, county: str) -> str:
    """A unit's prefix for reply letters: 城政函 (城关镇人民政府), 汉交函 (县交通运输局 of 汉阴县)."""
    if unit.startswith(town):
        rest = unit[len(town) :]
        return town[0] + ("政" if rest.startswith("人民政府") else rest[:1]) + "函"
    if unit.startswith("县"):
        return county[:1] + unit[1:2] + "函"
    return unit[:2] + "函"

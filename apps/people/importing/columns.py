"""The column spec per kind (`common.importing.Column`): the header people see, whether it is required, how
a cell is read. The importers and the template are both built from it, so they cannot drift."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from apps.common.importing import Column
from apps.common.importing import norm_header as _norm_header  # noqa: F401

from ..models import DeputyLevel, Gender
from .cells import (
    a_date,
    any_phone,
    choice,
    count,
    id_number,
    mobile,
    person_name,
    term_number,
    text,
    yes_no,
)
from .results import DEPUTIES, HOUSEHOLDS

DEPUTY_LEVELS = {"县人大代表": DeputyLevel.COUNTY, "镇人大代表": DeputyLevel.TOWN}

DEPUTY_COLUMNS = [
    Column("姓名", "name", person_name, True, _("代表姓名"), "示例：张三"),
    Column("性别", "gender", choice({"男": Gender.MALE, "女": Gender.FEMALE}), True, _("男 或 女"), "男"),
    Column("民族", "ethnicity", text(20), help=_("如 汉族；不填按汉族登记"), example="汉族"),
    Column(
        "出生日期",
        "birth_date",
        a_date,
        help=_("日期格式 YYYY-MM-DD；填了身份证号可不填"),
        example=date(1975, 3, 8),
        number_format="yyyy-mm-dd",
    ),
    Column("政治面貌", "party", text(30), help=_("如 中共党员、群众"), example="中共党员"),
    Column("职业", "occupation", text(100), example="农民"),
    Column("工作单位及职务", "workplace", text(200), example="月河村党支部书记"),
    Column("手机号码", "phone", mobile, help=_("11位手机号码"), example="13900001111"),
    Column(
        "身份证号",
        "id_number",
        id_number,
        help=_("18位，末位可为X；请保持“文本”格式。填写后按身份证号识别同一代表"),
        example="",
    ),
    Column("住址", "address", text(200), example="月河村三组"),
    Column("所在村/社区", "village", text(64), True, _("导入区划内的村或社区，填名称或区划代码"), "月河村"),
    Column("代表层级", "level", choice(DEPUTY_LEVELS), True, _("县人大代表 或 镇人大代表"), "镇人大代表"),
    Column("届次", "term", term_number, True, _("如 18 或 第十八届"), 18),
    Column(
        "任期开始",
        "term_start",
        a_date,
        help=_("不填则按本届：自2021年换届起每五年一届"),
        number_format="yyyy-mm-dd",
    ),
    Column(
        "任期结束", "term_end", a_date, help=_("不填则为任期开始后满五年的前一天"), number_format="yyyy-mm-dd"
    ),
    Column("选区", "district", text(100), example="第三选区"),
    Column("联络站", "station", text(100), help=_("导入区划内已建的联络站名称，可不填"), example=""),
    Column(
        "代表小组",
        "groups",
        text(300),
        help=_("导入区划内已建的代表小组名称，多个用顿号分隔；只增加，不移出原有小组"),
        example="",
    ),
]

HOUSEHOLD_COLUMNS = [
    Column("户主", "head_name", person_name, True, _("户主姓名"), "示例：王五"),
    Column(
        "所在村/网格",
        "place",
        text(64),
        True,
        _("导入区划内的村、社区或网格，填名称或区划代码；网格重名时请填代码"),
        "月河村",
    ),
    Column("住址", "address", text(200), help=_("同村同名户主以住址区分"), example="一组12号"),
    Column("联系电话", "phone", any_phone, help=_("手机或带区号的固定电话"), example="13800002222"),
    Column("家庭人口", "member_count", count(1, 99), help=_("不填按1人"), example=4),
    Column("选民人数", "voter_count", count(0, 99), help=_("不超过家庭人口；不填按1人"), example=3),
    Column(
        "联系代表",
        "contact",
        text(60),
        help=_("本镇（街道）代表姓名；同名时在姓名后加手机号后四位，如 张三1234"),
        example="张三",
    ),
    Column("是否困难户", "is_poor", yes_no, help=_("是 或 否；不填按否"), example="否"),
    Column(
        "结对代表", "paired", text(60), help=_("结对帮扶的代表，只有困难户可填，写法同联系代表"), example=""
    ),
]

COLUMNS = {DEPUTIES: DEPUTY_COLUMNS, HOUSEHOLDS: HOUSEHOLD_COLUMNS}

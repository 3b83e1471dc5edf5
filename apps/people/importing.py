"""Excel import of deputies and households (导入代表 / 导入选民户).

One mechanism serves both kinds:
- a column spec per kind gives the header people see, whether the column is required, and how a cell is
  read; the downloadable template is built from the same spec, so template and importer cannot drift;
- every row is read and checked before anything is written, and every bad cell is reported with its Excel
  row number, column and reason: a file with any bad row writes nothing (`ImportRowsInvalid`);
- every row has a stable `import_key`, so importing the same file again finds the same records and changes
  nothing, and a corrected file updates only the fields that differ.
Empty cells never erase what is stored: an import fills in and corrects, it does not delete.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from apps.accounts import permissions as perms
from apps.accounts.scopes import is_admin, office_regions
from apps.audit.services import record
from apps.common.errors import ValidationFailed
from apps.places.models import Region, RegionLevel, Station

from .models import DEPUTY_PERSONAL_FIELDS, Deputy, DeputyGroup, DeputyLevel, Gender, Household, Mandate
from .rules import validate_id_number, validate_phone

DEPUTIES, HOUSEHOLDS = "deputies", "households"
KINDS = {DEPUTIES: _("人大代表"), HOUSEHOLDS: _("选民户")}
# The template's example row starts its name with this, and such rows are skipped, so a filled template
# that still carries the example imports cleanly.
EXAMPLE_PREFIX = "示例"
AUDIT_DETAIL_LIMIT = 500  # per-row details kept in the audit event; the counts are always complete


# --- Results and errors ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


class ImportRowsInvalid(ValidationFailed):
    """Some rows are bad; nothing was imported. Carries every bad cell, not just the first."""

    code = "import_rows_invalid"

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda e: e.row)
        self.bad_rows = len({e.row for e in errors})
        message = _("文件有 %(n)d 行错误，未导入任何数据。请修改后重新上传。") % {"n": self.bad_rows}
        super().__init__(message, fields={"file": [message]})

    def as_dict(self) -> dict:
        return {**super().as_dict(), "rows": [e.as_dict() for e in self.errors]}


@dataclass
class ImportResult:
    kind: str
    region: str  # the target region's code
    file_sha256: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "region": self.region,
            "file_sha256": self.file_sha256,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def _file_error(code: str, message) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={"file": [message]})


# --- Reading cells --------------------------------------------------------------------------------


class CellError(Exception):
    """A cell that cannot be read; the message tells the person what to write instead."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value) -> str:
    # Excel stores typed digits (phones, counts) as numbers; 13900001111.0 must read back as "13900001111".
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return re.sub(r"\s+", " ", str(value)).strip()


def text(max_length: int) -> Callable:
    def parse(value) -> str:
        s = _as_text(value)
        if len(s) > max_length:
            raise CellError(_("不能超过%(n)d个字") % {"n": max_length})
        return s

    return parse


def person_name(value) -> str:
    # Registers pad two-character names with spaces ("张　三"); the person is the same.
    s = re.sub(r"\s+", "", _as_text(value))
    if len(s) > 50:
        raise CellError(_("不能超过50个字"))
    if re.search(r"\d", s):
        raise CellError(_("姓名中不应有数字"))
    return s


def choice(mapping: dict[str, str]) -> Callable:
    def parse(value) -> str:
        s = _as_text(value)
        if s not in mapping:
            raise CellError(_("应填写：%(options)s") % {"options": "、".join(mapping)})
        return mapping[s]

    return parse


def yes_no(value) -> bool:
    return choice({"是": True, "否": False})(value)


def mobile(value) -> str:
    s = re.sub(r"[\s-]", "", _as_text(value))
    message = validate_phone(s)
    if message:
        raise CellError(message)
    return s


_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def any_phone(value) -> str:
    """A mobile number, or a landline with its area code (households often have only that)."""
    s = re.sub(r"\s", "", _as_text(value))
    if validate_phone(s) is None or _LANDLINE.match(s):
        return s
    raise CellError(_("应为11位手机号码，或带区号的固定电话（如 0915-5212345）"))


def id_number(value) -> str:
    if isinstance(value, float | int):
        # 18 digits do not fit in Excel's numbers: the last digits are already lost.
        raise CellError(_("请把身份证号列设为“文本”格式后重新填写，数字格式会丢失末位"))
    s = _as_text(value).upper()
    message = validate_id_number(s)
    if message:
        raise CellError(message)
    return s


_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def a_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        if isinstance(value, int | float):
            if 19000101 <= value <= 21001231:  # typed as 19750308
                s = str(int(value))
                return date(int(s[:4]), int(s[4:6]), int(s[6:]))
            return from_excel(value).date()  # a date serial in a cell without a date format
        m = _DATE_TEXT.match(_as_text(value))
        if m:
            return date(*(int(g) for g in m.groups()))
    except (ValueError, OverflowError, TypeError):
        pass
    raise CellError(_("日期应写成 YYYY-MM-DD，如 1975-03-08"))


def count(low: int, high: int) -> Callable:
    def parse(value) -> int:
        s = _as_text(value)
        if not s.isdigit() or not low <= int(s) <= high:
            raise CellError(_("应为%(low)d到%(high)d之间的整数") % {"low": low, "high": high})
        return int(s)

    return parse


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(s: str) -> int | None:
    """十八 → 18, 二十一 → 21: enough for a congress's term numbers."""
    if not s or any(c not in _CN_DIGITS and c != "十" for c in s):
        return None
    if "十" not in s:
        return _CN_DIGITS[s] if len(s) == 1 else None
    tens, _sep, ones = s.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def term_number(value) -> int:
    s = _as_text(value).removeprefix("第").removesuffix("届")
    n = int(s) if s.isdigit() else _cn_number(s)
    if not n or not 1 <= n <= 99:
        raise CellError(_("应为届次数字，如 18 或 第十八届"))
    return n


# --- Column specs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    # Headers are a file format, not interface text: the same in every interface language, so a template
    # downloaded in English imports like one downloaded in Chinese.
    header: str
    key: str
    parse: Callable
    required: bool = False
    help: str = ""
    example: object = ""
    number_format: str = "@"  # Excel's "text", so long digit strings keep every digit


def _norm_header(value) -> str:
    return re.sub(r"[\s*＊]", "", _as_text(value)) if not _blank(value) else ""


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
        help=_("本镇代表姓名；同名时在姓名后加手机号后四位，如 张三1234"),
        example="张三",
    ),
    Column("是否困难户", "is_poor", yes_no, help=_("是 或 否；不填按否"), example="否"),
    Column(
        "结对代表", "paired", text(60), help=_("结对帮扶的代表，只有困难户可填，写法同联系代表"), example=""
    ),
]


# --- Where one may import -------------------------------------------------------------------------


def regions_for_import(user) -> list[Region]:
    """The counties and towns the user may import into: a county office's county and its towns, a town
    office's town; admins anywhere. The same rule as `covers_region`, listed for a form."""
    levels = [RegionLevel.COUNTY, RegionLevel.TOWN]
    if is_admin(user):
        q = Q()
    else:
        q = Q(pk__in=[])
        for region in office_regions(user):
            if region.level == RegionLevel.TOWN:
                q |= Q(pk=region.pk)
            elif region.level == RegionLevel.COUNTY:
                q |= Q(county=region)
            else:
                q |= Q(path__startswith=region.path)
    return list(Region.objects.filter(q, level__in=levels).order_by("path"))


def _within(region: Region, prefix: str = "") -> Q:
    """Rows of a model with denormalised county/town columns that lie in `region` (a county or town)."""
    column = "county" if region.level == RegionLevel.COUNTY else "town"
    return Q(**{f"{prefix}{column}": region.pk})


def _check_target(actor, region: Region):
    # Only offices whose grant covers the region (and admins) pass; anyone else is refused and logged.
    perms.require_in(actor, perms.PEOPLE_IMPORT, region)
    if region.level not in (RegionLevel.COUNTY, RegionLevel.TOWN):
        message = _("请选择导入到哪个镇（街道）或县")
        raise ValidationFailed(message, code="import_bad_region", fields={"region": [message]})


# --- Reading the file -----------------------------------------------------------------------------


def _read_upload(fileobj) -> bytes:
    limit = settings.RENDA["IMPORT_MAX_BYTES"]
    data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise _file_error(
            "import_too_large", _("文件太大，不能超过 %(mb)s MB，请分批导入") % {"mb": limit // 2**20}
        )
    return data


def _bad_file() -> ValidationFailed:
    return _file_error(
        "import_bad_file",
        _("无法读取该文件：请上传 Excel 的 .xlsx 文件（旧版 .xls 或 .csv 请先在 Excel 中“另存为” .xlsx）"),
    )


def _sheet_rows(data: bytes) -> list[tuple[int, tuple]]:
    """(Excel row number, cell values) of every non-empty row of the first sheet, header included."""
    limit, max_rows = settings.RENDA["IMPORT_MAX_BYTES"], settings.RENDA["IMPORT_MAX_ROWS"]
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _bad_file()
    rows = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # A small .xlsx can unpack to gigabytes; refuse before openpyxl starts unpacking.
            if sum(info.file_size for info in archive.infolist()) > 20 * limit:
                raise _file_error("import_too_large", _("文件解压后过大，请分批导入"))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                if all(_blank(v) for v in values):
                    continue
                rows.append((number, values))
                if len(rows) > max_rows + 1:
                    raise _file_error(
                        "import_too_many_rows", _("文件超过 %(n)d 行数据，请分批导入") % {"n": max_rows}
                    )
        finally:
            workbook.close()
    except ValidationFailed:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken file; all mean "not a usable .xlsx"
        raise _bad_file() from exc
    if len(rows) < 2:
        raise _file_error("import_empty", _("文件中没有数据行：请在表头下方逐行填写"))
    return rows


# --- The mechanism shared by both kinds -----------------------------------------------------------


def _in_chunks(qs, lookup: str, values, size: int = 2000) -> list:
    """`qs.filter(<lookup>__in=values)`, a few thousand values per query: SQLite refuses a statement with more
    than 32766 parameters, and a file may have 20000 rows."""
    values = list(values)
    return [
        obj
        for i in range(0, len(values), size)
        for obj in qs.filter(**{f"{lookup}__in": values[i : i + size]})
    ]


def _key(*parts) -> str:
    return hashlib.sha256("\n".join(str(p or "") for p in parts).encode()).hexdigest()


@dataclass
class Row:
    number: int
    values: dict
    key: str = ""
    found: object = None  # the existing record this row updates, if any
    extra: dict = field(default_factory=dict)
    bad: set = field(default_factory=set)  # keys of cells that could not be read


class _Importer(ABC):
    kind: str
    columns: list[Column]
    name_key: str  # the column whose text marks the template's example row

    def __init__(self, *, actor, region: Region):
        self.actor, self.region = actor, region
        self.errors: list[RowError] = []
        self.details: list[dict] = []

    def error(self, row: int, column: str, message):
        self.errors.append(RowError(row, column, message))

    def header(self, key: str) -> str:
        return next(c.header for c in self.columns if c.key == key)

    def raise_if_errors(self):
        if self.errors:
            raise ImportRowsInvalid(self.errors)

    def read_header(self, number: int, values: tuple) -> dict[int, Column]:
        by_header = {c.header: c for c in self.columns}
        mapping, seen = {}, set()
        for index, value in enumerate(values):
            header = _norm_header(value)
            if not header:
                continue
            if header in seen:
                self.error(number, header, _("列名重复"))
            elif header not in by_header:
                self.error(number, header, _("无法识别的列名，请使用模板中的列名"))
            else:
                mapping[index] = by_header[header]
            seen.add(header)
        for column in self.columns:
            if column.required and column.header not in seen:
                self.error(number, column.header, _("缺少必填列"))
        self.raise_if_errors()  # without the right columns, checking rows would only repeat this
        return mapping

    def read_row(self, number: int, values: tuple, mapping: dict[int, Column]) -> Row | None:
        cells = {
            col.key: values[i] for i, col in mapping.items() if i < len(values) and not _blank(values[i])
        }
        if _as_text(cells.get(self.name_key, "")).startswith(EXAMPLE_PREFIX):
            return None
        parsed, bad = {}, set()
        for column in mapping.values():
            if column.key not in cells:
                continue
            try:
                parsed[column.key] = column.parse(cells[column.key])
            except CellError as exc:
                self.error(number, column.header, exc.message)
                bad.add(column.key)
        for column in self.columns:
            if column.required and column.key not in cells:
                self.error(number, column.header, _("必填，不能为空"))
                bad.add(column.key)
        return Row(number, parsed, bad=bad)

    # Each kind fills in these four.
    @abstractmethod
    def load(self):
        """Fetch what rows refer to (places, stations, deputies), one query each."""

    @abstractmethod
    def check(self, row: Row) -> bool:
        """Resolve references and cross-field rules; record errors and say whether the row is good.
        Runs on rows with unreadable cells too (skipping what depends on them), so a person sees every
        problem of a row at once."""

    @abstractmethod
    def match(self, rows: list[Row]):
        """Find the record each row updates (`row.found`), and flag rows that are the same record."""

    @abstractmethod
    def write(self, row: Row) -> str:
        """Create or update; "created", "updated" or "unchanged"."""

    def run(self, sheet: list[tuple[int, tuple]], result: ImportResult) -> ImportResult:
        self.load()
        mapping = self.read_header(*sheet[0])
        rows = [row for number, values in sheet[1:] if (row := self.read_row(number, values, mapping))]
        if not rows:
            raise _file_error("import_empty", _("文件中只有示例行，没有要导入的数据"))
        # check() runs on every row and match() on the rows that passed, so one upload reports every error.
        rows = [row for row in rows if self.check(row) and not row.bad]
        if rows:
            self.match(rows)
        self.raise_if_errors()
        for row in rows:
            outcome = self.write(row)
            setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def note(self, row: Row, obj, outcome: str, fields=()):
        if outcome != "unchanged" and len(self.details) < AUDIT_DETAIL_LIMIT:
            self.details.append({"row": row.number, "id": obj.pk, outcome: sorted(fields)})


class _Places:
    """Regions found by official code, or by name when the name is unique among the candidates."""

    def __init__(self, regions):
        self.by_code, self.by_name = {}, {}
        for region in regions:
            self.by_code[region.code] = region
            self.by_name.setdefault(region.name, []).append(region)

    def find(self, value: str) -> tuple[Region | None, str]:
        if value in self.by_code:
            return self.by_code[value], ""
        found = self.by_name.get(value, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, _("有%(n)d处同名，请填写区划代码") % {"n": len(found)}
        return None, _("在所选区划内找不到“%(name)s”") % {"name": value}


def _default_term(today: date) -> tuple[date, date]:
    """The five-year term in progress on `today`.

    Local congresses sit for five years (宪法 §98); county and township congresses were elected together
    across the country in 2021, so terms are counted from 2021-10-01. Real dates differ by some weeks between
    places: the 任期开始/任期结束 columns override this default.
    """
    years = today.year - 2021 - (1 if (today.month, today.day) < (10, 1) else 0)
    start_year = 2021 + 5 * (years // 5)
    return date(start_year, 10, 1), date(start_year + 5, 9, 30)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- Deputies -------------------------------------------------------------------------------------

DEPUTY_FIELDS = [*DEPUTY_PERSONAL_FIELDS, "id_number"]
_LEVEL_RANK = {level: rank for rank, level in enumerate(DeputyLevel.values)}  # highest level first


def _split_names(value: str) -> list[str]:
    return [n for n in re.split(r"[、,，;；/\s]+", value) if n]


class DeputyImporter(_Importer):
    kind = DEPUTIES
    columns = DEPUTY_COLUMNS
    name_key = "name"

    def load(self):
        villages = Region.objects.filter(_within(self.region), level=RegionLevel.VILLAGE)
        self.villages = _Places(villages.select_related("county", "town"))
        self.stations, self.groups = {}, {}
        for station in Station.objects.filter(_within(self.region)):
            self.stations.setdefault(station.name, []).append(station)
        for group in DeputyGroup.objects.filter(_within(self.region)):
            self.groups.setdefault(group.name, []).append(group)
        self.today = timezone.localdate()

    def check(self, row: Row) -> bool:
        v, n, before = row.values, row.number, len(self.errors)
        village, message = self.villages.find(v["village"]) if "village" in v else (None, "")
        if message:
            self.error(n, self.header("village"), message)
        if v.get("id_number"):
            self._check_against_id(row)
        self._check_mandate(row, village)
        self._check_station_and_groups(row, village)
        if len(self.errors) > before or row.bad:
            return False
        row.extra["village"] = village
        alt = _key("deputy", v["name"], v.get("birth_date"), village.code)
        row.key = _key("deputy-id", v["id_number"]) if v.get("id_number") else alt
        row.extra["alt_key"] = alt
        return True

    def _check_station_and_groups(self, row: Row, village: Region | None):
        # Only the deputy's own town's (or the county's) station and groups, as people.services requires;
        # that also tells apart same-named stations of two towns in a county-wide file.
        def near(objs):
            return [o for o in objs if village is None or o.town_id in (None, village.town_id)]

        v, n = row.values, row.number
        if v.get("station"):
            found = near(self.stations.get(v["station"], []))
            if len(found) == 1:
                row.extra["station"] = found[0]
            else:
                self.error(n, self.header("station"), _("代表所在镇找不到该联络站，或有同名联络站"))
        if v.get("groups"):
            names = _split_names(v["groups"])
            found = {name: near(self.groups.get(name, [])) for name in names}
            missing = [name for name in names if len(found[name]) != 1]
            if missing:
                message = _("代表所在镇找不到这些代表小组（或有重名）：%(names)s")
                self.error(n, self.header("groups"), message % {"names": "、".join(missing)})
            row.extra["groups"] = [found[name][0] for name in names if name not in missing]

    def _check_against_id(self, row: Row):
        # The ID number encodes birth date (digits 7-14) and sex (digit 17: odd is male), GB 11643.
        v, n, number = row.values, row.number, row.values["id_number"]
        try:
            born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            self.error(n, self.header("id_number"), _("身份证号中的出生日期无效"))
            return
        sex = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
        if v.get("birth_date") and v["birth_date"] != born:
            self.error(n, self.header("birth_date"), _("与身份证号中的出生日期不一致"))
        v.setdefault("birth_date", born)
        if v.get("gender", sex) != sex:
            self.error(n, self.header("gender"), _("与身份证号中的性别不一致"))

    def _check_mandate(self, row: Row, village: Region | None):
        v, n = row.values, row.number
        start, end = v.get("term_start"), v.get("term_end")
        if start is None and end is None:
            start, end = _default_term(self.today)
        elif end is None:
            end = _years_later(start, 5) - timezone.timedelta(days=1)
        elif start is None:
            start = _years_later(end, -5) + timezone.timedelta(days=1)
        if end <= start:
            self.error(n, self.header("term_end"), _("任期结束须晚于任期开始"))
        born = v.get("birth_date")
        if born and _years_later(born, 18) > start:
            # 宪法 §34: only citizens who have reached 18 may be elected.
            self.error(n, self.header("birth_date"), _("任期开始时未满18周岁，不能当选代表"))
        if born and not date(1900, 1, 1) <= born <= self.today:
            self.error(n, self.header("birth_date"), _("出生日期应在1900年到今天之间"))
        row.extra.update(term_start=start, term_end=end)
        if village is None or "level" not in v:
            return
        congress = village.county if v["level"] == DeputyLevel.COUNTY else village.town
        if congress is None or not perms.holds_in(self.actor, perms.PEOPLE_IMPORT, congress):
            self.error(
                n,
                self.header("level"),
                _("您无权登记%(level)s，请由县人大办导入") % {"level": DeputyLevel(v["level"]).label},
            )
        row.extra["congress"] = congress

    def match(self, rows: list[Row]):
        keys = {k for r in rows for k in (r.key, r.extra["alt_key"])}
        by_key = {
            d.import_key: d for d in _in_chunks(Deputy.objects.select_related("region"), "import_key", keys)
        }
        # Deputies entered by hand have no import key: recognise them by ID number, or name + birth + village.
        legacy = Deputy.objects.filter(_within(self.region), import_key="")
        by_id, by_person = {}, {}
        ids = {r.values["id_number"] for r in rows if r.values.get("id_number")}
        for d in _in_chunks(legacy, "id_number", ids) + _in_chunks(
            legacy, "name", {r.values["name"] for r in rows}
        ):
            if d.id_number:
                by_id.setdefault(d.id_number, d)
            by_person.setdefault((d.name, d.birth_date, d.region_id), d)
        seen: dict[object, int] = {}
        for r in rows:
            v = r.values
            r.found = (
                by_key.get(r.key)
                or by_key.get(r.extra["alt_key"])
                or by_id.get(v.get("id_number"))
                or by_person.get((v["name"], v.get("birth_date"), r.extra["village"].pk))
            )
            identity = r.found.pk if r.found else r.key
            if identity in seen or r.extra["alt_key"] in seen:
                self.error(
                    r.number,
                    self.header("name"),
                    _("与第%(row)d行是同一代表") % {"row": seen.get(identity) or seen[r.extra["alt_key"]]},
                )
            seen.setdefault(identity, r.number)
            seen.setdefault(r.extra["alt_key"], r.number)
            if r.found and not (r.found.county_id == self.region.pk or r.found.town_id == self.region.pk):
                self.error(
                    r.number,
                    self.header("name"),
                    _("该代表已登记在%(place)s，不在所选区划内") % {"place": r.found.region.full_name},
                )
        found_ids = {r.found.pk for r in rows if r.found}
        self.mandates: dict[int, list[Mandate]] = {}
        for m in _in_chunks(Mandate.objects.all(), "deputy_id", found_ids):
            self.mandates.setdefault(m.deputy_id, []).append(m)
        memberships = Deputy.groups.through.objects.values_list("deputy_id", "deputygroup_id")
        self.memberships: set[tuple[int, int]] = set(_in_chunks(memberships, "deputy_id", found_ids))

    def write(self, row: Row) -> str:
        v, deputy = row.values, row.found
        wanted = {f: v[f] for f in DEPUTY_FIELDS if f in v}
        wanted.update(region_id=row.extra["village"].pk, import_key=row.key)
        if "station" in row.extra:
            wanted["station_id"] = row.extra["station"].pk
        mandates = self.mandates.get(deputy.pk, []) if deputy else []
        # The highest level held; an import adds mandates and never removes one, so it never goes down.
        held = [v["level"], *(m.level for m in mandates), *([deputy.top_level] if deputy else [])]
        top = min(held, key=_LEVEL_RANK.__getitem__)
        wanted["top_level"] = top
        if deputy is None:
            deputy = Deputy(**wanted)
            deputy.region = row.extra["village"]
            deputy.save()
            changed = ["created"]
        else:
            changed = [f for f, value in wanted.items() if getattr(deputy, f) != value]
            if changed:
                for f in changed:
                    setattr(deputy, f, wanted[f])
                deputy.region = row.extra["village"]
                deputy.save()
        changed += self._write_mandate(row, deputy, mandates)
        missing = [g for g in row.extra.get("groups", []) if (deputy.pk, g.pk) not in self.memberships]
        if missing:
            deputy.groups.add(*missing)
            self.memberships.update((deputy.pk, g.pk) for g in missing)
            changed.append("groups")
        outcome = "created" if row.found is None else ("updated" if changed else "unchanged")
        self.note(row, deputy, outcome, [f for f in changed if f != "created"])
        return outcome

    def _write_mandate(self, row: Row, deputy: Deputy, mandates: list[Mandate]) -> list[str]:
        v, congress = row.values, row.extra["congress"]
        mandate = next(
            (
                m
                for m in mandates
                if (m.level, m.term, m.congress_region_id) == (v["level"], v["term"], congress.pk)
            ),
            None,
        )
        if mandate is None:
            mandate = Mandate.objects.create(
                deputy=deputy,
                level=v["level"],
                congress_region=congress,
                term=v["term"],
                term_start=row.extra["term_start"],
                term_end=row.extra["term_end"],
                district=v.get("district", ""),
            )
            self.mandates.setdefault(deputy.pk, []).append(mandate)
            return ["mandate"]
        # Only dates the file states replace stored ones; the computed default never overwrites real dates.
        wanted = {}
        if "term_start" in v or "term_end" in v:  # both, so the stored pair stays in order
            wanted.update(term_start=row.extra["term_start"], term_end=row.extra["term_end"])
        if "district" in v:
            wanted["district"] = v["district"]
        changed = [f for f, value in wanted.items() if getattr(mandate, f) != value]
        if changed:
            for f in changed:
                setattr(mandate, f, wanted[f])
            mandate.save(update_fields=changed)
        return [f"mandate.{f}" for f in changed]


# --- Households -----------------------------------------------------------------------------------

HOUSEHOLD_FIELDS = ["head_name", "address", "phone", "member_count", "voter_count", "is_poor"]
_DEPUTY_REF = re.compile(r"^(?P<name>.+?)[\s(（]*(?P<tail>\d{4})[)）]?$")


class HouseholdImporter(_Importer):
    kind = HOUSEHOLDS
    columns = HOUSEHOLD_COLUMNS
    name_key = "head_name"

    def load(self):
        self.places = _Places(
            Region.objects.filter(_within(self.region), level__in=[RegionLevel.VILLAGE, RegionLevel.GRID])
        )
        self.deputies: dict[tuple[int, str], list[Deputy]] = {}
        for d in Deputy.objects.filter(_within(self.region)).only(
            "id", "name", "phone", "town_id", "county_id"
        ):
            self.deputies.setdefault((d.town_id, d.name), []).append(d)

    def check(self, row: Row) -> bool:
        v, n, before = row.values, row.number, len(self.errors)
        place, message = self.places.find(v["place"]) if "place" in v else (None, "")
        if message:
            self.error(n, self.header("place"), message)
        for key in ("contact", "paired"):
            if v.get(key) and place is not None:
                deputy, message = self._find_deputy(v[key], place.town_id)
                if message:
                    self.error(n, self.header(key), message)
                row.extra[key] = deputy
        if len(self.errors) > before or row.bad:
            return False
        row.extra["place"] = place
        row.key = _key("household", v["head_name"], place.code, re.sub(r"\s", "", v.get("address", "")))
        return True

    def _find_deputy(self, text_: str, town_id) -> tuple[Deputy | None, str]:
        m = _DEPUTY_REF.match(text_)
        name, tail = (m["name"].strip(), m["tail"]) if m else (re.sub(r"\s", "", text_), "")
        found = self.deputies.get((town_id, name), [])
        if tail:
            found = [d for d in found if d.phone.endswith(tail)]
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, _("本镇找不到代表“%(name)s”") % {"name": text_}
        return None, _("本镇有%(n)d位代表叫“%(name)s”，请在姓名后加手机号后四位，如 %(name)s1234") % {
            "n": len(found),
            "name": name,
        }

    def match(self, rows: list[Row]):
        by_key = {
            h.import_key: h for h in _in_chunks(Household.objects.all(), "import_key", {r.key for r in rows})
        }
        # Households entered by hand have no import key: the same head, place and address is the same home.
        legacy = {}
        names = {r.values["head_name"] for r in rows}
        for h in _in_chunks(
            Household.objects.filter(_within(self.region), import_key=""), "head_name", names
        ):
            legacy.setdefault((h.head_name, h.region_id, re.sub(r"\s", "", h.address)), h)
        seen: dict[str, int] = {}
        for r in rows:
            if r.key in seen:
                self.error(
                    r.number,
                    self.header("head_name"),
                    _("与第%(row)d行是同一户（户主、所在村/网格、住址相同）") % {"row": seen[r.key]},
                )
            seen.setdefault(r.key, r.number)
            address = re.sub(r"\s", "", r.values.get("address", ""))
            r.found = by_key.get(r.key) or legacy.get((r.values["head_name"], r.extra["place"].pk, address))
            self._check_with_stored(r)

    def _check_with_stored(self, row: Row):
        """Rules between cells that may be left empty, judged with what is stored (or the defaults)."""
        v, stored = row.values, row.found
        members = v.get("member_count", stored.member_count if stored else 1)
        voters = v.get("voter_count", stored.voter_count if stored else 1)
        if voters > members:
            self.error(row.number, self.header("voter_count"), _("选民人数不能多于家庭人口"))
        poor = v.get("is_poor", stored.is_poor if stored else False)
        if v.get("paired") and not poor:
            self.error(row.number, self.header("paired"), _("只有困难户可以填写结对代表（是否困难户填“是”）"))

    def write(self, row: Row) -> str:
        v, household = row.values, row.found
        wanted = {f: v[f] for f in HOUSEHOLD_FIELDS if f in v}
        wanted.update(region_id=row.extra["place"].pk, import_key=row.key)
        if row.extra.get("contact"):
            wanted["contact_deputy_id"] = row.extra["contact"].pk
        if row.extra.get("paired"):
            wanted["paired_deputy_id"] = row.extra["paired"].pk
        if v.get("is_poor") is False:
            wanted["paired_deputy_id"] = None  # pairing is for poor households only (a database constraint)
        if household is None:
            household = Household(**wanted)
            household.region = row.extra["place"]
            household.save()
            self.note(row, household, "created")
            return "created"
        changed = [f for f, value in wanted.items() if getattr(household, f) != value]
        if not changed:
            return "unchanged"
        for f in changed:
            setattr(household, f, wanted[f])
        household.region = row.extra["place"]
        household.save()
        self.note(row, household, "updated", changed)
        return "updated"


# --- Entry points ---------------------------------------------------------------------------------

IMPORTERS: dict[str, type[_Importer]] = {DEPUTIES: DeputyImporter, HOUSEHOLDS: HouseholdImporter}


def import_file(*, kind: str, actor, region: Region, fileobj, dry_run: bool = False) -> ImportResult:
    """Import every row of an .xlsx into `region`, or nothing: raises `ImportRowsInvalid` listing each bad
    row. With `dry_run`, checks and counts without keeping any change."""
    if kind not in IMPORTERS:
        raise ValidationFailed(
            _("不支持导入该类数据"), code="import_bad_kind", fields={"kind": [_("不支持导入该类数据")]}
        )
    importer = IMPORTERS[kind](actor=actor, region=region)
    _check_target(actor, region)
    data = _read_upload(fileobj)
    sheet = _sheet_rows(data)
    result = ImportResult(
        kind=kind, region=region.code, file_sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run
    )
    with transaction.atomic():
        # Two imports into one region at once would both create the same new rows; take turns.
        Region.objects.select_for_update().filter(pk=region.pk).first()
        importer.run(sheet, result)
        if dry_run:
            transaction.set_rollback(True)
        else:
            # One event per import, also when nothing changed: who loaded which file stays on record.
            record(
                actor=actor,
                action=f"people.import.{kind}",
                obj=region,
                summary={
                    **result.as_dict(),
                    "file_name": getattr(fileobj, "name", "") or "",
                    "details": importer.details,
                },
            )
    return result


def import_deputies(*, actor, region: Region, fileobj, dry_run: bool = False) -> ImportResult:
    return import_file(kind=DEPUTIES, actor=actor, region=region, fileobj=fileobj, dry_run=dry_run)


def import_households(*, actor, region: Region, fileobj, dry_run: bool = False) -> ImportResult:
    return import_file(kind=HOUSEHOLDS, actor=actor, region=region, fileobj=fileobj, dry_run=dry_run)


# --- The template to download ---------------------------------------------------------------------

_GREY = Font(color="808080", italic=True)


def template_workbook(kind: str) -> Workbook:
    """The header row (required columns marked * in red), one grey example row, and a 说明 sheet."""
    columns = IMPORTERS[kind].columns
    wb = Workbook()
    ws = wb.active
    ws.title = str(KINDS[kind])
    ws.append([c.header + ("*" if c.required else "") for c in columns])
    ws.append([c.example if c.example != "" else None for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        head = ws.cell(row=1, column=index)
        head.font = Font(bold=True, color="B4232A" if column.required else None)
        head.fill = PatternFill("solid", fgColor="FAF1F0")
        ws.cell(row=2, column=index).font = _GREY
        ws.cell(row=2, column=index).number_format = column.number_format
        ws.column_dimensions[letter].width = max(10, len(column.header) * 2 + 4)
        ws.column_dimensions[letter].number_format = column.number_format
        options = {"gender": "男,女", "level": ",".join(DEPUTY_LEVELS), "is_poor": "是,否"}.get(column.key)
        if options:
            rule = DataValidation(
                type="list",
                formula1=f'"{options}"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=str(_("请从下拉列表中选择")),
                error=str(_("可填写：%(o)s") % {"o": options}),
            )
            rule.add(f"{letter}2:{letter}{settings.RENDA['IMPORT_MAX_ROWS'] + 1}")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"
    _notes_sheet(wb.create_sheet(str(_("说明"))), columns)
    return wb


def _notes_sheet(ws, columns: list[Column]):
    ws.append([str(_("列名")), str(_("必填")), str(_("填写说明")), str(_("示例"))])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for c in columns:
        example = c.example.isoformat() if isinstance(c.example, date) else c.example
        ws.append([c.header, str(_("是")) if c.required else "", str(c.help), example])
    ws.append([])
    notes = [
        _("第一行是表头，请勿修改列名；带 * 的列必填。"),
        _("第2行灰色为示例：姓名以“示例”开头的行不会导入，可直接覆盖或删除。"),
        _("任何一行有错误时整个文件都不导入，页面会列出每一行的错误原因；改正后重新上传即可。"),
        _("同一文件重复导入不会产生重复记录；已有记录只更新有变化的内容，空白单元格不会清除已有数据。"),
        _("每个文件最多 %(rows)d 行、%(mb)d MB。")
        % {"rows": settings.RENDA["IMPORT_MAX_ROWS"], "mb": settings.RENDA["IMPORT_MAX_BYTES"] // 2**20},
    ]
    for note in notes:
        ws.append([str(note)])
    for letter, width in zip("ABCD", (16, 8, 70, 20), strict=True):
        ws.column_dimensions[letter].width = width

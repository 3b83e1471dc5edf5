"""Excel import of deputies and households: every row checked, all or nothing, idempotent, scoped."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from apps.accounts.models import Role, RoleGrant, User
from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied
from apps.common.excel import XLSX_MIME
from apps.people import importing
from apps.people.importing import ImportRowsInvalid, import_deputies, import_households
from apps.people.models import Deputy, DeputyGroup, DeputyLevel, Household, Mandate
from apps.places.models import HandlingUnit, Region, Station

pytestmark = [pytest.mark.django_db, pytest.mark.urls("apps.people.tests.import_test_urls")]

DEPUTY_HEADERS = [c.header for c in importing.DEPUTY_COLUMNS]
HOUSEHOLD_HEADERS = [c.header for c in importing.HOUSEHOLD_COLUMNS]
API = "/api/v1/imports/"


# --- Fixtures and helpers -------------------------------------------------------------------------


def region(code, name, level, parent=None):
    r = Region(code=code, name=name, level=level, parent=parent, grid_level=1 if level == "grid" else None)
    r.save()
    return r


@pytest.fixture
def places():
    county = region("610921", "汉阴县", "county")
    town = region("610921100", "城关镇", "town", county)
    other = region("610921101", "涧池镇", "town", county)
    p = {
        "county": county,
        "town": town,
        "other": other,
        "yuehe": region("610921100201", "月河村", "village", town),
        "wuxing": region("610921100202", "五星村", "village", town),
        "other_village": region("610921101201", "高梁村", "village", other),
    }
    p["grid"] = region("610921100201001", "月河一网格", "grid", p["yuehe"])
    p["station"] = Station.objects.create(name="城关镇代表联络站", level="town", region=town)
    p["group"] = DeputyGroup.objects.create(name="第一代表小组", region=town)
    return p


def user_with(role, username, **scope):
    user = User.objects.create_user(username=username, password="pw-12345678")
    RoleGrant.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def town_office(places):
    return user_with(Role.TOWN_OFFICE, "town", region=places["town"])


@pytest.fixture
def county_office(places):
    return user_with(Role.COUNTY_OFFICE, "county", region=places["county"])


def xlsx(headers, rows, name="import.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers] if isinstance(row, dict) else row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=XLSX_MIME)


def deputy_row(**cells):
    row = {
        "姓名": "张三",
        "性别": "男",
        "出生日期": date(1975, 3, 8),
        "手机号码": "13900001111",
        "所在村/社区": "月河村",
        "代表层级": "镇人大代表",
        "届次": 18,
    }
    row.update(cells)
    return row


def good_deputies():
    return [
        deputy_row(联络站="城关镇代表联络站", 代表小组="第一代表小组", 选区="第三选区"),
        deputy_row(
            姓名="李四",
            性别="女",
            出生日期="1980-05-01",
            手机号码="13900002222",
            **{"所在村/社区": "610921100202"},
        ),
        deputy_row(
            姓名="王五",
            出生日期=None,
            身份证号="11010519491231002X",
            性别="女",
            手机号码="13700003333",
            届次="第十八届",
            任期开始=date(2021, 12, 1),
        ),
    ]


def upload(headers, rows):
    return xlsx(headers, rows)


# --- All or nothing, every bad row named ----------------------------------------------------------


def bad_deputies():
    rows = good_deputies()
    rows.insert(1, deputy_row(姓名="赵六", 手机号码="12345"))  # row 3
    rows.append(deputy_row(姓名="钱七", **{"所在村/社区": "不存在村"}, 性别="M"))  # row 6: two bad cells
    rows.append(deputy_row(姓名="孙八", 身份证号="110105194912310021"))  # row 7: wrong check digit
    rows.append(deputy_row())  # row 8: the same person as row 2
    return rows


EXPECTED_BAD = {
    (3, "手机号码"),
    (6, "所在村/社区"),
    (6, "性别"),
    (7, "身份证号"),
    (8, "姓名"),
}


def test_file_with_bad_rows_imports_nothing_and_names_each_bad_row(town_office, places):
    with pytest.raises(ImportRowsInvalid) as caught:
        import_deputies(
            actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, bad_deputies())
        )
    errors = caught.value.errors
    assert {(e.row, e.column) for e in errors} == EXPECTED_BAD
    assert all(str(e.message) for e in errors)
    assert caught.value.bad_rows == 4
    assert "与第2行是同一代表" in str(next(e.message for e in errors if e.row == 8))
    assert not Deputy.objects.exists() and not Mandate.objects.exists()
    assert not AuditEvent.objects.filter(action="people.import.deputies").exists()


def test_page_shows_every_bad_row_with_its_reason_and_imports_nothing(client, town_office, places):
    client.force_login(town_office)
    response = client.post(
        "/import/",
        {"kind": "deputies", "region": "610921100", "file": upload(DEPUTY_HEADERS, bad_deputies())},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件有 4 行错误，未导入任何数据。请修改后重新上传。" in html
    for row, column in EXPECTED_BAD:
        assert f'<td data-label="行号">{row}</td>' in html
        assert column in html
    assert "手机号码应为11位数字" in html and "在所选区划内找不到“不存在村”" in html
    assert not Deputy.objects.exists()


def test_api_answers_400_with_every_bad_row(client, town_office, places):
    client.force_login(town_office)
    response = client.post(
        API + "deputies", {"file": upload(DEPUTY_HEADERS, bad_deputies()), "region": "610921100"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rows_invalid"
    assert body["message"] == "文件有 4 行错误，未导入任何数据。请修改后重新上传。"
    assert body["fields"] == {"file": [body["message"]]}
    assert {(r["row"], r["column"]) for r in body["rows"]} == EXPECTED_BAD
    assert all(r["message"] for r in body["rows"])
    assert not Deputy.objects.exists()


def test_missing_and_unknown_columns_are_reported_on_the_header_row(town_office, places):
    headers = ["姓名", "性别", "手机号", "所在村/社区", "届次"]
    with pytest.raises(ImportRowsInvalid) as caught:
        import_deputies(
            actor=town_office,
            region=places["town"],
            fileobj=upload(headers, [["张三", "男", "1", "月河村", 18]]),
        )
    assert {(e.row, e.column) for e in caught.value.errors} == {(1, "手机号"), (1, "代表层级")}


def test_a_file_that_is_not_xlsx_gets_a_clear_error(client, town_office, places):
    client.force_login(town_office)
    csv = SimpleUploadedFile("deputies.csv", "姓名,性别\n张三,男\n".encode())
    response = client.post(API + "deputies", {"file": csv, "region": "610921100"})
    assert response.status_code == 400
    assert response.json()["code"] == "import_bad_file"
    assert ".xlsx" in response.json()["message"]
    page = client.post(
        "/import/",
        {"kind": "deputies", "region": "610921100", "file": SimpleUploadedFile("a.xls", b"\xd0\xcf\x11\xe0")},
    )
    assert page.status_code == 400 and "另存为" in page.content.decode()


def test_a_file_over_the_row_limit_is_refused(settings, town_office, places):
    settings.RENDA = {**settings.RENDA, "IMPORT_MAX_ROWS": 2}
    with pytest.raises(importing.ValidationFailed) as caught:
        import_deputies(
            actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, good_deputies())
        )
    assert caught.value.code == "import_too_many_rows"


# --- A good file imports all; the same file again changes nothing ---------------------------------


def test_good_file_imports_every_deputy_with_mandate_station_and_group(town_office, places):
    result = import_deputies(
        actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, good_deputies())
    )
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    zhang = Deputy.objects.get(name="张三")
    assert (
        zhang.region == places["yuehe"] and zhang.town == places["town"] and zhang.county == places["county"]
    )
    assert zhang.name_pinyin == "zhangsan" and zhang.station == places["station"]
    assert list(zhang.groups.all()) == [places["group"]]
    mandate = zhang.mandates.get()
    assert (mandate.level, mandate.term, mandate.congress_region, mandate.district) == (
        DeputyLevel.TOWN,
        18,
        places["town"],
        "第三选区",
    )
    assert mandate.term_end > mandate.term_start and mandate.term_start.month == 10  # the default term
    assert Deputy.objects.get(name="李四").region == places["wuxing"]  # found by region code
    wang = Deputy.objects.get(name="王五")
    assert wang.birth_date == date(1949, 12, 31)  # read from the ID number
    assert wang.mandates.get().term_start == date(2021, 12, 1)
    assert wang.mandates.get().term_end == date(2026, 11, 30)
    assert len({d.import_key for d in Deputy.objects.all()}) == 3
    event = AuditEvent.objects.get(action="people.import.deputies")
    assert event.object_id == str(places["town"].pk)
    assert (event.summary["created"], event.summary["updated"], event.summary["unchanged"]) == (3, 0, 0)
    assert event.summary["file_sha256"] == result.file_sha256 and len(result.file_sha256) == 64


def test_importing_the_same_file_again_changes_nothing(town_office, places):
    import_deputies(actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, good_deputies()))
    before = list(Deputy.objects.values().order_by("pk")), list(Mandate.objects.values().order_by("pk"))
    events = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        result = import_deputies(
            actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, good_deputies())
        )
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    after = list(Deputy.objects.values().order_by("pk")), list(Mandate.objects.values().order_by("pk"))
    assert after == before
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert all("audit" in sql for sql in writes), writes  # only the one audit event is written
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "people.import.deputies" and event.summary["unchanged"] == 3


def test_a_changed_cell_updates_only_that_deputy(town_office, places):
    import_deputies(actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, good_deputies()))
    rows = good_deputies()
    rows[1]["手机号码"] = "13900009999"
    result = import_deputies(actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert Deputy.objects.get(name="李四").phone == "13900009999"
    details = AuditEvent.objects.order_by("-seq").first().summary["details"]
    assert details == [{"row": 3, "id": Deputy.objects.get(name="李四").pk, "updated": ["phone"]}]


def test_empty_cells_never_erase_stored_values(town_office, places):
    import_deputies(actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, good_deputies()))
    rows = good_deputies()
    rows[0]["手机号码"] = None
    import_deputies(actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, rows))
    assert Deputy.objects.get(name="张三").phone == "13900001111"


def test_a_deputy_entered_by_hand_is_updated_not_duplicated(town_office, places):
    Deputy(
        name="王五", gender="F", region=places["yuehe"], top_level="town", id_number="11010519491231002X"
    ).save()
    result = import_deputies(
        actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, good_deputies())
    )
    assert (result.created, result.updated) == (2, 1)
    assert Deputy.objects.filter(name="王五").count() == 1


def test_dry_run_checks_and_counts_without_saving(client, town_office, places):
    client.force_login(town_office)
    response = client.post(
        API + "deputies",
        {"file": upload(DEPUTY_HEADERS, good_deputies()), "region": "610921100", "dry_run": "true"},
    )
    assert response.status_code == 200
    assert response.json()["created"] == 3 and response.json()["dry_run"] is True
    assert (
        not Deputy.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="people.import").exists()
    )


def test_page_imports_a_good_file_and_shows_the_counts(client, town_office, places):
    client.force_login(town_office)
    response = client.post(
        "/import/",
        {"kind": "deputies", "region": "610921100", "file": upload(DEPUTY_HEADERS, good_deputies())},
    )
    assert response.status_code == 200
    assert "导入完成：新增 3，更新 0，未变 0。" in response.content.decode()
    assert Deputy.objects.count() == 3


def test_id_number_must_agree_with_birth_date_and_gender(town_office, places):
    row = deputy_row(身份证号="11010519491231002X", 出生日期=date(1950, 1, 1))  # a woman born 1949-12-31
    with pytest.raises(ImportRowsInvalid) as caught:
        import_deputies(actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, [row]))
    assert {(e.row, e.column) for e in caught.value.errors} == {(2, "出生日期"), (2, "性别")}


def test_a_deputy_must_be_18_when_the_term_starts(town_office, places):
    row = deputy_row(出生日期=date(2005, 1, 1), 任期开始=date(2021, 10, 1))
    with pytest.raises(ImportRowsInvalid) as caught:
        import_deputies(actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, [row]))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "出生日期")]


# --- Who may import where -------------------------------------------------------------------------


def test_town_office_cannot_import_into_another_town(client, town_office, places):
    # Another town is out of sight: refused like a missing one (issue #13), and logged.
    with pytest.raises(NotFound):
        import_deputies(
            actor=town_office, region=places["other"], fileobj=upload(DEPUTY_HEADERS, good_deputies())
        )
    client.force_login(town_office)
    response = client.post(
        API + "deputies", {"file": upload(DEPUTY_HEADERS, good_deputies()), "region": "610921101"}
    )
    assert response.status_code == 404
    denied = AuditEvent.objects.filter(action="access.denied", actor=town_office)
    assert denied.count() == 2 and denied.first().object_id == str(places["other"].pk)
    assert not Deputy.objects.exists()


def test_town_office_posting_another_town_to_the_page_is_refused_and_logged(client, town_office, places):
    client.force_login(town_office)
    response = client.post(
        "/import/", {"kind": "households", "region": "610921101", "file": upload(HOUSEHOLD_HEADERS, [])}
    )
    assert response.status_code == 404  # another town is out of sight (issue #13)
    assert AuditEvent.objects.filter(action="access.denied", actor=town_office).count() == 1


def test_a_station_of_another_town_is_a_row_error(county_office, places):
    Station.objects.create(name="涧池镇代表联络站", level="town", region=places["other"])
    row = deputy_row(联络站="涧池镇代表联络站")  # lives in 城关镇
    with pytest.raises(ImportRowsInvalid) as caught:
        import_deputies(actor=county_office, region=places["county"], fileobj=upload(DEPUTY_HEADERS, [row]))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "联络站")]


def test_town_office_region_list_offers_only_its_town(client, town_office, places):
    client.force_login(town_office)
    html = client.get("/import/").content.decode()
    assert 'value="610921100"' in html and 'value="610921101"' not in html and 'value="610921"' not in html


def test_town_office_cannot_register_county_deputies(town_office, places):
    row = deputy_row(代表层级="县人大代表")
    with pytest.raises(ImportRowsInvalid) as caught:
        import_deputies(actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, [row]))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "代表层级")]


def test_county_office_imports_county_deputies_into_the_county(county_office, places):
    rows = [deputy_row(代表层级="县人大代表"), deputy_row(姓名="周九", **{"所在村/社区": "高梁村"})]
    result = import_deputies(
        actor=county_office, region=places["county"], fileobj=upload(DEPUTY_HEADERS, rows)
    )
    assert result.created == 2
    zhang = Deputy.objects.get(name="张三")
    assert zhang.top_level == DeputyLevel.COUNTY and zhang.mandates.get().congress_region == places["county"]
    assert Deputy.objects.get(name="周九").mandates.get().congress_region == places["other"]


def test_county_office_picks_any_town_of_its_county(client, county_office, places):
    client.force_login(county_office)
    html = client.get("/import/").content.decode()
    assert all(f'value="{code}"' in html for code in ("610921", "610921100", "610921101"))


@pytest.mark.parametrize("role", ["deputy", "unit"])
def test_deputies_and_unit_staff_cannot_import_at_all(client, places, role):
    if role == "deputy":
        d = Deputy(name="代表甲", gender="M", region=places["yuehe"], top_level="town")
        d.save()
        user = user_with(Role.DEPUTY, "d", deputy=d)
    else:
        unit = HandlingUnit.objects.create(name="城关镇政府", level="town", region=places["town"])
        user = user_with(Role.UNIT_STAFF, "u", unit=unit)
    client.force_login(user)
    assert client.get("/import/").status_code == 403
    response = client.post(
        API + "deputies", {"file": upload(DEPUTY_HEADERS, good_deputies()), "region": "610921100"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor=user).count() == 2
    with pytest.raises(PermissionDenied):
        import_households(actor=user, region=places["town"], fileobj=upload(HOUSEHOLD_HEADERS, []))
    assert Deputy.objects.count() == (1 if role == "deputy" else 0)


def test_api_needs_a_login(client, places):
    response = client.post(
        API + "deputies", {"file": upload(DEPUTY_HEADERS, good_deputies()), "region": "610921100"}
    )
    assert response.status_code == 401


# --- The template ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "row"),
    [
        (
            "deputies",
            [
                "赵六",
                "男",
                None,
                "1970-01-02",
                None,
                None,
                None,
                "13600001234",
                None,
                None,
                "月河村",
                "镇人大代表",
                18,
            ],
        ),
        ("households", ["钱七", "月河一网格", "一组3号", "0915-5212345", 3, 2]),
    ],
)
def test_template_downloads_and_reimports_cleanly_once_filled(client, town_office, places, kind, row):
    client.force_login(town_office)
    response = client.get(f"/import/template/{kind}.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    columns = importing.IMPORTERS[kind].columns
    assert headers == [c.header + ("*" if c.required else "") for c in columns]
    assert str(ws.cell(row=2, column=1).value).startswith("示例")  # the grey example row
    notes = wb["说明"]
    assert [notes.cell(row=i + 2, column=1).value for i in range(len(columns))] == [c.header for c in columns]
    ws.append(row)  # filled in below the example, which stays
    buf = io.BytesIO()
    wb.save(buf)
    page = client.post(
        "/import/",
        {"kind": kind, "region": "610921100", "file": SimpleUploadedFile("filled.xlsx", buf.getvalue())},
    )
    assert page.status_code == 200, page.content.decode()
    assert "导入完成：新增 1，更新 0，未变 0。" in page.content.decode()


def test_unknown_template_kind_is_not_found(client, town_office):
    client.force_login(town_office)
    assert client.get("/import/template/voters.xlsx").status_code == 404


# --- Households -----------------------------------------------------------------------------------


@pytest.fixture
def deputies(town_office, places):
    rows = [
        deputy_row(),
        deputy_row(姓名="李四", 性别="女", 手机号码="13900002222"),
        deputy_row(
            姓名="李四",
            性别="女",
            出生日期=date(1985, 1, 1),
            手机号码="13900004444",
            **{"所在村/社区": "五星村"},
        ),
    ]
    import_deputies(actor=town_office, region=places["town"], fileobj=upload(DEPUTY_HEADERS, rows))
    return {d.phone[-4:]: d for d in Deputy.objects.all()}


def household_row(**cells):
    row = {
        "户主": "王大",
        "所在村/网格": "月河村",
        "住址": "一组1号",
        "家庭人口": 4,
        "选民人数": 3,
        "联系代表": "张三",
    }
    row.update(cells)
    return row


def test_households_link_to_contact_and_paired_deputies(town_office, places, deputies):
    rows = [
        household_row(),
        household_row(
            户主="王二", 住址="一组2号", 联系代表="李四2222", 是否困难户="是", 结对代表="李四(4444)"
        ),
        household_row(户主="王三", **{"所在村/网格": "610921100201001"}, 联系代表=None),
    ]
    result = import_households(
        actor=town_office, region=places["town"], fileobj=upload(HOUSEHOLD_HEADERS, rows)
    )
    assert result.created == 3
    first, second, third = (Household.objects.get(head_name=n) for n in ("王大", "王二", "王三"))
    assert first.contact_deputy == deputies["1111"] and first.town == places["town"]
    assert (
        second.contact_deputy == deputies["2222"]
        and second.paired_deputy == deputies["4444"]
        and second.is_poor
    )
    assert third.region == places["grid"] and third.contact_deputy is None
    again = import_households(
        actor=town_office, region=places["town"], fileobj=upload(HOUSEHOLD_HEADERS, rows)
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.filter(action="people.import.households").count() == 2


def test_household_bad_rows_are_each_named(town_office, places, deputies):
    rows = [
        household_row(联系代表="李四"),  # two deputies named 李四 in the town
        household_row(户主="王二", 选民人数=5, 家庭人口=2),
        household_row(户主="王三", 结对代表="张三"),  # not a poor household
        household_row(户主="王四", 联系代表="不存在"),
        household_row(户主="王五", 联系电话="12345"),
    ]
    with pytest.raises(ImportRowsInvalid) as caught:
        import_households(actor=town_office, region=places["town"], fileobj=upload(HOUSEHOLD_HEADERS, rows))
    assert {(e.row, e.column) for e in caught.value.errors} == {
        (2, "联系代表"),
        (3, "选民人数"),
        (4, "结对代表"),
        (5, "联系代表"),
        (6, "联系电话"),
    }
    assert "手机号后四位" in str(next(e.message for e in caught.value.errors if e.row == 2))
    assert not Household.objects.exists()


def test_duplicate_households_in_one_file_are_named(town_office, places, deputies):
    rows = [household_row(), household_row(联系代表="李四2222")]
    with pytest.raises(ImportRowsInvalid) as caught:
        import_households(actor=town_office, region=places["town"], fileobj=upload(HOUSEHOLD_HEADERS, rows))
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "户主")]


# --- Reading cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(18, 18), ("18", 18), ("第18届", 18), ("第十八届", 18), ("二十一", 21), ("十", 10)],
)
def test_term_numbers_read_in_digits_or_chinese(value, expected):
    assert importing.term_number(value) == expected


@pytest.mark.parametrize(
    "value", ["1975-03-08", "1975/3/8", "1975年3月8日", "1975.03.08", 19750308, date(1975, 3, 8)]
)
def test_dates_read_in_the_usual_spellings(value):
    assert importing.a_date(value) == date(1975, 3, 8)


def test_long_id_numbers_typed_as_numbers_are_refused():
    with pytest.raises(importing.CellError):
        importing.id_number(110105194912310020)


def test_default_term_is_the_five_year_term_in_progress():
    assert importing._default_term(date(2024, 5, 1)) == (date(2021, 10, 1), date(2026, 9, 30))
    assert importing._default_term(date(2026, 10, 1)) == (date(2026, 10, 1), date(2031, 9, 30))

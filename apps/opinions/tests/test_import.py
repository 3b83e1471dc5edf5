"""Importing a town's existing opinion ledger: dates and states kept, placed by the engine and audited as
imported, all or nothing with row/column errors in Chinese, scoped to the importer's town, and an
exported ledger imports again."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, ValidationFailed
from apps.common.importing import ImportRowsInvalid
from apps.opinions.importing import import_opinions
from apps.opinions.ledger import ledger_workbook
from apps.opinions.models import Opinion
from apps.workflow.models import Step

from .factories import opinion

pytestmark = pytest.mark.django_db

HEADERS = ["序号", "登记日期", "来源", "反映人", "联系电话", "所在村/网格", "反映事项", "接待/走访代表",
           "交办单位", "责任人", "交办日期", "办理时限", "答复情况", "答复日期", "回访方式", "满意度",
           "是否解决", "销号日期", "当前状态"]  # fmt: skip


def xlsx(rows, headers=HEADERS, title=None, name="台账.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for line in ws.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text, as Excel keeps '=... and our exports write it
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def row(**kw):
    values = {"登记日期": "2026/3/1", "来源": "来信来访", "反映人": "王五", "所在村/网格": "月河村",
              "反映事项": "村道破损\n月河村二组村道多处破损"}  # fmt: skip
    values.update(kw)
    return [values.get(h) for h in HEADERS]


def test_a_good_ledger_imports_with_its_dates_states_and_audit_marked_imported(world):
    rows = [
        row(),
        row(
            **{
                "登记日期": "2026年2月3日",
                "反映人": "刘七",
                "接待/走访代表": "张三",
                "交办单位": "城关镇人民政府",
                "交办日期": 46084,
                "办理时限": "2026-03-20",
                "当前状态": "已交办",
            }
        ),
        row(
            **{
                "登记日期": date(2026, 1, 5),
                "反映人": "陈八",
                "交办单位": "城关镇人民政府",
                "交办日期": "2026.1.6",
                "答复情况": "已修复",
                "答复日期": "2026-01-20",
                "回访方式": "电话回访",
                "满意度": "满意",
                "是否解决": "是",
                "销号日期": "2026-01-25",
                "当前状态": "已销号",
            }
        ),
    ]
    result = import_opinions(actor=world.town_user, region=world.town_a, fileobj=xlsx(rows))
    assert (result.created, result.unchanged) == (3, 0)
    first = Opinion.objects.get(submitter_name="王五")
    assert (first.received_on, first.state, first.title) == (date(2026, 3, 1), "registered", "村道破损")
    assert first.content == "月河村二组村道多处破损" and first.town_id == world.town_a.pk
    assigned = Opinion.objects.get(submitter_name="刘七")
    assert assigned.received_on == date(2026, 2, 3) and assigned.state == "assigned"
    assert assigned.assigned_on == date(2026, 3, 3)  # Excel serial 46084
    assert assigned.due_date == date(2026, 3, 20) and assigned.deputy == world.deputy_a
    assert assigned.unit == world.unit_a
    closed = Opinion.objects.get(submitter_name="陈八")
    assert (closed.state, closed.closed_on, closed.satisfaction, closed.solved) == (
        "closed",
        date(2026, 1, 25),
        "satisfied",
        True,
    )
    events = AuditEvent.objects.filter(action="opinion.imported", object_id=str(closed.pk))
    assert events.count() == 1
    summary = events.get().summary
    assert summary["imported"] is True and summary["to"] == "closed"
    assert summary["source"]["file_name"] == "台账.xlsx" and summary["source"]["row"] == 4
    step = Step.objects.get(object_id=closed.pk, content_type__model="opinion")
    assert (step.transition, step.to_state, step.actor) == ("import", "closed", world.town_user)
    assert AuditEvent.objects.filter(action="opinion.import").count() == 1


def test_one_bad_row_imports_nothing_and_names_row_and_column_in_chinese(world):
    rows = [
        row(),
        row(**{"反映人": "刘七", "登记日期": "三月一日"}),
        row(**{"反映人": "陈八", "交办单位": "无此单位"}),
    ]
    with pytest.raises(ImportRowsInvalid) as caught:
        import_opinions(actor=world.town_user, region=world.town_a, fileobj=xlsx(rows))
    errors = [e.as_dict() for e in caught.value.errors]
    assert {"row": 3, "column": "登记日期", "message": "日期应写成 YYYY-MM-DD，如 1975-03-08"} in errors
    assert any(e["row"] == 4 and e["column"] == "交办单位" and "找不到" in e["message"] for e in errors)
    assert caught.value.code == "import_rows_invalid"
    assert not Opinion.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="opinion.import").exists()


def test_a_state_that_needs_a_unit_is_refused_without_one(world):
    with pytest.raises(ImportRowsInvalid) as caught:
        import_opinions(
            actor=world.town_user, region=world.town_a, fileobj=xlsx([row(**{"当前状态": "已交办"})])
        )
    assert {(e.row, e.column) for e in caught.value.errors} == {(2, "交办单位"), (2, "交办日期")}


def test_town_a_cannot_import_into_town_b_it_answers_as_missing(world):
    with pytest.raises(NotFound):
        import_opinions(
            actor=world.town_user, region=world.town_b, fileobj=xlsx([row(**{"所在村/网格": "东坝村"})])
        )
    assert not Opinion.objects.exists()
    assert AuditEvent.objects.filter(action="access.denied").exists() or AuditEvent.objects.exists()


def test_a_county_office_imports_into_any_of_its_towns_but_a_place_must_be_in_that_town(world):
    ok = import_opinions(
        actor=world.county_user, region=world.town_b, fileobj=xlsx([row(**{"所在村/网格": "东坝村"})])
    )
    assert ok.created == 1 and Opinion.objects.get().town_id == world.town_b.pk
    with pytest.raises(ImportRowsInvalid) as caught:
        import_opinions(
            actor=world.county_user, region=world.town_b, fileobj=xlsx([row(**{"反映人": "刘七"})])
        )
    assert caught.value.errors[0].column == "所在村/网格"


def test_formula_looking_text_stays_text(world):
    import_opinions(
        actor=world.town_user,
        region=world.town_a,
        fileobj=xlsx([row(**{"反映人": '=HYPERLINK("x")', "反映事项": "+1 修路\n-2 @sum(A1)"})]),
    )
    o = Opinion.objects.get()
    assert o.submitter_name == '=HYPERLINK("x")' and (o.title, o.content) == ("+1 修路", "-2 @sum(A1)")


def test_an_exported_ledger_imports_again_and_twice_adds_nothing(world):
    opinion(world)
    source = Opinion.objects.get()
    wb = ledger_workbook([source], title="城关镇社情民意工作台账")
    buf = io.BytesIO()
    wb.save(buf)
    Opinion.objects.all().delete()
    upload = lambda: SimpleUploadedFile("ledger.xlsx", buf.getvalue())  # noqa: E731
    first = import_opinions(actor=world.town_user, region=world.town_a, fileobj=upload())
    assert first.created == 1
    again = Opinion.objects.get()
    assert (again.title, again.content, again.received_on, again.state, again.region_id) == (
        source.title,
        source.content,
        source.received_on,
        source.state,
        source.region_id,
    )
    second = import_opinions(actor=world.town_user, region=world.town_a, fileobj=upload())
    assert (second.created, second.unchanged) == (0, 1) and Opinion.objects.count() == 1


def test_dry_run_checks_and_keeps_nothing(world):
    result = import_opinions(actor=world.town_user, region=world.town_a, fileobj=xlsx([row()]), dry_run=True)
    assert result.created == 1 and result.dry_run
    assert not Opinion.objects.exists() and not AuditEvent.objects.filter(action="opinion.imported").exists()


@pytest.mark.parametrize(
    "content, code",
    [(b"", "import_bad_file"), (b"not a zip", "import_bad_file"), (None, "import_empty")],
)
def test_blank_and_broken_files_are_refused_in_words(world, content, code):
    upload = xlsx([]) if content is None else SimpleUploadedFile("x.xlsx", content)
    with pytest.raises(ValidationFailed) as caught:
        import_opinions(actor=world.town_user, region=world.town_a, fileobj=upload)
    assert caught.value.code == code


def test_a_huge_file_is_refused(world, settings):
    settings.RENDA = {**settings.RENDA, "IMPORT_MAX_ROWS": 2}
    with pytest.raises(ValidationFailed) as caught:
        import_opinions(actor=world.town_user, region=world.town_a, fileobj=xlsx([row()] * 5))
    assert caught.value.code == "import_too_many_rows"


def test_over_long_and_control_character_cells_are_row_errors(world):
    rows = [row(**{"反映人": "王" * 200}), row(**{"联系电话": "139\x7f"})]
    with pytest.raises(ImportRowsInvalid) as caught:
        import_opinions(actor=world.town_user, region=world.town_a, fileobj=xlsx(rows))
    assert {(e.row, e.column) for e in caught.value.errors} == {(2, "反映人"), (3, "联系电话")}


def test_the_template_reimports_as_empty(world):
    from apps.opinions.importing import template_workbook

    buf = io.BytesIO()
    template_workbook().save(buf)
    assert load_workbook(io.BytesIO(buf.getvalue())).active.cell(1, 2).value == "登记日期*"
    with pytest.raises(ValidationFailed) as caught:
        import_opinions(
            actor=world.town_user, region=world.town_a, fileobj=SimpleUploadedFile("t.xlsx", buf.getvalue())
        )
    assert caught.value.code == "import_empty"


def test_api_dry_run_then_errors_by_row_and_column(world, client):
    client.force_login(world.town_user)
    url = "/api/v1/opinions/import"
    resp = client.post(url, {"file": xlsx([row()]), "region": world.town_a.code, "dry_run": "true"})
    assert resp.status_code == 200 and resp.json()["created"] == 1 and not Opinion.objects.exists()
    resp = client.post(url, {"file": xlsx([row(**{"来源": "电报"})]), "region": world.town_a.code})
    body = resp.json()
    assert resp.status_code == 400 and body["code"] == "import_rows_invalid"
    assert body["rows"][0]["row"] == 2 and body["rows"][0]["column"] == "来源"
    resp = client.post(url, {"file": xlsx([row()]), "region": world.town_b.code})
    assert resp.status_code == 404
    assert client.get("/api/v1/opinions/import/template").status_code == 200


def test_page_previews_then_imports_on_confirm(world, client):
    from django.urls import reverse

    client.force_login(world.town_user)
    assert "导入台账" in client.get(reverse("opinions:list")).content.decode()
    url = reverse("opinions:import")
    resp = client.post(url, {"file": xlsx([row()]), "region": world.town_a.code})
    assert resp.status_code == 200 and "确认导入" in resp.content.decode()
    assert not Opinion.objects.exists()
    resp = client.post(url, {"region": world.town_a.code, "token": resp.context["token"], "confirm": "1"})
    assert resp.status_code == 200 and Opinion.objects.count() == 1
    client.force_login(world.keeper_user)
    assert "导入台账" not in client.get(reverse("opinions:list")).content.decode()
    assert client.get(url).status_code == 403

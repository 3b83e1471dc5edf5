"""Importing a town's existing suggestion ledger: numbers, dates and states kept, lead and co-signers and
units by name, placed by the engine and audited as imported; all or nothing; scoped; re-import of an
exported ledger."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.audit.models import AuditEvent
from apps.common.errors import NotFound
from apps.common.importing import ImportRowsInvalid
from apps.places.tests.factories import HandlingUnitFactory
from apps.suggestions.importing import import_suggestions
from apps.suggestions.models import CoHandling, Signature, Suggestion

from .test_pages import REPLY, assigned

pytestmark = pytest.mark.django_db

HEADERS = [
    "序号",
    "立案号",
    "标题",
    "领衔代表",
    "联名代表",
    "提出时间",
    "提交日期",
    "类别",
    "主办单位",
    "协办单位",
    "交办日期",
    "答复时限",
    "答复日期",
    "答复类别",
    "是否按时",
    "代表评价",
    "状态",
]


def xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["城关镇代表建议办理台账"])
    ws.append(HEADERS)
    for r in rows:
        ws.append([r.get(h) for h in HEADERS])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("建议台账.xlsx", buf.getvalue())


def row(**kw):
    return {"标题": "关于修路的建议", "领衔代表": "张三", "提交日期": "2026/2/1", **kw}


def test_a_good_ledger_imports_numbers_dates_states_signers_units(world):
    HandlingUnitFactory(name="城关镇农业综合服务站", region=world.town_a)
    rows = [
        row(),
        row(
            **{
                "立案号": "城关〔2026〕1号",
                "标题": "关于饮水的建议",
                "联名代表": "赵六",
                "提出时间": "闭会期间（直通车）",
                "类别": "饮水安全",
                "主办单位": "城关镇人民政府",
                "协办单位": "城关镇农业综合服务站",
                "交办日期": "2026年2月10日",
                "答复时限": "2026-05-10",
                "答复日期": "2026-04-01",
                "答复类别": "A",
                "是否按时": "是",
                "代表评价": "张三：工作满意",
                "状态": "已答复（已超期）",
            }
        ),
    ]
    result = import_suggestions(actor=world.town_user, region=world.town_a, fileobj=xlsx(rows))
    assert result.created == 2
    plain = Suggestion.objects.get(title="关于修路的建议")
    assert (plain.state, plain.submitted_on, plain.lead) == ("submitted", date(2026, 2, 1), world.deputy_a)
    replied = Suggestion.objects.get(title="关于饮水的建议")
    assert (replied.state, replied.number, replied.category, replied.reply_on_time) == (
        "replied",
        "城关〔2026〕1号",
        "A",
        True,
    )
    assert (replied.assigned_on, replied.replied_on, replied.unit) == (
        date(2026, 2, 10),
        date(2026, 4, 1),
        world.unit_a,
    )
    assert replied.period == "between" and replied.topic == "water" and replied.town_id == world.town_a.pk
    signers = set(Signature.objects.filter(suggestion=replied).values_list("deputy__name", "is_lead"))
    assert signers == {("张三", True), ("赵六", False)}
    part = CoHandling.objects.get(suggestion=replied)
    assert part.unit.name == "城关镇农业综合服务站" and part.state == "submitted"
    event = AuditEvent.objects.get(action="suggestion.imported", object_id=str(replied.pk))
    assert event.summary["imported"] and event.summary["source"]["row"] == 4
    assert AuditEvent.objects.filter(action="cohandling.imported").count() == 1


def test_one_bad_row_imports_nothing_with_row_and_column(world):
    rows = [row(), row(**{"领衔代表": "无名氏"}), row(**{"状态": "办理中", "标题": "另一件"})]
    with pytest.raises(ImportRowsInvalid) as caught:
        import_suggestions(actor=world.town_user, region=world.town_a, fileobj=xlsx(rows))
    cells = {(e.row, e.column) for e in caught.value.errors}
    assert (4, "领衔代表") in cells and (5, "主办单位") in cells and (5, "立案号") in cells
    assert "找不到" in str(next(e.message for e in caught.value.errors if e.row == 4))
    assert not Suggestion.objects.exists()


def test_town_a_cannot_import_into_town_b(world):
    with pytest.raises(NotFound):
        import_suggestions(
            actor=world.town_user, region=world.town_b, fileobj=xlsx([row(**{"领衔代表": "李四"})])
        )
    assert not Suggestion.objects.exists()


def test_an_exported_ledger_imports_again_and_twice_adds_nothing(world, client):
    item = assigned(world)
    from apps.suggestions import services

    services.record_consultation(actor=world.unit_user, item=item, method="phone", on=date.today())
    item.refresh_from_db()
    services.act(actor=world.unit_user, item=item, key="reply", data=REPLY)
    client.force_login(world.town_user)
    resp = client.get(reverse("suggestions:list"), {"export": "xlsx"})
    source = Suggestion.objects.get()
    keep = (source.number, source.submitted_on, source.state, source.unit_id, source.lead_id, source.category)
    Signature.objects.all().delete()
    CoHandling.objects.all().delete()
    Suggestion.objects.all().delete()
    upload = lambda: SimpleUploadedFile("x.xlsx", resp.content)  # noqa: E731
    assert import_suggestions(actor=world.town_user, region=world.town_a, fileobj=upload()).created == 1
    again = Suggestion.objects.get()
    assert (
        again.number,
        again.submitted_on,
        again.state,
        again.unit_id,
        again.lead_id,
        again.category,
    ) == keep
    second = import_suggestions(actor=world.town_user, region=world.town_a, fileobj=upload())
    assert (second.created, second.unchanged) == (0, 1)

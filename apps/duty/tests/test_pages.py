"""The duty pages: the deputy's phone page and entry, review, scores, table, plate scheme; scoped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.duty import services
from apps.duty.models import DutyRecord, PlateAction, PointsTable, Score

from .factories import YEAR, default_table, entered

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_deputy_enters_a_record_with_a_photo_and_sees_it_pending(client, world):
    client.force_login(world.deputy_user)
    assert client.get("/duty/new/").status_code == 200
    resp = client.post(
        "/duty/new/",
        {
            "kind": "household_visit",
            "date": "2026-03-03",
            "title": "走访月河村三组",
            "place": "月河村",
            "household": world.household_a.pk,
            "photos": SimpleUploadedFile("a.png", PNG, "image/png"),
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    rec = DutyRecord.objects.get(deputy=world.deputy_a)
    assert rec.review_state == "pending" and rec.household_id == world.household_a.pk
    page = client.get("/duty/", {"year": 2026}).content.decode()
    assert "走访月河村三组" in page and "待审核" in page
    detail = client.get(f"/duty/records/{rec.pk}/").content.decode()
    assert f"/duty/records/{rec.pk}/files/" in detail and "退回理由" not in detail


def test_entry_errors_show_in_chinese_beside_the_field(client, world):
    client.force_login(world.deputy_user)
    resp = client.post("/duty/new/", {"kind": "study", "date": "2099-01-01", "title": "学习"})
    assert resp.status_code == 200 and "日期不能晚于今天" in resp.content.decode()


def test_office_reviews_from_the_queue_and_other_town_cannot(
    client, world, django_capture_on_commit_callbacks
):
    default_table(world.county, year=2026)
    rec = entered(world.deputy_a)
    client.force_login(world.town_b_user)
    assert "学习代表法" not in client.get("/duty/review/").content.decode()
    assert client.post(f"/duty/records/{rec.pk}/review/", {"approve": "1"}).status_code in (403, 404)
    client.force_login(world.town_user)
    assert "学习代表法" in client.get("/duty/review/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/duty/records/{rec.pk}/review/", {"approve": "1"})
    assert DutyRecord.objects.get(pk=rec.pk).review_state == "approved"
    assert Score.objects.get(deputy=world.deputy_a, year=2026).total == 4


def test_reject_without_reason_is_refused_with_a_message(client, world):
    rec = entered(world.deputy_a)
    client.force_login(world.town_user)
    resp = client.post(f"/duty/records/{rec.pk}/review/", {"approve": "0", "reason": ""}, follow=True)
    assert "请填写退回理由" in resp.content.decode()
    assert DutyRecord.objects.get(pk=rec.pk).review_state == "pending"


def test_deputy_cannot_open_the_office_pages_or_another_deputys_record(client, world):
    other = entered(world.deputy_a2)
    client.force_login(world.deputy_user)
    assert client.get("/duty/review/").status_code == 403
    assert client.get("/duty/scores/").status_code == 403
    assert client.get("/duty/plate/").status_code == 403
    assert client.get(f"/duty/records/{other.pk}/").status_code == 404


def test_review_queue_query_count_is_constant(client, world, django_assert_max_num_queries):
    for _ in range(30):
        entered(world.deputy_a)
    client.force_login(world.town_user)
    client.get("/duty/review/")
    with django_assert_max_num_queries(12):
        assert client.get("/duty/review/").status_code == 200


def test_scores_page_by_deputy_and_group_and_publication(client, world):
    default_table(world.county, year=YEAR)
    entered(world.deputy_a, kind="suggestion", state="approved")
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    client.force_login(world.town_user)
    page = client.get("/duty/scores/", {"year": YEAR, "order": "low"}).content.decode()
    assert "张三" in page and "李四" not in page and "公布本季度得分" not in page
    assert "城关镇" in client.get("/duty/scores/", {"year": YEAR, "by": "town"}).content.decode()
    client.force_login(world.county_user)
    assert "公布本季度得分" in client.get("/duty/scores/", {"year": YEAR}).content.decode()
    client.post("/duty/scores/publish/", {"year": YEAR, "quarter": 2})
    client.force_login(world.deputy_user)
    assert "第2季度公布得分" in client.get("/duty/", {"year": YEAR}).content.decode()


def test_publishing_scores_without_a_county_is_refused_and_logged(client, world):
    from apps.audit.models import AuditEvent

    client.force_login(world.unit_user)  # neither an office nor a deputy: no county's scores to publish
    resp = client.post("/duty/scores/publish/", {"year": YEAR, "quarter": 2})
    assert resp.status_code == 403
    refused = AuditEvent.objects.get(action="access.denied", actor=world.unit_user)
    assert refused.summary == {"attempted": "duty.scores.publish"}


def test_table_editor_county_office_only(client, world):
    client.force_login(world.county_user)
    client.post(f"/duty/table/{YEAR}/", {"copy": "1"})
    table = PointsTable.objects.get(county=world.county, year=YEAR)
    assert table.rules.count() > 10
    resp = client.post(
        f"/duty/table/{YEAR}/",
        {
            "base_score": "0",
            "five_good_min_score": "90",
            "five_good_min_suggestions": "1",
            "suggestion.first": "6",
            "suggestion.further": "2",
            "suggestion.cap": "10",
        },
    )
    assert resp.status_code == 302 and table.rules.count() == 1
    resp = client.post(f"/duty/table/{YEAR}/", {"base_score": "x", "suggestion.first": "abc"})
    assert resp.status_code == 200 and "积分标准填写有误" in resp.content.decode()
    client.force_login(world.town_user)
    page = client.get(f"/duty/table/{YEAR}/").content.decode()
    assert "disabled" in page
    client.post(f"/duty/table/{YEAR}/", {"base_score": "50", "suggestion.first": "1"})
    assert PointsTable.objects.get(pk=table.pk).base_score == 0


def test_plate_page_lists_poor_deputies_and_records_a_warning(client, world):
    default_table(world.county, year=YEAR)
    services.recompute(year=YEAR, county_ids=[world.county.pk])
    client.force_login(world.town_user)
    page = client.get("/duty/plate/", {"year": YEAR}).content.decode()
    assert "张三" in page and "李四" not in page
    client.post(
        "/duty/plate/?year=2026",
        {"deputy": world.deputy_a.pk, "kind": "warning", "reason": "评价为差", "year": YEAR},
    )
    assert PlateAction.objects.filter(deputy=world.deputy_a, kind="warning").exists()
    assert client.get("/duty/five-good/", {"year": YEAR}).status_code == 200
    world.town_user.display_name = "陈经办"
    world.town_user.save(update_fields=["display_name"])
    page = client.get("/duty/plate/", {"year": YEAR}).content.decode()
    assert "陈经办</td>" in page  # the clerk by name, not by login name


@pytest.mark.parametrize("year", ["1999", "abc"])
def test_a_bad_year_in_the_address_is_a_chinese_error_not_a_silent_other_year(client, world, year):
    client.force_login(world.town_user)
    resp = client.get("/duty/scores/", {"year": year})
    assert resp.status_code == 400 and "年度应为2000到2100之间的整数" in resp.content.decode()

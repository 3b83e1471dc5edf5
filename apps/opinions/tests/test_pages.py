"""The opinion pages: each answers its roles and refuses the others; lists cost the same at any size."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.opinions import services
from apps.opinions.models import Opinion, ReceptionDay

from .factories import opinion

pytestmark = pytest.mark.django_db

PHONE = "13900000001"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def new_item(world, **extra):
    return opinion(world, station=world.station_a.pk, deputy=world.deputy_a.pk, **extra)


def assigned_item(world):
    item = new_item(world)
    item = services.act(actor=world.town_user, item=item, key="accept")
    return services.act(actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk})


def page(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


# --- who sees what -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["county_user", "town_user", "keeper_user", "deputy_user"])
def test_item_page_opens_for_everyone_over_the_item(world, client, who):
    item = new_item(world)
    resp = page(client, getattr(world, who), "opinions:detail", item.pk)
    assert resp.status_code == 200
    assert item.tracking_code in resp.content.decode()


def test_town_b_office_cannot_open_or_act_on_a_town_a_item(world, client):
    item = new_item(world)
    assert page(client, world.town_b_user, "opinions:detail", item.pk).status_code == 404
    resp = client.post(reverse("opinions:act", args=[item.pk, "accept"]), {"version": item.version})
    assert resp.status_code == 404
    item.refresh_from_db()
    assert item.state == "registered"
    listing = page(client, world.town_b_user, "opinions:list").content.decode()
    assert item.tracking_code not in listing


def test_unit_staff_see_only_items_assigned_to_them(world, client):
    item = new_item(world)
    assert page(client, world.unit_user, "opinions:detail", item.pk).status_code == 404
    item = assigned_item(world)
    resp = page(client, world.unit_user, "opinions:detail", item.pk)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert PHONE in body  # they must call the person back
    assert "答复" in body and reverse("opinions:act", args=[item.pk, "reply"]) in body
    assert item.tracking_code in page(client, world.unit_user, "opinions:list").content.decode()


def test_pages_need_a_login_except_the_public_ones(world, client):
    item = new_item(world)
    for name, args in [("opinions:list", []), ("opinions:detail", [item.pk]), ("opinions:new", [])]:
        resp = client.get(reverse(name, args=args))
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    assert client.get(reverse("opinions:public_new"), {"station": world.station_a.pk}).status_code == 200
    assert client.get(reverse("opinions:track")).status_code == 200
    qr = client.get(reverse("opinions:station_qr", args=[world.station_a.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b'<svg xmlns="http://www.w3.org/2000/svg"' in qr.content  # else <img> shows nothing


def test_public_form_needs_a_known_station_or_deputy_code(world, client):
    assert client.get(reverse("opinions:public_new")).status_code == 404
    assert client.get(reverse("opinions:public_new"), {"station": 999999}).status_code == 404
    assert client.get(reverse("opinions:public_new"), {"deputy": "not-a-code"}).status_code == 404
    resp = client.get(reverse("opinions:public_new"), {"deputy": str(world.deputy_a.public_code)})
    assert resp.status_code == 200 and "张三" in resp.content.decode()


def test_unit_staff_cannot_register_and_the_refusal_is_logged(world, client):
    from apps.audit.models import AuditEvent

    resp = page(client, world.unit_user, "opinions:new")
    assert resp.status_code == 403 and "只有人大办、联络站和代表可以登记社情民意" in resp.content.decode()
    refused = AuditEvent.objects.get(action="access.denied", actor=world.unit_user)
    assert refused.summary == {"attempted": "opinion.register"}


@pytest.mark.parametrize("who", ["keeper_user", "deputy_user", "unit_user"])
def test_stats_are_for_offices_only(world, client, who):
    assert page(client, getattr(world, who), "opinions:stats").status_code == 403


# --- the ledger -------------------------------------------------------------------------------------------


def test_ledger_filters_and_flags_overdue_items(world, client):
    late = new_item(world, title="东河桥栏杆损坏")
    Opinion.objects.filter(pk=late.pk).update(due_date=date(2020, 1, 3))
    new_item(world, title="学校门口路灯不亮", topic="school")
    client.force_login(world.town_user)
    body = client.get(reverse("opinions:list"), {"overdue": "1"}).content.decode()
    assert "东河桥栏杆损坏" in body and "学校门口路灯不亮" not in body
    assert "已超期" in body and "2020-01-03" in body
    body = client.get(reverse("opinions:list"), {"topic": "school", "year": ""}).content.decode()
    assert "学校门口路灯不亮" in body and "东河桥栏杆损坏" not in body
    htmx = client.get(reverse("opinions:list"), {"q": late.tracking_code}, HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode() and "东河桥栏杆损坏" in htmx.content.decode()


def _list_queries(client, user, django_assert_max_num_queries, n):
    client.force_login(user)
    with django_assert_max_num_queries(n):
        assert client.get(reverse("opinions:list")).status_code == 200


@pytest.mark.parametrize("who", ["county_user", "town_user", "unit_user"])
def test_ledger_page_costs_the_same_for_5_or_15_items(world, client, django_assert_max_num_queries, who):
    items = [assigned_item(world) for _ in range(5)]
    _list_queries(client, getattr(world, who), django_assert_max_num_queries, 12)
    items += [assigned_item(world) for _ in range(10)]
    _list_queries(client, getattr(world, who), django_assert_max_num_queries, 12)
    assert len(items) == 15


def test_ledger_exports_the_paper_layout_scoped_like_the_page(world, client):
    a = assigned_item(world)
    services.act(actor=world.unit_user, item=a, key="reply", data={"reply": "已安排施工队"})
    new_item(world, title="第二件事")
    services.register(
        actor=world.town_b_user,
        data={"source": "letter", "content": "涧池镇的事", "region": world.village_b.code},
    )
    client.force_login(world.town_user)
    resp = client.get(reverse("opinions:list"), {"export": "xlsx"})
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == f"城关镇社情民意工作台账（{date.today().year}年）"
    assert rows[1][:4] == ("序号", "登记日期", "来源", "反映人")
    assert rows[1][-1] == "当前状态" and len(rows[1]) == 19
    assert len(rows) == 2 + 2  # title, header, one row per town A item; town B's is not there
    by_matter = {r[6].split("\n")[0]: r for r in rows[2:]}
    replied = by_matter["月河村三组通组路损毁"]
    assert replied[4] == PHONE and replied[8] == "城关镇人民政府" and replied[12] == "已安排施工队"
    assert replied[11] is not None  # 办理时限: the unit's deadline, kept after the reply
    assert ws.freeze_panes == "A3"


def test_ledger_export_follows_the_filters(world, client):
    new_item(world, title="道路")
    new_item(world, title="饮水", topic="water")
    client.force_login(world.town_user)
    resp = client.get(reverse("opinions:list"), {"export": "xlsx", "topic": "water"})
    rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert [r[6].split("\n")[0] for r in rows[2:]] == ["饮水"]


# --- figures ----------------------------------------------------------------------------------------------


def _stats_queries(client, user, django_assert_max_num_queries, n):
    client.force_login(user)
    with django_assert_max_num_queries(n):
        resp = client.get(reverse("opinions:stats"))
    assert resp.status_code == 200
    return resp.content.decode()


def test_stats_page_costs_the_same_for_5_or_15_items(world, client, django_assert_max_num_queries):
    for _ in range(5):
        assigned_item(world)
    body = _stats_queries(client, world.county_user, django_assert_max_num_queries, 11)
    assert "城关镇" in body and "合计" in body
    for _ in range(10):
        assigned_item(world)
    body = _stats_queries(client, world.county_user, django_assert_max_num_queries, 11)
    assert "城关镇人民政府" in body


def test_stats_export_has_both_tables(world, client):
    assigned_item(world)
    client.force_login(world.town_user)
    resp = client.get(reverse("opinions:stats"), {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(resp.content))
    towns, units = wb.worksheets
    rows = list(towns.iter_rows(values_only=True))
    assert rows[1][:3] == ("镇（街道）", "接待选民人次", "收集意见")
    assert rows[2][0] == "城关镇" and rows[2][2] == 1 and rows[-1][0] == "合计"
    assert list(units.iter_rows(values_only=True))[2][:2] == ("城关镇人民政府", 1)


# --- intake ----------------------------------------------------------------------------------------------


def intake(world, **extra):
    data = {
        "source": "letter",
        "topic": "road",
        "title": "月河村通组路",
        "content": "月河村三组通组路雨天泥泞，希望硬化。",
        "region": world.village_a.code,
        "received_on": date.today().isoformat(),
        "station": world.station_a.pk,
        "deputy": "",
        "submitter_name": "王五",
        "submitter_phone": PHONE,
        "enterprise_name": "",
    }
    data.update(extra)
    return data


def test_intake_error_keeps_what_was_typed(world, client):
    client.force_login(world.town_user)
    resp = client.post(reverse("opinions:new"), intake(world, submitter_phone="12345"))
    body = resp.content.decode()
    assert resp.status_code == 400
    assert "手机号码应为11位数字，以13-19开头" in body
    assert (
        "月河村三组通组路雨天泥泞，希望硬化。" in body and 'value="王五"' in body and 'value="12345"' in body
    )
    assert Opinion.objects.count() == 0


def test_intake_visit_without_a_deputy_is_refused_beside_the_field(world, client):
    client.force_login(world.town_user)
    resp = client.post(reverse("opinions:new"), intake(world, source="visit"))
    body = resp.content.decode()
    assert resp.status_code == 400 and "代表走访须注明走访代表" in body
    field = body.split('name="deputy"')[1].split("</label>")[0]
    assert "代表走访须注明走访代表" in field


def test_intake_saves_with_photos_and_shows_similar_open_items(world, client):
    earlier = new_item(world)
    client.force_login(world.town_user)
    photo = SimpleUploadedFile("road.png", PNG, content_type="image/png")
    resp = client.post(reverse("opinions:new"), {**intake(world), "files": [photo]})
    item = Opinion.objects.exclude(pk=earlier.pk).get()
    assert resp.status_code == 302 and resp["Location"] == item.get_absolute_url()
    body = client.get(resp["Location"]).content.decode()
    assert "相似的未办结事项" in body and earlier.tracking_code in body and "合并到此" in body
    assert reverse("opinions:attachment", args=[item.pk, 1]).rsplit("/", 2)[0] in body
    img = client.get(body.split('<img src="')[1].split('"')[0])
    assert img.status_code == 200 and img["Content-Type"] == "image/png"


def test_intake_from_a_reception_day_is_prefilled(world, client):
    day = ReceptionDay.objects.create(station=world.station_a, region=world.town_a, date=date(2024, 3, 5))
    client.force_login(world.keeper_user)
    resp = client.get(reverse("opinions:new"), {"reception_day": day.pk, "source": "reception"})
    body = resp.content.decode()
    assert resp.status_code == 200 and "2024-03-05" in body
    assert f'name="reception_day" value="{day.pk}"' in body
    assert 'value="reception" selected' in body


# --- steps through the page ------------------------------------------------------------------------------


def act(client, item, key, version=None, **data):
    return client.post(
        reverse("opinions:act", args=[item.pk, key]),
        {"version": item.version if version is None else version, **data},
    )


def test_the_whole_path_through_the_item_page(world, client, django_capture_on_commit_callbacks):
    item = new_item(world)
    client.force_login(world.town_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert act(client, item, "accept").status_code == 302
        item.refresh_from_db()
        body = client.get(item.get_absolute_url()).content.decode()
        assert "城关镇人民政府" in body and 'name="unit"' in body
        assert (
            act(client, item, "assign", unit=world.unit_a.pk, responsible_person="李主任").status_code == 302
        )
        item.refresh_from_db()
        client.force_login(world.unit_user)
        assert act(client, item, "reply", reply="已列入计划，下月施工").status_code == 302
        item.refresh_from_db()
        client.force_login(world.town_user)
        visit = {"visit_method": "phone", "satisfaction": "satisfied", "solved": "yes"}
        assert act(client, item, "visit", **visit).status_code == 302
        item.refresh_from_db()
        assert act(client, item, "close").status_code == 302
    item.refresh_from_db()
    assert item.state == "closed" and item.solved is True and item.responsible_person == "李主任"
    body = client.get(item.get_absolute_url()).content.decode()
    assert "已销号" in body and "办理过程" in body and "销号" in body


def test_a_stale_form_gets_the_conflict_message(world, client):
    item = new_item(world)
    client.force_login(world.town_user)
    stale = item.version
    services.act(actor=world.county_user, item=item, key="accept")
    resp = act(client, item, "not_accept", version=stale, reason="重复反映")
    assert resp.status_code == 409
    body = resp.content.decode()
    assert "该事项刚被他人处理，请刷新页面后再试" in body
    item.refresh_from_db()
    assert item.state == "accepted"


def test_a_step_refused_by_the_rules_keeps_the_form_values(world, client):
    item = new_item(world)
    client.force_login(world.town_user)
    services.act(actor=world.town_user, item=item, key="accept")
    item.refresh_from_db()
    resp = act(client, item, "assign", unit="", responsible_person="李主任")
    body = resp.content.decode()
    assert resp.status_code == 400 and "请选择承办单位" in body and 'value="李主任"' in body


def test_merge_button_merges_into_the_similar_item(world, client):
    first = new_item(world)
    second = new_item(world)
    client.force_login(world.town_user)
    resp = act(client, second, "merge", into=first.tracking_code)
    assert resp.status_code == 302
    second.refresh_from_db()
    assert second.state == "merged" and second.merged_into_id == first.pk


def test_wrong_file_type_is_refused_on_the_item_page(world, client):
    item = new_item(world)
    client.force_login(world.town_user)
    bad = SimpleUploadedFile("x.png", b"<html>not an image</html>", content_type="image/png")
    resp = client.post(reverse("opinions:attach", args=[item.pk]), {"files": [bad]})
    assert resp.status_code == 400 and "不支持的文件类型" in resp.content.decode()


# --- the public door ---------------------------------------------------------------------------------------


def public_post(client, world, **data):
    url = reverse("opinions:public_new") + f"?station={world.station_a.pk}"
    return client.post(url, {"content": "村口路灯坏了三个月，晚上出行不便。", "topic": "road", **data})


def test_public_form_gives_a_tracking_code(world, client):
    resp = public_post(client, world, submitter_phone="13900000002")
    assert resp.status_code == 302
    item = Opinion.objects.get()
    thanks = client.get(resp["Location"]).content.decode()
    assert item.tracking_code in thanks and reverse("opinions:track") in thanks
    assert item.source == "online" and item.station_id == world.station_a.pk


def test_public_form_without_phone_says_why(world, client):
    resp = public_post(client, world)
    assert resp.status_code == 400 and "匿名反映请留下手机号码" in resp.content.decode()
    assert "村口路灯坏了三个月" in resp.content.decode()


def test_public_upload_of_a_wrong_type_shows_the_chinese_error(world, client):
    bad = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is an exe", content_type="image/jpeg")
    resp = public_post(client, world, submitter_phone="13900000002", photo=bad)
    body = resp.content.decode()
    assert resp.status_code == 400
    assert "不支持的文件类型：只接受图片（JPG、PNG、GIF、WebP）、PDF、Word 和 Excel 文件" in body
    assert Opinion.objects.count() == 0


def test_public_form_is_throttled_with_a_message(world, client, settings):
    settings.RENDA = {**settings.RENDA, "PUBLIC_SUBMIT_PER_IP_PER_HOUR": 1}
    assert public_post(client, world, submitter_phone="13900000002").status_code == 302
    resp = public_post(client, world, submitter_phone="13900000003")
    assert resp.status_code == 429 and "提交过于频繁" in resp.content.decode()


def test_tracking_page_shows_progress_but_never_a_phone_or_name(world, client):
    item = assigned_item(world)
    item = services.act(actor=world.unit_user, item=item, key="reply", data={"reply": "已安排维修"})
    body = client.get(reverse("opinions:track"), {"code": item.tracking_code.lower()}).content.decode()
    assert (
        item.tracking_code in body and "已答复" in body and "已安排维修" in body and "城关镇人民政府" in body
    )
    assert PHONE not in body and "王五" not in body


def test_tracking_a_merged_item_shows_the_progress_without_the_other_code(world, client):
    first = assigned_item(world)
    services.act(actor=world.unit_user, item=first, key="reply", data={"reply": "已列入计划"})
    second = new_item(world)
    services.act(actor=world.town_user, item=second, key="merge", data={"into": first.tracking_code})
    body = client.get(reverse("opinions:track"), {"code": second.tracking_code}).content.decode()
    assert "合并办理" in body and "已列入计划" in body and "已答复" in body
    assert first.tracking_code not in body


def test_tracking_page_with_an_unknown_code(world, client):
    resp = client.get(reverse("opinions:track"), {"code": "MYNOTHING"})
    assert resp.status_code == 404 and "查询码不存在" in resp.content.decode()


def test_public_attachments_only_on_the_tracking_page(world, client):
    public_post(
        client,
        world,
        submitter_phone="13900000002",
        photo=SimpleUploadedFile("p.png", PNG, content_type="image/png"),
    )
    item = Opinion.objects.get()
    body = client.get(reverse("opinions:track"), {"code": item.tracking_code}).content.decode()
    src = body.split('<img src="')[1].split('"')[0]
    assert client.get(src).status_code == 200
    other = new_item(world)
    services.add_attachment(
        actor=world.town_user, item=other, upload=SimpleUploadedFile("q.png", PNG, content_type="image/png")
    )
    from apps.workflow.uploads import attachments_of

    hidden = attachments_of(other).get()
    url = reverse("opinions:public_attachment", args=[other.tracking_code, hidden.pk])
    assert client.get(url).status_code == 404


# --- reception days ---------------------------------------------------------------------------------------


def test_keeper_plans_the_year_and_records_a_day(world, client):
    client.force_login(world.keeper_user)
    assert client.get(reverse("opinions:reception_list")).status_code == 200
    year = date.today().year
    resp = client.post(reverse("opinions:reception_plan", args=[world.station_a.pk]), {"year": year})
    assert resp.status_code == 302
    assert ReceptionDay.objects.filter(station=world.station_a, date__year=year).count() == 12
    day = (
        ReceptionDay.objects.filter(station=world.station_a, date__lte=date.today()).order_by("date").first()
    )
    if day is None:  # early January: the first reception day is still ahead
        day = ReceptionDay.objects.create(
            station=world.station_a, region=world.town_a, date=date(year - 1, 12, 5)
        )
    url = reverse("opinions:reception_day", args=[day.pk])
    body = client.get(url).content.decode()
    assert "张三" in body and "登记当天反映的问题" in body and "公布排班" in body
    assert reverse("opinions:station_qr", args=[world.station_a.pk]) in body
    resp = client.post(url, {"action": "record", "present": [world.deputy_a.pk], "voters_received": "abc"})
    assert resp.status_code == 400 and "请填写接待人数" in resp.content.decode()
    resp = client.post(
        url,
        {"action": "record", "present": [world.deputy_a.pk], "voters_received": "12", "notes": "反映道路"},
    )
    assert resp.status_code == 302
    day.refresh_from_db()
    assert day.voters_received == 12 and list(day.present.all()) == [world.deputy_a]


def test_rota_is_published_from_the_day_page(world, client, django_capture_on_commit_callbacks):
    day = ReceptionDay.objects.create(station=world.station_a, region=world.town_a, date=date(2099, 3, 3))
    client.force_login(world.town_user)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("opinions:reception_day", args=[day.pk]),
            {"action": "publish", "rota": [world.deputy_a.pk, world.deputy_a2.pk]},
        )
    assert resp.status_code == 302
    day.refresh_from_db()
    assert day.rota_published_at is not None and day.rota.count() == 2
    client.force_login(world.deputy_user)
    body = client.get(reverse("opinions:reception_day", args=[day.pk])).content.decode()
    assert "赵六" in body and "公布排班" not in body  # a deputy on duty reads the rota, cannot change it


def test_reception_list_costs_the_same_for_5_or_15_days(world, client, django_assert_max_num_queries):
    client.force_login(world.town_user)
    for n in (5, 15):
        for month in range(ReceptionDay.objects.count() + 1, n + 1):
            past = ReceptionDay.objects.create(
                station=world.station_a, region=world.town_a, date=date(2020, 1, month)
            )
            ahead = ReceptionDay.objects.create(
                station=world.station_a, region=world.town_a, date=date(2099, 1, month)
            )
            ahead.rota.set([world.deputy_a, world.deputy_a2])
            assert past.pk
        with django_assert_max_num_queries(13):  # + the top bar's own town
            body = client.get(reverse("opinions:reception_list")).content.decode()
        assert "赵六" in body and "2020-01-01" in body


def test_reception_day_of_another_town_is_hidden(world, client):
    day = ReceptionDay.objects.create(station=world.station_a, region=world.town_a, date=date(2099, 3, 3))
    assert page(client, world.town_b_user, "opinions:reception_day", day.pk).status_code == 404
    assert page(client, world.unit_user, "opinions:reception_day", day.pk).status_code == 404


def test_the_station_form_shows_the_published_rota_of_coming_reception_days(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from apps.opinions.models import ReceptionDay

    day = ReceptionDay.objects.create(
        station=world.station_a, region=world.station_a.region, date=timezone.localdate() + timedelta(days=7)
    )
    day.rota.set([world.deputy_a])
    page = client.get(f"/o/new/?station={world.station_a.pk}").content.decode()
    assert "张三" not in page  # not published yet
    day.rota_published_at = timezone.now()
    day.save()
    page = client.get(f"/o/new/?station={world.station_a.pk}").content.decode()
    assert "近期接待选民日" in page and "张三" in page

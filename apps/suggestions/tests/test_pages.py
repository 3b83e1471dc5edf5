"""The suggestion and motion pages: each answers its roles and refuses the others, every step of the path
works through the item page, lists and figures cost the same at any size."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.tests.factories import user_with
from apps.opinions.tests.factories import opinion
from apps.people.tests.factories import DeputyFactory, MandateFactory
from apps.places.tests.factories import HandlingUnitFactory
from apps.suggestions import services
from apps.suggestions.models import Award, CoHandling, Motion, Signature, Suggestion

from .factories import deputy_a2_user, draft

pytestmark = pytest.mark.django_db

REPLY = {
    "category": "A",
    "doc_number": "城政函〔2026〕5号",
    "signer": "王镇长",
    "done_text": "已完成通组路硬化2公里。",
    "reply_text": "经镇政府研究，月河村三组至四组通组路已列入今年计划并完成硬化。",
}


def submitted(world):
    item = draft(world)
    services.respond(actor=deputy_a2_user(world), item=item, accept=True)
    return services.act(actor=world.deputy_user, item=item, key="submit")


def assigned(world, **data):
    item = services.act(actor=world.town_user, item=submitted(world), key="register")
    return services.act(
        actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk, **data}
    )


def replied(world, **extra):
    item = assigned(world)
    services.record_consultation(actor=world.unit_user, item=item, method="visit", on=date.today())
    item.refresh_from_db()
    return services.act(actor=world.unit_user, item=item, key="reply", data={**REPLY, **extra})


def page(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def post(client, name, *args, **data):
    return client.post(reverse(name, args=args), data)


def deputy_b_user(world):
    user = user_with("deputy", "deputyb", deputy=world.deputy_b)
    world.deputy_b.user = user
    world.deputy_b.save()
    return user


# --- who sees what ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["county_user", "town_user", "deputy_user", "deputy_a2"])
def test_item_page_opens_for_the_offices_and_the_signers(world, client, who):
    item = submitted(world)
    user = deputy_a2_user(world) if who == "deputy_a2" else getattr(world, who)
    resp = page(client, user, "suggestions:detail", item.pk)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert item.title in body and "张三" in body and "赵六" in body


@pytest.mark.parametrize("who", ["town_b_user", "keeper_user", "unit_user", "deputy_b"])
def test_item_page_is_hidden_from_everyone_else(world, client, who):
    item = submitted(world)
    user = deputy_b_user(world) if who == "deputy_b" else getattr(world, who)
    assert page(client, user, "suggestions:detail", item.pk).status_code == 404
    assert page(client, user, "suggestions:letter", item.pk).status_code == 404
    resp = post(client, "suggestions:act", item.pk, "register", version=item.version)
    assert resp.status_code == 404
    assert Suggestion.objects.get(pk=item.pk).state == "submitted"
    assert item.title not in page(client, user, "suggestions:list").content.decode()


def test_a_unit_sees_only_what_is_assigned_to_it(world, client):
    waiting = submitted(world)
    mine = assigned(world)
    other_unit = HandlingUnitFactory(name="城关镇农业综合服务站", region=world.town_a)
    services.act(actor=world.town_user, item=waiting, key="register")
    waiting.refresh_from_db()
    services.act(actor=world.town_user, item=waiting, key="assign", data={"unit": other_unit.pk})
    client.force_login(world.unit_user)
    body = client.get(reverse("suggestions:list"), {"year": ""}).content.decode()
    assert reverse("suggestions:detail", args=[mine.pk]) in body
    assert reverse("suggestions:detail", args=[waiting.pk]) not in body
    assert client.get(reverse("suggestions:detail", args=[waiting.pk])).status_code == 404
    resp = client.get(reverse("suggestions:detail", args=[mine.pk]))
    assert resp.status_code == 200 and "登记面商情况" in resp.content.decode()


def test_a_deputy_lists_only_what_they_signed(world, client):
    mine = draft(world, co_signers=[])
    theirs = draft(world, actor=deputy_a2_user(world), co_signers=[], title="关于修缮村小学围墙的建议")
    client.force_login(world.deputy_user)
    body = client.get(reverse("suggestions:list")).content.decode()
    assert mine.title in body and theirs.title not in body
    assert client.get(reverse("suggestions:detail", args=[theirs.pk])).status_code == 404


def test_pages_need_a_login_except_the_published_replies(world, client):
    item = submitted(world)
    for name, args in [
        ("suggestions:list", []),
        ("suggestions:new", []),
        ("suggestions:detail", [item.pk]),
        ("suggestions:stats", []),
        ("suggestions:motion_list", []),
        ("suggestions:letter", [item.pk]),
    ]:
        resp = client.get(reverse(name, args=args))
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    assert client.get(reverse("suggestions:public_list")).status_code == 200


@pytest.mark.parametrize("who", ["keeper_user", "deputy_user", "unit_user"])
def test_stats_are_for_offices_only(world, client, who):
    assert page(client, getattr(world, who), "suggestions:stats").status_code == 403


@pytest.mark.parametrize("who", ["keeper_user", "unit_user"])
def test_only_deputies_and_offices_draft(world, client, who):
    assert page(client, getattr(world, who), "suggestions:new").status_code == 403
    assert page(client, getattr(world, who), "suggestions:motion_new").status_code == 403


# --- the list and its ledger --------------------------------------------------------------------------------


def test_list_filters_and_flags_overdue_items(world, client):
    late = assigned(world)
    Suggestion.objects.filter(pk=late.pk).update(due_date=date(2020, 1, 3), is_key=True)
    school = draft(world, title="关于学校门口增设红绿灯的建议", topic="school", co_signers=[])
    services.act(actor=world.deputy_user, item=school, key="submit")
    client.force_login(world.town_user)
    body = client.get(reverse("suggestions:list"), {"overdue": "1"}).content.decode()
    assert late.title in body and "学校门口" not in body
    assert "已超期" in body and "2020-01-03" in body and "op-overdue" in body
    body = client.get(reverse("suggestions:list"), {"topic": "school"}).content.decode()
    assert "学校门口" in body and late.title not in body
    body = client.get(reverse("suggestions:list"), {"state": "open", "key": "1"}).content.decode()
    assert late.title in body and "学校门口" not in body
    htmx = client.get(reverse("suggestions:list"), {"q": late.number}, HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode() and late.title in htmx.content.decode()


def test_county_office_filters_by_town(world, client):
    item = submitted(world)
    client.force_login(world.county_user)
    body = client.get(reverse("suggestions:list"), {"region": world.town_b.code}).content.decode()
    assert item.title not in body and "涧池镇" in body  # the town select
    body = client.get(reverse("suggestions:list"), {"region": world.town_a.code}).content.decode()
    assert item.title in body


def _list_queries(client, user, django_assert_max_num_queries, n):
    client.force_login(user)
    with django_assert_max_num_queries(n):
        resp = client.get(reverse("suggestions:list"))
    assert resp.status_code == 200
    return resp.content.decode()


@pytest.mark.parametrize("who", ["county_user", "town_user", "unit_user", "deputy_user"])
def test_list_page_costs_the_same_for_5_or_15_items(world, client, django_assert_max_num_queries, who):
    for _ in range(5):
        assigned(world)
    _list_queries(client, getattr(world, who), django_assert_max_num_queries, 12)
    for _ in range(10):
        assigned(world)
    body = _list_queries(client, getattr(world, who), django_assert_max_num_queries, 12)
    assert body.count("城关镇人民政府") >= 15


def test_ledger_exports_the_paper_layout_scoped_like_the_page(world, client):
    co = HandlingUnitFactory(name="城关镇农业综合服务站", region=world.town_a)
    item = assigned(world, co_units=[co.pk])
    services.record_consultation(actor=world.unit_user, item=item, method="phone", on=date.today())
    item.refresh_from_db()
    item = services.act(actor=world.unit_user, item=item, key="reply", data=REPLY)
    services.rate(actor=world.deputy_user, item=item, handling="satisfied", result="basic")
    services.act(actor=world.deputy_user, item=draft(world, title="第二件建议", co_signers=[]), key="submit")
    draft(world, title="张三的草稿", co_signers=[])  # a deputy's draft: in no office ledger
    other = draft(world, actor=world.town_b_user, lead=world.deputy_b.pk, co_signers=[], title="涧池镇的建议")
    assert other.town_id == world.town_b.pk
    client.force_login(world.town_user)
    resp = client.get(reverse("suggestions:list"), {"export": "xlsx"})
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == f"城关镇代表建议办理台账（{date.today().year}年）"
    assert rows[1] == (
        "序号", "立案号", "镇", "查询码", "标题", "领衔代表", "联名代表", "提出时间", "提交日期", "类别",
        "主办单位", "协办单位", "交办日期", "答复时限", "答复日期", "答复类别", "是否按时", "代表评价",
        "状态",
    )  # fmt: skip
    assert len(rows) == 2 + 2  # town B's suggestion and the deputy's draft are not there
    by_title = {r[4]: r for r in rows[2:]}
    assert "张三的草稿" not in by_title
    r = by_title[item.title]
    assert r[2] == "城关镇" and r[3] == item.tracking_code and r[3].startswith("JY")
    r = r[:2] + r[4:]  # the columns after 镇 and 查询码 as they were
    assert r[1] == item.number and r[3] == "张三" and r[4] == "赵六" and r[5] == "闭会期间（直通车）"
    assert r[6] is not None  # 提交日期, so an exported ledger imports again with it
    assert r[8] == "城关镇人民政府" and r[9] == "城关镇农业综合服务站"
    assert r[11] is not None and r[13] == "A" and r[14] == "是"  # 答复时限 is the unit's deadline
    assert "张三：工作满意，结果基本满意" in r[15] and r[16] == "已答复"
    assert by_title["第二件建议"][18] == "已提交"
    assert ws.freeze_panes == "A3"


# --- drafting -----------------------------------------------------------------------------------------------


def draft_form(world, **extra):
    data = {
        "title": "关于硬化月河村通组路的建议",
        "content": "月河村三组至四组通组路约2公里，雨天泥泞。",
        "topic": "road",
        "period": "between",
        "session_label": "",
        "co_signers": [world.deputy_a2.pk],
    }
    data.update(extra)
    return data


def test_a_deputy_drafts_with_a_cosigner_on_the_page(world, client):
    client.force_login(world.deputy_user)
    body = client.get(reverse("suggestions:new")).content.decode()
    assert "赵六" in body and 'name="lead"' not in body and "李四" not in body  # only the town's deputies
    resp = client.post(reverse("suggestions:new"), draft_form(world))
    item = Suggestion.objects.get()
    assert resp.status_code == 302 and resp["Location"] == item.get_absolute_url()
    assert item.lead == world.deputy_a and item.state == "draft"
    assert list(item.signatures.filter(is_lead=False).values_list("deputy__name", "status")) == [
        ("赵六", "invited")
    ]
    body = client.get(resp["Location"]).content.decode()
    assert "待确认" in body and "还有联名代表未确认" in body and "修改建议" in body


def test_a_draft_error_is_shown_beside_the_field_and_nothing_is_lost(world, client):
    client.force_login(world.deputy_user)
    resp = client.post(reverse("suggestions:new"), draft_form(world, content="", session_label="第五次会议"))
    body = resp.content.decode()
    assert resp.status_code == 400 and Suggestion.objects.count() == 0
    field = body.split('name="content"')[1].split("</label>")[0]
    assert "这个字段是必填项" in field or "必填" in field
    assert 'value="关于硬化月河村通组路的建议"' in body and 'value="第五次会议"' in body
    assert f'name="co_signers" value="{world.deputy_a2.pk}" id="id_co_signers_0" checked' in body


def test_a_service_error_lands_beside_its_field(world, client):
    outsider = DeputyFactory(name="王五", region=world.village_b, station=world.station_b)
    MandateFactory(deputy=outsider, congress_region=world.town_b)
    client.force_login(world.town_user)
    resp = client.post(
        reverse("suggestions:new"), draft_form(world, lead=world.deputy_a.pk, co_signers=[world.deputy_a2.pk])
    )
    assert resp.status_code == 302  # the office enters it for 张三
    item = Suggestion.objects.get()
    assert item.lead == world.deputy_a and item.signatures.count() == 2
    client.force_login(world.county_user)
    resp = client.post(
        reverse("suggestions:new"), draft_form(world, lead=world.deputy_a.pk, co_signers=[outsider.pk])
    )
    body = resp.content.decode()
    assert resp.status_code == 400 and "联名代表须是本镇代表" in body.split('name="co_signers"')[-1]


def test_a_draft_starts_from_an_opinion(world, client):
    op = opinion(world, station=world.station_a.pk, deputy=world.deputy_a.pk, title="三组路灯不亮")
    client.force_login(world.deputy_user)
    resp = client.get(reverse("suggestions:new"), {"opinion": op.pk})
    body = resp.content.decode()
    assert resp.status_code == 200 and 'value="三组路灯不亮"' in body and op.tracking_code in body
    assert f'<option value="{op.pk}" selected>' in body
    resp = client.post(reverse("suggestions:new"), draft_form(world, opinions=[op.pk], co_signers=[]))
    item = Suggestion.objects.get()
    assert list(item.opinions.all()) == [op]
    body = client.get(item.get_absolute_url()).content.decode()
    assert reverse("opinions:detail", args=[op.pk]) in body
    assert page(client, world.town_b_user, "suggestions:new", opinion=op.pk).status_code == 404


def test_the_lead_edits_a_returned_suggestion(world, client):
    item = submitted(world)
    services.act(actor=world.town_user, item=item, key="return", reason="请补充具体地点")
    client.force_login(world.deputy_user)
    body = client.get(reverse("suggestions:edit", args=[item.pk])).content.decode()
    assert "请补充具体地点" in body
    resp = client.post(
        reverse("suggestions:edit", args=[item.pk]), draft_form(world, title="关于硬化月河村三组通组路的建议")
    )
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.title == "关于硬化月河村三组通组路的建议"
    assert page(client, deputy_a2_user(world), "suggestions:edit", item.pk).status_code == 403


def test_the_invited_deputy_confirms_on_the_item_page(world, client):
    item = draft(world)
    client.force_login(deputy_a2_user(world))
    body = client.get(item.get_absolute_url()).content.decode()
    assert "确认联名" in body and "谢绝" in body
    assert reverse("suggestions:act", args=[item.pk, "submit"]) not in body  # only the lead submits
    resp = client.post(reverse("suggestions:sign", args=[item.pk]), {"accept": "1"})
    assert resp.status_code == 302
    assert Signature.objects.get(suggestion=item, deputy=world.deputy_a2).status == "confirmed"
    body = client.get(item.get_absolute_url()).content.decode()
    assert reverse("suggestions:sign", args=[item.pk]) not in body and "已确认" in body
    client.force_login(world.deputy_user)
    body = client.get(item.get_absolute_url()).content.decode()
    assert reverse("suggestions:act", args=[item.pk, "submit"]) in body


# --- steps through the page ---------------------------------------------------------------------------------


def act(client, item, key, version=None, **data):
    return client.post(
        reverse("suggestions:act", args=[item.pk, key]),
        {"version": item.version if version is None else version, **data},
    )


def test_the_whole_path_through_the_item_page(world, client, django_capture_on_commit_callbacks):
    co = HandlingUnitFactory(name="城关镇农业综合服务站", region=world.town_a)
    co_user = user_with("unit_staff", "counit", unit=co)
    item = draft(world)
    a2 = deputy_a2_user(world)
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(a2)
        assert post(client, "suggestions:sign", item.pk, accept="1").status_code == 302
        client.force_login(world.deputy_user)
        assert act(client, item, "submit").status_code == 302
        item.refresh_from_db()
        client.force_login(world.town_user)
        body = client.get(item.get_absolute_url()).content.decode()
        assert "立案" in body and "退回修改" in body and "不予立案" in body
        assert act(client, item, "register").status_code == 302
        item.refresh_from_db()
        body = client.get(item.get_absolute_url()).content.decode()
        assert 'name="co_units"' in body and "城关镇农业综合服务站" in body
        resp = act(
            client, item, "assign", unit=world.unit_a.pk, co_units=[co.pk], responsible_person="李主任"
        )
        assert resp.status_code == 302
        item.refresh_from_db()
        # The co-handling unit reads the suggestion and sends its part to the lead unit.
        client.force_login(co_user)
        body = client.get(item.get_absolute_url()).content.decode()
        assert "协办单位" in body and item.content[:10] in body and 'name="input_text"' in body
        part = CoHandling.objects.get(suggestion=item)
        resp = post(client, "suggestions:cohandling", item.pk, part.pk, input_text="已安排农技人员配合")
        assert resp.status_code == 302
        client.force_login(world.unit_user)
        body = client.get(item.get_absolute_url()).content.decode()
        assert "已安排农技人员配合" in body
        assert "答复前须先登记与代表的面商情况" in body  # the reply waits for the consultation
        resp = post(client, "suggestions:consult", item.pk, consult_method="visit", consult_on="")
        assert resp.status_code == 400 and "请填写面商日期" in resp.content.decode()
        today = date.today().isoformat()
        resp = post(client, "suggestions:consult", item.pk, consult_method="visit", consult_on=today)
        assert resp.status_code == 302
        item.refresh_from_db()
        assert act(client, item, "reply", **REPLY).status_code == 302
        item.refresh_from_db()
        assert item.state == "replied" and item.category == "A"
        for user in (world.deputy_user, a2):
            client.force_login(user)
            body = client.get(item.get_absolute_url()).content.decode()
            assert "评价答复" in body and "下载答复函" in body
            resp = post(client, "suggestions:rate", item.pk, handling="satisfied", result="satisfied")
            assert resp.status_code == 302
    item.refresh_from_db()
    assert item.state == "closed" and item.solved and item.responsible_person == "李主任"
    body = client.get(item.get_absolute_url()).content.decode()
    assert "已办结" in body and "办理过程" in body and "评价答复" not in body and body.count("满意") >= 4


def test_a_stale_form_gets_the_conflict_message(world, client):
    item = submitted(world)
    stale = item.version
    services.act(actor=world.county_user, item=item, key="register")
    client.force_login(world.town_user)
    resp = act(client, item, "return", version=stale, reason="请补充")
    assert resp.status_code == 409
    assert "该事项刚被他人处理，请刷新页面后再试" in resp.content.decode()
    assert Suggestion.objects.get(pk=item.pk).state == "registered"


def test_a_refused_reply_keeps_what_was_typed(world, client):
    item = assigned(world)
    services.record_consultation(actor=world.unit_user, item=item, method="none", on=None)
    item.refresh_from_db()
    client.force_login(world.unit_user)
    resp = act(client, item, "reply", **{**REPLY, "category": "B", "planned_text": "明年实施"})
    body = resp.content.decode()
    assert resp.status_code == 400 and "B类答复须写明计划完成时间" in body
    assert 'value="城政函〔2026〕5号"' in body and "明年实施" in body and 'value="B" checked' in body


def test_decline_can_turn_it_into_an_opinion(world, client):
    item = submitted(world)
    client.force_login(world.town_user)
    resp = act(client, item, "decline", reason="属于村务，转社情民意办理", to_opinion="1")
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.state == "declined" and item.opinions.count() == 1
    body = client.get(item.get_absolute_url()).content.decode()
    assert reverse("opinions:detail", args=[item.opinions.get().pk]) in body


def test_similar_suggestions_are_offered_for_merging_at_review(world, client):
    keep = services.act(actor=world.town_user, item=submitted(world), key="register")
    other = draft(world, actor=deputy_a2_user(world), co_signers=[])
    other = services.act(actor=deputy_a2_user(world), item=other, key="submit")
    client.force_login(world.town_user)
    body = client.get(other.get_absolute_url()).content.decode()
    assert "相似建议" in body and keep.number in body and "并入此件" in body
    resp = act(client, other, "merge", into=keep.pk)
    assert resp.status_code == 302
    other.refresh_from_db()
    assert other.state == "merged" and other.merged_into == keep
    body = client.get(keep.get_absolute_url()).content.decode()
    assert "并入本件" in body and "并案" in body


def test_the_deputy_of_a_merged_suggestion_reads_and_rates_the_kept_one(world, client):
    keep = services.act(actor=world.deputy_user, item=draft(world, co_signers=[]), key="submit")
    keep = services.act(actor=world.town_user, item=keep, key="register")
    a2 = deputy_a2_user(world)
    other = services.act(actor=a2, item=draft(world, actor=a2, co_signers=[]), key="submit")
    services.act(actor=world.town_user, item=other, key="merge", data={"into": keep.number})
    keep = services.act(actor=world.town_user, item=keep, key="assign", data={"unit": world.unit_a.pk})
    services.record_consultation(actor=world.unit_user, item=keep, method="phone", on=date.today())
    keep.refresh_from_db()
    keep = services.act(actor=world.unit_user, item=keep, key="reply", data=REPLY)
    client.force_login(a2)
    body = client.get(keep.get_absolute_url()).content.decode()
    assert "评价答复" in body and "并案" in body
    assert client.get(reverse("suggestions:letter", args=[keep.pk])).status_code == 200
    resp = post(client, "suggestions:rate", keep.pk, handling="satisfied", result="basic")
    assert resp.status_code == 302 and resp["Location"] == keep.get_absolute_url()
    assert keep.feedback.get().deputy == world.deputy_a2
    assert page(client, deputy_b_user(world), "suggestions:detail", keep.pk).status_code == 404


def test_key_supervision_and_visits(world, client):
    item = assigned(world)
    client.force_login(world.town_user)
    resp = post(client, "suggestions:key", item.pk, is_key="1", key_member="")
    assert resp.status_code == 400 and "请指定督办的主席团成员" in resp.content.decode()
    resp = post(client, "suggestions:key", item.pk, is_key="1", key_member=world.deputy_a2.pk)
    assert resp.status_code == 302
    resp = post(client, "suggestions:visit", item.pk, date="2026-13-01", note="现场查看")
    assert resp.status_code == 400 and "现场查看" in resp.content.decode()
    # the presidium member in charge records the visit
    client.force_login(deputy_a2_user(world))
    resp = post(client, "suggestions:visit", item.pk, date=date.today().isoformat(), note="现场查看施工进度")
    assert resp.status_code == 302
    body = client.get(item.get_absolute_url()).content.decode()
    assert "重点督办" in body and "现场查看施工进度" in body
    client.force_login(world.unit_user)
    assert post(client, "suggestions:key", item.pk, is_key="0").status_code == 403


def test_publish_toggle_and_the_public_pages(world, client):
    item = replied(world)
    # not public while its signers may still rate it (issue 16 item 10); public once they all have
    assert client.get(reverse("suggestions:public_detail", args=[item.pk])).status_code == 404
    services.rate(actor=world.deputy_user, item=item, handling="satisfied", result="satisfied")
    assert client.get(reverse("suggestions:public_detail", args=[item.pk])).status_code == 404
    services.rate(actor=deputy_a2_user(world), item=item, handling="satisfied", result="basic")
    item.refresh_from_db()
    assert item.state == "closed" and item.published_round == item.rounds == 1
    world.unit_a.contact_person, world.unit_a.contact_phone = "刘干事", "0915-5212345"
    world.unit_a.save()
    world.deputy_a.address = "城关镇幸福小区8号楼"
    world.deputy_a.save()
    client.logout()
    body = client.get(reverse("suggestions:public_list")).content.decode()
    assert item.number in body and item.title in body and "张三" in body and "城关镇人民政府" in body
    detail = client.get(reverse("suggestions:public_detail", args=[item.pk])).content.decode()
    assert REPLY["reply_text"] in detail and "A类" in detail
    for secret in (world.deputy_a.phone, world.deputy_a2.phone, "0915-5212345", world.deputy_a.address):
        assert secret not in body and secret not in detail
    client.force_login(world.town_user)
    assert post(client, "suggestions:publish", item.pk, publish="0").status_code == 302
    client.logout()
    assert item.title not in client.get(reverse("suggestions:public_list")).content.decode()
    assert client.get(reverse("suggestions:public_detail", args=[item.pk])).status_code == 404
    draft_item = draft(world, co_signers=[])
    assert client.get(reverse("suggestions:public_detail", args=[draft_item.pk])).status_code == 404


# --- figures and awards -------------------------------------------------------------------------------------


def _stats(client, user, django_assert_max_num_queries, n, **params):
    client.force_login(user)
    with django_assert_max_num_queries(n):
        resp = client.get(reverse("suggestions:stats"), params)
    assert resp.status_code == 200
    return resp.content.decode()


@pytest.mark.parametrize("by", ["town", "unit", "deputy", "session"])
def test_stats_page_costs_the_same_for_5_or_15_items(world, client, django_assert_max_num_queries, by):
    for _ in range(5):
        replied(world)
    _stats(client, world.town_user, django_assert_max_num_queries, 15, by=by)
    for _ in range(10):
        replied(world)
    body = _stats(client, world.town_user, django_assert_max_num_queries, 15, by=by)
    assert "解决率" in body and "满意率" in body and "被满意" in body
    assert {"town": "城关镇", "unit": "城关镇人民政府", "deputy": "张三", "session": "未填会议"}[by] in body


def test_stats_show_solved_beside_satisfied_and_export_every_grouping(world, client):
    item = replied(world, category="C", not_adopted_text="资金不足")
    services.rate(actor=world.deputy_user, item=item, handling="satisfied", result="satisfied")
    client.force_login(world.county_user)
    body = client.get(reverse("suggestions:stats")).content.decode()
    row = body.split('<td data-label="镇（街道）">城关镇</td>')[1].split("</tr>")[0]
    assert "100.0%" in row and "0.0%" in row  # everyone satisfied, nothing solved
    resp = client.get(reverse("suggestions:stats"), {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(resp.content))
    assert [ws.title for ws in wb.worksheets] == ["按镇", "按承办单位", "按领衔代表", "按会议"]
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:4] == ("镇（街道）", "件数", "已答复", "按时答复率")
    assert rows[2][0] == "城关镇" and rows[2][1] == 1 and rows[2][8] == 0 and rows[2][9] == 1


def test_a_town_office_selects_the_years_awards(world, client):
    item = replied(world)
    client.force_login(world.town_user)
    body = client.get(reverse("suggestions:stats")).content.decode()
    assert "评优评先" in body and f'name="suggestions" value="{item.pk}"' in body
    resp = post(
        client,
        "suggestions:awards",
        town=world.town_a.code,
        year=date.today().year,
        suggestions=[item.pk],
        units=[world.unit_a.pk],
    )
    assert resp.status_code == 302
    assert set(Award.objects.values_list("kind", flat=True)) == {"suggestion", "unit"}
    body = client.get(resp["Location"]).content.decode()
    assert "优秀承办单位" in body and f'value="{item.pk}" checked' in body
    client.force_login(world.town_b_user)
    resp = post(client, "suggestions:awards", town=world.town_a.code, year=date.today().year)
    assert resp.status_code == 404


# --- motions ------------------------------------------------------------------------------------------------


def _deputies(world, n):
    out = []
    for i in range(n):
        d = DeputyFactory(name=f"代表{i}", region=world.village_a, station=world.station_a)
        MandateFactory(deputy=d, congress_region=world.town_a)
        d.user = user_with("deputy", f"m{i}", deputy=d)
        d.save()
        out.append(d)
    return out


def test_a_motion_with_too_few_signers_shows_why_it_cannot_be_submitted(world, client):
    others = _deputies(world, 4)
    client.force_login(world.deputy_user)
    resp = client.post(
        reverse("suggestions:motion_new"),
        {
            "title": "关于设立月河流域保护专项资金的议案",
            "content": "……",
            "co_signers": [d.pk for d in others],
        },
    )
    motion = Motion.objects.get()
    assert resp.status_code == 302 and resp["Location"] == motion.get_absolute_url()
    for d in others[:3]:
        client.force_login(d.user)
        assert "确认联名" in client.get(motion.get_absolute_url()).content.decode()
        assert post(client, "suggestions:motion_sign", motion.pk, accept="1").status_code == 302
    client.force_login(world.deputy_user)
    body = client.get(motion.get_absolute_url()).content.decode()
    assert "代表联名提出议案须有5名以上代表确认联名，目前只有4名" in body
    resp = post(client, "suggestions:motion_act", motion.pk, "submit")
    assert resp.status_code == 409 and "5名以上" in resp.content.decode()
    client.force_login(others[3].user)
    post(client, "suggestions:motion_sign", motion.pk, accept="1")
    client.force_login(world.deputy_user)
    assert post(client, "suggestions:motion_act", motion.pk, "submit").status_code == 302
    client.force_login(world.town_user)
    body = client.get(reverse("suggestions:motion_list")).content.decode()
    assert motion.title in body and "5人" in body
    resp = post(client, "suggestions:motion_act", motion.pk, "to_suggestion", reason="不属于议案范围")
    motion.refresh_from_db()
    assert resp.status_code == 302 and motion.state == "to_suggestion"
    body = client.get(motion.get_absolute_url()).content.decode()
    assert reverse("suggestions:detail", args=[motion.suggestion_id]) in body
    assert page(client, world.town_b_user, "suggestions:motion", motion.pk).status_code == 404


def test_an_office_enters_a_presidium_motion(world, client):
    client.force_login(world.town_user)
    body = client.get(reverse("suggestions:motion_new")).content.decode()
    assert "录入主席团议案" in body
    resp = client.post(
        reverse("suggestions:motion_new"),
        {"region": world.town_a.code, "title": "关于镇区停车管理的议案", "content": "……"},
    )
    motion = Motion.objects.get()
    assert resp.status_code == 302 and motion.by_presidium and motion.region == world.town_a
    assert post(client, "suggestions:motion_act", motion.pk, "submit").status_code == 302
    assert post(client, "suggestions:motion_act", motion.pk, "put_on_agenda").status_code == 302
    motion.refresh_from_db()
    assert motion.state == "on_agenda"

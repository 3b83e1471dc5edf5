"""The home page is a to-do list (issue 16 item 8): each role sees what waits for it, overdue first, one
click from the action; what lies outside the person's scope never shows."""

import datetime

from django.test import Client
from django.urls import reverse

from apps.accounts.services import issue_token
from apps.duty.tests.factories import entered
from apps.opinions.models import Opinion
from apps.opinions.tests.factories import opinion
from renda.todo import todo


def _page(user):
    c = Client()
    c.force_login(user)
    r = c.get("/")
    assert r.status_code == 200
    return r.content.decode()


def _due(item, days):
    type(item).objects.filter(pk=item.pk).update(
        due_date=datetime.date.today() + datetime.timedelta(days=days)
    )


def test_the_town_office_sees_its_opinions_and_records_to_review_overdue_first(world):
    later = opinion(world, title="路灯不亮")
    late = opinion(world, title="桥梁垮塌")
    _due(later, 5)
    _due(late, -3)
    entered(world.deputy_a, title="走访选民")
    lines = todo(world.town_user)
    titles = [line.title for line in lines]
    assert "桥梁垮塌" in titles[0] and lines[0].overdue
    assert any("路灯不亮" in t for t in titles)
    review = [line for line in lines if line.kind == "履职记录审核"]
    assert review and review[0].action == "通过" and review[0].url.startswith("/duty/records/")
    page = _page(world.town_user)
    assert page.index("桥梁垮塌") < page.index("路灯不亮")
    assert "todo-line overdue" in page
    assert late.get_absolute_url() in page


def test_another_towns_items_never_show(world):
    opinion(world, title="桥梁垮塌")
    assert not any("桥梁垮塌" in line.title for line in todo(world.town_b_user))
    assert "桥梁垮塌" not in _page(world.town_b_user)


def test_a_deputy_sees_invitations_rejected_records_and_reception_duty(world):
    from apps.duty.models import ReviewState
    from apps.opinions.models import ReceptionDay

    entered(world.deputy_a, title="调研产业发展", state=ReviewState.REJECTED)
    entered(world.deputy_b, title="别人的记录", state=ReviewState.REJECTED)
    day = ReceptionDay.objects.create(
        station=world.station_a, region=world.town_a, date=datetime.date.today() + datetime.timedelta(days=3)
    )
    day.rota.add(world.deputy_a)
    lines = todo(world.deputy_user)
    kinds = {line.kind for line in lines}
    assert "接待选民日" in kinds
    assert any("调研产业发展" in line.title for line in lines)
    assert not any("别人的记录" in line.title for line in lines)
    assert "值班" in _page(world.deputy_user)


def test_a_teller_owing_a_key_share_is_reminded(world):
    from apps.ballotbox.models import Trustee
    from apps.ballotbox.services import create_box

    create_box(
        actor=world.town_user,
        region=world.town_a,
        title="测试票箱",
        labels=["赞成", "反对"],
        tellers=[world.town_user, world.county_user],
    )
    assert Trustee.objects.filter(user=world.county_user, public_share="").exists()
    owed = [line for line in todo(world.county_user) if line.action == "生成密钥份额"]
    assert owed and owed[0].url == "/ballotbox/desk/"
    assert not any(line.action == "生成密钥份额" for line in todo(world.town_b_user))


def test_the_api_answers_the_same_lines(world, client):
    late = opinion(world, title="桥梁垮塌")
    _due(late, -1)
    token = issue_token(user=world.town_user)
    r = client.get("/api/v1/todo", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] >= 1
    first = body["items"][0]
    assert "桥梁垮塌" in first["title"] and first["overdue"] is True
    assert first["url"] == late.get_absolute_url()
    other = client.get("/api/v1/todo", HTTP_AUTHORIZATION=f"Bearer {issue_token(user=world.town_b_user)}")
    assert not any("桥梁垮塌" in i["title"] for i in other.json()["items"])
    assert Opinion.objects.filter(pk=late.pk).exists()


def test_a_teller_owing_a_decryption_share_is_reminded_once_the_box_is_closed(world):
    from apps.ballotbox import services as ballotbox
    from apps.ballotbox.tests.factories import ready_box

    box, _codes = ready_box(world)
    assert not any(line.action == "提交解密份额" for line in todo(world.deputy_user))
    ballotbox.open_box(actor=world.town_user, box=box)
    ballotbox.close_box(actor=world.town_user, box=box)
    owed = [line for line in todo(world.deputy_user) if line.action == "提交解密份额"]
    assert [line.title for line in owed] == [str(box)] and owed[0].url == "/ballotbox/desk/"
    assert any(line.action == "提交解密份额" for line in todo(world.town_user))
    assert not any(line.action == "提交解密份额" for line in todo(world.town_b_user))


def test_an_invited_cosigner_is_asked_to_answer_until_they_do(world):
    from apps.suggestions import services
    from apps.suggestions.tests.factories import deputy_a2_user, draft

    item = draft(world, title="关于修建月河村便民桥的建议")
    invited = deputy_a2_user(world)
    lines = [line for line in todo(invited) if line.kind == "联名邀请"]
    assert len(lines) == 1 and "便民桥" in lines[0].title
    assert lines[0].url == reverse("suggestions:invitations")
    assert not any(line.kind == "联名邀请" for line in todo(world.deputy_user))  # the lead is not invited
    services.respond(actor=invited, item=item, accept=True)
    assert not any(line.kind == "联名邀请" for line in todo(invited))


def test_a_reply_waits_for_each_signers_rating_until_they_rate(world):
    from apps.suggestions import services
    from apps.suggestions.tests.factories import deputy_a2_user, draft

    item = draft(world, title="关于修建月河村便民桥的建议")
    services.respond(actor=deputy_a2_user(world), item=item, accept=True)
    item = services.act(actor=world.deputy_user, item=item, key="submit")
    item = services.act(actor=world.town_user, item=item, key="register")
    item = services.act(actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk})
    services.record_consultation(
        actor=world.unit_user, item=item, method="visit", on="2026-11-20", note="登门"
    )
    item.refresh_from_db()
    reply = {"category": "A", "doc_number": "城政函〔2026〕5号", "signer": "王镇长", "reply_text": "已建成。"}
    item = services.act(actor=world.unit_user, item=item, key="reply", data=reply)

    def rate_lines(user):
        return [line for line in todo(user) if line.action == "评价答复"]

    assert [line.url for line in rate_lines(world.deputy_user)] == [item.get_absolute_url()]
    assert len(rate_lines(deputy_a2_user(world))) == 1
    services.rate(actor=world.deputy_user, item=item, handling="satisfied", result="satisfied")
    assert rate_lines(world.deputy_user) == []  # rated: gone for them, still there for 赵六
    assert len(rate_lines(deputy_a2_user(world))) == 1
    assert rate_lines(world.town_user) == []


def test_a_unit_sees_the_item_assigned_to_it_with_its_due_date(world):
    from apps.opinions import services

    item = opinion(world, title="月河村便民桥损毁")
    item = services.act(actor=world.town_user, item=item, key="accept")
    item = services.act(actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk})
    _due(item, -2)
    lines = [line for line in todo(world.unit_user) if "便民桥" in line.title]
    assert len(lines) == 1
    line = lines[0]
    assert line.url == item.get_absolute_url() and line.overdue
    assert line.due == datetime.date.today() - datetime.timedelta(days=2)
    assert "便民桥" in _page(world.unit_user)
    # The to-do list is the unit's own: another town's office never sees it.
    assert not any("便民桥" in line.title for line in todo(world.town_b_user))


def test_a_steps_who_asked_as_a_filter_agrees_with_asking_it_item_by_item(world):
    """The to-do list asks `office_or_deputy` once per list (`who.q`); it must answer as the step does."""
    from apps.accounts.permissions import office_or_deputy
    from apps.duty.models import DutyRecord

    records = [entered(world.deputy_a, title="走访"), entered(world.deputy_b, title="调研")]
    who = office_or_deputy()
    users = [world.town_user, world.town_b_user, world.county_user, world.deputy_user, world.keeper_user]
    answers = set()
    for user in users:
        q = who.q(user, DutyRecord)
        for record in records:
            by_filter = q is None or DutyRecord.objects.filter(q, pk=record.pk).exists()
            assert by_filter == who(record, user), (user, record)
            answers.add(by_filter)
    assert answers == {True, False}


def test_the_home_page_shows_the_first_lines_and_the_todo_page_all_of_them(world, monkeypatch):
    """A clerk with a hundred things to do sees the first twelve and the count by kind on the home page,
    and every one of them, grouped by kind, on /todo/."""
    from renda import views

    monkeypatch.setattr(views, "HOME_LINES", 2)
    for n in range(4):
        _due(opinion(world, title=f"待办意见{n}"), n + 1)
    page = _page(world.town_user)
    assert page.count("待办意见") == 2
    assert reverse("todo") in page and "社情民意 4" in page
    c = Client()
    c.force_login(world.town_user)
    full = c.get(reverse("todo")).content.decode()
    assert all(f"待办意见{n}" in full for n in range(4))
    assert full.index("待办意见0") < full.index("待办意见3")
    other = Client()
    other.force_login(world.town_b_user)
    assert "待办意见" not in other.get(reverse("todo")).content.decode()
    assert Client().get(reverse("todo")).status_code == 302  # anonymous: to the login


def test_steps_nobody_waits_for_are_not_listed(world):
    """Revising a record is open to the office and the deputy, but only a rejected record waits, and for
    its deputy; withdrawing a commitment waits for nobody."""
    from apps.duty.models import DutyRecord, ReviewState

    pending = entered(world.deputy_a, title="待审记录")
    rejected = entered(world.deputy_a, title="被退回记录")
    DutyRecord.objects.filter(pk=rejected.pk).update(review_state=ReviewState.REJECTED)
    office = {(line.action, line.title.split(" · ")[-1]) for line in todo(world.town_user)}
    assert ("通过", "待审记录") in office
    assert not any(title == "被退回记录" for _a, title in office)
    deputy = {(line.action, line.title.split(" · ")[-1]) for line in todo(world.deputy_a.user)}
    assert ("修改后重新提交", "被退回记录") in deputy
    assert not any(title == "待审记录" for _a, title in deputy)
    assert pending.pk != rejected.pk


def test_an_open_survey_waits_for_each_deputy_until_they_answer(world):
    from apps.evaluations import services as evaluations
    from apps.evaluations.tests.factories import evaluation, open_survey

    item = evaluation(world)
    survey = open_survey(world, item)
    mine = [line for line in todo(world.deputy_a.user) if line.key == f"survey:{survey.pk}"]
    assert mine and mine[0].action == "参加满意度测评"
    assert mine[0].url == reverse("evaluations:rate", args=[survey.pk])
    assert not [line for line in todo(world.deputy_b.user) if line.key.startswith("survey:")]  # another town
    choices = {u.unit_id: "satisfied" for u in item.evaluated.all()}
    evaluations.respond(actor=world.deputy_a.user, survey_id=survey.pk, choices=choices)
    assert not [line for line in todo(world.deputy_a.user) if line.key == f"survey:{survey.pk}"]

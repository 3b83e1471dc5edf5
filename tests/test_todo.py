"""The home page is a to-do list (issue 16 item 8): each role sees what waits for it, overdue first, one
click from the action; what lies outside the person's scope never shows."""

import datetime

from django.test import Client

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

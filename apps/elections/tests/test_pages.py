"""The pages: office setup, the phone ballot without JavaScript, the count and the tally for the hall."""

import pytest
from django.urls import reverse

from apps.ballotbox.models import Sealed
from apps.elections import services
from apps.elections.models import Post, Round

from .factories import Hall


@pytest.fixture
def hall(world):
    return Hall(world, total=20)


def test_office_sets_up_a_post_and_nominates_on_pages(client, hall, world):
    client.force_login(world.town_user)
    r = client.post(
        reverse("elections:list"), {"meeting": hall.meeting.pk, "kind": "vice_chair", "seats": 2, "margin": 1}
    )
    post = Post.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("elections:post", args=[post.pk])
    client.post(reverse("elections:nominate", args=[post.pk]), {"by": "presidium", "name": "王明"})
    r = client.post(
        reverse("elections:nominate", args=[post.pk]),
        {"by": "joint", "name": "李华", "signers": hall.signers(0, 9)},
        follow=True,
    )
    assert "10名以上" in r.content.decode()
    client.post(
        reverse("elections:nominate", args=[post.pk]),
        {"by": "joint", "name": "李华", "signers": hall.signers(0, 10)},
    )
    r = client.get(reverse("elections:post", args=[post.pk]))
    body = r.content.decode()
    assert "李华" in body and "代表联名提名" in body and "副职候选人应比应选人数多1人" in body
    r = client.post(reverse("elections:start", args=[post.pk]), follow=True)
    assert "副职候选人应比应选人数多1人" in r.content.decode()


def _running(hall, world):
    post = hall.post("vice_chair", seats=2)
    a, b, c = hall.candidates(post, ["王明", "李华", "张强"])
    return hall.open(post), (a, b, c)


def test_deputy_votes_on_the_phone_page_without_javascript(client, hall, world):
    e, (a, b, _c) = _running(hall, world)
    client.force_login(world.deputy_user)
    url = reverse("elections:ballot", args=[e.pk])
    page = client.get(url).content.decode()
    assert f'name="c{a.pk}"' in page and "赞成" in page
    assert 'name="write_in"' not in page and "纸质选票" in page  # write-ins only on paper
    r = client.post(url, {f"c{a.pk}": "for", f"c{b.pk}": "against"})
    body = r.content.decode()
    assert r.status_code == 200 and "投票成功" in body and "回执" in body
    receipt = Sealed.objects.get(box__object_id=e.pk).receipt
    assert receipt in body and f"/api/v1/public/ballotbox/receipts/{receipt}" in body
    e.refresh_from_db()
    assert e.ballots_cast == 1 and e.ballots_valid == 1
    r = client.post(url, {f"c{a.pk}": "for"}, follow=True)
    assert "您已在本轮投过票" in r.content.decode()
    assert receipt not in client.get(url).content.decode()  # shown once, kept nowhere


def test_the_chair_counts_and_the_tally_shows_every_figure(client, hall, world):
    e, (a, b, c) = _running(hall, world)
    hall.votes(e, [(12, {a: "for", b: "for"}, []), (1, {a: "for", c: "against"}, [])])
    client.force_login(world.town_user)
    page = client.get(reverse("elections:round", args=[e.pk])).content.decode()
    assert "结束投票并计票" in page and "加密票箱" in page
    tally_open = client.get(reverse("elections:tally", args=[e.pk])).content.decode()
    assert "计票后显示" in tally_open
    r = client.post(reverse("elections:round_action", args=[e.pk, "close"]), follow=True)
    body = r.content.decode()
    assert "计票中，待监票人解密" in body and "当选所需票数" not in body
    round_page = client.get(reverse("elections:round", args=[e.pk])).content.decode()
    assert "尚未提交解密份额的监票人" in round_page and reverse("ballotbox:desk") in round_page
    hall.shares()
    body = client.get(reverse("elections:tally", args=[e.pk])).content.decode()
    for figure in (
        "全体代表",
        "到会代表",
        "发出选票",
        "收回选票",
        "有效票",
        "无效票",
        "当选所需票数",
        "当选",
    ):
        assert figure in body
    counted = Round.objects.get(pk=e.pk)
    assert (counted.state, counted.ballots_valid, counted.ballots_void) == ("counted", 13, 0)
    x = client.get(reverse("elections:tally", args=[e.pk]) + "?export=xlsx")
    assert x.status_code == 200


def test_the_round_page_names_the_tellers_who_owe_their_keys(client, hall, world):
    post = hall.post("head")
    hall.candidates(post, ["王明"])
    e = services.start(actor=world.town_user, post_id=post.pk)
    client.force_login(world.town_user)
    page = client.get(reverse("elections:round", args=[e.pk])).content.decode()
    assert "尚未生成密钥份额的监票人" in page and str(hall.tellers[1]) in page
    assert reverse("ballotbox:desk") in page
    r = client.post(reverse("elections:round_action", args=[e.pk, "open"]), follow=True)
    assert "尚有监票人未生成密钥份额" in r.content.decode()
    assert Round.objects.get(pk=e.pk).state == "ready"
    hall.keys()
    client.post(reverse("elections:round_action", args=[e.pk, "open"]))
    assert Round.objects.get(pk=e.pk).state == "open"


def test_paper_round_entered_by_staff(client, hall, world):
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = services.start(actor=world.town_user, post_id=post.pk, paper=True)
    client.force_login(world.town_user)
    client.post(reverse("elections:round_action", args=[e.pk, "open"]), {"issued": "2"})
    client.post(reverse("elections:round_action", args=[e.pk, "paper"]), {f"c{a.pk}": "for"})
    e.refresh_from_db()
    assert e.ballots_issued == 2 and e.ballots_cast == 1


def test_pages_of_another_town_are_not_found(client, hall, world):
    e, (_a, _b, _c) = _running(hall, world)
    client.force_login(world.town_b_user)
    for name, args in (("post", [e.post_id]), ("round", [e.pk]), ("ballot", [e.pk]), ("tally", [e.pk])):
        assert client.get(reverse(f"elections:{name}", args=args)).status_code == 404
    client.post(reverse("elections:round_action", args=[e.pk, "close"]))
    assert Round.objects.get(pk=e.pk).state == "open"
    assert client.get(reverse("elections:list")).status_code == 200
    assert "副主席" not in client.get(reverse("elections:list")).content.decode()


def test_list_page_query_count_is_pinned(client, hall, world, django_assert_max_num_queries):
    for kind in ("head", "chair"):
        post = hall.post(kind)
        hall.candidates(post, ["王明"])
    client.force_login(world.town_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("elections:list")).status_code == 200


def test_deputy_finds_the_open_ballot_on_the_list(client, hall, world):
    e, _cands = _running(hall, world)
    client.force_login(world.deputy_user)
    body = client.get(reverse("elections:list")).content.decode()
    assert "正在投票" in body and reverse("elections:ballot", args=[e.pk]) in body
    client.force_login(world.town_b_user)
    assert "正在投票" not in client.get(reverse("elections:list")).content.decode()


def test_every_page_renders_for_the_office_and_the_sitting_deputy(client, hall, world):
    e, (a, _b, _c) = _running(hall, world)
    hall.cast(e, 1, {a.pk: "for"})
    urls = [
        reverse("elections:list"),
        reverse("elections:post", args=[e.post_id]),
        reverse("elections:round", args=[e.pk]),
        reverse("elections:ballot", args=[e.pk]),
        reverse("elections:tally", args=[e.pk]),
    ]
    for user in (world.town_user, world.county_user, world.deputy_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
    client.force_login(world.deputy_user)
    assert "录入提名" not in client.get(urls[1]).content.decode()
    assert "结束投票并计票" not in client.get(urls[2]).content.decode()


def test_withdraw_before_the_election_starts(client, hall, world):
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    client.force_login(world.town_user)
    client.post(reverse("elections:withdraw", args=[post.pk, a.pk]))
    assert not post.candidates.exists()


def test_another_town_office_cannot_change_through_the_pages(client, hall, world):
    post = hall.post("vice_chair", seats=2)
    a, _b, _c = hall.candidates(post, ["王明", "李华", "张强"])
    client.force_login(world.town_b_user)
    client.post(reverse("elections:nominate", args=[post.pk]), {"by": "presidium", "name": "某某"})
    client.post(reverse("elections:withdraw", args=[post.pk, a.pk]))
    client.post(reverse("elections:start", args=[post.pk]))
    client.post(reverse("elections:list"), {"meeting": hall.meeting.pk, "kind": "head", "seats": 1})
    assert post.candidates.count() == 3 and not post.rounds.exists()
    assert Post.objects.count() == 1

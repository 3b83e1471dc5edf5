"""Paper ballots in an electronic round (issue 16 item 2): a deputy votes once, on the phone or on paper;
two tellers enter and confirm the paper totals; the count combines the box's phone totals with them, and
more ballots back than handed out voids the round, across paper and phones together."""

import json

import pytest

from apps.accounts.services import issue_token
from apps.audit.models import AuditEvent
from apps.common.errors import DomainError
from apps.elections import paper, services
from apps.elections.models import Participation, Round, RoundKind, RoundState

from .factories import Hall

F, A, X = "for", "against", "abstain"


@pytest.fixture
def hall(world):
    return Hall(world, total=12)


def _open(hall):
    post = hall.post("head")
    a, b = hall.candidates(post, ["王明", "李华"])
    return hall.open(post), a, b


def _issue(hall, e, idx):
    return paper.issue_paper_ballots(
        actor=hall.world.town_user, round_id=e.pk, deputy_ids=[hall.deputies[i].pk for i in idx]
    )


def _totals(a, b, *, returned=4, valid=3, void=1, a_row=(2, 1, 0), b_row=(0, 2, 1), write_ins=None):
    return {
        "issued": 4,
        "returned": returned,
        "valid": valid,
        "void": void,
        "lines": {a.pk: list(a_row), b.pk: list(b_row)},
        "write_ins": {"赵 六": 1} if write_ins is None else write_ins,
    }


def _phones(hall, e, a, b):
    # Deputies 0-7 on phones: 王明 for ×5, 李华 for ×2, one abstains on both.
    for i in range(8):
        choice = {a.pk: F} if i < 5 else ({b.pk: F} if i < 7 else {})
        hall.cast(e, i, choice)


def test_a_deputy_votes_once_across_paper_and_phone(hall):
    e, a, _b = _open(hall)
    hall.cast(e, 0, {a.pk: F})
    with pytest.raises(DomainError, match="已投票或已领取纸质选票"):
        _issue(hall, e, [0])  # voted on the phone: no paper ballot
    assert _issue(hall, e, [10, 11]) == 2
    with pytest.raises(DomainError, match="您已领取纸质选票"):
        hall.cast(e, 10, {a.pk: F})  # handed paper: the phone is refused
    with pytest.raises(DomainError, match="已投票或已领取纸质选票"):
        _issue(hall, e, [11])
    assert Participation.objects.filter(round=e).count() == 3
    assert Participation.objects.filter(round=e, paper=True).count() == 2
    assert Round.objects.get(pk=e.pk).ballots_cast == 1  # paper counts only when the tellers confirm
    event = AuditEvent.objects.filter(action="election.paper_issued").get()
    assert event.summary["issued_by"] == hall.world.town_user.pk
    assert event.summary["deputies"] == [hall.deputies[10].pk, hall.deputies[11].pk]


def _closed_mixed(hall):
    e, a, b = _open(hall)
    _phones(hall, e, a, b)
    _issue(hall, e, [8, 9, 10, 11])
    services.close_and_count(actor=hall.world.town_user, round_id=e.pk)
    return e, a, b


@pytest.mark.parametrize("shares_first", [True, False])
def test_the_count_combines_phone_and_paper_totals(hall, shares_first):
    e, a, b = _closed_mixed(hall)
    office, teller2 = hall.tellers
    if shares_first:
        hall.shares()
        assert Round.objects.get(pk=e.pk).state == RoundState.COUNTING  # waits for the paper totals
    paper.enter_paper_totals(actor=office, round_id=e.pk, totals=_totals(a, b))
    with pytest.raises(DomainError, match="另一名监票人"):
        paper.confirm_paper_totals(actor=office, round_id=e.pk)
    paper.confirm_paper_totals(actor=teller2, round_id=e.pk)
    if not shares_first:
        assert Round.objects.get(pk=e.pk).state == RoundState.COUNTING  # waits for the box
        hall.shares()
    e = Round.objects.get(pk=e.pk)
    assert e.state == RoundState.COUNTED
    assert (e.ballots_cast, e.ballots_valid, e.ballots_void) == (12, 11, 1)
    lines = {ln.candidate_id: (ln.votes_for, ln.votes_against, ln.votes_abstain) for ln in e.lines.all()}
    assert lines[a.pk] == (5 + 2, 0 + 1, 3 + 0)
    assert lines[b.pk] == (2 + 0, 0 + 2, 6 + 1)
    assert dict(e.write_ins.values_list("name", "count")) == {"赵六": 1}
    assert e.outcomes.get(candidate=a).votes == 7  # needed = 12 // 2 + 1 = 7: elected
    assert e.outcomes.get(candidate=a).result == "elected"
    assert paper.sources(e) == {"phone_ballots": 8, "paper_ballots": 4, "paper_issued": 4}
    entered = AuditEvent.objects.get(action="election.paper_totals_entered")
    assert entered.summary["entered_by"] == office.pk and entered.summary["returned"] == 4
    confirmed = AuditEvent.objects.get(action="election.paper_totals_confirmed")
    assert (confirmed.summary["entered_by"], confirmed.summary["confirmed_by"]) == (office.pk, teller2.pk)
    counted = AuditEvent.objects.get(action="election.counted", object_id=str(e.pk))
    assert counted.summary["paper_returned"] == 4 and counted.summary["cast"] == 12
    assert counted.summary["paper_confirmed_by"] == teller2.pk


def test_more_paper_back_than_handed_out_voids_the_round(world):
    hall = Hall(world, total=12, present=11)
    e, a, b = _open(hall)
    _phones(hall, e, a, b)
    _issue(hall, e, [8, 9, 10])  # 3 handed out; 8 phones + 3 = 11 = present
    services.close_and_count(actor=world.town_user, round_id=e.pk)
    totals = {**_totals(a, b), "issued": 3}  # but 4 came back: 8 + 4 > 11 voters
    paper.enter_paper_totals(actor=hall.tellers[0], round_id=e.pk, totals=totals)
    paper.confirm_paper_totals(actor=hall.tellers[1], round_id=e.pk)
    hall.shares()
    e = Round.objects.get(pk=e.pk)
    assert e.state == RoundState.VOID
    assert "无效" in e.result_note
    assert e.children.get().kind == RoundKind.REPEAT
    assert not e.outcomes.exists()


def test_the_totals_must_add_up_and_only_tellers_enter_them(hall):
    e, a, b = _open(hall)
    _issue(hall, e, [8, 9, 10, 11])
    office, teller2 = hall.tellers
    with pytest.raises(DomainError, match="结果公布前"):
        paper.enter_paper_totals(actor=office, round_id=e.pk, totals=_totals(a, b))  # still open
    services.close_and_count(actor=hall.world.town_user, round_id=e.pk)
    with pytest.raises(DomainError, match="只有本次会议的监票人") as refused:
        paper.enter_paper_totals(actor=hall.user(3), round_id=e.pk, totals=_totals(a, b))
    assert refused.value.status == 403
    logged = AuditEvent.objects.get(action="access.denied", actor=hall.user(3))  # after the rollback
    assert (logged.summary["attempted"], logged.object_id) == ("election.paper_totals_entered", str(e.pk))
    for bad, field in [
        ({"issued": 5}, "issued"),
        ({"valid": 2}, "valid"),
        ({"lines": {a.pk: [2, 1, 0]}}, "lines"),  # a candidate left out
        ({"lines": {a.pk: [2, 1, 1], b.pk: [0, 2, 1]}}, "lines"),  # does not add up to valid
        ({"lines": {a.pk: [3, 0, 0], b.pk: [1, 2, 0]}, "write_ins": {}}, "lines"),  # 4 named > 3 × 1
        ({"write_ins": {"王明": 1}}, "write_ins"),  # on the ballot
        ({"returned": -1}, "returned"),
        ({"void": 10**9}, "void"),
    ]:
        with pytest.raises(DomainError) as exc:
            paper.enter_paper_totals(actor=office, round_id=e.pk, totals={**_totals(a, b), **bad})
        assert field in exc.value.fields, bad
    with pytest.raises(DomainError, match="尚未录入"):
        paper.confirm_paper_totals(actor=teller2, round_id=e.pk)
    assert Round.objects.get(pk=e.pk).paper_totals is None


def test_a_paper_round_and_a_round_without_paper_refuse(hall):
    post = hall.post("head")
    hall.candidates(post, ["王明", "李华"])
    e = hall.open(post, paper=True)
    with pytest.raises(DomainError, match="全部使用纸质选票"):
        _issue(hall, e, [1])


@pytest.fixture
def call(client):
    def do(user, method, path, body=None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return do


def test_through_the_api(hall, call):
    e, a, b = _open(hall)
    w = hall.world
    _phones(hall, e, a, b)
    ids = [hall.deputies[i].pk for i in (8, 9, 10, 11)]
    r = call(w.town_b_user, "post", f"/elections/rounds/{e.pk}/paper/issue", {"deputies": ids})
    assert r.status_code == 404  # another town's office: the round looks missing
    r = call(w.town_user, "post", f"/elections/rounds/{e.pk}/paper/issue", {"deputies": ids})
    assert r.status_code == 200 and r.json() == {"issued": 4}, r.content
    r = call(w.town_user, "post", f"/elections/rounds/{e.pk}/paper/issue", {"deputies": ids[:1]})
    assert r.status_code == 409 and r.json()["code"]
    call(w.town_user, "post", f"/elections/rounds/{e.pk}/close")
    body = {
        "issued": 4,
        "returned": 4,
        "valid": 3,
        "void": 1,
        "lines": [
            {"candidate": a.pk, "votes_for": 2, "votes_against": 1, "votes_abstain": 0},
            {"candidate": b.pk, "votes_for": 0, "votes_against": 2, "votes_abstain": 1},
        ],
        "write_ins": [{"name": "赵六", "count": 1}],
    }
    r = call(hall.tellers[0], "put", f"/elections/rounds/{e.pk}/paper-totals", {**body, "valid": 2})
    assert r.status_code == 400 and "valid" in r.json()["fields"]
    r = call(hall.tellers[0], "put", f"/elections/rounds/{e.pk}/paper-totals", body)
    assert r.status_code == 200, r.content
    assert r.json()["totals"]["lines"][str(a.pk)] == [2, 1, 0]
    r = call(hall.tellers[1], "post", f"/elections/rounds/{e.pk}/paper-totals/confirm")
    assert r.status_code == 200 and r.json()["confirmed_by"] == hall.tellers[1].pk
    hall.shares()
    r = call(w.town_user, "get", f"/elections/rounds/{e.pk}")
    data = r.json()
    assert data["state"] == "counted"
    assert (data["phone_ballots"], data["paper_ballots"], data["paper_issued"]) == (8, 4, 4)
    assert {ln["name"]: ln["votes_for"] for ln in data["lines"]} == {"王明": 7, "李华": 2}


def test_the_round_page_issues_paper_and_takes_the_totals(hall, client):
    e, a, b = _open(hall)
    _phones(hall, e, a, b)
    client.force_login(hall.world.town_user)
    page = client.get(f"/elections/rounds/{e.pk}/").content.decode()
    assert "发放纸质选票" in page and hall.deputies[9].name in page
    assert hall.deputies[0].name not in page.split("发放纸质选票")[1]  # voted on the phone: not offered
    ids = [str(hall.deputies[i].pk) for i in (8, 9, 10, 11)]
    client.post(f"/elections/rounds/{e.pk}/paper/issue/", {"deputy": ids})
    assert Participation.objects.filter(round=e, paper=True).count() == 4
    services.close_and_count(actor=hall.world.town_user, round_id=e.pk)
    form = {"issued": 4, "returned": 4, "valid": 3, "void": 1, "write_in_name": ["赵六", ""]}
    form |= {"write_in_count": ["1", ""], f"pf{a.pk}": 2, f"pa{a.pk}": 1, f"px{a.pk}": 0}
    form |= {f"pf{b.pk}": 0, f"pa{b.pk}": 2, f"px{b.pk}": 1}
    assert "监票人录入纸质选票统计" in client.get(f"/elections/rounds/{e.pk}/").content.decode()
    client.post(f"/elections/rounds/{e.pk}/paper/totals/", form)
    e.refresh_from_db()
    assert e.paper_totals["write_ins"] == {"赵六": 1} and e.paper_entered_by == hall.world.town_user
    client.force_login(hall.tellers[1])
    client.post(f"/elections/rounds/{e.pk}/paper/confirm/")
    hall.shares()
    assert Round.objects.get(pk=e.pk).state == RoundState.COUNTED
    tally = client.get(f"/elections/rounds/{e.pk}/tally/").content.decode()
    assert "其中纸质选票" in tally and "发出4张" in tally

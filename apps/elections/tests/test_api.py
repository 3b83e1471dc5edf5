"""/api/v1/elections: the whole path through the API, errors as JSON, and scoping of every endpoint."""

import json

import pytest

from apps.accounts.services import issue_token
from apps.elections.models import RoundState

from .factories import Hall


@pytest.fixture
def hall(world):
    return Hall(world, total=20)


@pytest.fixture
def call(client):
    def do(user, method, path, body=None):
        token = issue_token(user=user)
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return do


def _setup(hall, call):
    w = hall.world
    r = call(
        w.town_user,
        "post",
        "/elections/posts",
        {"meeting": hall.meeting.pk, "kind": "vice_chair", "seats": 2},
    )
    assert r.status_code == 201, r.content
    post = r.json()
    ids = []
    for i, name in enumerate(["王明", "李华", "张强"]):
        body = (
            {"by": "presidium", "name": name}
            if i < 2
            else {"by": "joint", "name": name, "signers": hall.signers(0, 10)}
        )
        r = call(w.town_user, "post", f"/elections/posts/{post['id']}/nominations", body)
        assert r.status_code == 201, r.content
        ids.append(r.json()["id"])
    return post, ids


def test_an_election_from_post_to_tally_through_the_api(hall, call, client):
    """Phone ballots sealed in the round's box, the tellers' keys and shares through the API, the count."""
    w = hall.world
    post, (a, b, c) = _setup(hall, call)
    detail = call(w.town_user, "get", f"/elections/posts/{post['id']}").json()
    assert detail["competitive"]["verdict"] == "ok"
    assert [x["name"] for x in detail["candidates"]][2] == "张强"
    assert len(detail["candidates"][2]["signers"]) == 10
    r = call(w.town_user, "post", f"/elections/posts/{post['id']}/start")
    assert r.status_code == 201
    rid = r.json()["id"]
    # 王 4 strokes; 李 and 张 both 7, then by pinyin (li before zhang).
    assert [ln["name"] for ln in r.json()["lines"]] == ["王明", "李华", "张强"]
    box = r.json()["box"]
    assert box["state"] == "setup" and len(box["keys_owed"]) == 2 and box["shares_owed"] == []
    r = call(w.town_user, "post", f"/elections/rounds/{rid}/open")
    assert r.status_code == 409 and r.json()["code"] == "teller_keys_missing"
    assert "监票人" in r.json()["message"]
    codes = {}
    for teller in hall.tellers:
        r = call(teller, "post", "/ballotbox/teller/keys", {"code": ""})
        assert r.status_code == 201 and r.json()["boxes"] == 1
        codes[teller.pk] = r.json()["private_share"]
    r = call(w.town_user, "post", f"/elections/rounds/{rid}/open")
    assert r.json()["state"] == "open" and r.json()["box"]["state"] == "open"
    receipts = []
    for i in range(12):
        r = call(
            hall.user(i),
            "post",
            f"/elections/rounds/{rid}/ballot",
            {"choices": {str(a): "for", str(b): "for"}},
        )
        assert r.status_code == 200, r.content
        assert r.json()["voted"] is True and len(r.json()["receipt"]) == 64
        receipts.append(r.json()["receipt"])
    r = call(
        hall.user(12),
        "post",
        f"/elections/rounds/{rid}/ballot",
        {"choices": {str(c): "for"}, "write_ins": ["周某"]},
    )
    assert r.status_code == 400 and r.json()["fields"]["write_ins"]
    r = call(hall.user(12), "post", f"/elections/rounds/{rid}/ballot", {"choices": {str(c): "for"}})
    assert r.status_code == 200
    # While open, the counters stay hidden even from the office.
    live = call(w.town_user, "get", f"/elections/rounds/{rid}").json()
    assert (
        live["ballots_cast"] == 13 and live["lines"][0]["votes_for"] is None and live["ballots_valid"] is None
    )
    assert live["write_ins"] == []
    state = call(hall.user(0), "get", f"/elections/rounds/{rid}/ballot").json()
    assert state == {"voted": True, "can_vote": False, "reason": "voted"}
    r = call(w.town_user, "post", f"/elections/rounds/{rid}/close")
    t = r.json()
    assert t["state"] == RoundState.COUNTING and t["needed"] == 11 and t["total_deputies"] == 20
    assert t["lines"][0]["votes_for"] is None and t["ballots_valid"] is None
    assert t["box"]["state"] == "closed" and len(t["box"]["shares_owed"]) == 2
    for teller in hall.tellers:
        r = call(teller, "post", "/ballotbox/teller/shares", {"code": codes[teller.pk]})
        assert r.status_code == 200 and r.json()["boxes"] == 1
    t = call(w.town_user, "get", f"/elections/rounds/{rid}").json()
    assert t["state"] == RoundState.COUNTED and t["box"]["state"] == "tallied"
    assert (t["ballots_issued"], t["ballots_cast"], t["ballots_valid"], t["ballots_void"]) == (20, 13, 13, 0)
    assert {ln["name"]: (ln["votes_for"], ln["result"]) for ln in t["lines"]} == {
        "王明": (12, "elected"),
        "李华": (12, "elected"),
        "张强": (1, "not_elected"),
    }
    assert t["write_ins"] == []
    found = client.get(f"/api/v1/public/ballotbox/receipts/{receipts[0]}").json()
    assert found["counted"] is True and found["box"] == t["box"]["id"]
    x = call(w.town_user, "get", f"/elections/rounds/{rid}/report.xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")


def test_bad_input_is_a_chinese_4xx_never_a_500(hall, call):
    w = hall.world
    post, (a, _b, _c) = _setup(hall, call)
    r = call(
        w.town_user,
        "post",
        f"/elections/posts/{post['id']}/nominations",
        {"by": "joint", "name": "赵敏", "signers": [1, 2]},
    )
    assert r.status_code == 400 and r.json()["fields"]["signers"]
    r = call(w.town_user, "post", "/elections/posts", {"meeting": hall.meeting.pk, "kind": "king"})
    assert r.status_code == 400 and "职务" in r.json()["message"]
    rid = call(w.town_user, "post", f"/elections/posts/{post['id']}/start").json()["id"]
    hall.keys()
    call(w.town_user, "post", f"/elections/rounds/{rid}/open")
    r = call(hall.user(0), "post", f"/elections/rounds/{rid}/ballot", {"choices": {str(a): "yes"}})
    assert r.status_code == 400 and "赞成" in r.json()["message"]
    r = call(hall.user(0), "post", f"/elections/rounds/{rid}/ballot", {"choices": {"abc": "for"}})
    assert r.status_code == 422
    call(hall.user(0), "post", f"/elections/rounds/{rid}/ballot", {"choices": {str(a): "for"}})
    r = call(hall.user(0), "post", f"/elections/rounds/{rid}/ballot", {"choices": {str(a): "for"}})
    assert r.status_code == 409 and r.json()["code"] == "conflict"


def test_not_competitive_refusal_names_the_rule(hall, call):
    w = hall.world
    r = call(
        w.town_user,
        "post",
        "/elections/posts",
        {"meeting": hall.meeting.pk, "kind": "deputy_head", "seats": 2, "margin": 2},
    )
    pid = r.json()["id"]
    for name in ("王明", "李华", "张强"):
        call(
            w.town_user,
            "post",
            f"/elections/posts/{pid}/nominations",
            {"by": "presidium", "name": name}
            if name != "张强"
            else {"by": "joint", "name": name, "signers": hall.signers(0, 10)},
        )
    r = call(w.town_user, "post", f"/elections/posts/{pid}/start")
    assert r.status_code == 400 and r.json()["code"] == "not_competitive" and "多2人" in r.json()["message"]


def test_other_town_office_and_deputy_see_and_change_nothing(hall, call):
    w = hall.world
    post, (a, _b, _c) = _setup(hall, call)
    rid = call(w.town_user, "post", f"/elections/posts/{post['id']}/start").json()["id"]
    from apps.accounts.tests.factories import user_with

    other_deputy = user_with("deputy", deputy=w.deputy_b)
    for user in (w.town_b_user, other_deputy, w.unit_user):
        assert call(user, "get", "/elections/posts").json()["count"] == 0
        assert call(user, "get", f"/elections/posts/{post['id']}").status_code == 404
        assert call(user, "get", f"/elections/rounds/{rid}").status_code == 404
        assert call(user, "get", f"/elections/rounds/{rid}/ballot").status_code == 404
        assert call(user, "get", f"/elections/rounds/{rid}/report.xlsx").status_code == 404
        for path, body in (
            (f"/elections/posts/{post['id']}/nominations", {"by": "presidium", "name": "某某"}),
            (f"/elections/posts/{post['id']}/start", None),
            (f"/elections/rounds/{rid}/open", None),
            (f"/elections/rounds/{rid}/close", None),
            (f"/elections/rounds/{rid}/ballot", {"choices": {}}),
            (f"/elections/rounds/{rid}/paper-ballots", {"choices": {}}),
            ("/elections/posts", {"meeting": hall.meeting.pk, "kind": "head"}),
        ):
            assert call(user, "post", path, body).status_code in (403, 404), (user, path)
        assert call(user, "delete", f"/elections/candidates/{a}").status_code in (403, 404)


def test_own_deputy_sees_the_post_but_cannot_run_it(hall, call):
    w = hall.world
    post, (_a, _b, _c) = _setup(hall, call)
    assert call(w.deputy_user, "get", f"/elections/posts/{post['id']}").status_code == 200
    assert call(w.deputy_user, "post", f"/elections/posts/{post['id']}/start").status_code in (403, 404)
    assert call(w.county_user, "get", f"/elections/posts/{post['id']}").status_code == 200


def test_list_and_detail_query_counts_are_pinned(hall, call, django_assert_max_num_queries):
    w = hall.world
    post, _ids = _setup(hall, call)
    for kind in ("head", "chair"):
        call(w.town_user, "post", "/elections/posts", {"meeting": hall.meeting.pk, "kind": kind})
    from apps.accounts.services import issue_token

    token = issue_token(user=w.town_user)
    from django.test import Client

    c = Client()
    c.get("/api/v1/elections/posts", HTTP_AUTHORIZATION=f"Bearer {token}")  # warm the token cache
    with django_assert_max_num_queries(5):
        assert c.get("/api/v1/elections/posts", HTTP_AUTHORIZATION=f"Bearer {token}").json()["count"] == 3
    with django_assert_max_num_queries(12):
        c.get(f"/api/v1/elections/posts/{post['id']}", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_start_and_open_need_no_body_and_take_their_options_as_query(hall, call):
    w = hall.world
    post, _ids = _setup(hall, call)
    r = call(w.town_user, "post", f"/elections/posts/{post['id']}/start?paper=true")
    assert r.status_code == 201 and r.json()["paper"] is True
    r = call(w.town_user, "post", f"/elections/rounds/{r.json()['id']}/open?issued=18")
    assert r.status_code == 200 and r.json()["ballots_issued"] == 18

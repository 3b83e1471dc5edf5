"""/api/v1/suggestions, /cohandlings, /awards, /motions and /api/v1/public/suggestions: scope of every
endpoint, the whole path of a joint suggestion through bearer tokens, errors as {"code", "message",
"fields"}, motions and their 5 signers, counts, awards and the public replies."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.services import issue_token
from apps.accounts.tests.factories import user_with
from apps.duty.models import DutyRecord
from apps.notifications.models import Notification
from apps.opinions.tests.factories import opinion
from apps.people.tests.factories import DeputyFactory, MandateFactory
from apps.places.tests.factories import HandlingUnitFactory
from apps.suggestions import services
from apps.suggestions.models import Award, CoHandling, Motion, Suggestion

from .factories import deputy_a2_user, draft

pytestmark = pytest.mark.django_db

API = "/api/v1"
PUBLIC = f"{API}/public/suggestions"
YEAR = timezone.localdate().year
REPLY = {
    "category": "A",
    "doc_number": "城政函〔2026〕3号",
    "signer": "王镇长",
    "done_text": "已将月河村三组至四组通组路纳入今年硬化项目，9月底完工。",
    "reply_text": "张三代表：您提出的关于硬化月河村通组路的建议收悉，现答复如下……",
}


def _client(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def _post(client, path, body=None):
    return client.post(API + path, body or {}, content_type="application/json")


def _act(client, item, key, **body):
    return _post(client, f"/suggestions/{item.pk}/actions/{key}", body)


def _ids(resp):
    assert resp.status_code == 200, resp.content
    return {o["id"] for o in resp.json()["items"]}


def _submitted(world, **data):
    item = draft(world, **{"co_signers": [], **data})
    return services.act(actor=item.lead.user, item=item, key="submit")


def _assigned(world, co_units=(), **data):
    item = services.act(actor=world.town_user, item=_submitted(world, **data), key="register")
    return services.act(
        actor=world.town_user,
        item=item,
        key="assign",
        data={"unit": world.unit_a.pk, "co_units": list(co_units), "responsible_person": "刘主任"},
    )


def _replied(world, reply=None, rated=True, **data):
    """Replied; by default public too, as once its signers rated it or their window passed."""
    item = _assigned(world, **data)
    services.record_consultation(actor=world.unit_user, item=item, method="phone", on=timezone.localdate())
    item = services.act(actor=world.unit_user, item=item, key="reply", data=reply or REPLY)
    if rated:
        Suggestion.objects.filter(pk=item.pk).update(published_round=item.rounds)
    return item


def _town_b(world, *, submit=False, **data):
    """A suggestion of 涧池镇, entered by its office for 李四 (and submitted by him when told)."""
    item = draft(world, actor=world.town_b_user, lead=world.deputy_b.pk, co_signers=[], **data)
    if submit:
        world.deputy_b.user = user_with("deputy", "deputyb", deputy=world.deputy_b)
        world.deputy_b.save()
        item = services.act(actor=world.deputy_b.user, item=item, key="submit")
    return item


def _co_unit(world):
    unit = HandlingUnitFactory(name="城关镇农业综合服务站", region=world.town_a)
    return unit, user_with("unit_staff", "unitc", unit=unit)


def _deputies(world, n):
    """n more deputies of 城关镇, each with a login."""
    out = []
    for i in range(n):
        d = DeputyFactory(name=f"代表{i}", region=world.village_a, station=world.station_a)
        MandateFactory(deputy=d, congress_region=world.town_a)
        d.user = user_with("deputy", f"extra{i}", deputy=d)
        d.save()
        out.append(d)
    return out


# --- scope --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/suggestions"),
        ("get", "/suggestions/{pk}"),
        ("get", "/suggestions/{pk}/similar"),
        ("get", "/suggestions/{pk}/letter.docx"),
        ("get", "/suggestions/stats"),
        ("get", "/cohandlings"),
        ("get", "/awards"),
        ("get", "/motions"),
        ("get", "/motions/{pk}"),
        ("post", "/suggestions"),
        ("patch", "/suggestions/{pk}"),
        ("post", "/suggestions/{pk}/signature"),
        ("post", "/suggestions/{pk}/actions/submit"),
        ("post", "/suggestions/{pk}/consultation"),
        ("post", "/suggestions/{pk}/feedback"),
        ("post", "/suggestions/{pk}/key"),
        ("post", "/suggestions/{pk}/visits"),
        ("post", "/suggestions/{pk}/publish"),
        ("post", "/cohandlings/{pk}/input"),
        ("post", "/awards"),
        ("post", "/motions"),
        ("post", "/motions/{pk}/signature"),
        ("post", "/motions/{pk}/actions/submit"),
    ],
)
def test_anonymous_callers_get_401_outside_the_public_replies(world, method, path):
    item = draft(world)
    resp = getattr(Client(), method)(API + path.format(pk=item.pk), {}, content_type="application/json")
    assert resp.status_code == 401 and resp.json()["code"] == "unauthenticated"


def test_another_towns_office_can_neither_see_nor_touch_the_items(world):
    unit_c, _co_user = _co_unit(world)
    item = _assigned(world, co_units=[unit_c.pk])
    part = CoHandling.objects.get(suggestion=item)
    motion = services.create_motion(actor=world.deputy_user, data={"title": "议案", "content": "内容"})
    c = _client(world.town_b_user)
    assert _ids(c.get(f"{API}/suggestions")) == set()
    assert _ids(c.get(f"{API}/cohandlings")) == set()
    assert _ids(c.get(f"{API}/motions")) == set()
    for path in (f"/suggestions/{item.pk}", f"/suggestions/{item.pk}/similar", f"/motions/{motion.pk}"):
        resp = c.get(API + path)
        assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    writes = {
        f"/suggestions/{item.pk}/signature": {"accept": True},
        f"/suggestions/{item.pk}/actions/extend": {"reason": "情况复杂"},
        f"/suggestions/{item.pk}/consultation": {"method": "none"},
        f"/suggestions/{item.pk}/feedback": {"handling": "satisfied", "result": "satisfied"},
        f"/suggestions/{item.pk}/key": {"is_key": True, "member": world.deputy_b.pk},
        f"/suggestions/{item.pk}/visits": {"note": "现场查看"},
        f"/suggestions/{item.pk}/publish": {"publish": False},
        f"/cohandlings/{part.pk}/input": {"text": "同意"},
        f"/motions/{motion.pk}/signature": {"accept": True},
        f"/motions/{motion.pk}/actions/put_on_agenda": {},
    }
    for path, body in writes.items():
        resp = _post(c, path, body)
        assert resp.status_code == 404 and resp.json()["code"] == "not_found", path
    patch = c.patch(f"{API}/suggestions/{item.pk}", {"title": "改"}, content_type="application/json")
    assert patch.status_code == 404
    item.refresh_from_db()
    assert (item.state, item.version, item.is_key, item.publish) == ("assigned", 3, False, True)
    # entering a suggestion for another town's deputy is refused
    resp = _post(c, "/suggestions", {"title": "标题", "content": "内容", "lead": world.deputy_a.pk})
    assert resp.status_code == 403 and resp.json()["code"] == "permission_denied"


def test_unit_staff_see_only_the_suggestions_their_unit_leads(world):
    unit_c, co_user = _co_unit(world)
    mine = _assigned(world, co_units=[unit_c.pk])
    other = _submitted(world, title="关于增设公交站点的建议")
    lead, co = _client(world.unit_user), _client(co_user)
    assert _ids(lead.get(f"{API}/suggestions")) == {mine.pk}
    assert lead.get(f"{API}/suggestions/{mine.pk}").status_code == 200
    assert lead.get(f"{API}/suggestions/{other.pk}").status_code == 404
    # the co-handling unit sees its part (with the text to work on), not the suggestion itself
    assert _ids(co.get(f"{API}/suggestions")) == set()
    assert co.get(f"{API}/suggestions/{mine.pk}").status_code == 404
    parts = co.get(f"{API}/cohandlings").json()["items"]
    assert len(parts) == 1 and parts[0]["suggestion"]["id"] == mine.pk
    assert parts[0]["suggestion"]["content"] == mine.content and parts[0]["state"] == "requested"
    assert parts[0]["suggestion"]["lead_unit"] == {"id": world.unit_a.pk, "name": world.unit_a.name}
    assert _ids(lead.get(f"{API}/cohandlings")) == set()


def test_a_deputy_sees_only_the_suggestions_they_signed(world):
    joint = draft(world)  # 张三 leads, 赵六 invited
    alone = draft(world, co_signers=[], title="关于整治河道的建议")
    b = _town_b(world)
    zhao = _client(deputy_a2_user(world))
    assert _ids(_client(world.deputy_user).get(f"{API}/suggestions")) == {joint.pk, alone.pk}
    assert _ids(zhao.get(f"{API}/suggestions")) == {joint.pk}
    assert zhao.get(f"{API}/suggestions/{alone.pk}").status_code == 404
    assert zhao.get(f"{API}/suggestions/{b.pk}").status_code == 404
    assert _client(world.keeper_user).get(f"{API}/suggestions").json()["count"] == 0


def test_the_county_office_lists_both_towns_and_filters_by_region_code(world):
    a = _submitted(world)
    b = _town_b(world, submit=True)
    c = _client(world.county_user)
    assert _ids(c.get(f"{API}/suggestions")) == {a.pk, b.pk}
    assert _ids(c.get(f"{API}/suggestions", {"region": world.town_b.code})) == {b.pk}
    assert (
        _client(world.town_user).get(f"{API}/suggestions", {"region": world.town_b.code}).status_code == 404
    )


def test_list_filters(world):
    road = _assigned(world)
    Suggestion.objects.filter(pk=road.pk).update(
        due_date=timezone.localdate() - timedelta(days=1), is_key=True
    )
    school = _submitted(world, title="关于学校门口增设斑马线的建议", topic="school", period="session")
    drafted = draft(world, co_signers=[], title="草稿")
    c = _client(world.town_user)
    url = f"{API}/suggestions"
    # a deputy's draft is theirs until submitted: not in the office's list (issue 16 item 10)
    assert _ids(c.get(url, {"state": "open"})) == {road.pk, school.pk}
    assert _ids(c.get(url, {"state": "draft"})) == set()
    assert drafted.pk in _ids(_client(world.deputy_user).get(url, {"state": "draft"}))
    assert _ids(c.get(url, {"state": "submitted"})) == {school.pk}
    assert _ids(c.get(url, {"topic": "school"})) == {school.pk}
    assert _ids(c.get(url, {"period": "session"})) == {school.pk}
    assert _ids(c.get(url, {"q": "斑马线"})) == {school.pk}
    assert _ids(c.get(url, {"q": road.number})) == {road.pk}
    assert _ids(c.get(url, {"unit": world.unit_a.pk})) == {road.pk}
    assert _ids(c.get(url, {"key_only": "true"})) == {road.pk}
    overdue = c.get(url, {"overdue": "true"}).json()["items"]
    assert [s["id"] for s in overdue] == [road.pk] and overdue[0]["is_overdue"] is True
    assert _ids(c.get(url, {"year": YEAR - 1})) == set()


def test_list_query_count_does_not_grow_with_page_size(world, django_assert_max_num_queries):
    for n in range(6):
        _assigned(world, title=f"建议{n}")
    c = _client(world.town_user)
    c.get(f"{API}/suggestions")  # the token and the grants are cached from here on
    # count, page (with region, lead and unit joined)
    with django_assert_max_num_queries(2):
        assert len(c.get(f"{API}/suggestions", {"page_size": 2}).json()["items"]) == 2
    with django_assert_max_num_queries(2):
        body = c.get(f"{API}/suggestions", {"page_size": 6}).json()
    assert len(body["items"]) == 6 and body["count"] == 6
    first = body["items"][0]
    assert first["lead"] == {"id": world.deputy_a.pk, "name": "张三"}
    assert first["unit"]["id"] == world.unit_a.pk and first["region"]["code"] == world.town_a.code
    assert first["number"].startswith(f"城关建〔{YEAR}〕") and first["state_label"] == "办理中"


# --- drafting and co-signing --------------------------------------------------------------------------------


def test_a_deputy_drafts_with_co_signers_and_source_opinions(world, django_capture_on_commit_callbacks):
    zhao = deputy_a2_user(world)
    op = opinion(world)
    with django_capture_on_commit_callbacks(execute=True):
        resp = _post(
            _client(world.deputy_user),
            "/suggestions",
            {
                "title": "关于硬化月河村通组路的建议",
                "content": "月河村三组至四组通组路雨天泥泞。",
                "topic": "road",
                "period": "between",
                "co_signers": [world.deputy_a2.pk],
                "opinions": [op.pk],
            },
        )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert (
        body["state"] == "draft"
        and body["lead"]["name"] == "张三"
        and body["period_label"] == "闭会期间（直通车）"
    )
    assert [(s["deputy"]["name"], s["is_lead"], s["status"]) for s in body["signers"]] == [
        ("张三", True, "confirmed"),
        ("赵六", False, "invited"),
    ]
    assert body["opinions"] == [{"id": op.pk, "tracking_code": op.tracking_code, "title": op.title}]
    assert Notification.objects.filter(recipient=zhao, kind="suggestion.invite").count() == 1
    submit = next(t for t in body["transitions"] if t["key"] == "submit")
    assert "联名代表未确认" in submit["blocked_reason"]


def test_drafting_errors_name_the_field(world):
    c = _client(world.deputy_user)
    resp = _post(c, "/suggestions", {"title": "", "content": "内容"})
    assert resp.status_code == 400 and "title" in resp.json()["fields"]
    resp = _post(c, "/suggestions", {"title": "标题", "content": "内容", "co_signers": [world.deputy_b.pk]})
    assert resp.status_code == 400 and "co_signers" in resp.json()["fields"]
    resp = _post(c, "/suggestions", {"title": "标题", "content": "内容", "lead": world.deputy_a2.pk})
    assert resp.status_code == 403
    resp = _post(_client(world.unit_user), "/suggestions", {"title": "标题", "content": "内容"})
    assert resp.status_code == 400 and "lead" in resp.json()["fields"]
    assert not Suggestion.objects.exists()


def test_the_office_enters_a_suggestion_for_a_deputy(world):
    resp = _post(
        _client(world.town_user),
        "/suggestions",
        {"title": "关于整治河道的建议", "content": "月河河道淤积。", "lead": world.deputy_a2.pk},
    )
    assert resp.status_code == 201 and resp.json()["lead"]["name"] == "赵六"
    assert resp.json()["region"]["code"] == world.town_a.code


def test_editing_a_draft(world):
    item = draft(world)
    c = _client(world.deputy_user)
    resp = c.patch(
        f"{API}/suggestions/{item.pk}",
        {"title": "关于硬化通组路的建议", "co_signers": []},
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["title"] == "关于硬化通组路的建议" and body["content"] == item.content
    assert [s["deputy"]["name"] for s in body["signers"]] == ["张三"]
    # a co-signer may not edit; nobody may once it is submitted
    invited = draft(world)
    other = _client(deputy_a2_user(world))
    resp = other.patch(f"{API}/suggestions/{invited.pk}", {"title": "改"}, content_type="application/json")
    assert resp.status_code == 403
    services.act(actor=world.deputy_user, item=item, key="submit")
    resp = c.patch(f"{API}/suggestions/{item.pk}", {"title": "改"}, content_type="application/json")
    assert resp.status_code == 400 and "state" in resp.json()["fields"]


def test_declining_to_co_sign_and_who_may_answer(world):
    item = draft(world)
    resp = _post(_client(deputy_a2_user(world)), f"/suggestions/{item.pk}/signature", {"accept": False})
    assert resp.status_code == 200
    assert [s["status"] for s in resp.json()["signers"]] == ["confirmed", "declined"]
    assert resp.json()["signers"][1]["status_label"] == "已谢绝"
    # the lead has nothing to answer; a declined signer no longer blocks the submission
    assert (
        _post(_client(world.deputy_user), f"/suggestions/{item.pk}/signature", {"accept": True}).status_code
        == 403
    )
    assert _act(_client(world.deputy_user), item, "submit").json()["state"] == "submitted"
    late = _post(_client(world.deputy_a2_user), f"/suggestions/{item.pk}/signature", {"accept": True})
    assert late.status_code == 400 and "state" in late.json()["fields"]


# --- the whole path -----------------------------------------------------------------------------------------


def test_the_whole_path_of_a_joint_suggestion_through_the_api(world, django_capture_on_commit_callbacks):
    unit_c, co_user = _co_unit(world)
    zhang, zhao = _client(world.deputy_user), _client(deputy_a2_user(world))
    office, lead_unit, co_unit = _client(world.town_user), _client(world.unit_user), _client(co_user)

    with django_capture_on_commit_callbacks(execute=True):
        resp = _post(
            zhang,
            "/suggestions",
            {
                "title": "关于硬化月河村通组路的建议",
                "content": "通组路雨天泥泞。",
                "co_signers": [world.deputy_a2.pk],
            },
        )
    pk = resp.json()["id"]
    item = Suggestion.objects.get(pk=pk)
    refused = _act(zhang, item, "submit")
    assert refused.status_code == 409 and refused.json()["code"] == "illegal_transition"
    assert "联名代表未确认" in refused.json()["message"]
    assert _post(zhao, f"/suggestions/{pk}/signature", {"accept": True}).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        body = _act(zhang, item, "submit", version=0).json()
    assert body["state"] == "submitted" and body["submitted_on"] == str(timezone.localdate())
    assert Notification.objects.filter(recipient=world.town_user, kind="suggestion.submit").count() == 1

    body = _act(office, item, "register", version=1).json()
    assert body["state"] == "registered" and body["number"] == f"城关建〔{YEAR}〕1号"

    with django_capture_on_commit_callbacks(execute=True):
        resp = _act(
            office,
            item,
            "assign",
            unit=world.unit_a.pk,
            co_units=[unit_c.pk],
            responsible_person="刘主任",
            version=2,
        )
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["state"] == "assigned" and body["unit"]["id"] == world.unit_a.pk and body["due_date"]
    assert [(c["unit"]["name"], c["state"]) for c in body["cohandlings"]] == [(unit_c.name, "requested")]
    for user in (world.unit_user, co_user, world.deputy_user, world.deputy_a2_user):
        assert Notification.objects.filter(recipient=user, kind="suggestion.assign").count() == 1

    part_id = co_unit.get(f"{API}/cohandlings").json()["items"][0]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        resp = _post(
            co_unit, f"/cohandlings/{part_id}/input", {"text": "农业站负责协调施工期间的灌溉渠改线。"}
        )
    assert resp.status_code == 200 and resp.json()["state"] == "submitted" and resp.json()["input_on"]
    assert Notification.objects.filter(recipient=world.unit_user, kind="cohandling.submit_input").count() == 1

    # no reply before the deputy has been consulted (面商), with the reason
    refused = _act(lead_unit, item, "reply", **REPLY)
    assert refused.status_code == 409 and refused.json()["code"] == "illegal_transition"
    assert "面商" in refused.json()["message"]
    resp = _post(
        lead_unit,
        f"/suggestions/{pk}/consultation",
        {"method": "visit", "on": str(timezone.localdate()), "note": "到张三代表家中当面沟通"},
    )
    assert resp.json()["consultation"] == {
        "method": "visit",
        "method_label": "登门走访",
        "on": str(timezone.localdate()),
        "note": "到张三代表家中当面沟通",
    }

    with django_capture_on_commit_callbacks(execute=True):
        body = _act(lead_unit, item, "reply", **REPLY).json()
    assert body["state"] == "replied" and body["category"] == "A" and body["category_label"].startswith("A类")
    assert body["doc_number"] == REPLY["doc_number"] and body["rounds"] == 1 and body["reply_on_time"] is True
    assert body["cohandlings"][0]["input_text"].startswith("农业站")
    assert Notification.objects.filter(recipient=world.deputy_a2_user, kind="suggestion.reply").count() == 1
    assert {t["key"] for t in zhang.get(f"{API}/suggestions/{pk}").json()["transitions"]} == set()

    body = _post(zhang, f"/suggestions/{pk}/feedback", {"handling": "satisfied", "result": "basic"}).json()
    assert body["state"] == "replied" and len(body["feedback"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        resp = _post(
            zhao,
            f"/suggestions/{pk}/feedback",
            {"handling": "satisfied", "result": "satisfied", "comment": "好"},
        )
    body = resp.json()
    assert (
        resp.status_code == 200 and body["state"] == "closed" and body["closed_on"] and body["solved"] is True
    )
    assert [(f["deputy"]["name"], f["round"], f["result_label"]) for f in body["feedback"]] == [
        ("张三", 1, "基本满意"),
        ("赵六", 1, "满意"),
    ]
    assert " ".join(s["transition"] for s in body["steps"]) == "create submit register assign reply close"
    assert body["steps"][-1]["actor_label"] == "系统" and body["transitions"] == []
    kinds = sorted(DutyRecord.objects.filter(deputy=world.deputy_a2).values_list("kind", flat=True))
    assert kinds == ["co_signature"]  # counted once, when confirming; registering adds nothing


def test_the_detail_holds_everything_and_no_contact_details(world):
    for deputy in (world.deputy_a, world.deputy_a2):
        deputy.address = f"城关镇东门街{deputy.pk}号"
        deputy.save()
    op = opinion(world)
    item = _replied(world, opinions=[op.pk])
    services.mark_key(actor=world.town_user, item=item, is_key=True, member_id=world.deputy_a2.pk)
    services.add_visit(actor=world.town_user, item=item, on=timezone.localdate(), note="现场查看施工进度")
    resp = _client(world.town_user).get(f"{API}/suggestions/{item.pk}")
    body = resp.json()
    assert body["is_key"] is True and body["key_member"] == {"id": world.deputy_a2.pk, "name": "赵六"}
    assert [v["note"] for v in body["visits"]] == ["现场查看施工进度"]
    assert body["publish"] is True and body["responsible_person"] == "刘主任" and body["version"] == 4
    assert body["consultation"]["method"] == "phone" and body["consultation"]["method_label"] == "电话沟通"
    assert body["opinions"] == [{"id": op.pk, "tracking_code": op.tracking_code, "title": op.title}]
    assert body["signers"][0]["deputy"] == {"id": world.deputy_a.pk, "name": "张三"}
    assert body["signer"] == "王镇长" and body["reply_text"] == REPLY["reply_text"]
    assert body["feedback"] == [] and body["rounds"] == 1 and body["cohandlings"] == []
    assert [s["to_state_label"] for s in body["steps"]] == ["草稿", "已提交", "已立案", "办理中", "已答复"]
    assert {t["key"] for t in body["transitions"]} == {"rehandle", "track", "close"}
    text = resp.content.decode()
    for deputy in (world.deputy_a, world.deputy_a2):
        assert deputy.phone not in text and deputy.address not in text and deputy.id_number not in text
    assert '"phone":' not in text


def test_signers_of_a_merged_suggestion_are_listed_on_the_one_it_joined(world):
    target = services.act(actor=world.town_user, item=_submitted(world), key="register")
    zhao = deputy_a2_user(world)
    twin = services.create_draft(
        actor=zhao, data={"title": "关于月河村通组路硬化的建议", "content": "通组路泥泞，建议硬化。"}
    )
    twin = services.act(actor=zhao, item=twin, key="submit")
    resp = _act(_client(world.town_user), twin, "merge", into=target.number)
    assert resp.status_code == 200 and resp.json()["state"] == "merged"
    assert resp.json()["merged_into"] == target.pk
    signers = _client(world.town_user).get(f"{API}/suggestions/{target.pk}").json()["signers"]
    assert [(s["deputy"]["name"], s["status"], s["merged"]) for s in signers] == [
        ("张三", "confirmed", False),
        ("赵六", "confirmed", True),
    ]


# --- errors on the path -------------------------------------------------------------------------------------


def test_an_illegal_transition_is_409_and_changes_nothing(world):
    item = _submitted(world)
    c = _client(world.town_user)
    for key in ("reply", "fly"):
        resp = _act(c, item, key)
        assert resp.status_code == 409 and resp.json()["code"] == "illegal_transition"
    item.refresh_from_db()
    assert item.state == "submitted" and item.version == 1


def test_a_stale_version_is_a_409_conflict(world):
    item = _submitted(world)
    c = _client(world.town_user)
    assert _act(c, item, "register", version=1).status_code == 200
    resp = _act(c, item, "assign", unit=world.unit_a.pk, version=1)
    assert resp.status_code == 409 and resp.json()["code"] == "conflict"


def test_roles_that_may_see_but_not_take_the_step_get_403(world):
    item = _submitted(world)
    resp = _act(_client(world.deputy_user), item, "register")
    assert resp.status_code == 403 and resp.json()["code"] == "permission_denied"
    mine = draft(world)  # 赵六 is invited: he sees it, but only the lead (or the office) submits
    assert _act(_client(deputy_a2_user(world)), mine, "submit").status_code == 403
    item.refresh_from_db()
    assert item.state == "submitted"


def test_steps_without_their_input_name_the_field(world):
    item = _submitted(world)
    c = _client(world.town_user)
    resp = _act(c, item, "decline", reason=" ")
    assert resp.status_code == 400 and "reason" in resp.json()["fields"]
    services.act(actor=world.town_user, item=item, key="register")
    resp = _act(c, item, "assign")
    assert resp.status_code == 400 and "unit" in resp.json()["fields"]
    assigned = _assigned(world)
    _post(c, f"/suggestions/{assigned.pk}/consultation", {"method": "none"})
    resp = _act(c, assigned, "reply", **{**REPLY, "category": "B"})
    assert resp.status_code == 400 and "planned_text" in resp.json()["fields"]
    resp = _act(c, assigned, "reply", **{**REPLY, "category": "B", "planned_text": "明年实施"})
    assert resp.status_code == 400 and "planned_by" in resp.json()["fields"]
    resp = _post(c, f"/suggestions/{assigned.pk}/consultation", {"method": "visit"})
    assert resp.status_code == 400 and "consult_on" in resp.json()["fields"]


def test_declining_may_turn_it_into_an_opinion(world):
    item = _submitted(world)
    resp = _act(_client(world.town_user), item, "decline", reason="属于社情民意，转交办理", to_opinion=True)
    assert resp.status_code == 200 and resp.json()["state"] == "declined"
    assert resp.json()["outcome_note"] == "属于社情民意，转交办理" and len(resp.json()["opinions"]) == 1


def test_feedback_rules(world):
    item = _assigned(world)
    c = _client(world.deputy_user)
    early = _post(c, f"/suggestions/{item.pk}/feedback", {"handling": "satisfied", "result": "satisfied"})
    assert early.status_code == 400 and "state" in early.json()["fields"]
    services.record_consultation(actor=world.unit_user, item=item, method="none", on=None)
    services.act(actor=world.unit_user, item=item, key="reply", data=REPLY)
    not_signer = _post(
        _client(world.town_user), f"/suggestions/{item.pk}/feedback", {"handling": "satisfied"}
    )
    assert not_signer.status_code == 403
    bad = _post(c, f"/suggestions/{item.pk}/feedback", {"handling": "great", "result": "satisfied"})
    assert bad.status_code == 400 and "handling" in bad.json()["fields"]
    body = _post(
        c, f"/suggestions/{item.pk}/feedback", {"handling": "satisfied", "result": "dissatisfied"}
    ).json()
    assert body["state"] == "rehandling" and body["due_date"]


def test_cohandling_input_only_by_the_co_unit(world):
    unit_c, co_user = _co_unit(world)
    item = _assigned(world, co_units=[unit_c.pk])
    part = CoHandling.objects.get(suggestion=item)
    path = f"/cohandlings/{part.pk}/input"
    assert _post(_client(world.unit_user), path, {"text": "同意"}).status_code == 404
    assert _post(_client(world.town_user), path, {"text": "同意"}).status_code == 403
    empty = _post(_client(co_user), path, {"text": " "})
    assert empty.status_code == 400 and "input_text" in empty.json()["fields"]
    assert _post(_client(co_user), path, {"text": "同意"}).status_code == 200
    again = _post(_client(co_user), path, {"text": "补充"})
    assert again.status_code == 409


# --- key supervision, publication, similar items ------------------------------------------------------------


def test_key_supervision_visits_and_publication(world):
    item = _assigned(world)
    office = _client(world.town_user)
    assert (
        _post(_client(world.deputy_user), f"/suggestions/{item.pk}/key", {"is_key": True}).status_code == 403
    )
    visit = _post(office, f"/suggestions/{item.pk}/visits", {"note": "现场查看"})
    assert visit.status_code == 400 and "is_key" in visit.json()["fields"]
    missing = _post(office, f"/suggestions/{item.pk}/key", {"is_key": True})
    assert missing.status_code == 400 and "key_member" in missing.json()["fields"]
    body = _post(office, f"/suggestions/{item.pk}/key", {"is_key": True, "member": world.deputy_a2.pk}).json()
    assert body["is_key"] is True and body["key_member"]["name"] == "赵六"
    visit = _post(office, f"/suggestions/{item.pk}/visits", {"on": "2026-03-02", "note": "现场查看施工进度"})
    assert visit.status_code == 201 and visit.json()["date"] == "2026-03-02"
    assert (
        _post(_client(world.unit_user), f"/suggestions/{item.pk}/publish", {"publish": False}).status_code
        == 403
    )
    assert _post(office, f"/suggestions/{item.pk}/publish", {"publish": False}).json()["publish"] is False


def test_similar_submitted_suggestions_within_scope(world):
    road = "月河村三组通组路雨天泥泞，路面坑洼，群众出行困难，建议尽快硬化"
    earlier = _submitted(world, content=road)
    twin = _submitted(
        world, title="关于月河村通组路的建议", content="月河村三组通组路坑洼泥泞，下雨出行困难，请求硬化路面"
    )
    _submitted(world, title="关于东坝小学的建议", content="东坝村小学缺少音乐老师", topic="school")
    body = _client(world.town_user).get(f"{API}/suggestions/{twin.pk}/similar").json()
    assert [s["suggestion"]["id"] for s in body["similar"]] == [earlier.pk]
    assert 0 < body["similar"][0]["score"] <= 1
    assert _client(world.town_b_user).get(f"{API}/suggestions/{twin.pk}/similar").status_code == 404


def test_the_reply_letter_in_word(world):
    item = _replied(world)
    resp = _client(world.deputy_user).get(f"{API}/suggestions/{item.pk}/letter.docx")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert resp.content[:2] == b"PK" and "attachment" in resp["Content-Disposition"]
    waiting = _assigned(world, title="关于增设公交站点的建议")
    assert _client(world.town_user).get(f"{API}/suggestions/{waiting.pk}/letter.docx").status_code == 404
    assert _client(world.town_b_user).get(f"{API}/suggestions/{item.pk}/letter.docx").status_code == 404


# --- counts -------------------------------------------------------------------------------------------------


@pytest.fixture
def small_year(world):
    done = _replied(world, session_label="第十八届人大第五次会议")
    services.rate(actor=world.deputy_user, item=done, handling="satisfied", result="satisfied")
    _assigned(world, session_label="第十八届人大第五次会议")
    draft(world, co_signers=[])
    _town_b(world, submit=True)


def test_figures_by_town_for_the_county(world, small_year):
    body = _client(world.county_user).get(f"{API}/suggestions/stats").json()
    assert body["by"] == "town" and body["year"] == YEAR
    rows = {r["label"]: r for r in body["rows"]}
    a = rows["城关镇"]
    assert a["key"] == world.town_a.pk
    assert [a[k] for k in ("total", "replied", "on_time", "a", "solved", "rated")] == [2, 1, 1, 1, 1, 1]
    assert (a["on_time_rate"], a["solved_rate"], a["satisfaction_rate"], a["a_share"]) == (100.0,) * 4
    assert a["overdue"] == 0 and a["b_share"] == 0.0
    b = rows["涧池镇"]
    assert (b["total"], b["replied"], b["solved_rate"], b["satisfaction_rate"]) == (1, 0, None, None)


def test_figures_by_unit_deputy_and_session_follow_scope_region_and_year(world, small_year):
    town = _client(world.town_user)
    units = town.get(f"{API}/suggestions/stats", {"by": "unit"}).json()["rows"]
    assert [(r["label"], r["total"], r["replied"]) for r in units] == [(world.unit_a.name, 2, 1)]
    deputies = town.get(f"{API}/suggestions/stats", {"by": "deputy"}).json()["rows"]
    assert [(r["label"], r["key"], r["total"]) for r in deputies] == [("张三", world.deputy_a.pk, 2)]
    sessions = town.get(f"{API}/suggestions/stats", {"by": "session"}).json()["rows"]
    assert [(r["label"], r["total"]) for r in sessions] == [("第十八届人大第五次会议", 2)]
    county = _client(world.county_user)
    only_b = county.get(f"{API}/suggestions/stats", {"region": world.town_b.code}).json()["rows"]
    assert [r["label"] for r in only_b] == ["涧池镇"]
    assert county.get(f"{API}/suggestions/stats", {"year": YEAR - 1}).json()["rows"] == []
    bad = county.get(f"{API}/suggestions/stats", {"by": "weather"})
    assert bad.status_code == 422 and "by" in bad.json()["fields"]


@pytest.mark.parametrize("who", ["deputy_user", "keeper_user", "unit_user"])
def test_counts_are_for_offices_only(world, who):
    resp = _client(getattr(world, who)).get(f"{API}/suggestions/stats")
    assert resp.status_code == 403 and resp.json()["code"] == "permission_denied"


# --- awards -------------------------------------------------------------------------------------------------


def test_selecting_and_listing_awards(world):
    replied = _replied(world)
    waiting = _submitted(world)
    office = _client(world.town_user)
    body = {"town": world.town_a.code, "year": YEAR, "suggestions": [replied.pk], "units": [world.unit_a.pk]}
    resp = _post(office, "/awards", body)
    assert resp.status_code == 200, resp.content
    assert {(a["kind"], (a["suggestion"] or a["unit"])["id"]) for a in resp.json()} == {
        ("suggestion", replied.pk),
        ("unit", world.unit_a.pk),
    }
    listed = office.get(f"{API}/awards", {"year": YEAR, "town": world.town_a.code}).json()
    assert {a["kind_label"] for a in listed} == {"优秀建议", "优秀承办单位"}
    assert listed[0]["town"] == {"code": world.town_a.code, "name": "城关镇"}
    assert _client(world.county_user).get(f"{API}/awards").json() == listed
    assert _client(world.town_b_user).get(f"{API}/awards").json() == []
    assert office.get(f"{API}/awards", {"year": YEAR - 1}).json() == []
    # only replied suggestions of the town, only a town, only one's own town
    wrong = _post(office, "/awards", {**body, "suggestions": [waiting.pk]})
    assert wrong.status_code == 400 and "suggestions" in wrong.json()["fields"]
    county = _post(_client(world.county_user), "/awards", {**body, "town": world.county.code})
    assert county.status_code == 400 and "town" in county.json()["fields"]
    assert _post(_client(world.town_b_user), "/awards", body).status_code == 404
    assert Award.objects.count() == 2


# --- motions ------------------------------------------------------------------------------------------------


def test_a_deputies_motion_needs_five_confirmed_signers(world, django_capture_on_commit_callbacks):
    extra = _deputies(world, 3)
    zhao = deputy_a2_user(world)
    zhang = _client(world.deputy_user)
    resp = _post(
        zhang,
        "/motions",
        {
            "title": "关于制定月河保护办法的议案",
            "content": "月河沿岸采砂无序，建议镇人大审议保护办法。",
            "session_label": "第十八届人大第五次会议",
            "co_signers": [world.deputy_a2.pk, *(d.pk for d in extra)],
        },
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    motion_id = body["id"]
    assert body["state"] == "draft" and body["confirmed"] == 1 and len(body["signers"]) == 5
    for user in (zhao, extra[0].user, extra[1].user):
        assert _post(_client(user), f"/motions/{motion_id}/signature", {"accept": True}).status_code == 200
    refused = _post(zhang, f"/motions/{motion_id}/actions/submit")
    assert refused.status_code == 409 and refused.json()["code"] == "illegal_transition"
    assert refused.json()["message"] == "代表联名提出议案须有5名以上代表确认联名，目前只有4名"
    assert Motion.objects.get(pk=motion_id).state == "draft"
    assert (
        _post(_client(extra[2].user), f"/motions/{motion_id}/signature", {"accept": True}).json()["confirmed"]
        == 5
    )
    with django_capture_on_commit_callbacks(execute=True):
        resp = _post(zhang, f"/motions/{motion_id}/actions/submit")
    assert resp.status_code == 200 and resp.json()["state"] == "submitted"
    assert Notification.objects.filter(recipient=world.town_user, kind="motion.submit").count() == 1
    body = _post(
        _client(world.town_user), f"/motions/{motion_id}/actions/put_on_agenda", {"reason": "主席团决定"}
    ).json()
    assert body["state"] == "on_agenda" and body["decision_note"] == "主席团决定"
    assert [s["transition"] for s in body["steps"]] == ["create", "submit", "put_on_agenda"]


def test_motions_by_the_presidium_scope_and_turning_into_a_suggestion(world):
    office = _client(world.town_user)
    body = {
        "title": "关于镇级财政预算的议案",
        "content": "内容",
        "by_presidium": True,
        "region": world.town_a.code,
    }
    resp = _post(office, "/motions", body)
    assert resp.status_code == 201 and resp.json()["by_presidium"] is True and resp.json()["lead"] is None
    presidium = resp.json()["id"]
    assert _post(office, f"/motions/{presidium}/actions/submit").json()["state"] == "submitted"
    assert _post(_client(world.town_b_user), "/motions", body).status_code == 403
    # no deputy signed it, so it cannot become a deputy's suggestion
    refused = _post(office, f"/motions/{presidium}/actions/to_suggestion")
    assert refused.status_code == 400 and "lead" in refused.json()["fields"]
    assert Motion.objects.get(pk=presidium).state == "submitted" and not Suggestion.objects.exists()
    # a deputies' motion the office turns into a suggestion
    extra = _deputies(world, 4)
    motion = services.create_motion(
        actor=world.deputy_user,
        data={"title": "关于月河保护的议案", "content": "内容", "co_signers": [d.pk for d in extra]},
    )
    for d in extra:
        services.respond(actor=d.user, item=motion, accept=True)
    services.act_motion(actor=world.deputy_user, motion=motion, key="submit")
    assert _client(deputy_a2_user(world)).get(f"{API}/motions/{motion.pk}").status_code == 404
    assert _ids(_client(extra[0].user).get(f"{API}/motions")) == {motion.pk}
    body = _post(
        office, f"/motions/{motion.pk}/actions/to_suggestion", {"reason": "不属于本级人大职权"}
    ).json()
    assert body["state"] == "to_suggestion" and body["suggestion"]
    made = Suggestion.objects.get(pk=body["suggestion"])
    assert made.state == "submitted" and made.lead == world.deputy_a and made.signatures.count() == 5
    assert _client(extra[0].user).get(f"{API}/suggestions/{made.pk}").status_code == 200


# --- the public replies -------------------------------------------------------------------------------------


def test_the_public_list_shows_published_replies_without_contact_details(world):
    shown = _replied(world)
    hidden = _replied(world, title="关于村卫生室的建议")
    services.set_publish(actor=world.town_user, item=hidden, publish=False)
    waiting = _assigned(world, title="关于增设公交站点的建议")
    resp = Client().get(PUBLIC)
    assert resp.status_code == 200
    body = resp.json()
    assert [r["id"] for r in body["items"]] == [shown.pk] and body["count"] == 1
    row = body["items"][0]
    assert row == {
        "id": shown.pk,
        "number": shown.number,
        "title": shown.title,
        "lead": "张三",
        "town": "城关镇",
        "unit": world.unit_a.name,
        "category": "A",
        "category_label": "A类：已解决或基本解决",
        "replied_on": str(timezone.localdate()),
        "reply_text": REPLY["reply_text"],
    }
    text = resp.content.decode()
    for secret in (world.deputy_a.phone, world.deputy_a.address, "phone", "刘主任"):
        assert secret not in text
    assert Client().get(f"{PUBLIC}/{shown.pk}").json()["reply_text"] == REPLY["reply_text"]
    for pk in (hidden.pk, waiting.pk, 999999):
        resp = Client().get(f"{PUBLIC}/{pk}")
        assert resp.status_code == 404 and resp.json()["code"] == "not_found"


def test_the_public_list_filters_by_region_code(world):
    shown = _replied(world)
    assert _ids(Client().get(PUBLIC, {"region": world.town_a.code})) == {shown.pk}
    assert _ids(Client().get(PUBLIC, {"region": world.county.code})) == {shown.pk}
    assert _ids(Client().get(PUBLIC, {"region": world.town_b.code})) == set()
    assert Client().get(PUBLIC, {"region": "000"}).status_code == 404


# --- the OpenAPI document -----------------------------------------------------------------------------------


def test_every_endpoint_is_documented_in_chinese(world):
    doc = _client(world.town_user).get(f"{API}/openapi.json").json()
    prefixes = ("/suggestions", "/cohandlings", "/awards", "/motions", "/public/suggestions")
    ops = [
        (path, op)
        for path, item in doc["paths"].items()
        if path.startswith(tuple(API + p for p in prefixes))
        for op in item.values()
    ]
    assert len(ops) == 31  # import + template; GET ./actions beside POST ./actions/{name} per kind
    for path, op in ops:
        for key in ("summary", "description"):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in op.get(key, "")), (path, key)

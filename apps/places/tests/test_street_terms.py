"""A street (街道) says the street's words everywhere (DOMAIN §1): 人大街道工委 for the presidium, 居民议事会
and 议事员; it holds no congress session and no election."""

import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from apps.accounts.tests.factories import user_with
from apps.common.errors import ValidationFailed
from apps.meetings import services as meetings
from apps.meetings.models import Session
from apps.meetings.word import notice_docx
from apps.opinions.tests.factories import opinion
from apps.people.tests.factories import DeputyFactory, MandateFactory
from apps.places.terms import STREET, TOWNSHIP, terms_for, terms_for_user
from apps.suggestions.tests.factories import draft

pytestmark = pytest.mark.django_db

# Words only a township's pages say about its own body and people.
TOWN_WORDS = ("镇人大", "主席团", "人民代表大会", "代表大会", "镇级代表联络站")


def _start(day=3):
    return timezone.make_aware(datetime(2026, 5, day, 9, 0))


def _pages(w):
    return {
        "home": reverse("home"),
        "stations": reverse("places:station_list"),
        "deputies": reverse("people:deputy_list"),
        "ledger": reverse("opinions:list"),
        "suggestions": reverse("suggestions:list"),
        "meetings": reverse("meetings:list"),
    }


def test_the_terms_follow_the_region_of_a_street_or_a_township(street):
    assert terms_for(street.street) is STREET and terms_for(street.village_a) is TOWNSHIP
    assert terms_for(street.member.region) is STREET
    assert terms_for(street.county) is TOWNSHIP
    assert terms_for_user(street.street_user) is STREET
    assert terms_for_user(street.town_user) is TOWNSHIP and terms_for_user(street.county_user) is TOWNSHIP
    assert STREET.relabel("镇人大代表") == "议事员" and TOWNSHIP.relabel("镇人大代表") == "镇人大代表"
    assert STREET.issuer(street.street) == "汉阴县人大常委会凤台街道工作委员会"


def test_the_main_pages_of_a_street_say_the_streets_words(client, street):
    w = street
    opinion(w, actor=w.street_user, title="文峰社区路灯不亮", region=w.community.code)
    draft(w, actor=w.member_user, title="关于文峰社区增设停车位的建议", co_signers=[])
    meetings.plan_meeting(
        actor=w.street_user,
        region=w.street,
        kind="presidium",
        title="凤台街道人大工委第三次会议",
        starts_at=_start(),
    )
    client.force_login(w.street_user)
    for name, url in _pages(w).items():
        html = client.get(url).content.decode()
        assert "凤台街道人大工委" in html, name  # the office's own name in the top bar
        for word in TOWN_WORDS:
            assert word not in html, (name, word)
    deputies = client.get(reverse("people:deputy_list")).content.decode()
    assert "议事员" in deputies and "王五" in deputies
    assert "本街道代表和议事员" in client.get(reverse("home")).content.decode()
    assert "街道代表联络站" in client.get(reverse("places:station_list")).content.decode()
    listed = client.get(reverse("meetings:list")).content.decode()
    assert "工委会议" in listed and "主席团会议" not in listed


def test_the_township_pages_keep_the_township_words(client, street):
    client.force_login(street.town_user)
    html = client.get(reverse("people:deputy_list")).content.decode()
    assert "镇人大代表" in html and "议事员" not in html


def test_the_public_page_of_a_street_says_its_words(client, street):
    html = client.get(reverse("public:region", args=[street.street.code])).content.decode()
    assert "凤台街道人大工委" in html and "人大代表和议事员名单" in html
    for word in TOWN_WORDS:
        assert word not in html, word
    town = client.get(reverse("public:region", args=[street.town_a.code])).content.decode()
    assert "城关镇人大" in town and "议事员" not in town


def test_a_street_is_not_offered_elections_or_congress_sittings(client, street):
    client.force_login(street.street_user)
    html = client.get(reverse("home")).content.decode()
    assert reverse("elections:list") not in html
    form = client.get(reverse("meetings:new")).content.decode()
    assert 'value="plenary"' not in form and 'value="preparatory"' not in form and "工委会议" in form
    client.force_login(street.town_user)
    assert reverse("elections:list") in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("kind", ["preparatory", "plenary", "session_presidium"])
def test_a_street_cannot_plan_a_congress_sitting(street, kind):
    with pytest.raises(ValidationFailed) as err:
        meetings.plan_meeting(
            actor=street.street_user, region=street.street, kind=kind, title="居民议事会", starts_at=_start()
        )
    assert err.value.code == "no_congress_in_street" and "街道" in str(err.value.message)


def test_a_street_cannot_plan_a_congress_session(street):
    with pytest.raises(ValidationFailed) as err:
        meetings.plan_session(
            actor=street.street_user, region=street.street, term=1, number=1, starts_on=_start().date()
        )
    assert err.value.code == "no_congress_in_street"
    assert not Session.objects.filter(region=street.street).exists()


def test_the_api_refuses_a_congress_session_in_a_street_with_its_code(client, street):
    from apps.accounts.services import issue_token

    token = issue_token(user=street.street_user)
    body = {
        "region": street.street.code,
        "kind": "plenary",
        "title": "第一次全体会议",
        "starts_at": _start().isoformat(),
        "new_session": {"term": 1, "number": 1, "title": ""},
    }
    answer = client.post(
        "/api/v1/meetings", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "no_congress_in_street"
    # The township may.
    token = issue_token(user=street.town_user)
    body["region"] = street.town_a.code
    answer = client.post(
        "/api/v1/meetings", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert answer.status_code == 201, answer.content


def test_the_meeting_notice_of_a_street_is_issued_by_its_working_committee(street):
    meeting = meetings.plan_meeting(
        actor=street.street_user, region=street.street, kind="presidium", title="工委会议", starts_at=_start()
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(notice_docx(meeting))).paragraphs)
    assert "汉阴县人大常委会凤台街道工作委员会" in text and "凤台街道议事员1人" in text
    assert "主席团" not in text and "人民代表大会" not in text


# The words a street's remaining pages (motions, duty, archive, quota, checklists) must not say either.
MORE_TOWN_WORDS = (*TOWN_WORDS, "本镇", "人大主席")


def _more_pages(w, motions):
    return {
        "motion_list": reverse("suggestions:motion_list"),
        "motion_new": reverse("suggestions:motion_new"),
        **{f"motion_{m.pk}": reverse("suggestions:motion", args=[m.pk]) for m in motions},
        "duty_review": reverse("duty:review"),
        "commitments": reverse("archive:commitments"),
        "not_reported": reverse("archive:not_reported"),
        "quota": reverse("people:quota"),
        "checklists": reverse("meetings:checklists"),
        "member": reverse("people:deputy_detail", args=[w.member.pk]),
    }


def test_the_remaining_pages_of_a_street_say_the_streets_words(client, street):
    from apps.suggestions import services as suggestions

    w = street
    w.member.is_presidium_member = True
    w.member.save()
    by_committee = suggestions.create_motion(
        actor=w.street_user,
        data={
            "by_presidium": True,
            "region": w.street.code,
            "title": "关于文峰社区改造的议案",
            "content": "内容",
        },
    )
    by_member = suggestions.create_motion(
        actor=w.member_user, data={"title": "关于停车的议案", "content": "内容"}
    )
    pages = _more_pages(w, [by_committee, by_member])
    for user in (w.street_user, w.member_user):
        client.force_login(user)
        for name, url in pages.items():
            answer = client.get(url)
            if answer.status_code in (403, 404):  # not this role's page, or another's draft
                continue
            assert answer.status_code == 200, (user.username, name)
            html = answer.content.decode()
            for word in MORE_TOWN_WORDS:
                assert word not in html, (user.username, name, word)
    client.force_login(w.street_user)
    assert "街道工委" in client.get(pages["motion_list"]).content.decode()
    assert "录入街道工委议案" in client.get(pages["motion_new"]).content.decode()
    assert "街道工委提出" in client.get(pages[f"motion_{by_committee.pk}"]).content.decode()
    assert "年终由人大街道工委评定" in client.get(pages["commitments"]).content.decode()
    assert "工委委员" in client.get(pages["member"]).content.decode()
    checklists = client.get(pages["checklists"]).content.decode()
    assert "本街道尚未自定义" in checklists and 'value="plenary"' not in checklists
    assert "出席居民议事会会议" in client.get(pages["duty_review"]).content.decode()
    client.force_login(w.member_user)
    assert "须5名以上本街道议事员" in client.get(pages[f"motion_{by_member.pk}"]).content.decode()
    assert "议事员 第" in client.get(pages["not_reported"]).content.decode()


def test_a_township_keeps_its_words_on_those_pages(client, street):
    client.force_login(street.town_user)
    assert "录入主席团议案" in client.get(reverse("suggestions:motion_new")).content.decode()
    checklists = client.get(reverse("meetings:checklists")).content.decode()
    assert "本镇尚未自定义" in checklists and 'value="plenary"' in checklists
    assert "出席代表大会" in client.get(reverse("duty:review")).content.decode()


def test_a_streets_meeting_notice_greets_its_council_members(street):
    meeting = meetings.plan_meeting(
        actor=street.street_user, region=street.street, kind="presidium", title="工委会议", starts_at=_start()
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(notice_docx(meeting))).paragraphs)
    assert "各位议事员：" in text and "请各位议事员提前" in text
    assert "各位代表" not in text and "代表证" not in text
    township = meetings.plan_meeting(
        actor=street.town_user, region=street.town_a, kind="presidium", title="主席团会议", starts_at=_start()
    )
    assert "各位代表：" in "\n".join(p.text for p in Document(io.BytesIO(notice_docx(township))).paragraphs)


def test_a_street_motion_invitation_names_the_working_committee(street):
    from apps.notifications.models import Notification
    from apps.suggestions import services as suggestions

    other = DeputyFactory(name="钱七", region=street.community)
    MandateFactory(deputy=other, congress_region=street.street)
    other.user = user_with("deputy", "member2", deputy=other)
    other.save()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        suggestions.create_motion(
            actor=street.street_user,
            data={
                "by_presidium": True,
                "region": street.street.code,
                "title": "议案",
                "content": "内容",
                "co_signers": [other.pk],
            },
        )
    titles = list(Notification.objects.filter(recipient=other.user).values_list("title", flat=True))
    assert titles == ["街道工委邀请您联名议案：议案"]

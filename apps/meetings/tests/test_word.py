"""The minutes and the resolutions in Word: the national format (GB/T 9704-2012, DOMAIN §11), titles said
once, the presidium or the session and the date at the end."""

from datetime import date

import pytest

from apps.meetings.models import AgendaItem, Meeting, Vote
from apps.meetings.word import minutes_docx, notice_docx, resolution_title, resolutions_docx
from tests import official_papers

from .test_api import _post, session_path  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(session_path):  # noqa: F811
    s = session_path
    _post(s["phones"][1], f"/votes/{s['vote']}/ballot", {"choice": "for"})
    assert _post(s["office"], f"/votes/{s['vote']}/close").status_code == 200
    return Meeting.objects.get(pk=s["meeting"]), Vote.objects.get(pk=s["vote"])


def test_the_minutes_are_an_official_paper_signed_by_the_presidium(closed):
    meeting, _ = closed
    doc = official_papers.check(
        minutes_docx(meeting), title="第一次全体会议会议记录", issuer="城关镇人民代表大会主席团"
    )
    text = "\n".join(official_papers.texts(doc))
    assert "应到代表：3人" in text and "赞成2票" in text


def test_a_resolution_on_a_report_is_titled_once(closed):
    meeting, vote = closed
    AgendaItem.objects.filter(pk=vote.agenda_item_id).update(title="关于2027年民生实事项目的决议")
    Vote.objects.filter(pk=vote.pk).update(title="关于2027年民生实事项目的决议")
    data = resolutions_docx(meeting)
    session = "城关镇第十八届人民代表大会第五次会议"
    doc = official_papers.check(data, title="关于2027年民生实事项目的决议", issuer=session)
    text = "\n".join(official_papers.texts(doc))
    assert "关于关于" not in text and "的决议的决议" not in text and "赞成2票" in text
    assert any(t.startswith("（") and t.endswith(f"{session}通过）") for t in official_papers.texts(doc))


@pytest.mark.parametrize(
    ("vote_title", "item_title", "expected"),
    [
        ("政府工作报告", "政府工作报告", "关于政府工作报告的决议"),
        ("关于政府工作报告的决议", "审议镇人民政府工作报告", "关于政府工作报告的决议"),
        ("第1轮", "关于2027年民生实事项目的决议", "关于2027年民生实事项目的决议"),
        ("关于关于民生实事的决议的决议", "民生实事", "关于民生实事的决议"),
        ("表决", "审查2026年财政预算执行情况报告。", "关于2026年财政预算执行情况报告的决议"),
    ],
)
def test_the_resolution_title_never_repeats_about_or_resolution(vote_title, item_title, expected):
    vote = Vote(title=vote_title, agenda_item=AgendaItem(title=item_title))
    assert resolution_title(vote) == expected


def test_a_meeting_without_adopted_items_still_gets_an_official_paper(session_path):  # noqa: F811
    meeting = Meeting.objects.get(pk=session_path["meeting"])
    official_papers.check(
        resolutions_docx(meeting), title="第一次全体会议决议", issuer="城关镇第十八届人民代表大会第五次会议"
    )


def test_the_notice_calls_the_deputies_with_time_place_and_agenda(session_path):  # noqa: F811
    meeting = Meeting.objects.get(pk=session_path["meeting"])
    title = "关于召开城关镇第十八届人民代表大会第五次会议第一次全体会议的通知"
    doc = official_papers.check(
        notice_docx(meeting, on=date(2026, 1, 5)), title=title, issuer="城关镇人民代表大会主席团"
    )
    texts = official_papers.texts(doc)
    assert texts.count("各位代表：") == 1 and "2026年1月5日" in texts
    assert "镇政府三楼会议室" in texts and "1. 政府工作报告" in texts and "列席：镇长。" in texts
    assert [t for t in texts if t[1:2] == "、"] == [
        "一、会议时间",
        "二、会议地点",
        "三、会议议程",
        "四、参加人员",
        "五、有关要求",
    ]


def test_the_office_downloads_the_notice_from_the_meeting_page_and_the_api(session_path, client, world):  # noqa: F811
    mid = session_path["meeting"]
    client.force_login(world.town_user)
    assert f"/meetings/{mid}/notice.docx" in client.get(f"/meetings/{mid}/").content.decode()
    title = "关于召开城关镇第十八届人民代表大会第五次会议第一次全体会议的通知"
    for url in (f"/meetings/{mid}/notice.docx", f"/api/v1/meetings/{mid}/notice.docx"):
        r = client.get(url)
        assert r.status_code == 200, url
        official_papers.check(r.content, title=title, issuer="城关镇人民代表大会主席团")
    client.force_login(world.town_b_user)
    assert client.get(f"/api/v1/meetings/{mid}/notice.docx").status_code == 404

"""After the election (issue 21 part 4): the post recorded on the person, the constitutional oath, and the
result announcement, appointment papers and tally as Word files in the official format, read back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.elections import aftermath, services
from apps.elections.models import Oath, Outcome, Result
from apps.elections.selectors import tally
from apps.elections.services import Conflict
from apps.elections.word import announcement_docx, appointment_docx, tally_docx
from apps.people.models import Office
from tests import official_papers

from .factories import Hall

pytestmark = pytest.mark.django_db
SITTING = "城关镇第十九届人民代表大会第三次会议第一次全体会议"


@pytest.fixture
def hall(world):
    return Hall(world, total=20)


@pytest.fixture
def counted(hall):
    """镇长: 王小明 (a deputy of the sitting) against 丁大为 (not a deputy); 王小明 is elected on paper."""
    post = hall.post("head", seats=1)
    wang = services.nominate(
        actor=hall.world.town_user, post_id=post.pk, by="presidium", name="王小明",
        deputy_id=hall.deputies[1].pk,
    )  # fmt: skip
    ding = hall.nominate(post, "丁大为", by="joint", signers=hall.signers(2, 10))
    round_ = hall.open(post, paper=True)
    hall.votes(round_, [(14, {wang: "for", ding: "against"}, []), (6, {wang: "against", ding: "for"}, [])])
    round_ = hall.close(round_)
    won = Outcome.objects.get(round=round_, result=Result.ELECTED)
    lost = Outcome.objects.get(round=round_, name="丁大为")
    return post, round_, won, lost


def test_the_elected_deputy_gets_the_post_on_their_record_and_page(hall, counted, client):
    post, _round, won, lost = counted
    office = Office.objects.get(deputy=hall.deputies[1])
    assert (office.title, office.outcome, office.started_on) == (post.title, won, timezone.localdate())
    assert office.source == f"城关镇{hall.meeting.title}选举"
    assert not Office.objects.filter(outcome=lost).exists()
    assert AuditEvent.objects.filter(action="people.office_recorded", object_id=str(office.pk)).exists()
    client.force_login(hall.world.town_user)
    page = client.get(f"/deputies/{hall.deputies[1].pk}/").content.decode()
    assert "担任职务" in page and post.title in page and office.source in page
    data = client.get(f"/api/v1/deputies/{hall.deputies[1].pk}").json()
    assert data["offices"] == [
        {"title": post.title, "started_on": str(office.started_on), "ended_on": None, "source": office.source}
    ]


def test_the_oath_is_recorded_once_only_for_the_elected(hall, counted):
    _post, _round, won, lost = counted
    today, office = timezone.localdate(), hall.world.town_user
    with pytest.raises(Conflict):
        aftermath.record_oath(actor=office, outcome_id=lost.pk, taken_on=today, before="李主席")
    with pytest.raises(ValidationFailed):
        aftermath.record_oath(actor=office, outcome_id=won.pk, taken_on=today, before="  ")
    with pytest.raises(ValidationFailed):
        aftermath.record_oath(actor=office, outcome_id=won.pk, taken_on=today, before="李\x00主席")
    with pytest.raises(ValidationFailed):
        aftermath.record_oath(
            actor=office, outcome_id=won.pk, taken_on=today + timedelta(days=1), before="李主席"
        )
    with pytest.raises(ValidationFailed):
        aftermath.record_oath(
            actor=office, outcome_id=won.pk, taken_on=today - timedelta(days=1), before="李主席"
        )
    with pytest.raises(NotFound):
        aftermath.record_oath(actor=hall.world.town_b_user, outcome_id=won.pk, taken_on=today, before="李")
    with pytest.raises(PermissionDenied):
        aftermath.record_oath(actor=hall.user(3), outcome_id=won.pk, taken_on=today, before="李")
    assert not Oath.objects.exists()
    assert AuditEvent.objects.filter(action="access.denied").count() == 2
    oath = aftermath.record_oath(
        actor=office, outcome_id=won.pk, taken_on=today, before="李主席", place="镇政府会议室"
    )
    assert (oath.outcome, oath.before, oath.place, oath.recorded_by) == (
        won,
        "李主席",
        "镇政府会议室",
        office,
    )
    event = AuditEvent.objects.get(action="election.oath_recorded")
    assert event.summary["before"] == "李主席" and event.summary["name"] == "王小明"
    with pytest.raises(Conflict):
        aftermath.record_oath(actor=office, outcome_id=won.pk, taken_on=today, before="李主席")


def test_the_clerk_records_the_oath_on_the_page_and_through_the_api(hall, counted, client):
    post, _round, won, lost = counted
    client.force_login(hall.world.town_user)
    assert (
        f"/elections/posts/{post.pk}/elected/" in client.get(f"/elections/posts/{post.pk}/").content.decode()
    )
    page = client.get(f"/elections/posts/{post.pk}/elected/").content.decode()
    assert "王小明" in page and f"/elections/outcomes/{won.pk}/oath/" in page and "丁大为" not in page
    today = timezone.localdate().isoformat()
    r = client.post(f"/elections/outcomes/{won.pk}/oath/", {"taken_on": today, "before": "李主席"})
    assert r.status_code == 302 and Oath.objects.get().before == "李主席"
    assert "监誓人：李主席" in client.get(f"/elections/posts/{post.pk}/elected/").content.decode()
    api = f"/api/v1/elections/outcomes/{won.pk}/oath"
    again = client.post(api, {"taken_on": today, "before": "李主席"}, content_type="application/json")
    assert again.status_code == 409
    listed = client.get(f"/api/v1/elections/posts/{post.pk}/elected").json()
    assert [(e["name"], e["oath"]["before"], e["office"]["title"]) for e in listed] == [
        ("王小明", "李主席", post.title)
    ]
    r = client.post(
        f"/api/v1/elections/outcomes/{lost.pk}/oath",
        {"taken_on": today, "before": "李主席"},
        content_type="application/json",
    )
    assert r.status_code == 409
    for bad in ({"taken_on": today, "before": ""}, {"taken_on": "2026-13-40", "before": "李"}, {}):
        assert client.post(api, bad, content_type="application/json").status_code == 422
    client.force_login(hall.world.town_b_user)
    r = client.post(
        f"/api/v1/elections/outcomes/{won.pk}/oath",
        {"taken_on": today, "before": "李主席"},
        content_type="application/json",
    )
    assert r.status_code == 404


def test_the_announcement_appointment_and_tally_are_official_papers(hall, counted):
    post, round_, won, _lost = counted
    day = timezone.localdate()
    issuer = "城关镇人民代表大会主席团"
    texts = official_papers.texts(
        official_papers.check(announcement_docx(hall.meeting), title=f"{SITTING}选举结果公告", issuer=issuer)
    )
    assert f"王小明当选为{post.title}（得票14票）。" in texts and "现予公告。" in texts
    assert not any("丁大为" in t for t in texts)
    texts = official_papers.texts(official_papers.check(appointment_docx(won), title="任命书", issuer=issuer))
    assert "王小明同志：" in texts
    assert f"经{SITTING}于{day.year}年{day.month}月{day.day}日选举，你当选为{post.title}。" in texts
    title = f"{post.title} 第1轮（正式选举）计票报告"
    texts = official_papers.texts(official_papers.check(tally_docx(round_, tally(round_)), title=title))
    assert "1. 丁大为：赞成6票，反对14票，弃权0票（未当选）" in texts
    assert "2. 王小明：赞成14票，反对6票，弃权0票（当选）" in texts
    assert "收回选票：20" in texts and "有效票：20" in texts


def test_the_papers_download_from_the_pages_and_the_api_within_the_town(hall, counted, client):
    _post, round_, won, lost = counted
    client.force_login(hall.world.town_user)
    assert (
        f"/elections/rounds/{round_.pk}/tally.docx"
        in client.get(f"/elections/rounds/{round_.pk}/tally/").content.decode()
    )
    urls = [
        f"/elections/meetings/{hall.meeting.pk}/announcement.docx",
        f"/api/v1/elections/meetings/{hall.meeting.pk}/announcement.docx",
        f"/elections/outcomes/{won.pk}/appointment.docx",
        f"/api/v1/elections/outcomes/{won.pk}/appointment.docx",
        f"/elections/rounds/{round_.pk}/tally.docx",
        f"/api/v1/elections/rounds/{round_.pk}/report.docx",
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats"), url
    # A result that did not elect has no appointment paper; another town sees none of it.
    assert client.get(f"/api/v1/elections/outcomes/{lost.pk}/appointment.docx").status_code == 404
    client.force_login(hall.world.town_b_user)
    for url in urls:
        assert client.get(url).status_code == 404, url

"""The vice-mayors' report-back rating at a session meeting (issue 18 part 6): written reports, a secret
rating per official by checked-in deputies only, once; the tellers decrypt; the result on the hall page and
in the Word record; another town sees nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.ballotbox import services as ballotbox
from apps.common.errors import DomainError, NotFound
from apps.evaluations import selectors
from apps.evaluations import services_officials as services
from apps.evaluations.models import OfficialRatingParticipation
from apps.evaluations.services import AlreadyResponded
from apps.evaluations.word import official_record_docx
from apps.meetings.tests.factories import check_in_all, plan, ready
from tests import official_papers

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _opened(world):
    ready(world)
    meeting = plan(world)
    check_in_all(meeting, world.town_user, only=[world.deputy_a])
    item = services.create_rating(
        actor=world.town_user,
        meeting_id=meeting.pk,
        title="副镇长述职评议",
        officials=[{"name": "王五", "post": "副镇长"}, {"name": "钱七", "post": "副镇长"}],
    )
    services.attach_report(
        actor=world.town_user,
        rating_id=item.pk,
        official_id=item.officials.first().pk,
        upload=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
    )
    item = services.act_on_rating(
        actor=world.town_user, item=item, key="prepare", data={"second_teller": world.county_user.pk}
    )
    codes = {u: ballotbox.make_teller_keys(actor=u)[0] for u in (world.town_user, world.county_user)}
    return services.act_on_rating(actor=world.town_user, item=item, key="open", data={}), codes


def test_checked_in_deputies_rate_once_and_the_result_is_filed(world):
    item, codes = _opened(world)
    a, b = [o.pk for o in item.officials.order_by("id")]
    services.rate(
        actor=world.deputy_user, rating_id=item.pk, choices={a: "satisfied", str(b): "dissatisfied"}
    )
    with pytest.raises(AlreadyResponded):
        services.rate(actor=world.deputy_user, rating_id=item.pk, choices={a: "basic", b: "basic"})
    with pytest.raises(DomainError):  # not checked in
        services.rate(actor=world.deputy_a2.user, rating_id=item.pk, choices={a: "basic", b: "basic"})
    assert OfficialRatingParticipation.objects.count() == 1
    services.act_on_rating(actor=world.town_user, item=item, key="close", data={})
    for user, code in codes.items():
        ballotbox.submit_shares(actor=user, code=code)
    item.refresh_from_db()
    assert item.state == "closed" and item.participants == 1
    rows = selectors.official_results(item)
    assert [(r["satisfied"], r["basic"], r["dissatisfied"]) for r in rows] == [(1, 0, 0), (0, 0, 1)]
    assert rows[0]["report_name"] == "report.pdf"
    doc = official_papers.check(
        official_record_docx(item),
        title="关于副镇长述职评议测评结果的报告",
        issuer="城关镇人民代表大会主席团",
    )
    assert "副镇长王五：满意1票（100.0%）" in "\n".join(official_papers.texts(doc))
    c = Client()
    c.force_login(world.town_user)
    hall = c.get(f"/supervision/evaluations/vice-mayors/{item.pk}/hall/").content.decode()
    assert "official-results" in hall and "100.0%" in hall and world.deputy_a.name not in hall


def test_deputy_rates_on_the_page_and_another_town_sees_nothing(world):
    item, _codes = _opened(world)
    c = Client()
    c.force_login(world.deputy_user)
    page = c.get(item.get_absolute_url()).content.decode()
    assert "official-rate-form" in page and "report.pdf" in page
    data = {f"official_{o.pk}": "basic" for o in item.officials.all()}
    assert c.post(f"/supervision/evaluations/vice-mayors/{item.pk}/rate/", data).status_code == 302
    assert OfficialRatingParticipation.objects.count() == 1
    other = Client()
    other.force_login(world.town_b_user)
    assert other.get(item.get_absolute_url()).status_code == 404
    with pytest.raises(NotFound):
        services.act_on_rating(actor=world.town_b_user, item=item, key="close", data={})


def _tallied(world):
    item, codes = _opened(world)
    choices = {o.pk: "satisfied" for o in item.officials.all()}
    services.rate(actor=world.deputy_user, rating_id=item.pk, choices=choices)
    services.act_on_rating(actor=world.town_user, item=item, key="close", data={})
    for user, code in codes.items():
        ballotbox.submit_shares(actor=user, code=code)
    item.refresh_from_db()
    assert item.state == "closed"
    return item


def _minutes(item) -> str:
    from apps.meetings.word import minutes_docx

    doc = official_papers.check(minutes_docx(item.meeting), title="第一次全体会议会议记录")
    return "\n".join(official_papers.texts(doc))


def test_the_tallied_result_is_in_the_minutes_and_on_the_hall_screen(world):
    item = _tallied(world)
    text = _minutes(item)
    assert "副镇长述职测评结果" in text
    assert "副镇长王五：满意1票（100.0%），基本满意0票（0.0%），不满意0票（0.0%）" in text
    assert "副镇长钱七" in text and world.deputy_a.name + "：" not in text
    c = Client()
    c.force_login(world.town_user)
    hall = c.get(f"/meetings/{item.meeting_id}/hall/").content.decode()
    assert f"hall-official-rating-{item.pk}" in hall and "副镇长述职测评结果" in hall and "100.0%" in hall
    chair = c.get(f"/meetings/{item.meeting_id}/chair/").content.decode()
    assert f"/supervision/evaluations/vice-mayors/{item.pk}/hall/" in chair


def test_no_result_section_before_the_tally(world):
    item, _codes = _opened(world)
    text = _minutes(item)
    assert "副镇长述职测评结果" not in text
    c = Client()
    c.force_login(world.town_user)
    hall = c.get(f"/meetings/{item.meeting_id}/hall/").content.decode()
    assert f"hall-official-rating-{item.pk}" not in hall


def test_the_deputies_who_rated_get_a_duty_record_without_their_choice(world):
    from apps.duty.models import DutyRecord

    _tallied(world)
    rows = DutyRecord.objects.filter(title__contains="副镇长述职测评")
    assert list(rows.values_list("deputy_id", "kind")) == [(world.deputy_a.pk, "inspection")]
    assert "满意" not in rows.get().title.replace("述职测评", "")

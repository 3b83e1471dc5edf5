"""The candidate list in Word: the national format (GB/T 9704-2012, DOMAIN §11), the ballot's order."""

from datetime import date

import pytest

from apps.elections.word import candidates_docx
from tests import official_papers

from .factories import Hall

pytestmark = pytest.mark.django_db


def test_the_candidate_list_is_an_official_paper_in_surname_stroke_order(world):
    hall = Hall(world, total=20)
    post = hall.post("head", seats=1)
    hall.candidates(post, ["王小明", "丁大为"])
    sitting = f"城关镇{hall.meeting.title}"
    data = candidates_docx(post, on=date(2026, 12, 4))
    doc = official_papers.check(
        data, title=f"{sitting}{post.title}候选人名单", issuer="城关镇人民代表大会主席团"
    )
    texts = official_papers.texts(doc)
    names = [t for t in texts if t[:1].isdigit() and ". " in t]
    assert names == ["1. 丁大为（代表联名提名）", "2. 王小明（主席团提名）"]  # 丁 2 strokes, 王 4
    assert "（按姓氏笔画为序）" in texts and "应选1名，候选人2名。" in texts and "2026年12月4日" in texts


def test_the_office_downloads_the_candidate_list_from_the_page_and_the_api(world, client):
    hall = Hall(world, total=20)
    post = hall.post("head", seats=1)
    hall.candidates(post, ["王小明", "丁大为"])
    client.force_login(world.town_user)
    page = client.get(f"/elections/posts/{post.pk}/")
    assert f"/elections/posts/{post.pk}/candidates.docx" in page.content.decode()
    for url in (
        f"/elections/posts/{post.pk}/candidates.docx",
        f"/api/v1/elections/posts/{post.pk}/candidates.docx",
    ):
        r = client.get(url)
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
        official_papers.check(r.content, title=f"城关镇{hall.meeting.title}{post.title}候选人名单")
    client.force_login(world.town_b_user)  # another town's office: as if there were no such post
    assert client.get(f"/api/v1/elections/posts/{post.pk}/candidates.docx").status_code == 404

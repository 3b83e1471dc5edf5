"""The reply letter (答复函): a Word document in the usual official layout, for whoever may see the item."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from apps.suggestions import services
from apps.suggestions.letter import reply_letter

from .factories import deputy_a2_user, draft

pytestmark = pytest.mark.django_db

REPLY = {
    "category": "B",
    "doc_number": "城政函〔2026〕5号",
    "signer": "王镇长",
    "done_text": "已完成线路勘测。",
    "planned_text": "列入2027年通组路硬化计划。",
    "planned_by": "2027-06-30",
    "reply_text": "感谢代表对城关镇交通建设的关注。",
}


def replied(world, *, joint=True):
    item = draft(
        world, session_label="第十八届人大第五次会议", co_signers=[world.deputy_a2.pk] if joint else []
    )
    if joint:
        services.respond(actor=deputy_a2_user(world), item=item, accept=True)
    item = services.act(actor=world.deputy_user, item=item, key="submit")
    item = services.act(actor=world.town_user, item=item, key="register")
    item = services.act(actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk})
    services.record_consultation(actor=world.unit_user, item=item, method="meeting", on=date.today())
    item.refresh_from_db()
    return services.act(actor=world.unit_user, item=item, key="reply", data=REPLY)


def paragraphs(data: bytes) -> list:
    return Document(io.BytesIO(data)).paragraphs


def test_the_letter_carries_number_salutation_category_and_the_units_contact(world):
    world.unit_a.contact_person, world.unit_a.contact_phone = "刘干事", "0915-5212345"
    world.unit_a.save()
    item = replied(world)
    doc = Document(io.BytesIO(reply_letter(item)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "城关镇人民政府"
    assert "关于城关镇第十八届人大第五次会议第1号建议的答复" in texts
    number = next(p for p in doc.paragraphs if p.text == "城政函〔2026〕5号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert "张三等2位代表：" in texts
    assert "答复类别：B类" in texts
    body = "\n".join(texts)
    assert "《关于硬化月河村通组路的建议》收悉" in body and "已完成线路勘测。" in body
    assert "计划于2027年6月30日前完成。" in body and "感谢代表对城关镇交通建设的关注。" in body
    assert "签发人：王镇长" in texts
    signer = next(p for p in doc.paragraphs if p.text == "签发人：王镇长")
    assert signer.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert any("联系人：刘干事" in t and "0915-5212345" in t for t in texts)
    for deputy in (world.deputy_a, world.deputy_a2):
        assert deputy.phone not in body  # the unit's contact, never the deputy's
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.1) and abs(section.page_height - Cm(29.7)) < Cm(0.1)
    assert abs(section.top_margin - Cm(3.7)) < Cm(0.1)
    run = next(p for p in doc.paragraphs if p.text == "张三等2位代表：").runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    title = next(p for p in doc.paragraphs if p.text.startswith("关于城关镇")).runs[0]
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"


def test_a_deputy_alone_is_addressed_by_name(world):
    item = replied(world, joint=False)
    texts = [p.text for p in paragraphs(reply_letter(item))]
    assert "张三代表：" in texts and "您提出的《关于硬化月河村通组路的建议》收悉。" in "\n".join(texts)


def test_the_letter_downloads_for_those_who_see_the_item_and_not_before_the_reply(world, client):
    item = replied(world)
    url = reverse("suggestions:letter", args=[item.pk])
    for user in (world.deputy_user, world.unit_user, world.town_user, world.county_user):
        client.force_login(user)
        resp = client.get(url)
        assert resp.status_code == 200
        assert resp["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
        assert "attachment" in resp["Content-Disposition"]
        assert "张三等2位代表：" in [p.text for p in paragraphs(resp.content)]
    client.force_login(world.town_b_user)
    assert client.get(url).status_code == 404
    client.force_login(world.keeper_user)
    assert client.get(url).status_code == 404
    waiting = draft(world, co_signers=[])
    client.force_login(world.deputy_user)
    assert client.get(reverse("suggestions:letter", args=[waiting.pk])).status_code == 404
    body = client.get(item.get_absolute_url()).content.decode()
    assert url in body and "下载答复函" in body

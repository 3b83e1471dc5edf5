"""The reply letter (答复函): a Word document in the usual official layout, for whoever may see the item."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from apps.suggestions import services
from apps.suggestions.letter import reply_letter, title_of
from tests import official_papers

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
    official_papers.check(
        reply_letter(item), title="关于城关镇第十八届人大第五次会议第1号建议的答复", issuer="城关镇人民政府"
    )
    run = next(p for p in doc.paragraphs if p.text == "张三等2位代表：").runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_a_reply_typed_as_a_whole_letter_is_not_wrapped_in_a_second_salutation_and_signature(world):
    """Units type the salutation, "…收悉", the points and their signature into the reply; the letter sets
    the salutation, the unit and the date once."""
    item = replied(world, joint=False)
    item.reply_text = (
        "张三代表：\n\n　　您提出的《关于硬化月河村通组路的建议》（建字〔2026〕1号）收悉。现答复如下：\n\n"
        "　　一、办理情况。已完成线路勘测。\n\n　　感谢您对我们工作的关心和支持。\n\n"
        "城关镇人民政府\n2026年5月6日"
    )
    item.session_label = "汉阴县城关镇第十八届人民代表大会第五次会议"
    item.save()
    title = "关于汉阴县城关镇第十八届人民代表大会第五次会议第1号建议的答复"
    doc = official_papers.check(reply_letter(item), title=title, issuer="城关镇人民政府")
    texts = [t.strip() for t in official_papers.texts(doc)]
    assert texts.count("张三代表：") == 1
    assert sum("收悉" in t for t in texts) == 1 and sum("感谢" in t for t in texts) == 1
    assert texts.count("城关镇人民政府") == 2  # the red head and the signature, nothing in between
    assert sum(bool(re.match(r"^\d{4}年\d+月\d+日$", t)) for t in texts) == 1
    assert "一、办理情况。已完成线路勘测。" in texts


@pytest.mark.parametrize(
    ("label", "meeting"),
    [
        ("第十八届人大第五次会议", "城关镇第十八届人大第五次会议"),
        ("第十八届第五次会议", "城关镇第十八届人大第五次会议"),
        ("城关镇第十八届人民代表大会第五次会议", "城关镇第十八届人民代表大会第五次会议"),
        ("汉阴县城关镇第十八届人民代表大会第五次会议", "汉阴县城关镇第十八届人民代表大会第五次会议"),
    ],
)
def test_the_title_names_the_town_and_the_session_once(world, label, meeting):
    item = replied(world, joint=False)
    item.session_label = label
    assert title_of(item) == f"关于{meeting}第1号建议的答复"


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

"""The generated 社情民意 texts: deterministic, within the lengths the forms allow, routed to real units."""

import random
import string
from collections import Counter

from apps.demo import opinion_texts
from apps.demo.hanyin import COUNTY_UNITS, hanyin_spec
from apps.demo.occupations import TOWN_UNITS
from apps.demo.opinion_texts import (
    TOPIC_BY_KEY,
    TOPICS,
    opinion_text,
    pick_topic,
    reply_text,
    unit_for,
    visit_note,
)

TOWNS = {town.name: town.villages for town in hanyin_spec().towns}


def _sample(seed: int, count: int = 300) -> list:
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        town = rng.choice(sorted(TOWNS))
        topic = pick_topic(rng)
        rows.append(
            (
                opinion_text(rng, topic, rng.choice(TOWNS[town])),
                unit_for(rng, topic, town),
                reply_text(rng, topic),
                visit_note(rng, rng.random() < 0.8),
            )
        )
    return rows


def test_the_same_seed_gives_the_same_texts():
    assert _sample(11) == _sample(11)


def test_another_seed_gives_other_texts():
    assert _sample(11) != _sample(12)


def test_titles_fit_40_characters_and_contents_40_to_200():
    rng = random.Random(3)
    for topic in TOPICS:
        for village in ("月河村", "铁佛寺社区", "双河口社区", "观音河社区", "太平村"):
            for _ in range(150):
                title, content = opinion_text(rng, topic.key, village)
                assert 0 < len(title) <= 40, title
                assert 40 <= len(content) <= 200, content
                assert "{" not in title + content


def test_replies_are_30_to_150_characters():
    rng = random.Random(4)
    for topic in TOPICS:
        for _ in range(100):
            assert 30 <= len(reply_text(rng, topic.key)) <= 150


def test_every_topic_has_units_templates_and_replies_that_fill():
    assert {t.key for t in TOPICS} >= {"road", "water", "school", "medical", "enterprise", "culture"}
    for topic in TOPICS:
        assert topic.label and topic.units and topic.replies
        assert len(topic.titles) >= 3 and len(topic.contents) >= 3
        names = _slot_names(topic)
        for template in topic.titles + topic.contents:
            fields = {field for _text, field, _spec, _conv in string.Formatter().parse(template) if field}
            assert fields <= names, (topic.key, template, fields - names)


def _slot_names(topic) -> set[str]:
    values = opinion_texts._matter(random.Random(0), topic, "月河村")
    return set(values) | {"opener", "closer"}


def test_units_are_those_the_demo_seed_creates():
    known = set(COUNTY_UNITS) | {town + suffix for town in TOWNS for suffix in TOWN_UNITS}
    for topic in TOPICS:
        for town in TOWNS:
            for unit in topic.units:
                assert unit.format(town=town) in known, unit


def test_most_opinions_go_to_the_usual_unit_of_their_topic():
    rng = random.Random(5)
    units = [unit_for(rng, "water", "涧池镇") for _ in range(2000)]

    usual = units.count("县水利局") / len(units)
    assert 0.8 < usual < 0.9
    assert set(units) == {"县水利局", "涧池镇农业综合服务站", "涧池镇人民政府"}


def test_roads_and_water_are_the_most_common_topics():
    rng = random.Random(6)
    counts = Counter(pick_topic(rng) for _ in range(5000))

    assert [key for key, _count in counts.most_common(2)] == ["road", "water"]
    assert set(counts) == set(TOPIC_BY_KEY)


def test_some_voters_restate_the_standing_matter_of_their_village():
    # The standing matter of (road, 月河村) is drawn from its own seed; about ECHO_SHARE of the texts
    # restate it, so its trouble and place recur far more often than one of eight troubles would.
    matter = opinion_texts._matter(random.Random("road/月河村"), opinion_texts.ROAD, "月河村")
    rng = random.Random(8)
    contents = [opinion_text(rng, "road", "月河村")[1] for _ in range(600)]

    restated = sum(matter["spot"] in c and matter["trouble"] in c and matter["road"] in c for c in contents)
    assert 0.1 < restated / len(contents) < 0.25


def test_enterprise_opinions_read_like_a_company_request():
    rng = random.Random(9)
    for _ in range(50):
        title, content = opinion_text(rng, "enterprise", "涧池社区")
        assert "公司" in title + content
        assert any(need in content for need in ("用工", "招工", "用电", "变压器", "贷款", "道路"))


def test_visit_notes_say_whether_the_voter_is_satisfied():
    rng = random.Random(10)
    for _ in range(30):
        assert "不满意" not in visit_note(rng, True)
        note = visit_note(rng, False)
        assert "不满意" in note or "未" in note

"""Similar opinions and unit suggestions: pure functions, no database."""

import random

from apps.demo.opinion_texts import opinion_text, pick_topic, unit_for
from apps.opinions.similarity import Index, routing_hit_rate, similar, suggest_unit, tokens

ROAD = "月河村三组至四组的通组路年久失修，雨天泥泞，群众出行困难，希望硬化路面并加装护栏。"
ROAD_AGAIN = "我们反映一下：月河村三组到四组那段通组路多年没修，一下雨就泥泞，请求尽快硬化路面。"
WATER = "太平村五组自来水管道老化经常爆裂，一停水就是好几天，希望更换供水管道。"
WATER_AGAIN = "太平村五组的供水管道老化爆裂，经常停水，请求水利部门更换管道。"
SCHOOL = "新华村小学没有食堂，学生只能在教室吃冷饭，建议修建学生食堂。"
SCHOOL_AGAIN = "新华村小学的学生没有食堂吃饭，希望教育部门修建食堂。"
FARM = "三元村魔芋遭遇病虫害，农户缺乏防治技术，希望派农技人员到田间指导。"
FARM_AGAIN = "三元村种植的魔芋病虫害严重，请求农技站派技术人员指导防治。"


def test_tokens_drop_stop_words_punctuation_and_numbers():
    words = tokens("我们希望：请尽快解决2026年群众反映的通组路问题！！")

    assert "通组路" in words
    for dropped in ("我们", "希望", "请", "群众", "反映", "问题", "的", "2026", "：", "！"):
        assert dropped not in words


def test_tokens_are_lower_cased_and_skip_whitespace():
    words = tokens("安装 APP\n防诈骗")

    assert "app" in words
    assert all(word and word.strip() == word for word in words)


def test_similar_ranks_a_restated_matter_first_and_an_unrelated_text_low():
    candidates = [("water", WATER), ("road", ROAD), ("school", SCHOOL), ("farm", FARM)]

    ranked = similar(ROAD_AGAIN, candidates, min_score=0.0)

    assert ranked[0][0] == "road"
    assert ranked[0][1] >= 0.4
    assert dict(ranked).get("school", 0.0) < 0.1


def test_similar_leaves_out_candidates_below_min_score():
    candidates = [("road", ROAD), ("school", SCHOOL)]

    assert [key for key, _score in similar(ROAD_AGAIN, candidates)] == ["road"]


def test_a_copy_scores_one_and_scores_stay_within_zero_and_one():
    index = Index([("road", ROAD), ("water", WATER), ("school", SCHOOL)])

    assert index.query(ROAD, k=1) == [("road", 1.0)]
    assert all(0.0 < score <= 1.0 for _key, score in index.query(ROAD_AGAIN, k=3))


def test_query_leaves_out_excluded_keys():
    index = Index([("road", ROAD), ("road-2", ROAD_AGAIN), ("water", WATER)])

    assert index.query(ROAD, k=1, exclude={"road"})[0][0] == "road-2"


def test_query_of_only_stop_words_finds_nothing():
    assert Index([("road", ROAD)]).query("希望，请尽快解决群众反映的问题。") == []


HISTORY = [
    (ROAD, "县交通运输局"),
    (WATER, "县水利局"),
    (SCHOOL, "县教育体育局"),
    (FARM, "城关镇农业综合服务站"),
]


def test_suggest_unit_returns_the_unit_of_similar_history():
    suggestions = suggest_unit(WATER_AGAIN, HISTORY)

    assert suggestions[0][0] == "县水利局"
    assert suggestions[0][1] > 0.5  # its share of the vote
    assert len(suggestions) <= 3


def test_suggest_unit_without_history_suggests_nothing():
    assert suggest_unit(ROAD, []) == []


def test_routing_hit_rate_routes_each_item_from_the_others():
    again = [ROAD_AGAIN, WATER_AGAIN, SCHOOL_AGAIN, FARM_AGAIN]
    items = HISTORY + [(text, unit) for text, (_first, unit) in zip(again, HISTORY, strict=True)]

    assert routing_hit_rate(items) == (1.0, 8)


def test_routing_hit_rate_counts_an_item_with_no_similar_other_as_a_miss():
    items = [(ROAD, "县交通运输局"), (ROAD_AGAIN, "县交通运输局"), (SCHOOL, "县教育体育局")]

    assert routing_hit_rate(items) == (2 / 3, 3)
    assert routing_hit_rate([]) == (0.0, 0)


def test_generated_opinions_of_one_town_route_well():
    # A guard on the method: the generator gives 85% of items their topic's usual unit, so a router that
    # finds the topic from the words scores close to 0.85; by chance it would score under 0.3.
    rng = random.Random(7)
    villages = ["月河村", "太平村", "五一村", "三元村", "东风社区", "南街社区"]
    items = []
    for _ in range(200):
        topic = pick_topic(rng)
        title, content = opinion_text(rng, topic, rng.choice(villages))
        items.append((f"{title}\n{content}", unit_for(rng, topic, "城关镇")))

    rate, n = routing_hit_rate(items)

    assert n == 200
    assert rate > 0.75

"""Search in Chinese (issue 17, item 4): jieba tokens, the same rows on SQLite and PostgreSQL, and an index
that follows what is published when a source is saved."""

from __future__ import annotations

import pytest

from apps.people.models import MandateStatus
from apps.public import search
from apps.public.models import EntryKind, SearchEntry

from .world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the block's after-commit callbacks as a commit would. The test's own transaction never commits,
    so the batch the world's saves opened is set aside first (in production that commit has run it)."""
    from django.db import connection

    def block():
        connection._renda_public_batch = None
        return django_capture_on_commit_callbacks(execute=True)

    return block


def test_tokens_are_jieba_words_and_the_words_inside_them():
    words = search.tokens("城关镇代表联络站", "关于硬化通组路的建议！")
    assert {"城关镇", "联络站", "联络", "通组路", "建议"} <= set(words)
    assert "！" not in words and len(words) == len(set(words))


def test_a_query_finds_what_holds_every_word_and_nothing_for_no_words(world):
    build(world)
    search.rebuild()
    titles = [e.title for e in search.search("通组路 建议")]
    assert titles == ["关于硬化月河村通组路的建议"]
    assert search.search("通组路 量子") == []
    assert search.search("！？ ") == []
    by_town = search.search("联络站", region=world.town_b)
    assert [e.title for e in by_town] == ["涧池镇代表联络站", "李四"]  # the station, its deputy
    only_stations = search.search("城关镇", kind=EntryKind.STATION)
    assert {e.kind for e in only_stations} == {EntryKind.STATION}


def test_the_index_follows_a_save_after_commit(world, committed):
    build(world)
    search.rebuild()
    assert search.search("张三")
    with committed():
        world.deputy_a.mandates.update(status=MandateStatus.RECALLED)
        world.deputy_a.status = MandateStatus.RECALLED
        world.deputy_a.save()
    assert not SearchEntry.objects.filter(kind=EntryKind.DEPUTY, object_id=world.deputy_a.pk).exists()
    with committed():
        world.published.publish = False
        world.published.save()
        world.station_a.name = "城关镇月河代表联络室"
        world.station_a.save()
    assert search.search("通组路") == []
    assert [e.title for e in search.search("月河 联络室")] == ["城关镇月河代表联络室"]


def test_many_saves_in_one_transaction_are_indexed_once_after_it(world, committed):
    with committed() as callbacks:
        for name in ("甲站", "乙站", "丙站"):
            world.station_a.name = name
            world.station_a.save()
            world.station_b.save()
    assert len(callbacks) == 1
    assert set(SearchEntry.objects.values_list("title", flat=True)) == {"丙站", "涧池镇代表联络站"}


def test_the_search_api_refuses_a_bad_kind_or_an_unknown_region(world, client):
    assert client.get("/api/v1/public/search", {"q": "张三", "kind": "opinion"}).status_code == 422
    assert client.get("/api/v1/public/search", {"q": "张三", "region": "000"}).status_code == 404
    assert client.get("/p/search/", {"q": "张三", "kind": "opinion"}).status_code == 400

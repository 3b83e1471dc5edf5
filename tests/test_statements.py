"""`common.statements.Statement`: the ORM compiles a values() read once per key; each call still reads the
database, with the values the ORM would give (Django's converters applied)."""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from apps.common.statements import Statement
from apps.places.models import Region

pytestmark = pytest.mark.django_db


def _towns(county_id):
    return Region.objects.filter(county_id=county_id, level="town").order_by("code").values("code", "name")


def test_compiled_once_read_every_time(world):
    statement, built = Statement("test.towns"), []

    def build():
        built.append(1)
        return _towns(world.county.pk)

    first = statement(("towns", world.county.pk), build)
    assert first == list(_towns(world.county.pk))
    Region.objects.filter(pk=world.town_b.pk).update(name="涧池镇（新）")
    with CaptureQueriesContext(connection) as ctx:
        again = statement(("towns", world.county.pk), build)
    assert len(built) == 1, "the second call runs the kept SQL"
    assert len(ctx.captured_queries) == 1
    assert {r["name"] for r in again} == {world.town_a.name, "涧池镇（新）"}, "the rows are read again"


def test_another_key_compiles_its_own_statement(world):
    statement = Statement("test.counts")

    def build(level):
        return Region.objects.filter(level=level).order_by().values("level").annotate(n=Count("pk"))

    towns = statement(("town",), lambda: build("town"))
    villages = statement(("village",), lambda: build("village"))
    assert towns == [{"level": "town", "n": Region.objects.filter(level="town").count()}]
    assert villages[0]["level"] == "village" and villages != towns


def test_a_filter_nothing_matches_reads_nothing(world):
    statement = Statement("test.empty")
    with CaptureQueriesContext(connection) as ctx:
        rows = statement(("none",), lambda: Region.objects.filter(Q(pk__in=[])).values("pk"))
    assert rows == [] and not ctx.captured_queries


def test_only_values_querysets(world):
    with pytest.raises(TypeError):
        Statement("test.models")(("m",), lambda: Region.objects.all())


def test_the_oldest_entry_goes_first(world):
    statement = Statement("test.cap", max_entries=2)
    for code in ("a", "b", "c"):
        statement((code,), lambda: Region.objects.values("pk"))
    assert list(statement._entries) == [("b",), ("c",)]

import datetime as dt

import pytest
from django.db import models
from django.http import QueryDict
from ninja import Schema
from pydantic import ValidationError

from apps.common.errors import ValidationFailed
from apps.common.params import ID, SEARCH, YEAR, Choice, Day, Int, Text, read, read_many, year_choices


class Band(models.TextChoices):
    GOOD = "good", "好"
    FAIR = "fair", "中"


def test_a_blank_or_missing_parameter_gives_the_default():
    q = QueryDict("year=&page=")
    assert read(q, "year", YEAR, default=2026) == 2026
    assert read(q, "missing", YEAR) is None


def test_a_year_in_bounds_is_read_as_a_number():
    assert read(QueryDict("year=2025"), "year", YEAR) == 2025
    assert read({"n": " 7 "}, "n", Int(1, 9)) == 7


@pytest.mark.parametrize("raw", ["1999", "2101", "abc", "20.5", "--3"])
def test_a_year_out_of_bounds_or_malformed_is_refused_in_chinese_naming_the_field(raw):
    with pytest.raises(ValidationFailed) as caught:
        read(QueryDict(f"year={raw}"), "year", YEAR)
    assert caught.value.fields == {"year": ["年度应为2000到2100之间的整数"]}
    assert str(caught.value.message) == "年度应为2000到2100之间的整数"


def test_a_date_is_read_in_iso_form_within_its_bounds():
    day = Day(low=dt.date(2020, 1, 1), high=dt.date(2030, 12, 31), label="办结日期")
    assert read({"d": "2026-03-08"}, "d", day) == dt.date(2026, 3, 8)
    with pytest.raises(ValidationFailed) as caught:
        read({"d": "2019-12-31"}, "d", day)
    assert "办结日期" in caught.value.fields["d"][0] and "YYYY-MM-DD" in caught.value.fields["d"][0]
    with pytest.raises(ValidationFailed):
        read({"d": "08/03/2026"}, "d", day)


def test_a_choice_accepts_only_its_values():
    band = Choice(Band, label="档次")
    assert read({"band": Band.values[0]}, "band", band) == Band.values[0]
    assert read({"o": "rank"}, "o", Choice(["rank", "name"])) == "rank"
    assert read({"o": "a"}, "o", Choice({"a": "A"})) == "a"
    with pytest.raises(ValidationFailed) as caught:
        read({"band": "best"}, "band", band)
    assert caught.value.fields == {"band": ["档次不在可选范围内"]}


def test_read_many_reports_every_bad_parameter_together():
    with pytest.raises(ValidationFailed) as caught:
        read_many(
            {"year": "1", "id": "x", "ok": "3"},
            {"year": (YEAR, None), "id": (ID, None), "ok": (Int(1, 5), 1)},
        )
    assert set(caught.value.fields) == {"year", "id"}
    assert read_many({"ok": "3"}, {"year": (YEAR, 2026), "ok": (Int(1, 5), 1)}) == {"year": 2026, "ok": 3}


def test_the_api_refuses_what_the_page_refuses():
    class Filters(Schema):
        year: YEAR.api() = None
        band: Choice(["a", "b"]).api() = None

    assert Filters(year=2026).year == 2026 and Filters().year is None
    with pytest.raises(ValidationError):
        Filters(year=1999)
    with pytest.raises(ValidationError):
        Filters(band="c")


def test_year_choices_are_this_year_and_the_five_before():
    assert year_choices(2026) == [2026, 2025, 2024, 2023, 2022, 2021]


def test_free_text_is_kept_within_its_length_and_without_control_characters():
    assert read(QueryDict("q=+%E8%B7%AF%E7%81%AF+"), "q", SEARCH, default="") == "路灯"
    assert read(QueryDict("q="), "q", SEARCH, default="") == ""
    for raw in ("a\x00b", "\x07", "x" * 101, "\ud800"):
        with pytest.raises(ValidationFailed) as caught:
            read({"q": raw}, "q", SEARCH)
        assert caught.value.fields == {"q": ["关键词最多100个字，且不能含有控制字符"]}


def test_an_api_refuses_the_text_a_page_refuses():
    class In(Schema):
        code: Text(5, label="代码").api() = None

    assert In(code="61092").code == "61092"
    for raw in ("a\x00", "610921"):
        with pytest.raises(ValidationError):
            In(code=raw)

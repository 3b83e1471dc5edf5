"""Property tests of the one parameter parser: whatever text arrives, a parameter gives a value within its
bounds or `ValidationFailed` naming the field, never another exception."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.common.errors import ValidationFailed
from apps.common.params import ID, PAGE, SEARCH, YEAR, Choice, Day, Int, Text, read

ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=40) | st.from_regex(
    r"-?\d{1,30}", fullmatch=True
)
PARAMS = [YEAR, ID, PAGE, Int(-5, 5), Day(), Day(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), SEARCH, Text(8)]
PARAMS.append(Choice({"a": 1, "b": 2}))


@settings(max_examples=300, deadline=None)
@given(raw=ANY_TEXT, which=st.integers(0, len(PARAMS) - 1))
def test_any_text_is_a_value_in_bounds_or_a_field_error(raw, which):
    param = PARAMS[which]
    try:
        value = read({"q": raw}, "q", param, default="DEFAULT")
    except ValidationFailed as exc:
        assert list(exc.fields) == ["q"] and exc.fields["q"]
        return
    if value == "DEFAULT":
        assert not raw.strip()
    elif isinstance(param, Int):
        assert param.low <= value <= param.high
    elif isinstance(param, Day):
        assert param.low <= value <= param.high
    elif isinstance(param, Text):
        assert len(value) <= param.max_length
        assert not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in value)
    else:
        assert value in param.values


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=-(10**40), max_value=10**40))
def test_int_bounds_hold_for_any_number(n):
    try:
        value = read({"year": str(n)}, "year", YEAR)
    except ValidationFailed:
        assert not 2000 <= n <= 2100
    else:
        assert value == n and 2000 <= n <= 2100


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_dates_read_back_as_written_within_bounds(day):
    param = Day(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
    try:
        value = read({"d": day.isoformat()}, "d", param)
    except ValidationFailed:
        assert not param.low <= day <= param.high
    else:
        assert value == day

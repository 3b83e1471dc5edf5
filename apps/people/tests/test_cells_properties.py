"""Property tests of the Excel cell readers: whatever a cell holds (text with any characters, numbers of any
size, dates, nothing), a reader returns a value or raises `CellError` with a message, never another
exception that would turn an import into a 500."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.people.importing import cells

CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec=None), max_size=40),
    st.from_regex(
        r"(第)?[一二三四五六七八九十\d]{0,4}(届)?|\d{4}[-/.年]\d{1,3}[-/.月]\d{1,3}日?", fullmatch=True
    ),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
)
READERS = [
    cells.text(20),
    cells.person_name,
    cells.choice({"男": "M", "女": "F"}),
    cells.yes_no,
    cells.mobile,
    cells.any_phone,
    cells.id_number,
    cells.a_date,
    cells.count(0, 99),
    cells.term_number,
]


@settings(max_examples=400, deadline=None)
@given(value=CELL, which=st.integers(0, len(READERS) - 1))
def test_a_cell_reads_or_says_why_not(value, which):
    try:
        out = READERS[which](value)
    except cells.CellError as exc:
        assert str(exc.message)
        return
    if READERS[which] is cells.a_date:
        assert isinstance(out, dt.date)
    if READERS[which] is cells.term_number:
        assert 1 <= out <= 99


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_written_any_usual_way_read_back(day):
    for written in (day, day.isoformat(), f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y/%m/%d")):
        assert cells.a_date(written) == day

"""The reader child's batches cross the pipe packed (``excel.row_wire``): unpacking gives back exactly the
rows that were packed — same values, same types (a date stays a date, "" stays "", 1 never becomes 1.0)."""

from __future__ import annotations

import pickle
from datetime import date, datetime, time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from migo_desktop.excel.row_wire import column_as_is, pack, unpack

CELLS = st.one_of(
    st.text(max_size=12),
    st.just(""),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dates(),
    st.datetimes(),
    st.times(),
)


def _typed(rows: list[list[Any]]) -> list[list[tuple[type, Any]]]:
    return [[(type(v), v) for v in row] for row in rows]


def _through_pipe(rows: list[list[Any]]) -> list[list[Any]]:
    return unpack(pickle.loads(pickle.dumps(pack(rows))))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 6).flatmap(lambda w: st.lists(st.lists(CELLS, min_size=w, max_size=w), max_size=20)))
def test_rows_of_one_width_come_back_exactly(rows: list[list[Any]]) -> None:
    assert _typed(_through_pipe(rows)) == _typed(rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=5), max_size=20))
def test_ragged_rows_come_back_exactly(rows: list[list[Any]]) -> None:
    assert _typed(_through_pipe(rows)) == _typed(rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.dates(), st.just("")), min_size=1, max_size=30))
def test_a_column_of_dates_and_blanks_comes_back_exactly(column: list[Any]) -> None:
    rows = [["x", v] for v in column]
    assert _typed(_through_pipe(rows)) == _typed(rows)


def test_date_columns_travel_as_day_numbers_and_others_as_they_are() -> None:
    rows = [
        [f"2013131295{i}", date(2024, 1, 1 + i), date(2024, 2, 1) if i else "", datetime(2024, 1, 1, 8), 1.5]
        for i in range(5)
    ]
    shape, body = pack(rows)
    assert shape == "cols"
    kinds = [kind for kind, _ in body]
    assert kinds[1] != 0 and kinds[2] != 0  # dates; dates and a blank
    assert all(type(v) is int for v in body[1][1])
    assert kinds[3] == 0 and kinds[4] == 0  # datetimes and numbers: unchanged
    assert column_as_is((shape, body), 0) == tuple(r[0] for r in rows)
    assert column_as_is((shape, body), 1) is None  # not as it is: day numbers
    assert column_as_is((shape, body), 9) is None  # no such column
    assert column_as_is(pack([[1], [2, 3]]), 0) is None  # ragged: rows, not columns


def test_a_mixed_column_with_a_date_travels_unchanged() -> None:
    rows = [[date(2024, 1, 1)], ["31/01/2024"], [time(8, 30)], [None]]
    shape, body = pack(rows)
    assert shape == "cols" and body[0][0] == 0
    assert _typed(unpack(pack(rows))) == _typed(rows)

"""The Excel export converts a column at a time exactly as it would convert each value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import Cell

from isms_desktop.domain.fields import Field, Kind, RegisterSpec
from isms_desktop.reports import xlsx_export

# Texts a register may hold, with what needs care in a spreadsheet: formula starts, line
# breaks, control characters, error values, texts longer than a column or than Excel allows.
# Mostly plain ones: a column's checks matter where all of its texts pass them but one.
_CLEAN = st.text(alphabet="abc é,.", max_size=25)
_TEXT = st.one_of(
    _CLEAN,
    st.text(alphabet="ab =+-@\t\r\n\x01\x1f", max_size=8),
    st.builds(lambda start, rest: start + rest, st.sampled_from("=+-@\t\r\x0b\n"), _CLEAN),
    st.builds(lambda rest, end: rest + end, _CLEAN, st.sampled_from("\n\x1f\x00\t-")),
    st.sampled_from(["#N/A", "#REF!", "=1+1", "-", "", "x" * 70, "y" * 32_800, "- item\n- two"]),
)
_ANY = st.one_of(
    st.none(),
    _TEXT,
    st.integers(-5, 5),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)),
    st.lists(st.sampled_from(["A-01", "=X", "R-7", "a\nb"]), max_size=3),
)
_KINDS = [*Kind, Kind.TEXT, Kind.LONGTEXT, Kind.CHOICE, Kind.REFS]


def _shown(value: Any) -> Any:
    """What a cell value amounts to in the workbook: a value, or a styled text cell."""
    if isinstance(value, Cell):
        return ("cell", value._value, value.data_type, tuple(value._style))
    return value


@settings(max_examples=500, deadline=None)
@given(
    kind=st.sampled_from(_KINDS),
    values=st.one_of(
        st.lists(st.one_of(_ANY, _TEXT), max_size=12),
        st.lists(st.one_of(_CLEAN, st.none()), max_size=12),
        st.lists(st.one_of(_CLEAN, _CLEAN, _CLEAN, _CLEAN, _TEXT, st.none()), max_size=12),
    ),
    wrap_at=st.sampled_from([4, 6, 10, 20, 60]),
)
@example(Kind.TEXT, ["=x", "ab"], 6)  # a formula start in the first text
@example(Kind.TEXT, ["ab", "-x"], 6)  # ... in another
@example(Kind.TEXT, ["abcdefg", "ab"], 6)  # one character more than the column
@example(Kind.TEXT, ["abcdef", "ab"], 6)  # just fits
@example(Kind.LONGTEXT, ["y" * 32_768, "a"], 60)  # one character more than Excel takes
@example(Kind.LONGTEXT, ["a\nb", None, ""], 60)
@example(Kind.REFS, [["=X"], ["A-01"]], 20)
@example(Kind.CHOICE, ["long_one", "low", None], 4)
def test_a_column_becomes_the_cells_its_values_become(
    kind: Kind, values: list[Any], wrap_at: int
) -> None:
    choices = ("low", "=odd", "long_one") if kind is Kind.CHOICE else ()
    f = Field("value", "Value", kind, choices=choices, ref="assets" if kind is Kind.REFS else None)
    spec = RegisterSpec("context", "Context", "CI", (Field("code", "Code"), f))
    wb = openpyxl.Workbook(write_only=True)
    each = xlsx_export._WorkbookBuilder(wb, None)
    columns = xlsx_export._WorkbookBuilder(wb, None)
    ws = wb.create_sheet("S")
    codes = [f"CI-{i}" for i in range(len(values))]
    one = each._converter(ws, spec, f)
    convert = columns._column_converter(ws, spec, f)
    try:
        expected = [_shown(one(v, code, wrap_at)) for v, code in zip(values, codes, strict=True)]
    except (TypeError, AttributeError):  # a value no column of this kind holds
        with pytest.raises((TypeError, AttributeError)):
            list(convert(tuple(values), tuple(codes), wrap_at))
        return
    # a column may hand out one cell for several rows: read each as its row is written
    got = [_shown(v) for v in convert(tuple(values), tuple(codes), wrap_at)]
    assert got == expected
    assert columns.truncated == each.truncated
    widths = [
        xlsx_export._shown_width(one(v, c, wrap_at)) for v, c in zip(values, codes, strict=True)
    ]
    column = convert(tuple(values), tuple(codes), wrap_at)
    assert xlsx_export._content_width(column) == max(widths, default=0)

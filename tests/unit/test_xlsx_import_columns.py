"""The importer converts a column at a time exactly as it would convert each cell alone:
the same values, the same refusals, the same records made by --create-missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from isms_desktop.domain.fields import Field, Kind
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.reports.xlsx_import_values import CellError, Converter, References
from isms_desktop.services.risk_method import template_method

RISKS = SPECS["risks"]
ASSETS = SPECS["assets"]
# fields of every kind a sheet column may fill (the code first: it is stripped, not parsed)
FIELDS = [
    *(f for f in RISKS.fields if not f.computed),
    *(f for f in ASSETS.fields if f.kind in (Kind.INT, Kind.CHOICE, Kind.REFS)),
    *(f for s in SPECS.values() for f in s.fields if f.kind in (Kind.NUMBER, Kind.DATETIME)),
    *(f for s in SPECS.values() for f in s.fields if f.kind is Kind.LIST),
    Field("title", "Title", required=True),
]
_WORDS = ["", " ", "x", " A-001 ", "A-001", "A-002, A-003", "A-001–A-003", "Dana Scully",
          "dana scully", "P-001", "P-009", "Nobody", "5.1", "A.8.7, 5.1", "9.99", "High",
          "3 - High", "(3)", "Very high", "yes", "No", "n/a", "Mitigate", "modify",
          "Modify (mitigate)", "accepted", "2026-03-31", "31.03.2026", "03/31/2026", "45000",
          "12,5", "1,234.5", "x" * 1001, "y" * 32_768, "a\nb; c", "2026-03-31 14:30"]  # fmt: skip
_CELLS = st.one_of(
    st.none(),
    st.sampled_from(_WORDS),
    st.text(alphabet="aA -,5.", max_size=6),
    st.integers(-2, 8),
    st.sampled_from([0, 1, 3, 45_000, 3_000_000]),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-10, max_value=50_000),
    st.sampled_from([1.0, 2.5, 3.0]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 1, 1)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1)),
    st.times(),
)


def _converter(spec_name: str, create_missing: bool) -> Converter:
    spec = SPECS[spec_name]
    people = References.of("people", [("P-001", "Dana Scully"), ("P-002", "Fox Mulder")])
    assets = References.of("assets", [(f"A-{n:03d}", f"Asset {n}") for n in range(1, 4)])
    controls = References.of("controls", [("5.1", "Policies"), ("8.7", "Malware")])
    references = {"people": people, "assets": assets, "controls": controls}
    return Converter(spec, template_method("5x5"), references, create_missing=create_missing)


def _one_by_one(convert: Converter, f: Field, cells: list[Any]) -> tuple[list[Any], dict]:
    values: list[Any] = []
    problems: dict[int, str] = {}
    for at, cell in enumerate(cells):
        try:
            values.append(convert.value(f, cell, at + 2, "D (Column)"))
        except CellError as exc:
            values.append(None)
            problems[at] = str(exc)
    return values, problems


@settings(max_examples=600, deadline=None)
@given(
    f=st.sampled_from(FIELDS),
    cells=st.one_of(
        st.lists(_CELLS, max_size=10),
        st.lists(st.one_of(st.none(), st.sampled_from(["a", " b ", "c d", ""])), max_size=10),
        st.lists(st.sampled_from(_WORDS), max_size=10),
    ),
    create_missing=st.booleans(),
    chunks=st.lists(st.integers(1, 4), max_size=4),
)
@example(RISKS.fields[1], ["a", None], False, [])  # a required text left empty
@example(RISKS.fields[0], [" R-1 ", "x" * 1001], False, [])  # codes are not limited to 1000
@example(RISKS.fields[4], ["x" * 1001, "a"], False, [])  # a short text is
@example(RISKS.fields[2], ["y" * 32_768, "a"], False, [])  # any text to what Excel holds
@example(RISKS.field("owner"), ["Nobody", "nobody", "Other", "Nobody"], True, [2])
def test_a_column_converts_as_its_cells_one_by_one(
    f: Field, cells: list[Any], create_missing: bool, chunks: list[int]
) -> None:
    spec = "assets" if f in ASSETS.fields and f not in RISKS.fields else "risks"
    alone, column = _converter(spec, create_missing), _converter(spec, create_missing)
    expected = _one_by_one(alone, f, cells)
    # in chunks, as the importer converts a sheet (what was met before is remembered)
    values: list[Any] = []
    problems: dict[int, str] = {}
    start = 0
    for size in [*chunks, len(cells)]:
        part = cells[start : start + size]
        got, refused = column.column(
            f, part, [start + n + 2 for n in range(len(part))], "D (Column)"
        )
        values.extend(got)
        problems.update({start + at: why for at, why in refused.items()})
        start += len(part)
    assert (values, problems) == expected
    assert [type(v) for v in values] == [type(v) for v in expected[0]]
    assert column.missing == alone.missing
    lists = [v for v in values if isinstance(v, list)]
    assert len({id(v) for v in lists}) == len(lists)  # each row's own list, as before

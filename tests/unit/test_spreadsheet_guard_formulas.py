"""The worksheet scan notes the cells whose formula has no saved result (calamine reads them as
empty): the same cells however the XML is cut into chunks, never a cell with a value, and by
the name of the sheet they are on."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from isms_desktop.reports import spreadsheet_guard
from isms_desktop.reports.spreadsheet_guard import _XlsxScanner, check_zip
from isms_desktop.reports.spreadsheet_reader import column_letter, open_spreadsheet

# (cell content after the tag's attributes, whether the formula has no saved result)
CELLS = [
    (' t="n"><v>1</v></c>', False),  # a number
    ("><f>A1+1</f><v>2</v></c>", False),  # a formula with its result, as Excel saves it
    ("><f>A1+1</f><v></v></c>", True),  # as openpyxl writes a formula
    ("><f>A1+1</f></c>", True),  # no value at all
    ("><f>A1+1</f><v/></c>", True),
    (' t="str"><f>IF(A1,&quot;&quot;,1)</f><v></v></c>', False),  # its result is ""
    (' t="str"><f>A1</f></c>', True),
    (' t="str"><f>A1</f><v>x</v></c>', False),
    (' t="e"><f>1/0</f><v>#DIV/0!</v></c>', False),
    ('><f t="shared" ref="A1:A9" si="0">B1</f><v>4</v></c>', False),
    ('><f t="shared" si="0"/><v>5</v></c>', False),
    ('><f t="shared" si="0"/></c>', True),
    ('><f t="shared" si="0"/><v></v></c>', True),
    (">\n  <f>A1*2</f>\n  <v>6</v>\n</c>", False),  # indented
    (">\n  <f>A1*2</f>\n  <v></v>\n</c>", True),
    (' t="inlineStr"><is><t>Staff of </t></is></c>', False),  # text like a formula's tag
    ("/>", False),  # no content
]


@st.composite
def sheets(draw: st.DrawFn) -> tuple[bytes, set[tuple[int, int]]]:
    """Worksheet XML of rows of the cells above, prefixed or not, some without a reference,
    with a long text or formula here and there; and the cells it has with no saved result."""
    prefix = draw(st.sampled_from(["", "x:"]))
    parts = [f"<{prefix}worksheet><{prefix}sheetData>"]
    unsaved: set[tuple[int, int]] = set()
    row = 0
    for _ in range(draw(st.integers(0, 8))):
        row += draw(st.integers(1, 5))
        parts.append(f'<{prefix}row r="{row}">')
        col = -1
        for _ in range(draw(st.integers(0, 6))):
            content, no_result = draw(st.sampled_from(CELLS))
            if draw(st.integers(0, 9)) == 0:  # long: a chunk's end falls within it
                content = content.replace("A1", "A1+" * 300 + "A1").replace("Staff", "s" * 900)
            content = re.sub(r"<(/?)(f|v|c|is|t)\b", rf"<\1{prefix}\2", content)
            if draw(st.integers(0, 5)):
                col += draw(st.integers(1, 3))
                ref = f' r="{column_letter(col)}{row}"'
            else:  # placed after the cell before it, as calamine places it
                col, ref = col + 1, ""
            parts.append(f"<{prefix}c{ref}{content}")
            if no_result:
                unsaved.add((row - 1, col))
        parts.append(f"</{prefix}row>")
    parts.append(f"</{prefix}sheetData></{prefix}worksheet>")
    return "".join(parts).encode(), unsaved


def _scan(data: bytes, cuts: list[int]) -> dict[tuple[int, int], str]:
    scanner = _XlsxScanner()
    start = 0
    for cut in [*sorted({c % (len(data) + 1) for c in cuts}), len(data)]:
        scanner.feed(data[start:cut])
        start = cut
    scanner.finish(Path("x.xlsx"), "sheet1.xml")
    return scanner.unsaved.cells


@settings(max_examples=300, deadline=None)
@given(sheets(), st.lists(st.integers(0, 20_000), max_size=8))
@example((b'<row r="1"><c r="A1"><f>1</f><v></v></c></row>', {(0, 0)}), [13, 21, 24, 34])
def test_formulas_without_results_are_found_however_the_sheet_is_chunked(
    sheet: tuple[bytes, set[tuple[int, int]]], cuts: list[int]
) -> None:
    data, unsaved = sheet
    assert set(_scan(data, cuts)) == unsaved


def test_the_formula_is_kept_as_written() -> None:
    data = b'<row r="7"><c r="C7"><f>IF(A7&lt;&gt;"",\n B7, 0)</f><v></v></c></row>'
    assert _scan(data, []) == {(6, 2): 'IF(A7<>"", B7, 0)'}


def test_a_sheet_with_results_takes_no_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><f>A{r}*2</f><v>{2 * r}</v></c></row>'
        for r in range(1, 2000)
    )

    def slow(*args: object) -> None:
        raise AssertionError("every formula has its result: no cell is looked at one by one")

    monkeypatch.setattr(_XlsxScanner, "_judge", slow)
    assert _scan(rows.encode(), [5000, 40_000]) == {}


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _give_results(path: Path, part: str, results: dict[str, str]) -> None:
    """Save results for these formula cells, as Excel does (openpyxl saves none)."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts[part].decode()
    for ref, value in results.items():
        xml, done = re.subn(
            rf'<c r="{ref}"><f>([^<]*)</f><v\s*/?>(?:</v>)?',
            rf'<c r="{ref}"><f>\1</f><v>{value}</v>',
            xml,
        )
        assert done == 1, ref
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_the_cells_are_named_by_their_sheet(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "two.xlsx",
        {"Plain": [["a", 1]], "R&D <2026>": [["Name", "Total"], ["x", "=1+1"], [None, "=B2*2"]]},
    )
    report = check_zip(path)
    assert {name: found.cells for name, found in report.unsaved.items()} == {
        "R&D <2026>": {(1, 1): "1+1", (2, 1): "B2*2"}
    }
    book = open_spreadsheet(path)
    sheet = book.sheet("R&D <2026>")
    assert sheet.rows == [["Name", "Total"], ["x"]]  # calamine has no value for them
    assert sheet.unsaved.cells == {(1, 1): "1+1", (2, 1): "B2*2"}
    assert book.sheet("Plain").unsaved.cells == {}
    book.close()


def test_a_saved_result_is_read_as_before(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "saved.xlsx", {"Data": [["Name", "Total"], ["x", "=1+1"]]})
    _give_results(path, "xl/worksheets/sheet1.xml", {"B2": "2"})
    book = open_spreadsheet(path)
    assert book.sheet().rows == [["Name", "Total"], ["x", 2]]
    assert book.sheet().unsaved.cells == {}
    book.close()


def test_beyond_so_many_cells_no_more_are_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spreadsheet_guard, "MAX_UNSAVED", 3)
    path = _workbook(tmp_path / "many.xlsx", {"Data": [["=1"] for _ in range(10)]})
    found = check_zip(path).unsaved["Data"]
    assert found.more and list(found.cells) == [(0, 0), (1, 0), (2, 0)]
    path = _workbook(tmp_path / "three.xlsx", {"Data": [["=1"] for _ in range(3)]})
    assert not check_zip(path).unsaved["Data"].more


formula_or_value = st.one_of(
    st.none(),
    st.integers(-99, 99),
    st.text(alphabet="abc ", min_size=1, max_size=5),
    st.sampled_from(["=1+1", "=A1", '="x"&"y"', "=SUM(A1:A3)"]),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    grid=st.lists(st.lists(formula_or_value, max_size=5), min_size=1, max_size=8),
    saved=st.sets(st.integers(0, 40)),
)
def test_exactly_the_formulas_left_without_results_are_noted(
    tmp_path: Path, grid: list[list[object]], saved: set[int]
) -> None:
    """A real workbook: the formulas given a result read as it, the others are noted, and
    calamine reads every cell noted as empty (never a value of its own)."""
    path = _workbook(tmp_path / "random.xlsx", {"Sheet": grid})
    formulas = [
        (r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if str(v).startswith("=")
    ]
    given_result = {cell for i, cell in enumerate(formulas) if i in saved}
    _give_results(
        path,
        "xl/worksheets/sheet1.xml",
        {f"{column_letter(c)}{r + 1}": "7" for r, c in given_result},
    )
    book = open_spreadsheet(path)
    sheet = book.sheet()
    assert set(sheet.unsaved.cells) == set(formulas) - given_result
    for r, c in given_result:
        assert sheet.rows[r][c] == 7
    for r, c in sheet.unsaved.cells:
        assert r >= len(sheet.rows) or c >= len(sheet.rows[r]) or sheet.rows[r][c] is None
    raw = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sheet")
    values = raw.to_python(skip_empty_area=False)
    for r, c in sheet.unsaved.cells:
        assert r >= len(values) or c >= len(values[r]) or values[r][c] == ""
    book.close()

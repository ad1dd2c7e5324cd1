""".ods files: the scan of content.xml notes the cells holding a formula whose result was never
saved (calamine reads them as empty), as it does for .xlsx: the same cells on both paths and
however content.xml is cut into chunks, never a cell whose result calamine reads, each as many
times as it repeats, by the name of its sheet."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import python_calamine
from hypothesis import given, settings
from hypothesis import strategies as st

from isms_desktop.reports.spreadsheet_guard import MAX_UNSAVED, _ods_formula, _OdsScanner, check_zip
from isms_desktop.reports.spreadsheet_reader import open_spreadsheet

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'xmlns:x="urn:x" office:version="1.2"><office:body><office:spreadsheet>'
)
TAIL = "</office:spreadsheet></office:body></office:document-content>"
USED = '<table:table-cell office:value-type="float" office:value="1"/>'


def content(tables: str) -> bytes:
    return (HEAD + tables + TAIL).encode()


def ods(tables: str) -> bytes:
    """An .ods file whose content.xml holds ``tables`` (as a script writes one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content(tables))
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis'
            ':names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path'
            '="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            "</manifest:manifest>",
        )
    return out.getvalue()


def table(rows: str, name: str = "S") -> str:
    return f'<table:table table:name="{name}">{rows}</table:table>'


F = 'table:formula="of:=[.A1]*2"'
# (a cell, whether its formula has no saved result): the last column of its row
CELLS = [
    (f"<table:table-cell {F}/>", True),  # as a script writes a formula
    (f"<table:table-cell {F}></table:table-cell>", True),
    (f"<table:table-cell {F}>\n  </table:table-cell>", True),
    (f'<table:table-cell {F} office:value-type="float"/>', True),  # a type but no value
    (
        f'<table:table-cell {F} office:value-type="float"><text:p>7</text:p></table:table-cell>',
        True,
    ),
    (f'<table:table-cell {F} office:value-type="date"/>', True),
    (f'<table:table-cell {F} office:value-type="boolean"/>', True),
    (f'<table:table-cell {F} office:value-type="percentage"/>', True),
    (f"<table:table-cell {F}><text:p>y</text:p></table:table-cell>", True),  # shown, not read
    # as LibreOffice saves them: with the result
    (f'<table:table-cell {F} office:value-type="float" office:value="2"/>', False),
    (
        f'<table:table-cell {F} office:value-type="float" office:value="2" '
        'calcext:value-type="float"><text:p>2</text:p></table:table-cell>',
        False,
    ),
    (
        f'<table:table-cell {F} office:value-type="string" office:string-value="X" '
        'calcext:value-type="string"><text:p>X</text:p></table:table-cell>',
        False,
    ),
    (f'<table:table-cell {F} office:value-type="date" office:date-value="2026-01-02"/>', False),
    (f'<table:table-cell {F} office:value-type="boolean" office:boolean-value="true"/>', False),
    (f'<table:table-cell {F} office:value-type="time" office:time-value="PT1H"/>', False),
    (f'<table:table-cell {F} office:value-type="string"/>', False),  # its result is ""
    (f"<table:table-cell {F}><text:p/></table:table-cell>", False),  # LibreOffice's ""
    (f"<table:table-cell {F}>\n<text:p></text:p>\n</table:table-cell>", False),
    # no formula
    ('<table:table-cell office:value-type="float"/>', False),
    ("<table:table-cell><text:p>table:formula=</text:p></table:table-cell>", False),
    ('<table:table-cell x:formula="of:=1"/>', False),
]


class _OneByOne(_OdsScanner):
    def _scan_fast(self, buf: bytearray, cut: int) -> bool:
        return False


def unsaved(
    tables: str, cuts: list[int] | tuple[int, ...] = (), scanner: type[_OdsScanner] = _OdsScanner
) -> dict[str, dict[tuple[int, int], str]]:
    """The cells the scan notes, by sheet, content.xml fed in chunks cut at ``cuts``."""
    data, start, found = content(tables), 0, scanner()
    for cut in [*sorted({c % (len(data) + 1) for c in cuts}), len(data)]:
        found.feed(data[start:cut])
        start = cut
    found.finish(Path("x.ods"), "content.xml")
    return {name: dict(cells.cells) for name, cells in found.unsaved.items() if cells.cells}


def calamine_rows(tables: str) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(ods(tables)))
    return [list(row) for row in book.get_sheet_by_index(0).to_python(skip_empty_area=False)]


@pytest.mark.parametrize(("cell", "no_result"), CELLS)
def test_a_formula_cell_is_noted_when_calamine_reads_no_result(cell: str, no_result: bool) -> None:
    tables = table(f"<table:table-row>{USED}{cell}</table:table-row>")
    expected = {"S": {(0, 1): "A1*2"}} if no_result else {}
    length = len(content(tables))
    for cuts in ([], [length // 2], *([c] for c in range(length - 260, length - 60, 7))):
        for scanner in (_OdsScanner, _OneByOne):
            assert unsaved(tables, cuts, scanner) == expected, (cuts, scanner)
    if no_result and "<text:p>7" not in cell and "<text:p>y" not in cell:
        assert calamine_rows(tables)[0][1:] in ([], [""])  # nothing calamine could import


def test_a_repeated_cell_and_a_repeated_row_are_noted_each_time() -> None:
    cell = f'<table:table-cell {F} table:number-columns-repeated="2"/>'
    tables = table(
        f"<table:table-row>{USED}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="2">{USED}{cell}{USED}</table:table-row>'
    )
    expected = {(r, c): "A1*2" for r in (1, 2) for c in (1, 2)}
    for scanner in (_OdsScanner, _OneByOne):
        assert unsaved(tables, scanner=scanner) == {"S": expected}


def test_a_huge_repeat_is_noted_up_to_the_limit() -> None:
    cell = f'<table:table-cell {F} table:number-columns-repeated="1000"/>'
    rows = f'<table:table-row table:number-rows-repeated="1000">{cell}</table:table-row>'
    scanner = _OdsScanner()
    scanner.feed(content(table(rows)))
    found = scanner.unsaved["S"]
    assert len(found.cells) == MAX_UNSAVED and found.more


def test_cells_go_to_their_sheet_by_name(tmp_path: Path) -> None:
    path = tmp_path / "two.ods"
    first = table(f"<table:table-row>{USED}</table:table-row>", name="Plain")
    second = table(
        f"<table:table-row>{USED}</table:table-row><table:table-row>{USED}<table:table-cell "
        'table:formula="of:=UPPER(&quot;a&quot;)&amp;[.A1]"/></table:table-row>',
        name="Risks &amp; more",
    )
    path.write_bytes(ods(first + second))
    assert {k: v.cells for k, v in check_zip(path).unsaved.items()} == {
        "Risks & more": {(1, 1): 'UPPER("a")&A1'}
    }
    book = open_spreadsheet(path)
    try:
        assert book.sheet("Risks & more").unsaved.cells == {(1, 1): 'UPPER("a")&A1'}
        assert not book.sheet("Plain").unsaved.cells
    finally:
        book.close()


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("of:=[.A1]*2", "A1*2"),
        ("of:=SUM([.B2:.B9])", "SUM(B2:B9)"),
        ("of:=[$Sheet2.$A$1]+1", "$Sheet2.$A$1+1"),
        ("oooc:=[.A1]", "A1"),
        ("=1+1", "1+1"),
        ("of:=&quot;a&quot;", '"a"'),
    ],
)
def test_a_formula_is_shown_as_the_user_writes_it(written: str, shown: str) -> None:
    assert _ods_formula(written.encode()) == shown


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, dict[tuple[int, int], str]]:
    """Rows of the cells above (some repeated), and the cells with no saved result."""
    rows, expected, row = [], {}, 0
    for _ in range(draw(st.integers(0, 6))):
        repeat = draw(st.integers(1, 2))
        cells: list[str] = []
        noted: list[tuple[int, str]] = []
        for col in range(draw(st.integers(0, 5))):
            cell, no_result = draw(st.sampled_from(CELLS))
            if draw(st.integers(0, 9)) == 0:  # long: a chunk's end falls within it
                cell = cell.replace("[.A1]*2", "[.A1]+" * 200 + "[.A1]")
            cells.append(cell)
            if no_result:
                noted.append((col, "A1+" * 200 + "A1" if "+[.A1]" in cell else "A1*2"))
        attributes = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
        rows.append(f"<table:table-row{attributes}>{USED}{''.join(cells)}</table:table-row>")
        for r in range(row, row + repeat):
            expected.update({(r, c + 1): formula for c, formula in noted})
        row += repeat
    return table("".join(rows)), expected


@settings(max_examples=200, deadline=None)
@given(tables(), st.lists(st.integers(0, 10_000), max_size=5))
def test_the_same_cells_are_noted_however_the_xml_is_cut(
    drawn: tuple[str, dict[tuple[int, int], str]], cuts: list[int]
) -> None:
    tables_xml, expected = drawn
    for scanner in (_OdsScanner, _OneByOne):
        assert unsaved(tables_xml, cuts, scanner) == ({"S": expected} if expected else {})

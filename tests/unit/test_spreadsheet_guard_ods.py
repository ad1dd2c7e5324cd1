""".ods files: the guard's scan of content.xml places every used cell at least as far out as
calamine 0.37 places it (checked with calamine on small hand-built files), or refuses the
file; the fast scan (plain rows in one match) finds what the tag-by-tag scan finds."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
import python_calamine
from hypothesis import example, given, settings
from hypothesis import strategies as st

from isms_desktop.reports.spreadsheet_guard import (
    Bounds,
    Merged,
    UnreadableFileError,
    _BadTag,
    _OdsScanner,
    check_zip,
)
from isms_desktop.reports.spreadsheet_reader import open_spreadsheet

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:x="urn:x" '
    'office:version="1.2">{styles}<office:body><office:spreadsheet>'
)
TAIL = "</office:spreadsheet></office:body></office:document-content>"
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:'
    'tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
)
V = 'office:value-type="float" office:value="1"'  # a cell's value, as LibreOffice writes it
USED = f"<table:table-cell {V}/>"


def content(tables: str, styles: str = "") -> bytes:
    return (HEAD.format(styles=styles) + tables + TAIL).encode()


def ods(tables: str, styles: str = "") -> bytes:
    """An .ods file whose content.xml holds ``tables`` (written as given, to the byte)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content(tables, styles))
        zf.writestr("META-INF/manifest.xml", MANIFEST)
    return out.getvalue()


def table(rows: str, name: str = "S") -> str:
    return f'<table:table table:name="{name}">{rows}</table:table>'


def calamine_ends(tables: str) -> list[tuple[int, int] | None] | str:
    """The last row and column calamine fills in each sheet, or why it cannot read them."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(ods(tables)))
        return [book.get_sheet_by_index(i).end for i in range(len(book.sheet_names))]
    except Exception as exc:
        return f"calamine: {exc}"


class _OneByOne(_OdsScanner):
    def _scan_fast(self, buf: bytearray, cut: int) -> bool:
        return False


def scan(
    tables: str,
    cuts: Sequence[int] = (),
    scanner: type[_OdsScanner] = _OdsScanner,
) -> tuple[list[Bounds], dict[str, list[Merged]]] | str:
    """The used area and merged ranges the scan finds in each table, or why it refuses them,
    content.xml fed in chunks cut at ``cuts``."""
    data, start, found = content(tables), 0, scanner()
    try:
        for cut in [*sorted({c % (len(data) + 1) for c in cuts}), len(data)]:
            found.feed(data[start:cut])
            start = cut
        return found.sheets(), found.merged
    except _BadTag as exc:
        return str(exc)


def assert_placed_as_calamine_places(tables: str, exactly: bool = True) -> None:
    """The scan finds each sheet's last used row and column where calamine fills it (further
    out where not ``exactly``), on both paths and however content.xml is chunked."""
    ends = calamine_ends(tables)
    assert isinstance(ends, list), ends
    length = len(content(tables))
    for cuts in ([], [length // 3], [length - 40, length - 30]):
        for scanner in (_OdsScanner, _OneByOne):
            found = scan(tables, cuts, scanner)
            assert not isinstance(found, str), found
            for bounds, end in zip(found[0], ends, strict=True):
                if end is None:
                    assert not exactly or bounds == Bounds()
                elif exactly:
                    assert (bounds.max_row, bounds.max_col) == end
                else:
                    assert bounds.max_row >= end[0] and bounds.max_col >= end[1]


def assert_refused(tables: str, why: str) -> None:
    """Both paths refuse the tables, saying ``why``, wherever a chunk ends."""
    for cut in range(len(content(tables)) + 1):
        for scanner in (_OdsScanner, _OneByOne):
            found = scan(tables, [cut], scanner)
            assert isinstance(found, str) and why in found, (cut, found)


@pytest.mark.parametrize(
    "cell",
    [
        f'<table:table-cell {V} table:number-columns-repeated="3"/>',
        f'<table:table-cell table:number-columns-repeated="3" {V}></table:table-cell>',
        f'<table:table-cell {V} table:number-columns-repeated="+3"/>',  # calamine reads "+3"
        f'<table:table-cell {V} table:number-columns-repeated="003"/>',
        f"<table:table-cell {V}\ttable:number-columns-repeated = '3' />",
        # another prefix (even bound to the table namespace) or name is not the count, for
        # calamine either; nor is the count written within another attribute's value
        f'<table:table-cell {V} t:number-columns-repeated="3"/>',
        f'<table:table-cell x:number-columns-repeated="1" {V} table:number-columns-repeated="3"/>',
        f'<table:table-cell {V} foo-number-columns-repeated="1" '
        'table:number-columns-repeated="3"/>',
        f"<table:table-cell foo='table:number-columns-repeated=\"1\"' {V} "
        'table:number-columns-repeated="3"/>',
        f'<table:table-cell foo="table:number-columns-repeated=&quot;9&quot;" {V}/>',
        # a value without a type (the old scan took such a cell for empty), a covered cell
        '<table:table-cell office:value="1" table:number-columns-repeated="3"/>',
        '<table:table-cell office:boolean-value="true" table:number-columns-repeated="3"/>',
        '<table:table-cell office:string-value="" table:number-columns-repeated="3"/>',
        f'<table:covered-table-cell {V} table:number-columns-repeated="3"/>',
        '<table:table-cell table:number-columns-repeated="2"/>' + USED,
        f"{USED}<table:table-cell/>{USED}",
    ],
)
def test_a_cell_is_placed_where_calamine_places_it(cell: str) -> None:
    rows = f'<table:table-row table:style-name="ro1">{cell}</table:table-row>'
    assert_placed_as_calamine_places(table(f"<table:table-row>{USED}</table:table-row>" + rows))


@pytest.mark.parametrize(
    "rows",
    [
        f'<table:table-row table:number-rows-repeated="3">{USED}</table:table-row>',
        f'<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        f"<table:table-row>{USED}</table:table-row>",
        f"<table:table-row/><table:table-row>{USED}</table:table-row>",
        f'<table:table-row t:number-rows-repeated="5">{USED}</table:table-row>',
        # rows in a header or group count as rows; other elements between rows do not
        f"<table:table-header-rows><table:table-row>{USED}</table:table-row>"
        f"</table:table-header-rows><table:table-row-group><table:table-row>{USED}"
        '</table:table-row></table:table-row-group><table:table-column x:a="b>c"/>'
        f"<table:table-row>{USED}</table:table-row>",
        # a ">" in a value of another element, a string cell, a cell with text in it
        f'<table:table-row><table:table-cell office:value-type="string"><text:p x:a="b>">a'
        f"<text:span>b</text:span></text:p><text:p>c</text:p></table:table-cell>{USED}"
        "</table:table-row>",
    ],
)
def test_rows_are_placed_where_calamine_places_them(rows: str) -> None:
    assert_placed_as_calamine_places(table(rows))


@pytest.mark.parametrize(
    "cell",
    [
        # formulas and empty text: calamine keeps no value, the scan counts the cell
        '<table:table-cell table:formula="of:=1" table:number-columns-repeated="3"/>',
        '<table:table-cell table:number-columns-repeated="3"><text:p>9</text:p></table:table-cell>',
        '<table:table-cell office:value-type="float" table:number-columns-repeated="3"/>',
    ],
)
def test_a_cell_calamine_may_keep_counts_too(cell: str) -> None:
    rows = f"<table:table-row>{USED}{cell}</table:table-row>"
    assert_placed_as_calamine_places(table(rows), exactly=False)


def test_a_count_of_0_counts_1() -> None:
    # calamine takes 0 as 0, which puts what follows nearer: the scan's 1 is further out
    rows = f'<table:table-row table:number-rows-repeated="0">{USED}</table:table-row>'
    rows += f'<table:table-row><table:table-cell {V} table:number-columns-repeated="0"/>'
    assert_placed_as_calamine_places(table(rows + USED + "</table:table-row>"), exactly=False)
    assert scan(table(rows + USED + "</table:table-row>"))[0] == [Bounds(0, 1, 0, 1)]


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        # calamine reads the first of two (so the second could hide a far column)
        (f'<table:table-cell {V} table:number-columns-repeated="1" '
         'table:number-columns-repeated="3"/>', "gives the attribute table:number-columns-"
         "repeated twice"),
        # no count: calamine fails on the first three, reads 3 from &#51; in a row's count
        (f'<table:table-cell {V} table:number-columns-repeated=" 3"/>', "not a count"),
        (f'<table:table-cell {V} table:number-columns-repeated="-1"/>', "not a count"),
        (f'<table:table-cell {V} table:number-columns-repeated=""/>', "not a count"),
        (f'<table:table-cell {V} table:number-columns-repeated="{"9" * 21}"/>', "not a count"),
        (f'<table:table-cell {V} table:number-columns-repeated="&#51;"/>', "not a count"),
        # a ">" in a value of the scan's tags: the tag seemed to end there, the count unseen
        (f'<table:table-cell foo="a>b" {V} table:number-columns-repeated="3"/>', "malformed"),
        # calamine reads attributes without a space between them; the scan does not
        (f'<table:table-cell {V}table:number-columns-repeated="3"/>', "malformed"),
        # a "<" in a value, or a tag in a comment, CDATA section or processing instruction:
        # calamine skips them, so the scan must not see tags there either
        (f'<table:table-cell foo="<" {V} table:number-columns-repeated="3"/>', "malformed"),
        (f"{USED}</table:table-row><!-- </table:table><table:table table:name='T'> -->"
         "<table:table-row>", "comment"),
        (f"{USED}</table:table-row><![CDATA[</table:table>]]><table:table-row>", "CDATA"),
        (f'{USED}</table:table-row><x:a b="</table:table><table:table>"/><table:table-row>',
         "malformed"),
        # calamine lets a cell left open swallow the rows after it (the cells after it are
        # in its row), or fails; the scan refuses tables, rows and cells out of their place
        (f"<table:table-cell {V}></table:table-row><table:table-row>{USED}</table:table-cell>",
         "does not close"),
        (f"<table:table-cell {V}><table:table-row>{USED}</table:table-row></table:table-cell>",
         "out of place"),
        (f"<table:table-cell {V}>{table('')}</table:table-cell>", "out of place"),
        (f"<table:table-cell {V}></table:covered-table-cell>", "does not close"),
        (f"<table:table-cell {V}></table:table-cell >{USED}</table:table-row x='1'>",
         "does not close"),
        (f"{USED}</table:table-row\x0c>", "does not close"),
    ],
)  # fmt: skip
def test_a_cell_calamine_may_read_otherwise_is_refused(cell: str, why: str) -> None:
    tables = table(f"<table:table-row>{USED}</table:table-row><table:table-row>{cell}"
                   "</table:table-row>")  # fmt: skip
    assert_refused(tables, why)


@pytest.mark.parametrize(
    ("tables", "why"),
    [
        (table('<table:table-row table:number-rows-repeated="2" table:number-rows-repeated="9">'
               f"{USED}</table:table-row>"), "twice"),
        (table(f'<table:table-row table:number-rows-repeated="&#51;">{USED}</table:table-row>'),
         "not a count"),  # calamine reads 3 here
        (table(USED), "out of place"),  # a cell outside a row, a row outside a table
        (f"<table:table-row>{USED}</table:table-row>", "out of place"),
    ],
)  # fmt: skip
def test_a_row_calamine_may_read_otherwise_is_refused(tables: str, why: str) -> None:
    assert_refused(tables, why)


def test_the_message_names_the_sheet_and_row() -> None:
    cell = f'<table:table-cell {V} table:number-columns-repeated="1" '
    cell += 'table:number-columns-repeated="9"/>'
    rows = f"<table:table-row>{USED}</table:table-row><table:table-row>{cell}</table:table-row>"
    assert scan(table(rows, "Risks &amp; more")) == (
        "sheet 'Risks & more', row 2: the tag <table:table-cell office:value-type=\"float\" "
        'office:value="1" table:number-column… gives the attribute '
        "table:number-columns-repeated twice"
    )


def test_huge_counts_are_counted_as_they_are() -> None:
    # calamine 0.37 fills at most 1,048,576 rows and 16,384 columns and fails beyond 100
    # million cells: still gigabytes below that
    cell = f'<table:table-cell {V} table:number-columns-repeated="{2**64 - 1}"/>'
    rows = f'<table:table-row table:number-rows-repeated="{"0" * 30}99999999999">{cell}'
    assert scan(table(rows + "</table:table-row>"))[0] == [Bounds(0, 99999999998, 0, 2**64 - 2)]


def test_merged_ranges_go_to_their_sheet_by_name(tmp_path: Path) -> None:
    # a hidden sheet first: its merged range was once applied to the first visible sheet
    styles = (
        '<office:automatic-styles><style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style></office:automatic-styles>'
    )
    string = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    lists = '<table:table table:name="Lists" table:style-name="ta2"><table:table-row>'
    lists += '<table:table-cell table:number-rows-spanned="3" office:value-type="string">'
    lists += "<text:p>L</text:p></table:table-cell></table:table-row></table:table>"
    risks = "".join(
        f"<table:table-row>{string.format(v)}</table:table-row>" for v in ("Code", "R1", "", "R3")
    )
    unnamed = f"<table:table><table:table-row>{USED}</table:table-row></table:table>"
    path = tmp_path / "hidden.ods"
    path.write_bytes(ods(lists + unnamed + table(risks, "Risks"), styles))
    book = open_spreadsheet(path)
    assert book.sheet_names == ["Risks"]
    assert book.sheet().rows == [["Code"], ["R1"], [], ["R3"]]
    assert check_zip(path).ods_merged == {"Lists": [(0, 0, 2, 0)], "Risks": []}


def test_one_cell_far_from_a1_is_refused(tmp_path: Path) -> None:
    rows = '<table:table-row table:number-rows-repeated="999998"><table:table-cell/>'
    rows += "</table:table-row><table:table-row><table:table-cell table:number-columns-"
    rows += f'repeated="16383"/>{USED}</table:table-row>'
    path = tmp_path / "far.ods"
    path.write_bytes(ods(table(rows)))
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    assert book.get_sheet_by_name("S").end == (999998, 16383)  # 16 billion cells from A1
    with pytest.raises(UnreadableFileError, match="spans 16,383,983,616 cells"):
        open_spreadsheet(path)


# Drawn into rows and cells: attributes as LibreOffice writes them, and now and then others,
# read by calamine alone or by the scan alone (another prefix, a count within another value)
# or not by the fast scan (spans, single quotes); one count at most. Rarely a hostile one
# (refused: no whole number, a ">" or "<" in a value, a count twice), or an element between
# cells and rows, some out of place or hiding tags.
CELL_ATTRIBUTES = [f" {V}", ' office:value="2"', ' table:style-name="ce1"', ' table:formula="1"']
CELL_ATTRIBUTES += [' office:value-type="string"']
ODD_CELL_ATTRIBUTES = [' table:number-rows-spanned="2"', ' table:number-columns-spanned="2"']
ODD_CELL_ATTRIBUTES += [
    ' t:number-columns-repeated="9"',
    " foo='table:number-columns-repeated=\"9\"'",
]
CELL_COUNTS = ["2", "300", "+40", "0"]
ROW_ATTRIBUTES = [' table:style-name="ro1"']
ODD_ROW_ATTRIBUTES = [' x:number-rows-repeated="9"']
ROW_COUNTS = ["3", "007", "0"]
HOSTILE = [' table:number-columns-repeated="&#51;"', ' foo="a>b"', ' foo="<"']
HOSTILE += [' table:number-columns-repeated="3 "', ' table:number-columns-repeated="1"']
HOSTILE += [' table:number-rows-repeated="&#50;"', ' table:number-rows-repeated="1"']
BETWEEN = ["<!-- x -->", "<table:table-row>", "</table:table-row>", '<x:a b="c>d"/>']
BETWEEN += ["<![CDATA[x]]>", '<x:a b="</table:table-row>"/>', "</table:table-cell>"]
BETWEEN += [f"<table:table-cell {V}>", "<table:table/>", '<table:table-column x:a="b"/>']


@st.composite
def tables(draw: st.DrawFn) -> str:
    def rarely(choices: list[str]) -> str:
        return draw(st.sampled_from(choices)) if draw(st.integers(0, 60)) == 30 else ""

    def attributes(
        usual: list[str], odd: list[str], counts: list[str], name: str, hostile: list[str]
    ) -> str:
        choices = usual + odd if draw(st.integers(0, 3)) == 2 else usual
        chosen = draw(st.lists(st.sampled_from(choices), max_size=3, unique=True))
        count = draw(st.sampled_from(["", *counts]))
        if count:
            quote = "'" if draw(st.integers(0, 3)) == 2 else '"'
            chosen.insert(draw(st.integers(0, len(chosen))), f" {name}={quote}{count}{quote}")
        return "".join(chosen) + rarely(hostile)

    parts = []
    for name in draw(st.sampled_from([["S"], ["S", "T"]])):
        parts.append(f'<table:table table:name="{name}">')
        for _ in range(draw(st.integers(0, 6))):
            cells = []
            for _ in range(draw(st.integers(0, 5))):
                attrs = attributes(
                    CELL_ATTRIBUTES,
                    ODD_CELL_ATTRIBUTES,
                    CELL_COUNTS,
                    "table:number-columns-repeated",
                    HOSTILE[:5],
                )
                if draw(st.booleans()):
                    cells.append(f"<table:table-cell{attrs}/>")
                else:
                    text = draw(st.sampled_from(["", "<text:p>x</text:p>", "x"]))
                    cells.append(f"<table:table-cell{attrs}>{text}</table:table-cell>")
                cells.append(rarely(BETWEEN))
            attrs = attributes(
                ROW_ATTRIBUTES,
                ODD_ROW_ATTRIBUTES,
                ROW_COUNTS if draw(st.booleans()) else [],
                "table:number-rows-repeated",
                HOSTILE[5:],
            )
            if cells or draw(st.booleans()):
                parts.append(f"<table:table-row{attrs}>{''.join(cells)}</table:table-row>")
            else:
                parts.append(f"<table:table-row{attrs}/>")
            parts.append(rarely(BETWEEN))
        parts.append("</table:table>")
    return "".join(parts)


LT_IN_A_TAG = table(
    f'<table:table-row>{USED}<table:table-cell foo="<" {V} table:number-columns-repeated="9"/>'
    "</table:table-row>"
)


@settings(max_examples=300, deadline=None)
@given(tables(), st.lists(st.integers(0, 10_000), max_size=6))
@example(LT_IN_A_TAG, [content(LT_IN_A_TAG).index(b'"<"') + 2])  # a chunk ends at the "<"
def test_the_scan_places_cells_as_calamine_does_or_refuses(tables: str, cuts: list[int]) -> None:
    found = scan(tables, cuts)
    assert found == scan(tables, cuts, _OneByOne)  # the fast scan finds the same
    if isinstance(found, str):
        return
    ends = calamine_ends(tables)
    if isinstance(ends, str):
        return  # calamine fails on it (before it fills a sheet)
    for bounds, end in zip(found[0], ends, strict=True):
        if end is not None:
            assert bounds.max_row >= end[0] and bounds.max_col >= end[1], (bounds, end)


class _Counting(_OdsScanner):
    tags = 0

    def _token(self, match: re.Match[bytes]) -> None:
        self.tags += 1
        super()._token(match)


def test_a_libreoffice_style_table_takes_the_fast_path() -> None:
    cell = '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>'
    cell += "Risk &amp; more</text:p></table:table-cell>"
    gap = '<table:table-cell table:style-name="ce1" table:number-columns-repeated="2"/>'
    row = f'<table:table-row table:style-name="ro1">{gap}{cell}{gap}<table:table-cell/>{cell}'
    row += f"{USED}{gap}</table:table-row>"  # used from the third column to the eighth
    scanner = _Counting()
    scanner.feed(content(table(row * 300)))
    assert scanner.tags == 2  # the table's tags; the rows were read in one match each
    assert scanner.sheets() == [Bounds(0, 299, 2, 7)]
    assert scan(table(row * 300), [], _OneByOne) == ([Bounds(0, 299, 2, 7)], {"S": []})
    assert calamine_ends(table(row * 300)) == [(299, 7)]

"""The worksheet scan's fast path (every tag with its reference) finds the same used area
as reading the tags one by one, or refuses the same tag, whatever the XML and however it is
cut into chunks."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from isms_desktop.reports import spreadsheet_guard
from isms_desktop.reports.spreadsheet_guard import Bounds, _BadTag, _XlsxScanner
from isms_desktop.reports.spreadsheet_reader import column_letter


class _OneByOne(_XlsxScanner):
    def _scan_fast(self, buf: bytearray, cut: int) -> bool:
        return False


# attributes besides the reference, most of them as Excel writes them, some hostile: the
# reference twice, a reference within another value or under another name, a "<" or ">" in
# a value, single quotes, spaces around "=", another attribute twice (harmless)
EXTRAS = [' s="1"', ' t="n"', ' x14ac:dyDescent="0.25"', ' s="1" s="2"', ' r="XFD1048576"']
EXTRAS += [' x:r="A1"', ' foo-r="XFD1"', " foo='r=\"XFD9\"'", ' foo="r=&quot;XFD9&quot;"']
EXTRAS += [' foo="a>b"', ' foo="<"', " s = '1'", ' foo="x r="']


# elements between the cells: one with a ">" in a value (valid XML, read as it is, wherever a
# chunk ends), the others hiding a row tag from the scan in a value, a comment, a CDATA
# section or a processing instruction (calamine skips it there; refused)
OTHERS = ['<x a="b>c"/>', "<x a='b>c'/>", "<x a='<row r=\"1\">'/>", '<!-- <row r="1"> -->']
OTHERS += ["<![CDATA[<row r='1'>]]>", '<?pi <row r="1">?>']


def _extra(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(EXTRAS)) if draw(st.integers(0, 9)) == 0 else ""


def _other(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(OTHERS)) if draw(st.integers(0, 19)) == 0 else ""


@st.composite
def sheets(draw: st.DrawFn) -> bytes:
    """Worksheet XML: rows and cells with or without references, empty cells, prefixes, other
    attributes (some hostile) before and after the reference, other elements between cells."""
    prefix = draw(st.sampled_from(["", "x:"]))
    parts = [f"<{prefix}worksheet><{prefix}sheetData>"]
    row = 0
    for _ in range(draw(st.integers(0, 12))):
        row += draw(st.integers(1, 40))
        row_ref = draw(st.booleans()) or draw(st.booleans())
        ref = f' r="{row}"' if row_ref else ""
        parts.append(f'<{prefix}row{_extra(draw)}{ref} spans="1:3"{_extra(draw)}>')
        col = -1
        for _ in range(draw(st.integers(0, 6))):
            col += draw(st.integers(1, 800))
            ref = f' r="{column_letter(col)}{row}"' if draw(st.integers(0, 9)) else ""
            ref = _extra(draw) + ref + _extra(draw)
            parts.append(_other(draw))
            if draw(st.booleans()):
                parts.append(f'<{prefix}c{ref} s="1"/>')
            else:
                parts.append(f'<{prefix}c{ref} t="n"><{prefix}v>1</{prefix}v></{prefix}c>')
        parts.append(f"</{prefix}row>")
    parts.append(f"</{prefix}sheetData></{prefix}worksheet>")
    return "".join(parts).encode()


def _scan(scanner: _XlsxScanner, data: bytes, cuts: list[int]) -> Bounds | str:
    """The used area, or why the scan refuses the sheet."""
    start = 0
    try:
        for cut in [*sorted({c % (len(data) + 1) for c in cuts}), len(data)]:
            scanner.feed(data[start:cut])
            start = cut
    except _BadTag as exc:
        return str(exc)
    return scanner.bounds


@settings(max_examples=300, deadline=None)
@given(sheets(), st.lists(st.integers(0, 10_000), max_size=6))
# a "<" within a tag: the tag-by-tag reading takes the tag to its ">"
@example(b'<row r="1"><c a <row r="5" r="A1"><v>1</v></c></row>', [])
@example(b'<row r="1"><c a <v> r="B7"><v>1</v></c><c r="C1"><v>1</v></c></row>', [])
@example(b'<row r="2"><c r="A2" <c r="Z9">x</c></row>', [])
# calamine takes the last of two references; a chunk may end at a "<" within a tag
@example(b'<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>', [])
@example(b'<row r="1"><c r="A1" foo="<" r="XFD1048576"><v>1</v></c></row>', [26])
def test_the_fast_scan_finds_what_the_tag_by_tag_scan_finds(data: bytes, cuts: list[int]) -> None:
    assert _scan(_XlsxScanner(), data, cuts) == _scan(_OneByOne(), data, cuts)


@pytest.mark.parametrize(
    "tag",
    [
        '<c foo="r=&quot;A1&quot;" r="XFD1048576">',  # a reference within another value
        '<c foo=\'r="A1"\' r="XFD1048576">',
        '<c x:r="A1" r="XFD1048576">',  # not the attribute r, for calamine too
        '<c foo-r="A1" r="XFD1048576">',
        '<c r="XFD1048576" x:r="A1">',
    ],
)
def test_a_cell_is_placed_by_its_attribute_r_alone(tag: str) -> None:
    data = f'<row r="1048576">{tag}<v>1</v></c></row>'.encode()
    for scanner in (_XlsxScanner(), _OneByOne()):
        assert _scan(scanner, data, []) == Bounds(1048575, 1048575, 16383, 16383)


@pytest.mark.parametrize(
    "tag",
    [
        '<c r="A1" r="XFD1048576">',  # calamine takes the last, a search the first
        '<c r="A1"  r = "XFD1048576">',
        '<c foo="a>" r="XFD1048576">',  # the tag seems to end at the ">"
        '<c r="ZZZZZ1">',  # calamine reads any number of letters and digits
        '<c r="A10000000000000">',
    ],
)
def test_a_tag_calamine_may_read_otherwise_is_refused(tag: str) -> None:
    data = f'<row r="1">{tag}<v>1</v></c></row>'.encode()
    for scanner in (_XlsxScanner(), _OneByOne()):
        found = _scan(scanner, data, [])
        assert isinstance(found, str) and found.startswith(f"the tag {tag[:9]}")


def test_a_tag_cut_at_a_lt_within_it_is_refused_however_it_is_chunked() -> None:
    data = b'<row r="1"><c r="A1" foo="<" r="XFD1048576"><v>1</v></c></row>'
    for cut in range(len(data) + 1):
        for scanner in (_XlsxScanner(), _OneByOne()):
            assert "malformed" in str(_scan(scanner, data, [cut]))


@pytest.mark.parametrize("hidden", OTHERS[2:])
def test_a_tag_hidden_from_the_scan_is_refused(hidden: str) -> None:
    # calamine skips the row tag there and puts the cell after it in row 50, not in row 1
    data = f'<row r="50"><c r="A50"><v>1</v></c>{hidden}<c><v>1</v></c></row>'.encode()
    for cut in range(len(data) + 1):
        for scanner in (_XlsxScanner(), _OneByOne()):
            found = _scan(scanner, data, [cut])
            assert isinstance(found, str), cut
            assert found.startswith(("the tag <x a=", "it holds a comment")), found


def test_a_gt_in_a_value_is_read_as_xml_reads_it_however_it_is_chunked() -> None:
    data = b'<row r="3"><c r="B3"><v>1</v></c><x a="b>c" d=\'e>f\'/><c><v>1</v></c></row>'
    for cut in range(len(data) + 1):
        for scanner in (_XlsxScanner(), _OneByOne()):
            assert _scan(scanner, data, [cut]) == Bounds(2, 2, 1, 2)


def test_a_tag_that_runs_on_is_refused_in_bounded_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    # a quote left open: no ">" ends the tag, and its end is waited for no longer than this
    monkeypatch.setattr(spreadsheet_guard, "_MAX_TAG", 1000)
    data = b'<row r="1"><c r="A1" foo="' + b"x>" * 2000
    for scanner in (_XlsxScanner(), _OneByOne()):
        assert _scan(scanner, data, list(range(0, 4000, 100))) == (
            "a tag runs on for more than 0 MB"
        )


def test_an_openpyxl_style_sheet_takes_the_fast_path() -> None:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="AB{r}"><v>{r}</v></c></row>'
        for r in range(3, 500)
    )
    scanner = _XlsxScanner()
    buf = bytearray(rows.encode())
    assert scanner._scan_fast(buf, len(buf))
    assert scanner.bounds == Bounds(min_row=2, max_row=498, min_col=0, max_col=27)

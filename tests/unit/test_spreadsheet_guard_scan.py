"""The worksheet scan's fast path (every tag with its reference) finds the same used area
as reading the tags one by one, whatever the XML and however it is cut into chunks."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from isms_desktop.reports.spreadsheet_guard import Bounds, _XlsxScanner
from isms_desktop.reports.spreadsheet_reader import column_letter


class _OneByOne(_XlsxScanner):
    def _scan_fast(self, buf: bytearray, cut: int) -> bool:
        return False


@st.composite
def sheets(draw: st.DrawFn) -> bytes:
    """Worksheet XML: rows and cells with or without references, empty cells, prefixes."""
    prefix = draw(st.sampled_from(["", "x:"]))
    parts = [f"<{prefix}worksheet><{prefix}sheetData>"]
    row = 0
    for _ in range(draw(st.integers(0, 12))):
        row += draw(st.integers(1, 40))
        row_ref = draw(st.booleans()) or draw(st.booleans())
        parts.append(f'<{prefix}row r="{row}" spans="1:3">' if row_ref else f"<{prefix}row>")
        col = -1
        for _ in range(draw(st.integers(0, 6))):
            col += draw(st.integers(1, 800))
            ref = f' r="{column_letter(col)}{row}"' if draw(st.integers(0, 9)) else ""
            if draw(st.booleans()):
                parts.append(f'<{prefix}c{ref} s="1"/>')
            else:
                parts.append(f'<{prefix}c{ref} t="n"><{prefix}v>1</{prefix}v></{prefix}c>')
        parts.append(f"</{prefix}row>")
    parts.append(f"</{prefix}sheetData></{prefix}worksheet>")
    return "".join(parts).encode()


def _scan(scanner: _XlsxScanner, data: bytes, cuts: list[int]) -> Bounds:
    start = 0
    for cut in [*sorted({c % (len(data) + 1) for c in cuts}), len(data)]:
        scanner.feed(data[start:cut])
        start = cut
    return scanner.bounds


@settings(max_examples=300, deadline=None)
@given(sheets(), st.lists(st.integers(0, 10_000), max_size=6))
# a "<" within a tag: the tag-by-tag reading takes the tag to its ">"
@example(b'<row r="1"><c a <row r="5" r="A1"><v>1</v></c></row>', [])
@example(b'<row r="1"><c a <v> r="B7"><v>1</v></c><c r="C1"><v>1</v></c></row>', [])
@example(b'<row r="2"><c r="A2" <c r="Z9">x</c></row>', [])
def test_the_fast_scan_finds_what_the_tag_by_tag_scan_finds(data: bytes, cuts: list[int]) -> None:
    assert _scan(_XlsxScanner(), data, cuts) == _scan(_OneByOne(), data, cuts)


def test_an_openpyxl_style_sheet_takes_the_fast_path() -> None:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="AB{r}"><v>{r}</v></c></row>'
        for r in range(3, 500)
    )
    scanner = _XlsxScanner()
    buf = bytearray(rows.encode())
    assert scanner._scan_fast(buf, len(buf))
    assert scanner.bounds == Bounds(min_row=2, max_row=498, min_col=0, max_col=27)

"""Page layout of the PDF engine, read back from real PDFs: a heading starts its table, its
list or its figure on the same page; a long table starts where its heading is and goes on
with its header row repeated; short tables and single rows are not split off; no page is
blank.

Each case is laid out after a growing amount of text, so the heading falls at every height
of the page, down to its foot.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.platypus import Flowable

from isms_desktop.reports.pdf import markdown, policy_report
from isms_desktop.reports.pdf.blocks import note, para
from isms_desktop.reports.pdf.engine import DocumentInfo, Report, Section, render
from isms_desktop.reports.pdf.tables import Column, RegisterTable, key_values

FILLS = range(20, 40)  # one-line paragraphs before the heading: the heading moves down the page
INFO = DocumentInfo(
    title="Layout test", subject="layout", organisation="Acme Test Ltd", date=dt.date(2026, 1, 5)
)


def _filler(count: int) -> list[Flowable]:
    return [para(f"Filler line {n:02d} of the text before the heading.") for n in range(count)]


def _rows(count: int, *, prefix: str = "ROW") -> RegisterTable:
    return RegisterTable(
        (Column("Code", 10, bold=True), Column("Column A", 40), Column("Column B", 50)),
        [
            [f"{prefix}-{n:03d}", f"first cell of row {n}", "second cell"]
            for n in range(1, count + 1)
        ],
    )


def _pages(sections: list[Section], out: Path) -> list[str]:
    render(Report(INFO, sections), out)
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(out).pages]


def _page_of(pages: list[str], text: str) -> int:
    """The first page with ``text``, after the contents (which list the headings)."""
    return next(
        index for index, page in enumerate(pages) if text in page and "Contents" not in page
    )


def _follows_the_text(pages: list[str], heading: str, fill: int, room_from: int) -> None:
    """``heading`` is on the page where the text before it ends, when that text ends with
    room to spare (``fill`` lines up to ``room_from``), not on the next page."""
    if fill < room_from:
        assert _page_of(pages, heading) == _page_of(pages, f"Filler line {fill - 1:02d}")


def _no_blank_page(pages: list[str]) -> None:
    for number, page in enumerate(pages[1:], start=2):  # (the cover has no running header)
        body = page.replace("Acme Test Ltd", "").replace("Layout test", "")
        assert "Filler" in body or "ROW-" in body or "Item" in body or "Register" in body, (
            f"page {number} is blank: {page!r}"
        )


@pytest.mark.parametrize("fill", FILLS)
def test_a_heading_starts_its_long_table_on_the_same_page(fill: int, tmp_path: Path) -> None:
    """The heading and the table's header and first rows are on one page; the table goes on
    over the next pages, its header row on each. Before, the heading and the whole table
    went to the next page together, leaving the rest of this one blank."""
    pages = _pages(
        [Section("Before", _filler(fill)), Section("Register of things", [_rows(120)])],
        tmp_path / "table.pdf",
    )
    heading = _page_of(pages, "Register of things")
    assert "ROW-001" in pages[heading] and "ROW-002" in pages[heading]
    _follows_the_text(pages, "Register of things", fill, 33)  # a heading, a header, 2 rows
    last = _page_of(pages, "ROW-120")
    for page in pages[heading : last + 1]:
        assert "Code Column A Column B" in page
    _no_blank_page(pages)


@pytest.mark.parametrize("fill", FILLS)
def test_a_heading_stays_with_the_first_items_of_its_list(fill: int, tmp_path: Path) -> None:
    """Platypus leaves a list out of a heading's keep-with-next group: a policy's heading
    could stand alone at the foot of a page, its bullet points on the next."""
    items = [f"- Item {n:02d} of the list" for n in range(1, 15)]
    pages = _pages(
        [Section("Before", _filler(fill)), Section("Rules", markdown.flowables(items))],
        tmp_path / "list.pdf",
    )
    heading = _page_of(pages, "Rules")
    assert "Item 01" in pages[heading] and "Item 02" in pages[heading]
    _follows_the_text(pages, "Rules", fill, 33)
    _no_blank_page(pages)


@pytest.mark.parametrize("fill", FILLS)
def test_an_introduction_stays_with_its_first_subsection(fill: int, tmp_path: Path) -> None:
    """A section of one sentence before its subsections ("5.9 Statement of Applicability:
    every control …") is not left at the foot of a page with its tables on the next."""
    pages = _pages(
        [
            Section("Before", _filler(fill)),
            Section("Statement", [note("Every control with its reasons.")]),
            Section("First theme", [_rows(40)], level=1),
        ],
        tmp_path / "intro.pdf",
    )
    heading = _page_of(pages, "Statement")
    assert "Every control with its reasons." in pages[heading]
    assert "First theme" in pages[heading] and "ROW-001" in pages[heading]
    _follows_the_text(pages, "Statement", fill, 30)


@pytest.mark.parametrize("fill", FILLS)
def test_a_short_table_is_not_split_over_two_pages(fill: int, tmp_path: Path) -> None:
    pages = _pages(
        [Section("Before", _filler(fill)), Section("Summary", [_rows(5)])],
        tmp_path / "short.pdf",
    )
    first = _page_of(pages, "ROW-001")
    assert all(f"ROW-00{n}" in pages[first] for n in range(1, 6))
    assert "Summary" in pages[first]
    _follows_the_text(pages, "Summary", fill, 30)


@pytest.mark.parametrize("fill", FILLS)
def test_a_figure_keeps_the_text_before_and_under_it(fill: int, tmp_path: Path) -> None:
    """A drawing cannot be split: when it moves to the next page, the sentence leading into
    it and its caption go with it."""
    drawing = Drawing(400, 200)
    drawing.add(Rect(0, 0, 400, 200, fillColor=None))
    drawing.add(String(20, 120, "FIGURE"))
    pages = _pages(
        [
            Section("Before", _filler(fill)),
            Section("Chart", [para("The chart shows it all."), drawing, para("The caption.")]),
        ],
        tmp_path / "figure.pdf",
    )
    figure = _page_of(pages, "FIGURE")
    assert "Chart" in pages[figure] and "The chart shows it all." in pages[figure]
    assert "The caption." in pages[figure]
    _follows_the_text(pages, "Chart", fill, 22)


# --- where a register table breaks --------------------------------------------------------


def _split_rows(table: RegisterTable, height: float, *, at_top: bool = False) -> list[int]:
    """The row count of each piece when ``table`` is split in ``height`` points."""
    table._frame = SimpleNamespace(_atTop=at_top)
    pieces = table.split(400, height)
    return [piece.end - piece.start if hasattr(piece, "end") else -1 for piece in pieces[:1]]


def _row_height(table: RegisterTable) -> tuple[float, float]:
    layout = table._layout(400)
    return layout.header_height, layout.heights[0]


def test_a_table_leaves_neither_its_first_nor_its_last_row_alone() -> None:
    table = _rows(10)
    header, row = _row_height(table)
    # room for the header and one row: the row does not stay alone at the foot of the page
    assert table.split(400, header + row + 1) == []
    # room for nine of ten rows: the last would be alone on the next page, so two go there
    assert _split_rows(table, header + 9 * row + 1) == [8]
    # room for eight: as it comes
    assert _split_rows(table, header + 8 * row + 1) == [8]
    # at the top of a page, a table is split as it comes (it would not fit better later)
    assert _split_rows(_rows(10), header + row + 1, at_top=True) == [1]


def test_a_key_value_table_goes_on_without_a_header_row() -> None:
    """The facts of a meeting split over two pages: the second part showed an empty dark
    header band above "Attendees", the header row of a table that has none."""
    table = key_values([(f"Label {n}", f"value {n}") for n in range(12)])
    table.wrap(400, 1000)
    pieces = table.split(400, 60)
    assert len(pieces) == 2
    assert type(pieces[1]) is type(table)
    assert pieces[1].wrap(400, 1000)[1] < table.wrap(400, 1000)[1]


# --- what the policy texts print ----------------------------------------------------------


def test_a_policy_heading_with_subsections_is_not_called_empty() -> None:
    sections = policy_report.text_sections(
        "## Statements\n\n### Access\n\nOnly with a need.\n\n## Review\n", level=0
    )
    texts = {
        s.title: " ".join(f.getPlainText() for f in s.body if hasattr(f, "getPlainText"))
        for s in sections
    }
    assert texts["Statements"] == ""  # its subsections say it
    assert texts["Review"] == "(no text under this heading)"


@pytest.mark.parametrize("count", range(28, 38))
def test_the_last_line_of_the_contents_is_not_alone_on_a_page(count: int, tmp_path: Path) -> None:
    """A contents one line longer than a page printed that line alone on the next page."""
    sections = [Section("Chapter", [para("Text.")])]
    sections += [Section(f"Section {n:02d}", [para("Text.")], level=1) for n in range(count)]
    render(Report(INFO, sections), tmp_path / "contents.pdf")
    pages = [page.extract_text() or "" for page in PdfReader(tmp_path / "contents.pdf").pages]
    contents = [page for page in pages if ". . . ." in page]
    assert len(contents) in (1, 2)
    assert sum(". . . ." in line for line in contents[-1].splitlines()) >= 2

"""The Excel export as its recipient uses it: printed, opened in LibreOffice as in Excel.

Each test reads the real workbook back with openpyxl, as a recipient's spreadsheet would.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from isms_desktop.domain.register_specs import SPECS
from isms_desktop.domain.registers import sheet_name
from isms_desktop.reports import xlsx_export
from isms_desktop.reports.xlsx_export import export_order, export_workbook
from isms_desktop.services import registers
from isms_desktop.storage.project_file import open_project

EXPORTED = dt.date(2026, 3, 14)


@pytest.fixture(scope="module")
def demo_workbook(template_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("recipient") / "demo.xlsx"
    with open_project(template_demo, read_only=True) as project:
        export_workbook(project, out, today=EXPORTED)
    return out


@pytest.fixture(scope="module")
def loaded(demo_workbook: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(demo_workbook)


def _register_sheets(wb: openpyxl.Workbook) -> list[str]:
    return [sheet_name(n) for n in export_order()]


def test_register_sheets_print_landscape_with_the_header_row_on_every_page(
    loaded: openpyxl.Workbook,
) -> None:
    for title in _register_sheets(loaded):
        ws = loaded[title]
        setup = ws.page_setup
        assert setup.orientation == "landscape", title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, title
        assert setup.fitToHeight == 0, title  # as many pages long as it takes
        assert setup.fitToWidth >= 1, title
        assert ws.print_title_rows == "$1:$1", title
        assert ws.print_options.gridLines, title
        assert ws.oddHeader.left.text == "Brightwave Analytics Ltd", title
        assert ws.oddFooter.left.text == "&A", title  # the sheet's name
        assert ws.oddFooter.center.text == "Page &P of &N", title
        assert ws.oddFooter.right.text == "Exported 2026-03-14", title


def test_a_narrow_table_prints_one_page_wide_a_wide_one_on_legible_pages(
    loaded: openpyxl.Workbook,
) -> None:
    def total_width(ws: openpyxl.worksheet.worksheet.Worksheet) -> float:
        return sum(d.width for d in ws.column_dimensions.values())

    context = loaded["Context"]
    assert total_width(context) <= xlsx_export.PRINT_WIDTH_PER_PAGE
    assert context.page_setup.fitToWidth == 1
    assert context.print_title_cols is None

    risks = loaded["Risks"]  # 25 columns: unreadable when squeezed onto one page
    pages = risks.page_setup.fitToWidth
    assert pages > 1
    assert total_width(risks) / pages <= xlsx_export.PRINT_WIDTH_PER_PAGE
    assert risks.print_title_cols == "$A:$A"  # the Code column on each page
    assert risks.page_setup.pageOrder == "overThenDown"  # the same rows' pages together
    assert loaded["Risks"].oddHeader.right.text == SPECS["risks"].title


def test_the_cover_prints_on_one_portrait_page_width(loaded: openpyxl.Workbook) -> None:
    cover = loaded["Cover"]
    assert cover.page_setup.orientation == "portrait"
    assert cover.page_setup.fitToWidth == 1
    assert cover.sheet_properties.pageSetUpPr.fitToPage
    assert not cover.print_options.gridLines
    assert cover.oddFooter.center.text == "Page &P of &N"


def test_bold_text_keeps_the_workbook_font(loaded: openpyxl.Workbook) -> None:
    """A font with only 'bold' set shows in the reader's default face (a serif one in
    LibreOffice): headers, the cover's title and its links name Calibri."""
    for title in _register_sheets(loaded):
        for cell in loaded[title][1]:
            assert (cell.font.name, cell.font.sz, cell.font.b) == ("Calibri", 11, True), title
    cover = loaded["Cover"]
    assert (cover["A1"].font.name, cover["A1"].font.sz) == ("Calibri", 14)
    styled = [c for row in cover.iter_rows() for c in row if c.has_style and c.value]
    assert styled and all(c.font.name == "Calibri" for c in styled)


def test_the_cover_date_lines_up_with_the_texts_beside_it(loaded: openpyxl.Workbook) -> None:
    cover = loaded["Cover"]
    exported = next(r[1] for r in cover.iter_rows() if r[0].value == "Exported on")
    assert exported.value == dt.datetime(2026, 3, 14)
    assert exported.is_date and exported.alignment.horizontal == "left"


def test_page_header_text_is_one_short_line_with_ampersands_kept() -> None:
    assert xlsx_export._header_text("R&D  Ltd\nLeeds") == "R&&D Ltd Leeds"
    long = xlsx_export._header_text("x" * 300)
    assert len(long) == xlsx_export._HEADER_FOOTER_MAX and long.endswith("…")


def _wrapped(ws: openpyxl.worksheet.worksheet.Worksheet, row: int) -> list[str]:
    return [c.value for c in ws[row] if c.alignment.wrap_text and isinstance(c.value, str)]


def test_rows_of_wrapped_text_are_as_high_as_their_text(loaded: openpyxl.Workbook) -> None:
    """LibreOffice keeps a row without a height one line high and draws its wrapped lines
    over the rows below; a row of wrapped text says how high it is."""
    tall = 0
    for title in _register_sheets(loaded):
        ws = loaded[title]
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        for row in range(2, ws.max_row + 1):
            height = ws.row_dimensions[row].height
            texts = [
                (c.value, widths[c.column - 1])
                for c in ws[row]
                if c.alignment.wrap_text and isinstance(c.value, str)
            ]
            if not texts:
                assert height is None, (title, row)  # one line: the default height
                continue
            tall += 1
            lines = max(xlsx_export._line_count(text, width) for text, width in texts)
            assert height == min(lines, xlsx_export.MAX_LINES) * 15, (title, row)
            # at least a line per line break, and a line per width of text
            for text, width in texts:
                assert height >= 15 * min(text.count("\n") + 1, xlsx_export.MAX_LINES)
                assert height >= 15 * min(len(text) // width, xlsx_export.MAX_LINES)
    assert tall > 50


def test_a_long_text_row_stops_at_a_readable_height(project_path: Path, tmp_path: Path) -> None:
    with open_project(project_path) as project:
        registers.create(
            project,
            "context",
            {"kind": "internal", "description": "short", "effect": "word " * 2_000},
        )
        registers.create(
            project, "context", {"kind": "internal", "description": "two\nlines", "effect": "x"}
        )
        export_workbook(project, tmp_path / "long.xlsx", ["context"])
    ws = openpyxl.load_workbook(tmp_path / "long.xlsx")["Context"]
    assert ws.row_dimensions[2].height == xlsx_export.MAX_LINES * 15 <= 300  # not 400 px
    assert ws["E2"].value == ("word " * 2_000).strip()  # all of it, shown when the cell is opened
    assert ws.row_dimensions[3].height == 30
    assert ws.row_dimensions[1].height is None


def test_cells_sit_at_the_top_of_their_rows(loaded: openpyxl.Workbook) -> None:
    """Beside a wrapped text several lines high, a code, number or date at the bottom of
    the row is hard to read across: every cell of a table is top-aligned, in Excel (the
    first cell format) and in LibreOffice (the row's format, for cells without their own)."""
    for title in _register_sheets(loaded):
        ws = loaded[title]
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.value is not None:
                    assert cell.alignment.vertical == "top", (title, cell.coordinate)
            dims = ws.row_dimensions[row[0].row]
            if dims.height is not None:
                assert dims.customFormat and dims.alignment.vertical == "top", title
    assert loaded["Risks"]["A1"].alignment.vertical == "center"  # the header row


def test_dates_are_dates_and_times_show_to_the_minute(loaded: openpyxl.Workbook) -> None:
    incidents = loaded["Incidents"]
    headers = [c.value for c in incidents[1]]
    occurred = incidents.cell(2, headers.index("Occurred") + 1)
    assert isinstance(occurred.value, dt.datetime) and occurred.is_date
    assert occurred.number_format == "yyyy-mm-dd hh:mm"  # no seconds nobody recorded
    letter = occurred.column_letter
    assert incidents.column_dimensions[letter].width >= len("yyyy-mm-dd hh:mm")
    for title, header in (("Risks", "Next review"), ("Treatment", "Due date")):
        ws = loaded[title]
        column = [c.value for c in ws[1]].index(header) + 1
        cells = [ws.cell(r, column) for r in range(2, ws.max_row + 1)]
        dated = [c for c in cells if c.value is not None]
        assert dated and all(c.is_date and c.number_format == "yyyy-mm-dd" for c in dated)
        assert all(isinstance(c.value, dt.datetime) for c in dated)  # sortable, filterable


def test_the_file_properties_name_the_organisation_as_company(
    demo_workbook: Path, loaded: openpyxl.Workbook
) -> None:
    """File > Properties: the company is the organisation, the application isms-desktop
    (openpyxl wrote 'Microsoft Excel Compatible / Openpyxl' and no company)."""
    with zipfile.ZipFile(demo_workbook) as zf:
        assert zf.namelist().count("docProps/app.xml") == 1
        app = ElementTree.fromstring(zf.read("docProps/app.xml"))
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app.findtext(f"{ns}Company") == "Brightwave Analytics Ltd"
    assert app.findtext(f"{ns}Application") == "isms-desktop"
    assert loaded.properties.title == "ISMS registers — Brightwave Analytics Ltd"
    assert loaded.properties.modified is not None


def test_a_company_name_with_markup_characters_stays_well_formed(tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    wb.create_sheet("S")
    out = tmp_path / "amp.xlsx"
    xlsx_export._save(wb, out, "Smith & <Sons>\x01")
    with zipfile.ZipFile(out) as zf:
        app = ElementTree.fromstring(zf.read("docProps/app.xml"))
    assert app.findtext("{*}Company") == "Smith & <Sons>"
    assert openpyxl.load_workbook(out).sheetnames == ["S"]

"""Hostile spreadsheets give one clear error, in bounded time and memory, before any parser."""

from __future__ import annotations

import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import python_calamine

from isms_desktop.reports.spreadsheet_guard import OLE_MAGIC, UnreadableFileError
from isms_desktop.reports.spreadsheet_reader import column_letter, open_spreadsheet

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'


def write_xlsx(
    path: Path, rows_xml: str, *, compression: int = zipfile.ZIP_DEFLATED, after: str = ""
) -> Path:
    """A minimal workbook whose one sheet holds ``rows_xml`` (the cells as Excel writes them),
    then ``after`` (such as its merged cells)."""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{rows_xml}</sheetData>{after}</worksheet>'
    )
    with zipfile.ZipFile(path, "w", compression) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def refusal(path: Path) -> str:
    """Why ``open_spreadsheet`` refuses the file."""
    with pytest.raises(UnreadableFileError) as refused:
        open_spreadsheet(path)
    return str(refused.value)


def test_a_minimal_workbook_reads(tmp_path: Path) -> None:
    book = open_spreadsheet(write_xlsx(tmp_path / "ok.xlsx", HEADER))
    assert book.sheet().rows == [["Name"]]


def test_a_million_empty_rows_read_as_the_table_above_them(tmp_path: Path) -> None:
    empty = "".join(f'<row r="{i}" ht="15" customHeight="1"/>' for i in range(3, 1_000_003))
    data = '<row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c></row>'
    path = write_xlsx(tmp_path / "rows.xlsx", HEADER + data + empty)
    start = time.perf_counter()
    assert open_spreadsheet(path).sheet().rows == [["Name"], ["Ann"]]
    assert time.perf_counter() - start < 60


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", HEADER + " " * 30_000_000)
    with pytest.raises(UnreadableFileError, match="zip bombs"):
        open_spreadsheet(path)


def test_a_zip_that_lies_about_its_sizes_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "liar.xlsx", HEADER + " " * 100_000)
    data = bytearray(path.read_bytes())
    # Declare the sheet 100 bytes long in both its local header and the central directory.
    name = b"xl/worksheets/sheet1.xml"
    local = data.find(b"PK\x03\x04" + data[4:4])  # first local header
    while local >= 0:
        if data[local + 30 : local + 30 + len(name)] == name:
            struct.pack_into("<I", data, local + 22, 100)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        if data[central + 46 : central + 46 + len(name)] == name:
            struct.pack_into("<I", data, central + 24, 100)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFileError, match=r"more than it declares|checksum"):
        open_spreadsheet(path)


def test_cells_at_opposite_corners_are_refused_before_calamine_allocates(tmp_path: Path) -> None:
    rows = HEADER + '<row r="50000"><c r="XFD50000"><v>1</v></c></row>'
    with pytest.raises(UnreadableFileError, match="used area"):
        open_spreadsheet(write_xlsx(tmp_path / "corners.xlsx", rows))
    far = HEADER + '<row r="2000000"><c r="A2000000"><v>1</v></c></row>'
    with pytest.raises(UnreadableFileError, match="rows"):
        open_spreadsheet(write_xlsx(tmp_path / "far.xlsx", far))


def test_one_cell_far_from_a1_is_refused_before_calamine_allocates(tmp_path: Path) -> None:
    # the reader asks calamine for the sheet from A1 (skip_empty_area=False), so this one cell
    # made it allocate 999,999 x 16,384 cells ("memory allocation failed", an abort)
    path = write_xlsx(tmp_path / "far.xlsx", '<row r="999999"><c r="XFD999999"><v>1</v></c></row>')
    with pytest.raises(UnreadableFileError, match="spans 16,383,983,616 cells"):
        open_spreadsheet(path)


def test_a_cell_with_two_references_is_refused_before_calamine_allocates(tmp_path: Path) -> None:
    # calamine takes the last reference, and would allocate the whole sheet to place it
    path = write_xlsx(
        tmp_path / "twice.xlsx", '<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>'
    )
    assert refusal(path) == (
        f"{path} is not imported: its sheet xl/worksheets/sheet1.xml cannot be read safely "
        '(the tag <c r="A1" r="XFD1048576"> gives the attribute r twice); open it in Excel and '
        "save it again"
    )


def test_a_row_tag_in_a_comment_is_refused_as_calamine_skips_it(tmp_path: Path) -> None:
    rows = '<row r="50"><c r="A50"><v>1</v></c><!-- <row r="1"> --><c><v>2</v></c></row>'
    path = write_xlsx(tmp_path / "comment.xlsx", rows)
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    assert book.get_sheet_by_name("Sheet1").end == (49, 1)  # row 50, where the scan saw row 1
    assert refusal(path) == (
        f"{path} is not imported: its sheet xl/worksheets/sheet1.xml cannot be read safely "
        '(it holds a comment, CDATA section or processing instruction (<!-- <row r="1">…)); '
        "open it in Excel and save it again"
    )


def test_a_panic_of_calamine_is_an_unreadable_file(tmp_path: Path) -> None:
    # Past the guard (here switched off), a cell far out makes calamine panic ("capacity
    # overflow"): pyo3's PanicException is a BaseException. In a child process, should
    # calamine abort instead.
    far = column_letter(2**31) + str(2**31)
    path = write_xlsx(
        tmp_path / "far.xlsx", HEADER + f'<row r="{2**31}"><c r="{far}"><v>1</v></c></row>'
    )
    with pytest.raises(UnreadableFileError, match="not a cell's"):
        open_spreadsheet(path)  # what the guard says of it
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from isms_desktop.reports import spreadsheet_reader as reader\n"
        "from isms_desktop.reports.spreadsheet_guard import ZipReport, UnreadableFileError\n"
        "reader.check_zip = lambda path: ZipReport('xlsx')\n"
        "try:\n"
        "    reader.open_spreadsheet(Path(sys.argv[1])).sheet()\n"
        "except UnreadableFileError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == f"{path}: sheet 'Sheet1' cannot be read (capacity overflow)\n"


def test_a_cell_of_50_mb_is_read_in_bounded_time(tmp_path: Path) -> None:
    big = '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "x" * 50 * 2**20 + "</t></is></c></row>"
    path = write_xlsx(tmp_path / "cell.xlsx", HEADER + big, compression=zipfile.ZIP_STORED)
    start = time.perf_counter()
    rows = open_spreadsheet(path).sheet().rows
    assert len(rows[1][0]) == 50 * 2**20  # the importer refuses it, naming row and column
    assert time.perf_counter() - start < 60


def test_an_encrypted_office_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "secret.xlsx"
    body = bytearray(4096)
    body[1024 : 1024 + 32] = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(OLE_MAGIC + bytes(body))
    with pytest.raises(UnreadableFileError, match="password"):
        open_spreadsheet(path)


def test_a_damaged_or_foreign_zip_is_refused(tmp_path: Path) -> None:
    cut = tmp_path / "cut.xlsx"
    good = write_xlsx(tmp_path / "good.xlsx", HEADER).read_bytes()
    cut.write_bytes(good[: len(good) // 2])
    with pytest.raises(UnreadableFileError, match="damaged"):
        open_spreadsheet(cut)
    other = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(UnreadableFileError, match="not a spreadsheet"):
        open_spreadsheet(other)
    xlsb = tmp_path / "binary.xlsx"
    with zipfile.ZipFile(xlsb, "w") as zf:
        zf.writestr("xl/workbook.bin", "x")
    with pytest.raises(UnreadableFileError, match="xlsb"):
        open_spreadsheet(xlsb)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFileError, match="empty"):
        open_spreadsheet(empty)


def test_overlapping_merged_ranges_are_refused_before_they_take_hours_to_fill(
    tmp_path: Path,
) -> None:
    # merged ranges of a real sheet do not overlap; 2,000 copies of the whole sheet's range
    # (the guard lets up to 100,000 through) would have the reader fill 10,000 cells each
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
    rows += '<row r="1000"><c r="J1000"><v>1</v></c></row>'
    merges = "".join('<mergeCell ref="A1:J1000"/>' for _ in range(2_000))
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData>'
        f'<mergeCells count="2000">{merges}</mergeCells></worksheet>'
    )
    path = tmp_path / "merged.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    book = open_spreadsheet(path)
    try:
        with pytest.raises(UnreadableFileError, match="merged cells that overlap"):
            book.sheet()
    finally:
        book.close()
    # one merge of the same range is read as the user sees it
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    once = sheet.replace(merges, '<mergeCell ref="A1:B2"/>').replace('count="2000"', 'count="1"')
    parts["xl/worksheets/sheet1.xml"] = once.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    book = open_spreadsheet(path)
    try:
        assert book.sheet().rows[1][:2] == ["Name", "Name"]
    finally:
        book.close()


def test_merged_ranges_written_backwards_do_not_raise_the_fill_budget(tmp_path: Path) -> None:
    # "A1000:J1" (first row after the last) counted a negative number of cells: 2,000 of them
    # let 2,000 copies of the whole sheet's range through again (20 million cells to fill)
    rows = HEADER + '<row r="1000"><c r="A1000" t="inlineStr"><is><t>x</t></is></c>'
    rows += '<c r="J1000"><v>1</v></c></row>'
    backwards = '<mergeCell ref="A1000:J1"/>'
    merges = backwards * 2_000 + '<mergeCell ref="A1:J1000"/>' * 2_000
    path = tmp_path / "backwards.xlsx"
    write_xlsx(path, rows, after=f'<mergeCells count="4000">{merges}</mergeCells>')
    book = open_spreadsheet(path)
    try:
        started = time.perf_counter()
        with pytest.raises(UnreadableFileError, match="merged cells that overlap"):
            book.sheet()
        assert time.perf_counter() - started < 2
    finally:
        book.close()
    # a range written backwards alone fills nothing, as before
    write_xlsx(path, rows, after=f'<mergeCells count="1">{backwards}</mergeCells>')
    book = open_spreadsheet(path)
    try:
        grid = book.sheet().rows
        assert grid[0] == ["Name"] and grid[999][:2] == ["x", None]
    finally:
        book.close()

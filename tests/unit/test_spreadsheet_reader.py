"""Reading spreadsheets into grids, finding the header row and matching columns to fields."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.reports import spreadsheet_reader as reader
from isms_desktop.reports.spreadsheet_guard import UnreadableFileError
from isms_desktop.reports.spreadsheet_reader import (
    column_letter,
    find_header_row,
    map_columns,
    match_header,
    normalise_header,
    open_spreadsheet,
    parse_mapping,
)


def with_cached_values(path: Path, values: dict[str, str]) -> None:
    """Give formula cells a cached result, as Excel saves them (openpyxl writes none)."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, text in values.items():
        xml = re.sub(
            rf'<c r="{ref}"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?',
            rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{text}</v>',
            xml,
        )
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_headers_are_compared_without_case_spaces_line_breaks_or_punctuation() -> None:
    assert normalise_header("  Asset /\nArea ") == "asset area"
    assert normalise_header("Likelihood\u00a0(1–5)") == "likelihood 1 5"
    assert normalise_header("APPLICABLE?") == "applicable"


@pytest.mark.parametrize(
    ("register", "header", "field"),
    [
        ("risks", "Risk ID", "code"),
        ("risks", "Asset / Area", "assets"),
        ("risks", "Likelihood (1–5)", "inherent_likelihood"),
        ("risks", "Residual\nLikelihood (1-5)", "residual_likelihood"),
        ("risks", "Control Ref", "controls"),
        ("risks", "RISK  OWNER", "owner"),
        ("risks", "Treatment Option", "treatment"),
        ("soa", "Applicable?", "applicable"),
        ("soa", "Control Ref", "code"),
        ("soa", "Justification for exclusion", "justification"),
        ("assets", "Asset owner", "owner"),
        ("assets", "Asset ID", "code"),
        ("treatment", "Risk ID", "risks"),
        ("assets", "Clasification", "classification"),  # misspelt: close enough
    ],
)
def test_common_foreign_headers_name_their_fields(register: str, header: str, field: str) -> None:
    hit = match_header(SPECS[register], header)
    assert hit is not None and hit[1] == field


def test_unrelated_headers_match_nothing() -> None:
    for header in ("Notes", "Colour", "", "x", None, 3):
        assert match_header(SPECS["risks"], header) is None


def test_the_header_row_is_found_below_title_rows(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Risk Register 2026"
    ws["A2"] = "Prepared by the ISO officer"
    ws.append([])
    ws.append(["Risk ID", "Risk Description", "Likelihood", "Impact", "Notes"])
    ws.append(["R1", "Fire", 2, 3, "x"])
    wb.save(path)
    sheet = open_spreadsheet(path).sheet()
    assert find_header_row(SPECS["risks"], sheet) == 4
    columns = map_columns(SPECS["risks"], sheet.rows[3])
    assert [c.field for c in columns] == [
        "code",
        "title",
        "inherent_likelihood",
        "inherent_impact",
        None,
    ]
    assert columns[4].how == "not a field of this register"
    assert columns[4].letter == "E"


def test_a_field_named_twice_is_filled_by_the_better_column() -> None:
    columns = map_columns(SPECS["risks"], ["Owner", "Risk owner", "Risk"])
    assert [c.field for c in columns] == [None, "owner", "title"]
    assert "column B" in columns[0].how


def test_computed_columns_are_recognised_and_ignored() -> None:
    columns = map_columns(SPECS["risks"], ["Code", "Risk level"])
    assert columns[1].field is None
    assert "automatically" in columns[1].how


def test_map_overrides_and_ignores_columns() -> None:
    mapping = parse_mapping(["Ref No.=code", "Bezeichnung=Risk", "Likelihood="])
    columns = map_columns(SPECS["risks"], ["Ref No.", "Bezeichnung", "Likelihood"], mapping)
    assert [c.field for c in columns] == ["code", "title", None]
    with pytest.raises(BadArgumentsError, match="no field"):
        map_columns(SPECS["risks"], ["X"], parse_mapping(["X=colour"]))
    with pytest.raises(BadArgumentsError, match="does not have"):
        map_columns(SPECS["risks"], ["X"], parse_mapping(["Y=code"]))
    with pytest.raises(BadArgumentsError, match="Header=field"):
        parse_mapping(["no equals sign"])


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_xlsx_cells_formulas_dates_and_merged_ranges(tmp_path: Path) -> None:
    path = tmp_path / "cells.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Code", "Date", "Number", "Category"])
    ws.append(["R1", dt.date(2026, 3, 31), 3, "Technical"])
    ws.append(["R2", dt.datetime(2026, 4, 1, 9, 30), 2.5, None])
    ws.append(["R3", None, "=B2*2", None])
    ws.merge_cells("D2:D4")
    wb.save(path)
    with_cached_values(path, {"C4": "6"})
    book = open_spreadsheet(path)
    assert book.kind == "xlsx" and book.sheet_names == ["Data"]
    rows = book.sheet("data").rows  # sheet names ignore case
    assert rows[1] == ["R1", dt.date(2026, 3, 31), 3, "Technical"]
    assert rows[2][1] == dt.datetime(2026, 4, 1, 9, 30)
    assert rows[2][2] == 2.5
    assert rows[2][3] == "Technical" and rows[3][3] == "Technical"  # merged: filled
    assert rows[3][2] == "6"  # the formula's cached value, never the formula
    with pytest.raises(BadArgumentsError, match="no sheet 'Other'"):
        book.sheet("Other")
    assert book.sheet("1").name == "Data"  # by number


def test_xls_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Risks")
    for col, header in enumerate(["Risk ID", "Risk", "Due"]):
        ws.write(0, col, header)
    ws.write(1, 0, "R1")
    ws.write(1, 1, "Flood")
    style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    ws.write(1, 2, dt.date(2026, 5, 1), style)
    ws.write_merge(2, 3, 1, 1, "Merged")
    ws.write(2, 0, "R2")
    ws.write(3, 0, "R3")
    wb.save(str(path))
    book = open_spreadsheet(path)
    assert book.kind == "xls"
    rows = book.sheet().rows
    assert rows[0] == ["Risk ID", "Risk", "Due"]
    assert rows[1][0] == "R1"
    assert rows[1][2] in (dt.date(2026, 5, 1), dt.datetime(2026, 5, 1))
    assert rows[3][1] == "Merged"


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Assets">
<table:table-row>
 <table:table-cell office:value-type="string"><text:p>Asset ID</text:p></table:table-cell>
 <table:table-cell office:value-type="string"><text:p>Asset</text:p></table:table-cell>
 <table:table-cell office:value-type="string"><text:p>Type</text:p></table:table-cell>
</table:table-row>
<table:table-row>
 <table:table-cell office:value-type="string"><text:p>A1</text:p></table:table-cell>
 <table:table-cell office:value-type="string"><text:p>Laptop</text:p></table:table-cell>
 <table:table-cell table:number-rows-spanned="2" office:value-type="string">
  <text:p>Hardware</text:p></table:table-cell>
</table:table-row>
<table:table-row>
 <table:table-cell office:value-type="string"><text:p>A2</text:p></table:table-cell>
 <table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell>
 <table:covered-table-cell/>
</table:table-row>
<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>
"""


def write_ods(path: Path, content: str = ODS_CONTENT) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", re.sub(r">\s+<", "><", content))
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )


def test_ods_files_are_read_with_merged_cells_and_repeated_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "assets.ods"
    write_ods(path)
    book = open_spreadsheet(path)
    assert book.kind == "ods" and book.sheet_names == ["Assets"]
    rows = book.sheet().rows
    assert rows == [
        ["Asset ID", "Asset", "Type"],
        ["A1", "Laptop", "Hardware"],
        ["A2", 7, "Hardware"],
    ]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-16", "\t"), ("utf-8", "|")],
)
def test_csv_encoding_and_delimiter_are_detected(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = tmp_path / "people.csv"
    lines = [["Name", "Role", "E-mail"], ["Zoë Müller", "CISO; deputy", "z@x.eu"], ["Ann", "", ""]]
    text = "\r\n".join(
        delimiter.join(f'"{v}"' if delimiter in v or ";" in v else v for v in line)
        for line in lines
    )
    path.write_bytes(text.encode(encoding))
    book = open_spreadsheet(path)
    assert book.kind == "csv"
    rows = book.sheet().rows
    assert rows[0] == ["Name", "Role", "E-mail"]
    assert rows[1] == ["Zoë Müller", "CISO; deputy", "z@x.eu"]
    assert rows[2] == ["Ann"]


def test_a_file_that_is_no_spreadsheet_is_refused(tmp_path: Path) -> None:
    png = tmp_path / "picture.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    with pytest.raises(UnreadableFileError, match="not a spreadsheet"):
        open_spreadsheet(png)
    binary = tmp_path / "data.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(UnreadableFileError, match="not a spreadsheet"):
        open_spreadsheet(binary)
    with pytest.raises(BadArgumentsError, match="no such file"):
        open_spreadsheet(tmp_path / "missing.xlsx")


cell_values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(cell_values, max_size=8), max_size=12))
def test_any_sheet_reads_back_and_maps_without_crashing(
    tmp_path: Path, grid: list[list[object]]
) -> None:
    path = tmp_path / "random.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in grid:
        ws.append(
            [
                v if not isinstance(v, str) else re.sub(r"[\x00-\x1f]", "", v).lstrip("=")
                for v in row
            ]
        )
    wb.save(path)
    book = open_spreadsheet(path)
    sheet = book.sheet()
    assert len(sheet.rows) <= len(grid)
    for spec in (SPECS["risks"], SPECS["context"]):
        header = find_header_row(spec, sheet)
        if header is not None:
            columns = map_columns(spec, sheet.rows[header - 1])
            named = [c.field for c in columns if c.field]
            assert len(named) == len(set(named))  # no field is filled twice
    book.close()


@settings(max_examples=300, deadline=None)
@given(
    spec=st.sampled_from(sorted(SPECS)),
    text=st.one_of(
        st.text(alphabet="abcdeilnorstk ", min_size=4, max_size=60),
        st.builds(lambda h, tail: h + tail, st.sampled_from(["likelihood", "risk owner",
                  "residual impact", "acceptance note"]), st.text(alphabet="sx ", max_size=8)),
    ),
)  # fmt: skip
def test_long_cells_skip_only_what_difflib_would_not_match(spec: str, text: str) -> None:
    """A header cell too long to be a close spelling of any name is not given to difflib:
    difflib would have found no match for it either."""
    names = reader._names(SPECS[spec])
    key = reader._stripped(text)
    if not reader._may_be_close(len(key), names.longest):
        assert (
            difflib.get_close_matches(key, list(names.fuzzy), n=1, cutoff=reader._FUZZY_CUTOFF)
            == []
        )
    assert names.longest == max(len(n) for n in names.fuzzy)

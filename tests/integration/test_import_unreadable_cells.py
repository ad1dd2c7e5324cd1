"""Cells an import cannot read as the user sees them are named, and nothing is imported: a
formula whose result was never saved (an .xlsx a program wrote and no one saved in Excel), a
quote left open in a CSV file."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from isms_desktop.domain.errors import RejectedInputError
from isms_desktop.reports import spreadsheet_guard, xlsx_import
from isms_desktop.reports.spreadsheet_guard import UnreadableFileError
from isms_desktop.reports.xlsx_import import import_file
from isms_desktop.services import registers
from isms_desktop.storage.project_file import Project, open_project

HEADERS = ["Asset ID", "Asset", "Type", "Classification", "Notes"]


def assets_sheet(path: Path, rows: list[list[Any]], title: str = "Assets") -> Path:
    """An asset register as a script writes it (openpyxl saves no formula results)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def give_results(path: Path, results: dict[str, str], text: bool = False) -> None:
    """Save the results of these formula cells, as Excel and LibreOffice do."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode()
    kind = ' t="str"' if text else ""
    for ref, value in results.items():
        xml, done = re.subn(
            rf'<c r="{ref}"><f>([^<]*)</f><v\s*/?>(?:</v>)?',
            rf'<c r="{ref}"{kind}><f>\1</f><v>{value}</v>',
            xml,
        )
        assert done == 1, ref
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)


def assets(project: Project) -> list[dict[str, Any]]:
    return [r.values for r in registers.list_rows(project, "assets")]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "isms_desktop", *args], capture_output=True, text=True, timeout=120
    )


# --- formulas whose result was never saved ---------------------------------------------------


def test_a_formula_without_its_result_is_named_and_nothing_is_imported(
    demo_path: Path, tmp_path: Path
) -> None:
    path = assets_sheet(
        tmp_path / "generated.xlsx",
        [
            ["A-901", "Laptop pool", "hardware", "internal"],
            ["A-902", '="Server "&A3', "hardware", "=D2"],  # the name is required
            ["A-903", "Wiki", "software", "internal", "=1+1"],  # Notes: not imported
        ],
    )
    with open_project(demo_path) as project:
        before = assets(project)
        result = import_file(project, "assets", path)
        assert assets(project) == before
    assert not result.written
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (3, "B (Asset)", '="Server "&A3'),
        (3, "D (Classification)", "=D2"),
    ]
    reason = result.problems[0].reason
    assert reason.startswith("cell B3 of sheet 'Assets' holds a formula whose result was never")
    assert "open the file in Excel or LibreOffice and save it" in reason
    assert "paste the values" in reason
    assert result.problems[1].reason.startswith("cell D3 of sheet 'Assets' holds a formula")
    assert not any("required" in p.reason or "must" in p.reason for p in result.problems)
    assert result.summary() == "2 problems in generated.xlsx; nothing was imported"


def test_a_formula_with_its_saved_result_imports_the_result(
    demo_path: Path, tmp_path: Path
) -> None:
    path = assets_sheet(
        tmp_path / "saved.xlsx",
        [
            ["A-901", '="Server "&1', "hardware", "=D4", "=1+1"],
            ["A-902", "Wiki", "software", '=""'],  # its result is empty: as an empty cell
            ["A-903", "Mail", "service", "internal"],
        ],
    )
    give_results(path, {"B2": "Server 1", "D2": "internal", "D3": ""}, text=True)
    give_results(path, {"E2": "2"})
    with open_project(demo_path) as project:
        result = import_file(project, "assets", path)
        assert result.problems == () and result.created == 3
        first = registers.get(project, "assets", "A-901").values
        assert first["name"] == "Server 1" and first["classification"] == "internal"
        assert registers.get(project, "assets", "A-902").values["classification"] in ("", None)


def test_many_such_cells_are_listed_up_to_a_limit_and_the_rest_counted(
    demo_path: Path, tmp_path: Path
) -> None:
    rows = [[f"A-9{n:02d}", f'="Asset "&{n}', "hardware", "internal"] for n in range(30)]
    path = assets_sheet(tmp_path / "many.xlsx", rows)
    with open_project(demo_path) as project:
        before = assets(project)
        result = import_file(project, "assets", path)
        assert assets(project) == before
    limit = xlsx_import.MAX_FORMULA_PROBLEMS
    listed, rest = result.problems[:limit], result.problems[limit:]
    assert [p.row for p in listed] == list(range(2, 2 + limit))
    assert all("holds a formula whose result was never saved" in p.reason for p in listed)
    assert len(rest) == 1 and (rest[0].row, rest[0].column) == (2 + limit, "B (Asset)")
    assert rest[0].reason.startswith(f"and {30 - limit} more cells from here on hold formulas")
    # the rows counted are not checked further: no "required" problem for their empty names
    assert not any("required" in p.reason for p in result.problems)


def test_a_row_of_formulas_alone_is_not_skipped_as_empty(demo_path: Path, tmp_path: Path) -> None:
    # calamine gives no row for it at all: it has no value
    path = assets_sheet(
        tmp_path / "last.xlsx",
        [["A-901", "Laptop", "hardware"], ['="A-"&902', '="Disk"', '="hard"&"ware"']],
    )
    with open_project(demo_path) as project:
        result = import_file(project, "assets", path)
    assert [(p.row, p.column[0]) for p in result.problems] == [(3, "A"), (3, "B"), (3, "C")]
    assert not result.written


def test_a_formula_in_the_header_row_is_named(demo_path: Path, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Asset ID", '="As"&"set"', "Type"])
    wb.active.append(["A-901", "Laptop", "hardware"])
    wb.save(tmp_path / "header.xlsx")
    with open_project(demo_path) as project, pytest.raises(RejectedInputError) as refused:
        import_file(project, "assets", tmp_path / "header.xlsx", header_row=1)
    message = str(refused.value)
    assert "header row 1" in message and "cell B1 of sheet 'Sheet'" in message
    assert "never saved" in message


def test_a_header_row_of_formulas_is_explained_when_none_is_found(
    demo_path: Path, tmp_path: Path
) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(['="Asset"&" ID"', '="Asset"', '="Type"'])
    wb.active.append(["A-901", "Laptop", "hardware"])
    wb.save(tmp_path / "headers.xlsx")
    with open_project(demo_path) as project, pytest.raises(Exception) as refused:
        import_file(project, "assets", tmp_path / "headers.xlsx")
    message = str(refused.value)
    assert "no header row found" in message
    assert "3 of the cells there, such as A1, hold formulas whose results were never saved" in (
        message
    )


def test_too_many_such_cells_refuse_the_sheet_with_one_message(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spreadsheet_guard, "MAX_UNSAVED", 5)
    rows = [[f"A-9{n:02d}", f'="Asset "&{n}', "hardware"] for n in range(8)]
    path = assets_sheet(tmp_path / "lots.xlsx", rows)
    with open_project(demo_path) as project, pytest.raises(RejectedInputError) as refused:
        import_file(project, "assets", path)
    message = str(refused.value)
    assert "sheet 'Assets': more than 5 cells hold formulas whose results were never saved" in (
        message
    )
    assert "(the first is B2)" in message and str(path) in message


def test_the_command_line_names_file_sheet_row_and_column(demo_path: Path, tmp_path: Path) -> None:
    path = assets_sheet(
        tmp_path / "script.xlsx", [["A-901", '=UPPER("laptop")', "hardware", "internal"]]
    )
    done = cli("import", str(demo_path), "--register", "assets", "--from", str(path))
    assert done.returncode == 3, done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("note: ")]
    assert lines[0].startswith(
        f"{path}: row 2, column B (Asset): cell B2 of sheet 'Assets' holds a formula whose "
        "result was never saved"
    )
    assert lines[0].endswith("""(value '=UPPER("laptop")')""")
    assert lines[-1] == (
        f"isms-desktop: 1 problem in {path} (sheet 'Assets'); nothing was imported"
    )
    assert "Traceback" not in done.stderr
    with open_project(demo_path, read_only=True) as project:
        assert registers.list_rows(project, "assets", text="A-901") == []


# --- CSV: a quote left open ------------------------------------------------------------------


def test_a_quote_left_open_in_a_csv_file_is_named_and_nothing_imported(
    demo_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "assets.csv"
    path.write_text(
        'Asset ID,Asset,Type\r\nA-901,"Laptop, pool",hardware\r\nA-902,"Server,hardware\r\n'
        "A-903,Wiki,software\r\n",
        encoding="utf-8",
    )
    with open_project(demo_path) as project:
        before = assets(project)
        with pytest.raises(UnreadableFileError) as refused:
            import_file(project, "assets", path)
        assert assets(project) == before
    message = str(refused.value)
    assert message.startswith(f'{path}, line 3, value 2 (column B): a quote (") opens a value')
    assert "never closed" in message and "'Server,hardware A-903,Wiki,software'" in message
    done = cli("import", str(demo_path), "--register", "assets", "--from", str(path))
    assert done.returncode == 4
    assert "line 3, value 2 (column B)" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1

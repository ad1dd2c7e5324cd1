"""An .ods file whose formulas have no saved result (written by a script, never opened in
LibreOffice) is refused like such an .xlsx: each cell named by file, sheet, row and column,
and nothing imported. The same file saved by LibreOffice imports the results."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from isms_desktop.reports.xlsx_import import import_file
from isms_desktop.services import registers
from isms_desktop.storage.project_file import open_project

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed"
)

ROWS = [
    ["Asset ID", "Asset", "Type", "Classification", "Notes"],
    ["A-901", "Laptop pool", "hardware", "internal"],
    ["A-902", '=UPPER("server ")&A3', "hardware", "=D2"],
    ["A-903", "Wiki", "software", "internal", '=""'],
]


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An asset register saved as .ods by LibreOffice (which saves every formula's result)."""
    folder = tmp_path_factory.mktemp("ods")
    source = folder / "assets.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Assets"
    for row in ROWS:
        sheet.append(row)
    book.save(source)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(folder), "PATH": "/usr/bin:/bin"},
    )
    out = folder / "assets.ods"
    if not out.exists():
        pytest.skip("LibreOffice could not write an .ods file")
    return out


def without_results(saved: Path, target: Path) -> Path:
    """The file as a script writes it: each formula cell without its type, value and text."""
    with zipfile.ZipFile(saved) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(target, "w") as out:
        for info, data in parts:
            if info.filename == "content.xml":
                text = data.decode()
                text, count = re.subn(
                    r'<table:table-cell( table:formula="[^"]*")[^>]*>.*?</table:table-cell>',
                    r"<table:table-cell\1/>",
                    text,
                )
                assert count == 3, text
                data = text.encode()
            out.writestr(info, data)
    return target


def test_libreoffice_saves_the_results_and_they_are_imported(
    demo_path: Path, saved_by_libreoffice: Path
) -> None:
    with open_project(demo_path) as project:
        result = import_file(project, "assets", saved_by_libreoffice)
        assert result.problems == () and result.created == 3
        assert registers.get(project, "assets", "A-902").values["name"] == "SERVER A-902"
        assert registers.get(project, "assets", "A-902").values["classification"] == "internal"


def test_unsaved_formulas_are_named_and_nothing_is_imported(
    demo_path: Path, saved_by_libreoffice: Path, tmp_path: Path
) -> None:
    path = without_results(saved_by_libreoffice, tmp_path / "generated.ods")
    with open_project(demo_path) as project:
        before = [r.values for r in registers.list_rows(project, "assets")]
        result = import_file(project, "assets", path)
        assert [r.values for r in registers.list_rows(project, "assets")] == before
    assert not result.written
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (3, "B (Asset)", '=UPPER("server ")&A3'),
        (3, "D (Classification)", "=D2"),
    ]
    assert result.problems[0].reason.startswith(
        "cell B3 of sheet 'Assets' holds a formula whose result was never saved"
    )
    assert "open the file in Excel or LibreOffice and save it" in result.problems[0].reason


def test_the_command_line_names_file_sheet_row_and_column(
    demo_path: Path, saved_by_libreoffice: Path, tmp_path: Path
) -> None:
    path = without_results(saved_by_libreoffice, tmp_path / "script.ods")
    before = demo_path.read_bytes()
    command = ["import", str(demo_path), "--register", "assets", "--from", str(path)]
    done = subprocess.run(
        [sys.executable, "-m", "isms_desktop", *command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("note: ")]
    assert lines[0].startswith(
        f"{path}: row 3, column B (Asset): cell B3 of sheet 'Assets' holds a formula whose "
        "result was never saved"
    )
    assert lines[1].startswith(f"{path}: row 3, column D (Classification): cell D3 of sheet")
    assert lines[-1] == f"isms-desktop: 2 problems in {path} (sheet 'Assets'); nothing was imported"
    assert "Traceback" not in done.stderr
    assert demo_path.read_bytes() == before

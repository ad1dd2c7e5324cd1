"""File ▸ Import from Spreadsheet…: mapping preview, dry run first, problems as a table."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from gui_helpers import Dialogs
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from isms_desktop.reports.xlsx_export import export_workbook
from isms_desktop.services import registers
from isms_desktop.storage.project_file import open_project
from isms_desktop.ui.io.import_dialog import ImportDialog
from isms_desktop.ui.main_window import MainWindow


@pytest.fixture
def demo_window(window: MainWindow, template_demo: Path, tmp_path: Path) -> MainWindow:
    path = tmp_path / "Demo.isms"
    shutil.copyfile(template_demo, path)
    assert window.open_path(path)
    return window


@pytest.fixture(scope="module")
def exported(template_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("io") / "demo.xlsx"
    with open_project(template_demo, read_only=True) as project:
        export_workbook(project, out, ["risks", "assets"])
    return out


def _edited(exported: Path, target: Path, cells: dict[str, object]) -> Path:
    """A copy of the exported workbook with these cells of its Risks sheet changed."""
    wb = openpyxl.load_workbook(exported)
    for cell, value in cells.items():
        wb["Risks"][cell] = value
    wb.save(target)
    return target


def _dialog(qtbot: QtBot, window: MainWindow) -> ImportDialog:
    assert window.project is not None
    dialog = ImportDialog(window.project, window)
    qtbot.addWidget(dialog)
    return dialog


def test_check_then_import_an_edited_sheet(
    qtbot: QtBot, demo_window: MainWindow, exported: Path, tmp_path: Path, dialogs: Dialogs
) -> None:
    edited = _edited(exported, tmp_path / "edited.xlsx", {"B2": "Renamed in Excel"})
    dialog = _dialog(qtbot, demo_window)
    assert not dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()
    dialog.set_file(edited, register="risks")
    assert dialog.plan is not None and dialog.plan.sheet == "Risks"
    assert dialog.columns.rowCount() == 25
    combo = dialog.columns.cellWidget(1, dialog.COL_FIELD)
    assert isinstance(combo, QComboBox) and combo.currentData() == "title"
    assert "Renamed in Excel" in dialog.columns.item(1, dialog.COL_PREVIEW).text()
    assert not dialog.import_button.isEnabled()  # a check comes first
    dialog.check()
    assert dialog.problems.rowCount() == 0
    assert dialog.import_button.isEnabled()
    dialog.grab().save(str(tmp_path / "import-dialog.png"))
    dialog.do_import()
    assert dialog.imported
    assert dialogs.kinds() == ["information"]
    assert demo_window.project is not None
    risk = registers.get(demo_window.project, "risks", "R-001")
    assert risk.values["title"] == "Renamed in Excel"
    assert "Edit ▸ Undo takes the import back" in dialogs.shown[-1][2]
    # Edit ▸ Undo takes the import back, Redo makes it again
    stack = demo_window.undo_stack
    assert dialog.plan is not None
    assert stack.canUndo()
    assert stack.undoText() == f"Import of {len(dialog.plan.rows)} rows into Risks"
    stack.undo()
    title = registers.get(demo_window.project, "risks", "R-001").values["title"]
    assert title != "Renamed in Excel"
    stack.redo()
    title = registers.get(demo_window.project, "risks", "R-001").values["title"]
    assert title == "Renamed in Excel"


def test_problems_are_listed_and_block_the_import(
    qtbot: QtBot, demo_window: MainWindow, exported: Path, tmp_path: Path
) -> None:
    edited = _edited(exported, tmp_path / "bad.xlsx", {"L2": "Often", "L3": 9})
    dialog = _dialog(qtbot, demo_window)
    dialog.set_file(edited, register="risks")
    dialog.check()
    assert dialog.problems.rowCount() == 2
    cells = [dialog.problems.item(0, c).text() for c in range(4)]
    assert cells[:3] == ["2", "L (Likelihood)", "Often"]
    assert "Likelihood must be one of" in cells[3]
    assert not dialog.import_button.isEnabled()
    assert "nothing was imported" in dialog.summary.text()
    dialog.grab().save(str(tmp_path / "import-problems.png"))
    # Not importing the column makes the sheet acceptable.
    row = next(
        r
        for r in range(dialog.columns.rowCount())
        if dialog.columns.item(r, 1).text() == "Likelihood"
    )
    combo = dialog.columns.cellWidget(row, dialog.COL_FIELD)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(0)
    assert dialog.plan is not None
    assert "inherent_likelihood" not in {c.field for c in dialog.plan.mapped}
    dialog.check()
    assert dialog.problems.rowCount() == 0 and dialog.import_button.isEnabled()


def test_an_unreadable_file_is_explained(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    bad = tmp_path / "photo.xlsx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    dialog = _dialog(qtbot, demo_window)
    dialog.set_file(bad)
    assert "not a spreadsheet" in dialog.summary.text()
    assert not dialog.check_button.isEnabled()


def test_a_file_that_fails_to_open_leaves_nothing_of_the_one_before(
    qtbot: QtBot, demo_window: MainWindow, exported: Path, tmp_path: Path
) -> None:
    """Check must not check the earlier file after another failed to open."""
    dialog = _dialog(qtbot, demo_window)
    dialog.set_file(exported, register="risks")
    dialog.check()
    assert dialog.import_button.isEnabled() and dialog.columns.rowCount() > 0
    bad = tmp_path / "photo.xlsx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    dialog.set_file(bad)
    assert "not a spreadsheet" in dialog.summary.text()
    assert dialog.plan is None and dialog.columns.rowCount() == 0
    assert not dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()


def test_the_register_is_taken_from_the_sheet_names(
    qtbot: QtBot, demo_window: MainWindow, template_demo: Path, exported: Path, tmp_path: Path
) -> None:
    """A workbook of the risks alone (File ▸ Export with only Risks ticked: Cover and Risks)
    is read as risks, not as the first register of the list (which found no header on Cover)."""
    only_risks = tmp_path / "risks.xlsx"
    with open_project(template_demo, read_only=True) as project:
        export_workbook(project, only_risks, ["risks"])
    assert openpyxl.load_workbook(only_risks, read_only=True).sheetnames == ["Cover", "Risks"]
    dialog = _dialog(qtbot, demo_window)
    assert dialog.register() == "context"  # the first of the list
    dialog.set_file(only_risks)
    assert dialog.register() == "risks"
    assert dialog.plan is not None and dialog.plan.sheet == "Risks"
    assert dialog.check_button.isEnabled()
    # the register chosen stays chosen when the workbook has its sheet (Assets and Risks)
    dialog.set_file(exported)
    assert dialog.register() == "risks"
    dialog.register_combo.setCurrentIndex(dialog.register_combo.findData("context"))
    dialog.set_file(exported)
    assert dialog.register() == "assets"  # no Context sheet: the first it has


def test_messages_name_the_dialog_controls_not_command_line_options(
    qtbot: QtBot, demo_window: MainWindow, exported: Path, tmp_path: Path
) -> None:
    edited = _edited(exported, tmp_path / "unknown-asset.xlsx", {"D3": "A-001, A-999"})
    dialog = _dialog(qtbot, demo_window)
    dialog.set_file(edited, register="risks")
    dialog.check()
    assert dialog.problems.rowCount() == 1
    reason = dialog.problems.item(0, 3).text()
    assert reason == (
        "Assets: there is no assets record 'A-999' "
        '(tick "Create the people, assets and other records rows refer to" to create it)'
    )
    assert dialog.create_missing.text() in reason
    assert "--" not in dialog.summary.text()

    dialog.register_combo.setCurrentIndex(dialog.register_combo.findData("context"))
    dialog.sheet_combo.setCurrentIndex(dialog.sheet_combo.findData("Cover"))
    text = dialog.summary.text()
    assert "no header row found" in text and "Cover" in text
    assert "choose the sheet or the header row above" in text
    assert "--" not in text
    dialog.header_spin.setValue(500)
    assert "header row 500 is beyond them" in dialog.summary.text()
    assert "--" not in dialog.summary.text()


def test_a_formula_without_its_result_and_an_open_quote_are_explained(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    """The dialog lists what the command line reports: the cell, and why, and how to fix it."""
    generated = tmp_path / "generated.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Assets"
    wb.active.append(["Asset ID", "Asset", "Type"])
    wb.active.append(["A-901", '="Laptop "&1', "hardware"])  # openpyxl saves no result
    wb.save(generated)
    dialog = _dialog(qtbot, demo_window)
    dialog.set_file(generated, register="assets")
    assert '="Laptop "&1' in dialog.columns.item(1, dialog.COL_PREVIEW).text()
    dialog.check()
    assert dialog.problems.rowCount() == 1
    cells = [dialog.problems.item(0, c).text() for c in range(4)]
    assert cells[:3] == ["2", "B (Asset)", '="Laptop "&1']
    assert cells[3].startswith("cell B2 of sheet 'Assets' holds a formula whose result was never")
    assert "open the file in Excel or LibreOffice and save it" in cells[3]
    assert not dialog.import_button.isEnabled()
    assert "nothing was imported" in dialog.summary.text()

    open_quote = tmp_path / "assets.csv"
    open_quote.write_text('Asset ID,Asset,Type\nA-901,"Laptop,hardware\nA-902,Disk,hardware\n')
    dialog = _dialog(qtbot, demo_window)
    dialog.set_file(open_quote)
    text = dialog.summary.text()
    assert "line 2, value 2 (column B)" in text and "never closed" in text
    assert not dialog.check_button.isEnabled()

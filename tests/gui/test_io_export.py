"""File ▸ Export ▸ Excel Workbook…: the export runs off the GUI thread, with progress and Cancel."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from gui_helpers import Dialogs
from pytestqt.qtbot import QtBot

from isms_desktop.ui.io.export_dialog import ExportDialog
from isms_desktop.ui.main_window import MainWindow


@pytest.fixture
def demo_window(window: MainWindow, template_demo: Path, tmp_path: Path) -> MainWindow:
    path = tmp_path / "Demo.isms"
    shutil.copyfile(template_demo, path)
    assert window.open_path(path)
    return window


def test_the_menu_action_follows_the_project(window: MainWindow, demo_window: MainWindow) -> None:
    assert demo_window.export_excel_action.isEnabled()
    assert demo_window.import_action.isEnabled()
    demo_window.close_project()
    assert not demo_window.export_excel_action.isEnabled()
    assert not demo_window.import_action.isEnabled()


def test_exporting_chosen_registers(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path, dialogs: Dialogs
) -> None:
    project = demo_window.project
    assert project is not None
    dialog = ExportDialog(project, demo_window)
    qtbot.addWidget(dialog)
    assert dialog.path_edit.text().endswith("Demo registers.xlsx")
    assert "risks" in dialog.selected() and "documents" in dialog.selected()
    dialog.grab().save(str(tmp_path / "export-dialog.png"))
    out = tmp_path / "chosen.xlsx"
    dialog.path_edit.setText(str(out))
    shown = [dialog.registers.item(row).text() for row in range(dialog.registers.count())]
    # each register by its name, and its sheet's where that differs (never "Risks — Risks")
    assert "Risks" in shown and "Statement of Applicability (sheet Soa)" in shown
    for row in range(dialog.registers.count()):
        item = dialog.registers.item(row)
        if item.text() not in ("Risks", "Assets"):
            item.setCheckState(item.checkState().Unchecked)
    assert dialog.selected() == ["assets", "risks"]
    dialog.start_export()
    qtbot.waitUntil(lambda: dialog.outcome != "", timeout=60_000)
    assert dialog.outcome == "done"
    assert openpyxl.load_workbook(out).sheetnames == ["Cover", "Assets", "Risks"]
    assert dialogs.kinds() == ["information"]


def test_nothing_selected_disables_export(qtbot: QtBot, demo_window: MainWindow) -> None:
    assert demo_window.project is not None
    dialog = ExportDialog(demo_window.project, demo_window)
    qtbot.addWidget(dialog)
    dialog._check_all(dialog.registers.item(0).checkState().Unchecked)
    assert not dialog.export_button.isEnabled()


def test_a_cancelled_export_leaves_no_file(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path, dialogs: Dialogs
) -> None:
    assert demo_window.project is not None
    dialog = ExportDialog(demo_window.project, demo_window)
    qtbot.addWidget(dialog)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "cancelled.xlsx"
    dialog.path_edit.setText(str(out))
    dialog.start_export()
    assert dialog.progress is not None and dialog.worker is not None
    dialog.progress.canceled.emit()  # what the Cancel button does
    qtbot.waitUntil(lambda: dialog.outcome != "", timeout=60_000)
    assert dialog.outcome == "cancelled"
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10_000)
    assert list(folder.iterdir()) == []
    assert dialogs.shown == []


def test_a_folder_as_target_gets_the_workbook_inside_it(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path, dialogs: Dialogs
) -> None:
    """A folder in the Workbook field wrote 'folder.xlsx' beside it, not a file in it."""
    assert demo_window.project is not None
    folder = tmp_path / "for the auditor"
    folder.mkdir()
    dialog = ExportDialog(demo_window.project, demo_window)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(folder))
    dialog.start_export()
    qtbot.waitUntil(lambda: dialog.outcome != "", timeout=60_000)
    assert dialog.outcome == "done"
    written = folder / "Demo registers.xlsx"
    assert dialog.path_edit.text() == str(written)
    assert not (tmp_path / "for the auditor.xlsx").exists()
    assert "Risks" in openpyxl.load_workbook(written, read_only=True).sheetnames
    assert dialogs.shown[-1][2].startswith(f"Wrote {written} (")

"""File ▸ Export ▸ Excel Workbook… and File ▸ Import from Spreadsheet…: dialogs and their work."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from isms_desktop.ui.main_window import MainWindow


def open_export_dialog(window: MainWindow) -> None:
    """Show the export dialog for the window's project (nothing without a project)."""
    from isms_desktop.ui.io.export_dialog import ExportDialog

    if window.project is None:
        return
    dialog = ExportDialog(window.project, window)
    dialog.exec()


def open_import_dialog(window: MainWindow) -> None:
    """Show the import dialog; after an import the window re-reads the project."""
    from isms_desktop.ui.io.import_dialog import ImportDialog

    project = window.project
    if project is None:
        return
    dialog = ImportDialog(project, window)
    dialog.exec()
    if dialog.imported:
        window.refresh()

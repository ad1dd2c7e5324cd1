"""Edit ▸ Undo of an import from a spreadsheet: one step on the main window's undo stack.

Undo takes the import back in one transaction (``registers.undo_import``: its new records
deleted, the old values of the records it updated restored); redo imports the same rows
again. Either is refused with a message, changing nothing, when the project no longer
allows it (a new record is used by one made since, a value is no longer valid).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from isms_desktop.domain.errors import IsmsError
from isms_desktop.reports.xlsx_import import ImportPlan, run_import
from isms_desktop.services import registers
from isms_desktop.ui.busy import busy_cursor
from isms_desktop.ui.register_labels import register_label
from isms_desktop.ui.registers.undo_commands import RegisterCommand

if TYPE_CHECKING:
    from isms_desktop.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportCommand", text)


class ImportCommand(RegisterCommand):
    """An import already made: undo takes it back, redo makes it again."""

    def __init__(
        self,
        window: MainWindow,
        plan: ImportPlan,
        changes: registers.ImportChanges,
        *,
        create_missing: bool,
    ) -> None:
        assert window.project is not None
        super().__init__(
            _tr("Import of {0} rows into {1}").format(
                len(plan.rows), register_label(plan.register)
            ),
            window.project,
            plan.register,
            lambda *_a: window.refresh(),
            lambda message: self._refused(message),
        )
        self.window = window
        self.plan = plan
        self.changes = changes
        self.create_missing = create_missing

    def do_redo(self) -> list[str]:
        with busy_cursor():
            result = run_import(self.project, self.plan, create_missing=self.create_missing)
        if result.changes is None:  # a problem now (a value no longer valid): nothing written
            raise IsmsError(result.summary())
        self.changes = result.changes
        return list(self.changes.created)

    def do_undo(self) -> list[str]:
        with busy_cursor():
            registers.undo_import(self.project, self.changes)
        return list(self.changes.created)

    def _refused(self, message: str) -> None:
        QMessageBox.warning(self.window, _tr("Import from Spreadsheet"), message)

"""File ▸ Export ▸ Excel Workbook…: choose registers and a file, then export with progress.

The workbook is written by :class:`ExportWorker` off the GUI thread; a progress dialog with
Cancel follows it, and a cancelled or failed export leaves no file at the target path.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.register_specs import SPECS
from isms_desktop.domain.registers import sheet_name
from isms_desktop.reports.xlsx_export import export_order
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.encryption_ui import warn_export_not_encrypted
from isms_desktop.ui.io.export_worker import ExportWorker


class ExportDialog(QDialog):
    """Registers to export (all by default) and the workbook to write."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.worker: ExportWorker | None = None
        self.progress: QProgressDialog | None = None
        self.outcome = ""  # "done", "cancelled" or the error message, after an export
        self.setWindowTitle(self.tr("Export to Excel"))
        self.setMinimumWidth(520)

        self.registers = QListWidget(self)
        for name in export_order():
            sheet, title = sheet_name(name), SPECS[name].title
            # the register's name, and its sheet's where that differs ("Soa")
            shown = title if title == sheet else self.tr("{0} (sheet {1})").format(title, sheet)
            item = QListWidgetItem(shown, self.registers)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.registers.itemChanged.connect(self._update_buttons)
        all_button = QPushButton(self.tr("Select &All"), self)
        all_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        none_button = QPushButton(self.tr("Select &None"), self)
        none_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        choose = QHBoxLayout()
        choose.addWidget(all_button)
        choose.addWidget(none_button)
        choose.addStretch()

        self.path_edit = QLineEdit(str(self._default_target()), self)
        self.path_edit.textChanged.connect(self._update_buttons)
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self._browse)
        target = QHBoxLayout()
        target.addWidget(self.path_edit, 1)
        target.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("Workbook:"), target)
        note = QLabel(
            self.tr(
                "One sheet per register with a cover sheet and a table of contents. "
                "Edited sheets can be imported again (File ▸ Import from Spreadsheet…)."
            ),
            self,
        )
        note.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Registers:"), self))
        layout.addWidget(self.registers, 1)
        layout.addLayout(choose)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self._update_buttons()

    # -- choices ------------------------------------------------------------------------------

    def _default_target(self) -> Path:
        path = self.project.path
        if path is None:
            return Path.home() / "isms-export.xlsx"
        return path.with_name(f"{path.stem} registers.xlsx")

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export to Excel"),
            self.path_edit.text(),
            self.tr("Excel workbooks (*.xlsx)"),
        )
        if chosen:
            self.path_edit.setText(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")

    def _check_all(self, state: Qt.CheckState) -> None:
        for row in range(self.registers.count()):
            self.registers.item(row).setCheckState(state)

    def selected(self) -> list[str]:
        items = (self.registers.item(row) for row in range(self.registers.count()))
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _update_buttons(self) -> None:
        ok = bool(self.selected()) and bool(self.path_edit.text().strip()) and self.worker is None
        self.export_button.setEnabled(ok)

    # -- the export ---------------------------------------------------------------------------

    def start_export(self) -> None:
        """Start the worker and follow it with a progress dialog (Cancel stops it)."""
        if self.worker is not None:
            return
        target = Path(self.path_edit.text().strip()).expanduser()
        if target.is_dir():  # a folder typed or pasted: the workbook goes into it
            target = target / self._default_target().name
            self.path_edit.setText(str(target))
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        if not warn_export_not_encrypted(self, self.project):
            return
        if target.exists():
            answer = QMessageBox.question(
                self,
                self.tr("Replace Workbook?"),
                self.tr("{0} exists already. Replace it?").format(target),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        names = self.selected()
        location = self.project.path or self.project.location
        worker = ExportWorker(location, target, names, key=self.project.key)
        self.worker = worker
        progress = QProgressDialog(
            self.tr("Writing {0}…").format(target.name), self.tr("Cancel"), 0, 0, self
        )
        progress.setWindowTitle(self.tr("Export to Excel"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.canceled.connect(worker.cancel)
        self.progress = progress
        worker.progressed.connect(self._progressed)
        worker.succeeded.connect(self._succeeded)
        worker.failed.connect(self._failed)
        worker.cancelled.connect(self._cancelled)
        worker.finished.connect(self._finished)
        self._update_buttons()
        worker.start()

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None and total > 0:
            self.progress.setMaximum(total)
            self.progress.setValue(min(done, total - 1) if done < total else total - 1)

    def _succeeded(self, path: str, rows: int) -> None:
        self.outcome = "done"
        self._close_progress()
        QMessageBox.information(
            self,
            self.tr("Export to Excel"),
            self.tr("Wrote {0} ({1} rows).").format(path, rows),
        )
        self.accept()

    def _failed(self, message: str) -> None:
        self.outcome = message
        self._close_progress()
        QMessageBox.warning(self, self.tr("Export Failed"), message)

    def _cancelled(self) -> None:
        self.outcome = "cancelled"
        self._close_progress()

    def _finished(self) -> None:
        worker = self.worker
        self.worker = None
        if worker is not None:
            worker.deleteLater()
        self._update_buttons()

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def reject(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()
        super().reject()

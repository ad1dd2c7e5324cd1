"""File ▸ Restore from backup…: pick one of a project's rolling backups and restore it.

Restoring writes a new file, or replaces the open project only after the user confirms;
the replaced file is kept beside the backups.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import backups
from isms_desktop.ui.busy import busy_cursor
from isms_desktop.ui.history.log_model import local_time


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


class RestoreDialog(QDialog):
    """The backups of one project, newest first, with the two ways to restore one."""

    replace_requested = Signal(Path)  # the window closes the project, restores, reopens
    restored = Signal(Path)  # a new file was written

    def __init__(
        self,
        project_name: str,
        project_path: Path | None,
        parent: QWidget | None = None,
        root: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_name = project_name
        self.project_path = project_path
        self.root = root
        self.setWindowTitle(self.tr("Restore from Backup — {0}").format(project_name))
        self.resize(640, 420)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("backup_list")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([self.tr("Taken"), self.tr("Size"), self.tr("Note")])
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.new_button = QPushButton(self.tr("Restore as &New File…"), self)
        self.replace_button = QPushButton(self.tr("&Replace Current Project…"), self)
        buttons.addButton(self.new_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.replace_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.new_button.clicked.connect(lambda: self.restore_as_new())
        self.replace_button.clicked.connect(self.replace_current)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        found = backups.list_backups(self.project_name, self.root)
        for backup in found:
            item = QTreeWidgetItem(
                [local_time(backup.taken_at), _size(backup.size), backup.note.replace("-", " ")]
            )
            item.setData(0, 0x0100, str(backup.path))  # Qt.UserRole
            item.setToolTip(0, str(backup.path))
            self.list.addTopLevelItem(item)
        folder = backups.backup_folder(self.project_name, self.root)
        if found:
            self.info.setText(
                self.tr(
                    "{0} backups of {1} (kept in {2}). Choose one, then restore it as a new "
                    "file or replace the project with it."
                ).format(len(found), self.project_name, folder)
            )
            first = self.list.topLevelItem(0)
            if first is not None:
                self.list.setCurrentItem(first)
        else:
            self.info.setText(self.tr("There are no backups of {0} yet.").format(self.project_name))
        for column in range(3):
            self.list.resizeColumnToContents(column)
        self._update_buttons()

    def selected(self) -> Path | None:
        item = self.list.currentItem()
        return Path(str(item.data(0, 0x0100))) if item is not None else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.new_button.setEnabled(chosen)
        self.replace_button.setEnabled(chosen and self.project_path is not None)

    def restore_as_new(self, target: Path | None = None) -> Path | None:
        backup = self.selected()
        if backup is None:
            return None
        if target is None:
            folder = self.project_path.parent if self.project_path else Path.home()
            suggested = folder / self.tr("{0} restored.isms").format(self.project_name)
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Restore as New File"),
                str(suggested),
                self.tr("isms-desktop projects (*.isms)"),
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
            if not chosen:
                return None
            target = Path(chosen)
        if target.suffix.lower() != ".isms":
            target = target.with_name(target.name + ".isms")
        try:
            with busy_cursor():
                backups.restore_backup(backup, target)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Cannot Restore"), str(exc))
            return None
        self.restored.emit(target)
        self.accept()
        return target

    def replace_current(self) -> None:
        backup = self.selected()
        item = self.list.currentItem()
        if backup is None or item is None or self.project_path is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Replace Project?"),
            self.tr(
                "Replace {0} with the backup of {1}?\n\nChanges made since then are no longer "
                "in the project; the current file is kept in the backups folder."
            ).format(self.project_path.name, item.text(0)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.replace_requested.emit(backup)
        self.accept()

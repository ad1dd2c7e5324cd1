"""The files attached to the selected record: add (dialog or drag and drop), open, save, delete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import attachments
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.registers.field_editors import DateEditor


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover


def dropped_files(mime: QMimeData | None) -> list[Path]:
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class AttachmentsPanel(QWidget):
    """Evidence and other files of one record, kept inside the project file."""

    changed = Signal()

    def __init__(self, register: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self._project: Project | None = None
        self._code: str | None = None
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.title_label = QLabel(self)
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        layout.addWidget(self.title_label)
        self.list = QListWidget(self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAlternatingRowColors(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.list, 1)
        self.hint_label = QLabel(self.tr("Drop files here to attach them."), self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setEnabled(False)
        layout.addWidget(self.hint_label)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.add_button.setToolTip(self.tr("Attach files to this record"))
        self.add_button.clicked.connect(self.add_dialog)
        self.open_button = QPushButton(self.tr("Open"), self)
        self.open_button.setToolTip(self.tr("Open a copy with the system's viewer"))
        self.open_button.clicked.connect(self.open_selected)
        self.save_button = QPushButton(self.tr("Save As…"), self)
        self.save_button.clicked.connect(self.save_selected)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.clicked.connect(self.delete_selected)
        for button in (self.add_button, self.open_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        # evidence that lapses (a certificate, a test report): the dashboard asks for renewal
        self.expiry_button = QPushButton(self.tr("Valid Until…"), self)
        self.expiry_button.setToolTip(
            self.tr(
                "Set the date until which the selected files are valid as evidence; the "
                "dashboard lists them for renewal by then"
            )
        )
        self.expiry_button.clicked.connect(self.set_expiry_of_selected)
        second = QHBoxLayout()
        second.addWidget(self.expiry_button)
        second.addStretch(1)
        layout.addLayout(second)
        self.set_record(None, None)

    @property
    def code(self) -> str | None:
        return self._code

    def set_record(self, project: Project | None, code: str | None) -> None:
        self._project = project
        self._code = code if project is not None else None
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        if self._project is None or self._code is None:
            self.title_label.setText(self.tr("Attachments"))
            self.hint_label.setText(self.tr("Select a record to see its attachments."))
            self._update_buttons()
            return
        try:
            found = attachments.list_attachments(self._project, self.register, self._code)
        except IsmsError as exc:
            self.title_label.setText(str(exc))
            found = []
        self.title_label.setText(self.tr("Attachments of {0} ({1})").format(self._code, len(found)))
        for info in found:
            when = info.added_at.strftime("%Y-%m-%d")
            text = f"{info.name}\n{human_size(info.size)} · {info.added_by} · {when}"
            if info.expires_on is not None:
                text += " · " + (
                    self.tr("expired {0}") if info.expired else self.tr("expires {0}")
                ).format(info.expires_on.isoformat())
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, info.name)
            item.setToolTip(f"{info.name}\nSHA-256 {info.sha256}\n{info.note}".strip())
        can_write = not self._project.read_only
        self.hint_label.setText(
            self.tr("Drop files here to attach them.")
            if can_write
            else self.tr("The project is read-only.")
        )
        self._update_buttons()

    def _selected(self) -> list[tuple[int, str]]:
        return [
            (
                int(item.data(Qt.ItemDataRole.UserRole)),
                str(item.data(Qt.ItemDataRole.UserRole + 1)),
            )
            for item in self.list.selectedItems()
        ]

    def _update_buttons(self) -> None:
        has_record = self._project is not None and self._code is not None
        writable = has_record and self._project is not None and not self._project.read_only
        selected = bool(self.list.selectedItems())
        self.add_button.setEnabled(writable)
        self.open_button.setEnabled(selected)
        self.save_button.setEnabled(selected)
        self.delete_button.setEnabled(selected and writable)
        self.expiry_button.setEnabled(selected and writable)

    def _warn(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Attachments"), message)

    def add_files(self, paths: list[Path]) -> int:
        """Attach files to the current record; returns how many were added."""
        if self._project is None or self._code is None or self._project.read_only:
            return 0
        added = 0
        for path in paths:
            if not path.is_file():
                self._warn(self.tr("{0} is not a file and was not attached.").format(path))
                continue
            try:
                attachments.add_attachment(self._project, self.register, self._code, path)
            except IsmsError as exc:
                self._warn(str(exc))
                continue
            added += 1
        self.reload()
        if added:
            self.changed.emit()
        return added

    def add_dialog(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Attach Files to {0}").format(self._code or "")
        )
        self.add_files([Path(c) for c in chosen])

    def open_selected(self) -> None:
        if self._project is None:
            return
        for attachment_id, _name in self._selected():
            try:
                copy = attachments.open_copy(self._project, attachment_id)
            except IsmsError as exc:
                self._warn(str(exc))
                continue
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))

    def save_selected(self) -> None:
        if self._project is None:
            return
        for attachment_id, name in self._selected():
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Save Attachment As"), str(Path.home() / name)
            )
            if chosen:
                self.save_to(attachment_id, Path(chosen))

    def save_to(self, attachment_id: int, target: Path) -> bool:
        if self._project is None:
            return False
        try:
            attachments.save_attachment(self._project, attachment_id, target)
        except IsmsError as exc:
            self._warn(str(exc))
            return False
        except OSError as exc:
            self._warn(self.tr("{0} could not be written: {1}").format(target, exc.strerror))
            return False
        return True

    def set_expiry_of_selected(self) -> ExpiryDialog | None:
        """Ask for the date the selected files stop being valid (or none), then set it."""
        chosen = self._selected()
        if self._project is None or not chosen or self._project.read_only:
            return None
        current = {
            info.id: info.expires_on
            for info in attachments.list_attachments(self._project, self.register, self._code or "")
        }
        dates = {current.get(attachment_id) for attachment_id, _name in chosen}
        names = ", ".join(name for _id, name in chosen)
        dialog = ExpiryDialog(names, dates.pop() if len(dates) == 1 else None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ids = [attachment_id for attachment_id, _name in chosen]
        dialog.accepted.connect(lambda: self._apply_expiry(ids, dialog.value()))
        dialog.open()
        return dialog

    def _apply_expiry(self, ids: list[int], expires_on: dt.date | None) -> None:
        if self._project is None:
            return
        try:
            for attachment_id in ids:
                attachments.set_expiry(self._project, attachment_id, expires_on)
        except IsmsError as exc:
            self._warn(str(exc))
        self.reload()
        self.changed.emit()

    def delete_selected(self) -> None:
        chosen = self._selected()
        if self._project is None or not chosen:
            return
        names = ", ".join(name for _id, name in chosen)
        answer = QMessageBox.question(
            self,
            self.tr("Delete Attachments"),
            self.tr("Delete {0} from the project? This cannot be undone.").format(names),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        for attachment_id, _name in chosen:
            try:
                attachments.delete_attachment(self._project, attachment_id)
            except IsmsError as exc:
                self._warn(str(exc))
        self.reload()
        self.changed.emit()

    # -- drag and drop -----------------------------------------------------------------------

    def _accepts(self, mime: QMimeData | None) -> bool:
        return bool(
            dropped_files(mime)
            and self._project is not None
            and self._code is not None
            and not self._project.read_only
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_files(event.mimeData())
        if not self._accepts(event.mimeData()):
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(paths)


class ExpiryDialog(QDialog):
    """The date until which evidence is valid, or none."""

    def __init__(self, names: str, current: dt.date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Valid Until"))
        self.explanation = explanation = QLabel(
            self.tr(
                "Evidence such as a certificate, a penetration test report or a supplier's "
                "audit report is valid until a date. The dashboard's “Open actions and due "
                "dates” lists {0} for renewal by that date, in red once it has passed."
            ).format(names),
            self,
        )
        explanation.setWordWrap(True)
        self.date_edit = DateEditor(self)
        self.date_edit.set_value(current or dt.date.today() + dt.timedelta(days=365))
        self.none_box = QCheckBox(self.tr("&No expiry date"), self)
        self.none_box.toggled.connect(lambda on: self.date_edit.setEnabled(not on))
        form = QFormLayout()
        label = QLabel(self.tr("&Valid until:"), self)
        label.setBuddy(self.date_edit)
        form.addRow(label, self.date_edit)
        form.addRow("", self.none_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.date_edit.dateChanged.connect(lambda _d: self._update_ok())
        self.none_box.toggled.connect(lambda _on: self._update_ok())
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        # the explanation wraps at the dialog's width: its height follows from that width
        self.setMinimumWidth(460)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self._update_ok()

    def value(self) -> dt.date | None:
        if self.none_box.isChecked():
            return None
        found = self.date_edit.value()
        return found if isinstance(found, dt.date) else None

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.none_box.isChecked() or self.value() is not None)

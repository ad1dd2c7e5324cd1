"""The project-wide Change log (Edit ▸ Change log…): filter by register, user, dates, text;
export what is shown to Excel. The log is read-only here as everywhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import history
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.busy import busy_cursor
from isms_desktop.ui.history.log_model import COL_NEW, COL_OLD, ChangeLogModel
from isms_desktop.ui.register_labels import register_label
from isms_desktop.ui.table_header import spare_header_selection

SHOWN = 5000  # rows listed at once; the export has them all


def _date_edit(parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate(), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setEnabled(False)
    return edit


class ChangeLogDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("Change Log — {0}").format(project.display_name))
        self.resize(1100, 640)

        self.register_box = QComboBox(self)
        self.register_box.addItem(self.tr("All registers"), "")
        self.user_box = QComboBox(self)
        self.user_box.addItem(self.tr("Everyone"), "")
        self.since_check = QCheckBox(self.tr("From"), self)
        self.since_edit = _date_edit(self)
        self.until_check = QCheckBox(self.tr("to"), self)
        self.until_edit = _date_edit(self)
        self.text_edit = QLineEdit(self)
        self.text_edit.setPlaceholderText(self.tr("Search codes, fields and values…"))
        self.text_edit.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Register:"), self))
        filters.addWidget(self.register_box)
        filters.addWidget(QLabel(self.tr("User:"), self))
        filters.addWidget(self.user_box)
        for part in (self.since_check, self.since_edit, self.until_check, self.until_edit):
            filters.addWidget(part)
        filters.addWidget(self.text_edit, 1)

        self.model = ChangeLogModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("change_log_table")
        self.table.setModel(self.model)
        spare_header_selection(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (COL_OLD, COL_NEW):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel(self)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = QPushButton(self.tr("&Export to Excel…"), self)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.export)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self._fill_choices()
        for box in (self.register_box, self.user_box):
            box.currentIndexChanged.connect(self.refresh)
        pairs = ((self.since_check, self.since_edit), (self.until_check, self.until_edit))
        for check, edit in pairs:
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self.refresh)
            edit.dateChanged.connect(self.refresh)
        self.text_edit.textChanged.connect(self._debounce.start)
        self.refresh()

    def _fill_choices(self) -> None:
        try:
            registers, users = history.registers(self.project), history.users(self.project)
        except IsmsError:
            return
        for name in sorted(registers, key=lambda n: register_label(n).casefold()):
            self.register_box.addItem(register_label(name), name)
        for name in users:
            self.user_box.addItem(name, name)

    def current_filter(self) -> history.LogFilter:
        def day(check: QCheckBox, edit: QDateEdit) -> dt.date | None:
            if not check.isChecked():
                return None
            date = edit.date()
            return dt.date(date.year(), date.month(), date.day())

        return history.LogFilter(
            register=str(self.register_box.currentData() or "") or None,
            user=str(self.user_box.currentData() or "") or None,
            since=day(self.since_check, self.since_edit),
            until=day(self.until_check, self.until_edit),
            text=self.text_edit.text().strip() or None,
        )

    def refresh(self) -> None:
        where = self.current_filter()
        try:
            total = history.count(self.project, where)
            entries = history.change_log(self.project, where, limit=SHOWN)
        except IsmsError as exc:
            self.count_label.setText(str(exc))
            return
        self.model.set_entries(entries)
        if total > len(entries):
            text = self.tr("Showing the latest {0} of {1} changes; export to see them all.")
            self.count_label.setText(text.format(len(entries), total))
        else:
            self.count_label.setText(
                self.tr("1 change") if total == 1 else self.tr("{0} changes").format(total)
            )
        self.export_button.setEnabled(total > 0)
        self.table.resizeColumnsToContents()
        for column in (COL_OLD, COL_NEW):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 320))

    def export(self, target: Path | None = None) -> Path | None:
        if target is None:
            name = self.tr("{0} change log.xlsx").format(self.project.display_name)
            suggested = Path.home() / name
            title, kinds = self.tr("Export Change Log"), self.tr("Excel workbook (*.xlsx)")
            chosen, _filter = QFileDialog.getSaveFileName(self, title, str(suggested), kinds)
            if not chosen:
                return None
            target = Path(chosen)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        try:
            with busy_cursor():
                n = history.export_change_log(self.project, target, self.current_filter())
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Cannot Export"), str(exc))
            return None
        self.count_label.setText(self.tr("{0} changes exported to {1}.").format(n, target))
        return target

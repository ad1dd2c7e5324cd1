"""The History panel of one record: every logged change, old → new, newest first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import history
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.history.log_model import (
    COL_FIELD,
    COL_NEW,
    COL_OLD,
    COL_RECORD,
    COL_REGISTER,
    ChangeLogModel,
)
from isms_desktop.ui.screen_fit import fitting_size
from isms_desktop.ui.table_header import spare_header_selection


class HistoryPanel(QWidget):
    """Embeddable in any record view: ``HistoryPanel(project, register, code)``."""

    def __init__(
        self, project: Project, register: str, code: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.register = register
        self.code = code
        self.model = ChangeLogModel(self)
        self.summary = QLabel(self)
        self.table = QTableView(self)
        self.table.setObjectName("history_table")
        self.table.setModel(self.model)
        spare_header_selection(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setColumnHidden(COL_REGISTER, True)
        self.table.setColumnHidden(COL_RECORD, True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column in (COL_OLD, COL_NEW):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.refresh()

    def set_record(self, register: str, code: str) -> None:
        self.register, self.code = register, code
        self.refresh()

    def refresh(self) -> None:
        try:
            entries = history.record_history(self.project, self.register, self.code)
        except IsmsError as exc:
            self.model.set_entries([])
            self.summary.setText(str(exc))
            return
        self.model.set_entries(entries)
        if entries:
            self.summary.setText(
                self.tr("{0}: {1} changes, the latest on top.").format(self.code, len(entries))
            )
        else:
            self.summary.setText(self.tr("{0}: no changes recorded yet.").format(self.code))
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(COL_FIELD, min(self.table.columnWidth(COL_FIELD), 220))
        for column in (COL_OLD, COL_NEW):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 320))


class HistoryDialog(QDialog):
    """A record's History panel in a window of its own (a register's History… command)."""

    def __init__(
        self, project: Project, register: str, code: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("History of {0}").format(code))
        self.panel = HistoryPanel(project, register, code, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        self.resize(fitting_size(self, 900, 480))

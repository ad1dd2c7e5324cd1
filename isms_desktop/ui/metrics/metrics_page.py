"""Monitoring page (9.1): every metric with its status, a trend chart, and measurement entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.fields import Field, Kind, parse_value
from isms_desktop.domain.metrics_rules import STATUS_LABELS, format_value
from isms_desktop.reports.measurement_import import import_measurements
from isms_desktop.services import metrics
from isms_desktop.services.projects import Project
from isms_desktop.ui.metrics.trend_chart import STATUS_COLOURS, TrendChart

COL_CODE, COL_NAME, COL_LATEST, COL_STATUS, COL_TREND, COL_DUE = range(6)


class MetricsPage(QWidget):
    """Metrics on the left, the chosen one's trend on the right, a line to add a value."""

    measurements_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Code"),
                self.tr("Metric"),
                self.tr("Latest"),
                self.tr("Status"),
                self.tr("Trend"),
                self.tr("Next due"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.chart = TrendChart(self)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setDate(QDate.currentDate())
        self.date.setMaximumDate(QDate.currentDate())  # a measurement is taken, not planned
        self.value = QLineEdit(self)
        self.value.setPlaceholderText(self.tr("Value"))
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Note (optional)"))
        self.record_button = QPushButton(self.tr("Record Measurement"), self)
        self.record_button.clicked.connect(self.record)
        self.value.returnPressed.connect(self.record)
        self.import_button = QPushButton(self.tr("Import Measurements…"), self)
        self.import_button.clicked.connect(self._choose_import)
        self.due_button = QPushButton(self.tr("Add Actions for Due Metrics"), self)
        self.due_button.clicked.connect(self.sync_due)
        self.message = QLabel(self)
        self.message.setWordWrap(True)

        entry = QHBoxLayout()
        entry.addWidget(QLabel(self.tr("Measured on"), self))
        entry.addWidget(self.date)
        entry.addWidget(self.value)
        entry.addWidget(self.note, 1)
        entry.addWidget(self.record_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.chart, 1)
        right_layout.addLayout(entry)
        right_layout.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([640, 600])  # at 1024 pixels the names need the room
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.due_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self._set_enabled(False)

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self._set_enabled(project is not None)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        """Show what was changed elsewhere (the registers, other tabs) since last shown."""
        super().showEvent(event)
        if self.project is not None:
            self.reload()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.record_button, self.import_button, self.due_button, self.value):
            widget.setEnabled(enabled)

    def selected_code(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), COL_CODE)
        return item.text() if item else None

    def reload(self, keep: str | None = None) -> None:
        keep = keep or self.selected_code()
        self.table.setRowCount(0)
        if self.project is None:
            self.chart.set_series(None)
            return
        rows = metrics.overview(self.project)
        self.table.setRowCount(len(rows))
        chosen = 0
        for index, m in enumerate(rows):
            latest = format_value(m.last_value, m.unit) if m.last_value is not None else ""
            due = m.next_due.isoformat() + (" ⚠" if m.due else "")
            cells = (m.code, m.name, latest, STATUS_LABELS[m.status], str(m.trend), due)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == COL_STATUS:
                    colour = QColor(STATUS_COLOURS[m.status])
                    colour.setAlpha(60)
                    item.setBackground(QBrush(colour))
                if column == COL_NAME:
                    item.setToolTip(m.name)
                if column == COL_DUE and m.due:
                    item.setToolTip(self.tr("A new measurement is due"))
                self.table.setItem(index, column, item)
            if m.code == keep:
                chosen = index
        for column in (COL_CODE, COL_LATEST, COL_STATUS, COL_TREND, COL_DUE):
            self.table.resizeColumnToContents(column)
        # the names wrap onto as many lines as they need (at 1024 pixels wide the column
        # is narrow, and "Phishing simulatio…" cut them off)
        self.table.resizeRowsToContents()
        if rows:
            self.table.selectRow(chosen)
        else:
            self.chart.set_series(None)

    def _show_selected(self) -> None:
        code = self.selected_code()
        if self.project is None or code is None:
            self.chart.set_series(None)
            return
        self.chart.set_series(metrics.series(self.project, code))

    def record(self) -> None:
        code = self.selected_code()
        if self.project is None or code is None:
            return
        try:
            value = parse_value(
                Field("value", self.tr("Value"), Kind.NUMBER, required=True), self.value.text()
            )
            day = self.date.date().toPython()
            assert isinstance(day, dt.date)
            change = metrics.record_measurement(self.project, code, day, value, self.note.text())
        except (ValueError, IsmsError) as exc:
            self.message.setText(str(exc))
            return
        verb = self.tr("replaced") if change.kind == "updated" else self.tr("recorded")
        self.message.setText(f"{code} {day.isoformat()}: {format_value(value)} {verb}")
        self.value.clear()
        self.note.clear()
        self.reload(code)
        self.measurements_changed.emit()

    def _choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import measurements"),
            "",
            self.tr("Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv)"),
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> metrics.ImportResult | None:
        if self.project is None:
            return None
        try:
            result = import_measurements(self.project, path, default_metric=self.selected_code())
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Import measurements"), str(exc))
            return None
        if result.problems:
            shown = "\n".join(str(p) for p in result.problems[:15])
            more = len(result.problems) - 15
            if more > 0:
                shown += "\n" + self.tr("… and %1 more").replace("%1", str(more))
            QMessageBox.warning(
                self,
                self.tr("Import measurements"),
                self.tr("Nothing was imported from %1:").replace("%1", path.name) + "\n" + shown,
            )
            return result
        text = (
            self.tr("%1: %2 new, %3 changed, %4 unchanged measurements")
            .replace("%1", path.name)
            .replace("%2", str(result.created))
            .replace("%3", str(result.updated))
            .replace("%4", str(result.unchanged))
        )
        if result.metrics:
            # a sheet without a Metric column goes to the metric chosen in the list: say so
            text += " " + self.tr("of %1").replace("%1", ", ".join(result.metrics)) + "."
        self.message.setText(text)
        self.reload()
        self.measurements_changed.emit()
        return result

    def sync_due(self) -> None:
        if self.project is None:
            return
        try:
            done = metrics.sync_due_actions(self.project)
        except IsmsError as exc:
            self.message.setText(str(exc))
            return
        added, closed = len(done.created), len(done.closed)
        if not added and not closed:
            text = self.tr(
                "Nothing to do: every metric due for a measurement already has an open "
                "action, and none of them was measured since."
            )
        else:
            text = (
                (
                    self.tr("1 action added for a due measurement")
                    if added == 1
                    else self.tr("%1 actions added for due measurements").replace("%1", str(added))
                )
                + ", "
                + self.tr("%1 closed (measured since).").replace("%1", str(closed))
            )
        self.message.setText(text)
        self.measurements_changed.emit()

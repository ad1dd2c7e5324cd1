"""The competence matrix: people down, required trainings across, gaps in colour (7.2, 7.3)."""

from __future__ import annotations

import textwrap

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.training_matrix import Cell
from isms_desktop.services.training import TrainingMatrix, gaps_summary

CELL_COLOURS = {
    Cell.VALID: QColor("#d7f0d9"),
    Cell.EXPIRING: QColor("#fff1c2"),
    Cell.EXPIRED: QColor("#f8c9c4"),
    Cell.MISSING: QColor("#f8c9c4"),
    Cell.EXTRA: QColor("#eef2f7"),
    Cell.NOT_REQUIRED: QColor("#ffffff"),
}


class TrainingMatrixWidget(QWidget):
    """A read-only grid of ``services.training.matrix``; a summary line above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        legend = QHBoxLayout()
        for state, text in (
            (Cell.VALID, self.tr("Valid")),
            (Cell.EXPIRING, self.tr("Expires within 30 days")),
            (Cell.MISSING, self.tr("Missing or expired")),
            (Cell.EXTRA, self.tr("Taken, not required")),
        ):
            swatch = QLabel(text, self)
            swatch.setStyleSheet(
                f"background:{CELL_COLOURS[state].name()}; border:1px solid #c8ccd2;"
                "padding:2px 6px; color:#1f2937;"
            )
            legend.addWidget(swatch)
        legend.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(legend)
        layout.addWidget(self.table, 1)
        self.data: TrainingMatrix | None = None

    def set_matrix(self, data: TrainingMatrix | None) -> None:
        self.data = data
        self.table.clear()
        if data is None:
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.summary.setText("")
            return
        m = data.matrix
        self.table.setRowCount(len(m.people))
        self.table.setColumnCount(len(m.requirements))
        headers: list[str] = []
        heading_tips: list[str] = []
        for req in m.requirements:
            who = data.role_names.get(req.role_code or "", "") if req.role_code else ""
            whom = f"({who or self.tr('everyone')})"
            # the role wraps too: "(Information Security Officer)" was cut at the column
            lines = textwrap.wrap(req.course, 22)[:3] + textwrap.wrap(whom, 22)[:2]
            headers.append("\n".join(lines))
            heading_tips.append(
                self.tr("%1 — required of %2").replace("%1", req.course).replace("%2", whom[1:-1])
            )
        self.table.setHorizontalHeaderLabels(headers)
        for column, heading_tip in enumerate(heading_tips):
            found = self.table.horizontalHeaderItem(column)
            if found is not None:
                found.setToolTip(heading_tip)
        self.table.setVerticalHeaderLabels([f"{p.name} ({p.code})" for p in m.people])
        for row, person in enumerate(m.people):
            for column, req in enumerate(m.requirements):
                cell = m.cell(person.code, req.code)
                item = QTableWidgetItem(self._text(cell.status, cell.valid_until))
                item.setBackground(QBrush(CELL_COLOURS[cell.status]))
                item.setForeground(QBrush(QColor("#1f2937")))
                item.setData(Qt.ItemDataRole.UserRole, str(cell.status))
                tip = [f"{person.name} — {req.course}: {self._label(cell.status)}"]
                if cell.taken_on:
                    tip.append(self.tr("taken on %1").replace("%1", cell.taken_on.isoformat()))
                if cell.record_code:
                    tip.append(cell.record_code)
                item.setToolTip("\n".join(tip))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in range(len(m.requirements)):
            self.table.setColumnWidth(column, 160)
        counts = gaps_summary(data)
        self.summary.setText(
            self.tr(
                "%1 % of required trainings are held and valid — %2 missing, %3 expired, "
                "%4 expiring within 30 days (as of %5)."
            )
            .replace("%1", str(counts["coverage_percent"]))
            .replace("%2", str(counts["missing"]))
            .replace("%3", str(counts["expired"]))
            .replace("%4", str(counts["expiring"]))
            .replace("%5", data.today.isoformat())
        )

    def _label(self, state: Cell) -> str:
        return {
            Cell.VALID: self.tr("valid"),
            Cell.EXPIRING: self.tr("expires soon"),
            Cell.EXPIRED: self.tr("expired"),
            Cell.MISSING: self.tr("missing"),
            Cell.NOT_REQUIRED: self.tr("not required"),
            Cell.EXTRA: self.tr("taken, not required"),
        }[state]

    def _text(self, state: Cell, until: object) -> str:
        if state is Cell.MISSING:
            return self.tr("Missing")
        if state is Cell.NOT_REQUIRED:
            return ""
        when = until.isoformat() if hasattr(until, "isoformat") else ""
        if state is Cell.EXPIRED:
            return self.tr("Expired %1").replace("%1", when)
        if not when:
            return self.tr("Held")
        return self.tr("until %1").replace("%1", when)

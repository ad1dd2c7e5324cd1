"""An editable table of register rows for the wizard pages: text, choice and yes/no columns.

Rows keep their record code once saved (None before), and a stable key so that other tables
can refer to a row before it has a code (a requirement's party, for instance).

The table lays out its columns itself whenever its width changes: the columns that have a
width keep it while there is room, the others share what is left, but never less than their
``min_width``. In a narrow wizard the sized columns give way first (down to what their header
needs), then a horizontal scroll bar appears, rather than a text column shrinking to a few
letters a line. Rows are fitted to their wrapped text again after every such layout.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from isms_desktop.services.projects import Project
from isms_desktop.services.wizard import RowEntry, RowSaveError, save_rows

CODE_ROLE = Qt.ItemDataRole.UserRole
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
_keys = itertools.count(1)


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    kind: str = "text"  # text | choice | bool
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    width: int = 0  # 0: takes a share of the room the sized columns leave
    required: bool = False
    min_width: int = 160  # of a column without ``width``


# A sized column gives way, in a narrow table, down to this share of its width (and never
# below what its header text needs).
_GIVE_WAY = 0.75
_HEADER_PADDING = 16  # pixels around a header's text (margins, a sort arrow's room)


class RecordTable(QTableWidget):
    """Rows of one register as the user edits them; ``entries()`` gives what to save."""

    edited = Signal()

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = tuple(columns)
        self.removed: list[str] = []
        self.setHorizontalHeaderLabels([c.header for c in self.columns])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for index, column in enumerate(self.columns):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(index, column.width or column.min_width)
        self._fitted_width = -1
        self.itemChanged.connect(self._item_changed)

    def _choice_changed(self, combo: QComboBox) -> None:
        combo.setToolTip(combo.currentText())
        self.edited.emit()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        self.resizeRowToContents(item.row())  # a longer text wraps onto more lines
        self.edited.emit()

    # -- layout --------------------------------------------------------------------------------

    def column_widths(self, room: int) -> list[int]:
        """The width of each column in a viewport ``room`` pixels wide."""
        metrics = self.horizontalHeader().fontMetrics()
        sized = [i for i, c in enumerate(self.columns) if c.width]
        shared = [i for i, c in enumerate(self.columns) if not c.width]
        widths = [c.width or c.min_width for c in self.columns]
        least_shared = sum(self.columns[i].min_width for i in shared)
        wanted = sum(widths[i] for i in sized)
        if sized and wanted + least_shared > room:
            floors = {
                i: min(
                    widths[i],
                    max(
                        round(widths[i] * _GIVE_WAY),
                        metrics.horizontalAdvance(self.columns[i].header) + _HEADER_PADDING,
                    ),
                )
                for i in sized
            }
            give = sum(widths[i] - floors[i] for i in sized)
            short = wanted + least_shared - room
            share = min(1.0, short / give) if give else 0.0
            for i in sized:
                widths[i] -= round((widths[i] - floors[i]) * share)
        left = room - sum(widths[i] for i in sized)
        for n, i in enumerate(shared):
            # an even share of what is left; the last takes the rounding
            part = left // len(shared) if n < len(shared) - 1 else left - (left // len(shared)) * n
            widths[i] = max(self.columns[i].min_width, part)
        return widths

    def fit_columns(self) -> None:
        """Lay the columns out for the viewport's width, then fit the rows to their text."""
        room = self.viewport().width()
        if room <= 0 or room == self._fitted_width:
            return
        self._fitted_width = room
        for index, width in enumerate(self.column_widths(room)):
            self.setColumnWidth(index, width)
        self.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def viewportEvent(self, event: QEvent) -> bool:
        # the viewport also narrows when the vertical scroll bar appears
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return handled

    def column_index(self, name: str) -> int:
        for index, column in enumerate(self.columns):
            if column.name == name:
                return index
        raise KeyError(name)

    # -- rows ----------------------------------------------------------------------------------

    def set_rows(self, entries: Sequence[RowEntry]) -> None:
        self.blockSignals(True)
        self.setRowCount(0)
        self.removed = []
        for entry in entries:
            self.add_row(entry.values, entry.code)
        self.blockSignals(False)
        self.edited.emit()

    def add_row(self, values: Mapping[str, Any], code: str | None = None) -> int:
        row = self.rowCount()
        self.insertRow(row)
        for index, column in enumerate(self.columns):
            value = values.get(column.name)
            if column.kind == "choice":
                combo = QComboBox(self)
                # as high as a line, at the top of a row that wrapped text makes taller
                combo.setMaximumHeight(combo.sizeHint().height())
                for choice_value, label in column.choices:
                    combo.addItem(label, choice_value)
                self.setCellWidget(row, index, combo)
                # An item under the widget carries the row's code and key.
                self.setItem(row, index, QTableWidgetItem())
                self._set_choice(combo, value)  # (its tooltip: in a narrow column it is clipped)
                combo.currentIndexChanged.connect(lambda _i, c=combo: self._choice_changed(c))
            elif column.kind == "bool":
                item = QTableWidgetItem()
                item.setFlags(
                    Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                )
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
                self.setItem(row, index, item)
            else:
                self.setItem(row, index, QTableWidgetItem("" if value is None else str(value)))
        first = self.item(row, 0)
        assert first is not None
        first.setData(CODE_ROLE, code)
        first.setData(KEY_ROLE, f"row{next(_keys)}")
        self.resizeRowToContents(row)
        self.edited.emit()
        return row

    def remove_rows(self, rows: Sequence[int]) -> list[str]:
        """Remove rows; their codes are kept in ``removed`` to delete on save. Keys returned."""
        keys = []
        for row in sorted(set(rows), reverse=True):
            code = self.code(row)
            if code:
                self.removed.append(code)
            keys.append(self.key(row))
            self.removeRow(row)
        self.edited.emit()
        return keys

    def remove_selected(self) -> list[str]:
        return self.remove_rows([index.row() for index in self.selectionModel().selectedRows()])

    def code(self, row: int) -> str | None:
        item = self.item(row, 0)
        value = item.data(CODE_ROLE) if item is not None else None
        return str(value) if value else None

    def key(self, row: int) -> str:
        item = self.item(row, 0)
        return str(item.data(KEY_ROLE)) if item is not None else ""

    def save(self, project: Project, register: str, rows: Sequence[RowEntry] | None = None) -> None:
        """Write the rows (or ``rows``, given in the table's order) and take their codes.

        On a refused row the rows before it keep the codes they were saved under, and the
        refused row is selected; the error goes on to the page.
        """
        problems = self.problems()
        if problems:
            self.selectRow(problems[0][0])
            raise RowSaveError(register, problems[0][0], "", problems[0][1].split(": ", 1)[-1])
        removed, self.removed = self.removed, []
        try:
            result = save_rows(project, register, self.entries() if rows is None else rows, removed)
        except RowSaveError as exc:
            self.set_codes(exc.saved)
            self.selectRow(exc.row)
            raise
        self.set_codes(result.codes)

    def set_codes(self, codes: Sequence[str]) -> None:
        for row, code in enumerate(codes):
            item = self.item(row, 0)
            if item is not None:
                item.setData(CODE_ROLE, code)

    # -- values --------------------------------------------------------------------------------

    def value(self, row: int, name: str) -> Any:
        index = self.column_index(name)
        column = self.columns[index]
        if column.kind == "choice":
            combo = self.cellWidget(row, index)
            assert isinstance(combo, QComboBox)
            return combo.currentData() or ""
        item = self.item(row, index)
        if column.kind == "bool":
            return item is not None and item.checkState() == Qt.CheckState.Checked
        return item.text().strip() if item is not None else ""

    def set_value(self, row: int, name: str, value: Any) -> None:
        index = self.column_index(name)
        column = self.columns[index]
        if column.kind == "choice":
            combo = self.cellWidget(row, index)
            assert isinstance(combo, QComboBox)
            self._set_choice(combo, value)
            return
        item = self.item(row, index)
        assert item is not None
        if column.kind == "bool":
            item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        else:
            item.setText("" if value is None else str(value))

    def values(self, row: int) -> dict[str, Any]:
        return {c.name: self.value(row, c.name) for c in self.columns}

    def entries(self) -> list[RowEntry]:
        return [RowEntry(self.code(row), self.values(row)) for row in range(self.rowCount())]

    def set_choices(self, name: str, choices: Sequence[tuple[str, str]]) -> None:
        """Replace a choice column's options, keeping each row's value when it remains."""
        index = self.column_index(name)
        column = self.columns[index]
        self.columns = tuple(
            replace(c, choices=tuple(choices)) if c is column else c for c in self.columns
        )
        for row in range(self.rowCount()):
            combo = self.cellWidget(row, index)
            assert isinstance(combo, QComboBox)
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for choice_value, label in choices:
                combo.addItem(label, choice_value)
            self._set_choice(combo, current)
            combo.blockSignals(False)

    def problems(self) -> list[tuple[int, str]]:
        """(row, message) for every required cell left empty."""
        found = []
        for row in range(self.rowCount()):
            for column in self.columns:
                if column.required and not self.value(row, column.name):
                    found.append(
                        (row, self.tr("row {0}: {1} is required").format(row + 1, column.header))
                    )
        return found

    @staticmethod
    def _set_choice(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value if value is not None else "")
        combo.setCurrentIndex(index if index >= 0 else 0)
        combo.setToolTip(combo.currentText())

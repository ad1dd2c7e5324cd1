"""An editable table of register rows for the wizard pages: text, choice and yes/no columns.

Rows keep their record code once saved (None before), and a stable key so that other tables
can refer to a row before it has a code (a requirement's party, for instance).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
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
    width: int = 0  # 0: stretch
    required: bool = False


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
        for index, column in enumerate(self.columns):
            if column.width:
                header.setSectionResizeMode(index, QHeaderView.ResizeMode.Interactive)
                self.setColumnWidth(index, column.width)
            else:
                header.setSectionResizeMode(index, QHeaderView.ResizeMode.Stretch)
        self.itemChanged.connect(lambda _item: self.edited.emit())

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
                for choice_value, label in column.choices:
                    combo.addItem(label, choice_value)
                self.setCellWidget(row, index, combo)
                # An item under the widget carries the row's code and key.
                self.setItem(row, index, QTableWidgetItem())
                self._set_choice(combo, value)
                combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
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
            Column(c.name, c.header, c.kind, tuple(choices), c.width, c.required)
            if c is column
            else c
            for c in self.columns
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

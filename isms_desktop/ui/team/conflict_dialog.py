"""Two users saved the same record: show mine next to theirs, and let the user choose.

"Keep Theirs" drops my change (the view shows their values); "Overwrite with Mine" saves my
value over theirs, knowingly (with the row version the comparison was made at).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import ConflictError
from isms_desktop.domain.register_specs import spec as register_spec


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _header(register: str, field: str) -> str:
    try:
        return register_spec(register).field(field).header
    except (KeyError, ValueError, LookupError):
        return field


class ConflictDialog(QDialog):
    """Mine vs theirs for one record; ``exec()`` is Accepted for "Overwrite with Mine"."""

    def __init__(self, conflict: ConflictError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.conflict = conflict
        self.setWindowTitle(self.tr("Someone Else Changed {0}").format(conflict.code))
        message = QLabel(
            self.tr(
                "{0} was changed by someone else after you opened it. Your change was not "
                "saved yet. Compare, then keep their version or save yours over it."
            ).format(conflict.code)
        )
        message.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("conflict_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Mine"), self.tr("Theirs (now)")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        rows = [(conflict.field, conflict.mine, conflict.current.get(conflict.field))]
        rows += [
            (name, value, value)
            for name, value in conflict.current.items()
            if name not in (conflict.field, "code")
        ]
        for name, mine, theirs in rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(_header(conflict.register, name)))
            self.table.setItem(row, 1, QTableWidgetItem(_text(mine)))
            self.table.setItem(row, 2, QTableWidgetItem(_text(theirs)))
        self.table.resizeColumnsToContents()
        if rows and rows[0][0]:
            self.table.selectRow(0)
        buttons = QDialogButtonBox(self)
        self.keep_button = buttons.addButton(
            self.tr("Keep Theirs"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.overwrite_button = buttons.addButton(
            self.tr("Overwrite with Mine"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 360)


def overwrite_with_mine(conflict: ConflictError, parent: QWidget | None = None) -> bool:
    """Ask; True when the user chose to save their value over the other user's."""
    if not conflict.current:  # deleted meanwhile: nothing to compare with or overwrite
        return False
    return ConflictDialog(conflict, parent).exec() == QDialog.DialogCode.Accepted

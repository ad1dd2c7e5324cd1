"""A read-only table model over change-log entries (newest first)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from isms_desktop.services.history import LogEntry
from isms_desktop.ui.register_labels import register_label

COL_WHEN, COL_USER, COL_REGISTER, COL_RECORD, COL_FIELD, COL_OLD, COL_NEW, COL_KIND = range(8)
_PREVIEW = 200  # characters shown in a cell; the tooltip has the whole value

_Index = QModelIndex | QPersistentModelIndex


def local_time(at: dt.datetime) -> str:
    """A logged UTC time in the user's time zone."""
    return at.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


class ChangeLogModel(QAbstractTableModel):
    """Rows of ``LogEntry``; ``show_record`` hides the register and record columns' use."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[LogEntry] = []
        self._texts: dict[int, list[str]] = {}  # row -> its cells' texts, made when first shown
        self._headers = [
            self.tr("When"),
            self.tr("Who"),
            self.tr("Register"),
            self.tr("Record"),
            self.tr("Field"),
            self.tr("Old value"),
            self.tr("New value"),
            self.tr("Change"),
        ]
        self._kinds = {
            "created": self.tr("created"),
            "updated": self.tr("changed"),
            "deleted": self.tr("deleted"),
        }

    def set_entries(self, entries: list[LogEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._texts = {}
        self.endResetModel()

    def entry(self, row: int) -> LogEntry:
        return self._entries[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        texts = self._texts.get(index.row())
        if texts is None:  # (the view sizes its columns by every row: made once per row)
            texts = self._texts[index.row()] = self._row_texts(entry)
        text = texts[column]
        if role == Qt.ItemDataRole.DisplayRole:
            flat = " ".join(text[: _PREVIEW * 2].split())  # (a snapshot may be long)
            if len(flat) > _PREVIEW or len(text) > _PREVIEW * 2:
                return flat[:_PREVIEW] + "…"
            return flat
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_USER:
                return self.tr("{0} (system user {1})").format(entry.user, entry.os_user)
            if column == COL_WHEN:
                return self.tr("{0} UTC").format(entry.at.replace(microsecond=0))
            return text[:4000] if text else None
        return None

    def _row_texts(self, entry: LogEntry) -> list[str]:
        # in the registers' words: "Risks", "Residual level", "Retain (accept)", "High"
        return [
            local_time(entry.at),
            entry.user,
            register_label(entry.register),
            entry.record,
            entry.field_label or entry.field,
            entry.old_label,
            entry.new_label,
            self._kinds.get(entry.kind, entry.kind),
        ]

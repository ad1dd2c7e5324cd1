"""A checkable list of suggestions from the catalogue, with an "Add checked" button."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

DATA_ROLE = Qt.ItemDataRole.UserRole


class SuggestionList(QGroupBox):
    """Suggestions the user ticks and adds; ``chosen`` tells that some were ticked and added.

    The suggestions' objects stay on the Python side (items carry their index only).
    """

    chosen = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        layout.addWidget(self.list)
        self.add_button = QPushButton(self.tr("Add Checked Suggestions"), self)
        layout.addWidget(self.add_button)
        self.add_button.clicked.connect(self._add_clicked)
        # (it did nothing until a suggestion is ticked, so it waits for one)
        self.list.itemChanged.connect(lambda _item: self._update_button())
        self._data: list[Any] = []
        self.taken: list[Any] = []
        self._update_button()

    def checked_count(self) -> int:
        return sum(
            self.list.item(i).checkState() == Qt.CheckState.Checked
            for i in range(self.list.count())
        )

    def _update_button(self) -> None:
        count = self.checked_count()
        self.add_button.setEnabled(count > 0)
        self.add_button.setText(
            self.tr("Add Checked Suggestions")
            if count == 0
            else self.tr("Add Checked Suggestions ({0})").format(count)
        )

    def set_suggestions(self, items: Sequence[tuple[str, str, Any]]) -> None:
        """(text, tooltip, data) per suggestion."""
        self.list.clear()
        self._data = []
        for text, tip, data in items:
            item = QListWidgetItem(text, self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(tip)
            item.setData(DATA_ROLE, len(self._data))
            self._data.append(data)
        self._update_button()

    def check_all(self, predicate: Any = None) -> None:
        for index in range(self.list.count()):
            item = self.list.item(index)
            if predicate is None or predicate(self._data[int(item.data(DATA_ROLE))]):
                item.setCheckState(Qt.CheckState.Checked)

    def take_checked(self) -> list[Any]:
        """The ticked suggestions' objects; the ticks are cleared."""
        found = []
        for index in range(self.list.count()):
            item = self.list.item(index)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(self._data[int(item.data(DATA_ROLE))])
                item.setCheckState(Qt.CheckState.Unchecked)
        return found

    def _add_clicked(self) -> None:
        self.taken = self.take_checked()
        if self.taken:
            self.chosen.emit()

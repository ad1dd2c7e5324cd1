"""The one action list: every open item from every register, filterable, overdue in red.

The filters are applied by the service, in SQL where the items grow with the registers; the
table shows the first ``SHOWN`` items, earliest due first, and the count says how many match.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services.action_list import SOURCE_LABELS, ActionItem, ActionPage, action_page
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.deferred import after_paint
from isms_desktop.ui.table_header import spare_header_selection

_Index = QModelIndex | QPersistentModelIndex
OVERDUE = QColor("#c62828")
WINDOWS: tuple[tuple[str, int | None], ...] = (
    ("Any time", None),
    ("Overdue", -1),
    ("Due within 7 days", 7),
    ("Due within 30 days", 30),
    ("Due within 90 days", 90),
)
SHOWN = 500  # items listed at most (the earliest due): the rest are counted


class ActionListModel(QAbstractTableModel):
    HEADERS = ("Due", "Source", "What", "Owner", "Record")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[ActionItem] = []
        self.today = dt.date.today()

    def set_items(self, items: list[ActionItem], today: dt.date) -> None:
        self.beginResetModel()
        self.items = items
        self.today = today
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                days = item.days_left(self.today)
                when = item.due.isoformat()
                if days < 0:
                    return self.tr("{0} ({1} days late)").format(when, -days)
                return when
            return (item.source_label, item.title, item.owner or "–", item.code)[column - 1]
        if role == Qt.ItemDataRole.ForegroundRole and item.overdue(self.today):
            return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.title}\n{item.source_label} · {item.register} {item.code}"
        return None


class ActionListView(QWidget):
    """Filters (owner, source, due window) over the table; double-click opens the record."""

    record_chosen = Signal(str, str)  # register, code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.loaded = False
        self.page = ActionPage([], 0, 0, [], [])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.owner_box = QComboBox(self)
        self.source_box = QComboBox(self)
        self.window_box = QComboBox(self)
        for label, days in WINDOWS:
            self.window_box.addItem(self.tr(label), days)
        for box, name in (
            (self.owner_box, self.tr("Owner")),
            (self.source_box, self.tr("Source")),
            (self.window_box, self.tr("Due")),
        ):
            # grow with the owners and sources filled in later, not cut them off
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            caption = QLabel(name + ":", self)
            caption.setBuddy(box)
            bar.addWidget(caption)
            bar.addWidget(box)
            box.currentIndexChanged.connect(self._apply)
        bar.addStretch(1)
        self.count_label = QLabel(self)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        self.model = ActionListModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        spare_header_selection(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(240)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # columns fitted to the first rows (the earliest due), not to tens of thousands
        header.setResizeContentsPrecision(200)
        self.table.doubleClicked.connect(self._open)
        self.table.activated.connect(self._open)
        layout.addWidget(self.table)

    def set_project(self, project: Project | None, today: dt.date | None = None) -> None:
        """Show ``project``'s open items: read just after the window has painted, so a
        large project's window appears at once (``load_now`` reads them immediately)."""
        self.project = project
        self.today = today or dt.date.today()
        self.loaded = False
        if project is None:
            self.load_now()
            return
        self.count_label.setText(self.tr("Gathering the open items…"))
        after_paint(self, functools.partial(self._load_if_current, project))

    def _load_if_current(self, project: Project) -> None:
        if project is self.project and not self.loaded:
            self.load_now()

    def load_now(self) -> None:
        """Read the items and the filters' choices (owners, sources) now."""
        self.loaded = True
        page = self._read(choices=True)
        self._fill_filters(page)
        self._show(page)

    def _read(self, choices: bool = False) -> ActionPage:
        project = self.project
        if project is None:
            return ActionPage([], 0, 0, [], [])
        source = self.source_box.currentData() or ""
        try:
            return action_page(
                project,
                owner=self.owner_box.currentData() or "",
                sources=[source] if source else [],
                within_days=self.window_box.currentData(),
                today=self.today,
                limit=SHOWN,
                choices=choices,
            )
        except IsmsError:
            return ActionPage([], 0, 0, [], [])

    def _fill_filters(self, page: ActionPage) -> None:
        owner = self.owner_box.currentData()
        source = self.source_box.currentData()
        for box in (self.owner_box, self.source_box):
            box.blockSignals(True)
            box.clear()
        self.owner_box.addItem(self.tr("Anyone"), "")
        for name in page.owners:
            self.owner_box.addItem(name, name)
        self.source_box.addItem(self.tr("All sources"), "")
        for key in sorted(page.sources, key=lambda s: SOURCE_LABELS.get(s, s)):
            self.source_box.addItem(self.tr(SOURCE_LABELS.get(key, key)), key)
        for box, value in ((self.owner_box, owner), (self.source_box, source)):
            found = box.findData(value) if value is not None else 0
            box.setCurrentIndex(max(0, found))
            box.blockSignals(False)

    def filtered(self) -> list[ActionItem]:
        """The items listed (the first ``SHOWN`` of those the filters let through)."""
        return list(self.model.items)

    def _apply(self) -> None:
        if self.loaded:
            self._show(self._read())

    def _show(self, page: ActionPage) -> None:
        self.page = page
        self.model.set_items(page.items, self.today)
        if not page.total:
            text = self.tr("Nothing open with a due date")
        elif page.total > len(page.items):
            text = self.tr(
                "{0} open items, {1} overdue — the first {2} shown; narrow the filters for others"
            ).format(f"{page.total:,}", f"{page.overdue:,}", len(page.items))
        elif page.total == 1:
            text = self.tr("1 open item, {0} overdue").format(page.overdue)
        else:
            text = self.tr("{0} open items, {1} overdue").format(page.total, page.overdue)
        self.count_label.setText(text)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            item = self.model.items[index.row()]
            self.record_chosen.emit(item.register, item.code)

"""Protection needs on the Assets tab: each asset's own C/I/A values and what it inherits
from the assets that depend on it (the maximum principle), with where it comes from."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services.asset_needs import AssetNeeds, level_name, needs
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.translation import QT_TRANSLATE_NOOP

HEADERS = (
    QT_TRANSLATE_NOOP("AssetNeedsPage", "Code"),
    QT_TRANSLATE_NOOP("AssetNeedsPage", "Asset"),
    QT_TRANSLATE_NOOP("AssetNeedsPage", "Confidentiality"),
    QT_TRANSLATE_NOOP("AssetNeedsPage", "Integrity"),
    QT_TRANSLATE_NOOP("AssetNeedsPage", "Availability"),
    QT_TRANSLATE_NOOP("AssetNeedsPage", "Inherited from"),
)
COL_CODE, COL_FROM = 0, 5
RAISED = QColor("#fff3cd")  # a value raised by a dependent asset


def _value(value: int) -> str:
    """A C/I/A value as the asset register's number and its name ("3 High")."""
    return f"{value} {level_name(value)}" if value else level_name(value)


class AssetNeedsPage(QWidget):
    asset_chosen = Signal(str)  # an asset's code (double-clicked: show it in the register)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "An asset must be protected as well as the assets that depend on it need: a "
                "server that runs a confidential application inherits its confidentiality. "
                "Shaded values were raised that way; the last column says by which assets. "
                "Values read own → effective, numbered as in the asset register (1 Low to 4 "
                "Very high). Double-click an asset to show it in the register."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.summary = QLabel(self)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("AssetNeedsPage", h) for h in HEADERS]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._double_clicked)
        layout.addWidget(self.table, 1)
        self.rows: list[AssetNeeds] = []
        self._project: Project | None = None
        self._dirty = False

    def set_project(self, project: Project | None, _info: Any = None) -> None:
        """Show ``project``'s assets: now if the page is on screen, else when next shown
        (10,000 assets take a second to lay out; opening a project should not wait)."""
        self._project = project
        self._dirty = project is not None and not self.isVisible()
        if not self._dirty:
            self._load(project)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._dirty:
            self._dirty = False
            self._load(self._project)

    def _load(self, project: Project | None) -> None:
        try:
            self.rows = needs(project) if project is not None else []
        except IsmsError:
            self.rows = []
        self.table.setRowCount(len(self.rows))
        names = {asset.code: asset.name for asset in self.rows}
        for row, asset in enumerate(self.rows):
            cells = [asset.code, asset.name]
            raised = []
            for prop in ("confidentiality", "integrity", "availability"):
                own, eff = getattr(asset.own, prop), getattr(asset.effective, prop)
                text = _value(eff) if own == eff else f"{_value(own)} → {_value(eff)}"
                cells.append(text)
                raised.append(own != eff)
            # by code and name: a code alone sends the reader to the register to look it up
            named = [f"{code} {names.get(code, '')}".strip() for code in asset.raised_by]
            cells.append("; ".join(named))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == COL_FROM and asset.raised_by:
                    item.setToolTip("\n".join(named))
                if 2 <= column <= 4 and raised[column - 2]:
                    item.setBackground(QBrush(RAISED))
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # a long list of assets raising one is read in its tooltip, not by widening the table
        if self.table.columnWidth(COL_FROM) > 320:
            self.table.setColumnWidth(COL_FROM, 320)
        inherited = sum(1 for a in self.rows if a.inherited)
        self.summary.setText(
            self.tr(
                "{0} of {1} assets inherit higher needs from assets that depend on them."
            ).format(inherited, len(self.rows))
        )

    def _double_clicked(self, row: int, _column: int) -> None:
        item = self.table.item(row, COL_CODE)
        if item is not None:
            self.asset_chosen.emit(item.text())

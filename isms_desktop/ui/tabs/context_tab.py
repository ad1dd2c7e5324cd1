"""The Context & Scope tab (placeholder): what the area is for and what it will hold.

It already lists the people and their roles (clause 5.3), which the services provide.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services.projects import people
from isms_desktop.ui.tabs.base import READABLE_WIDTH, PlaceholderAreaTab, ProjectInfo


class ContextTab(PlaceholderAreaTab):
    key: ClassVar[str] = "context"
    registers: ClassVar[tuple[str, ...]] = ("context", "parties", "scope", "processes", "people")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people_box = QGroupBox(self.tr("People and their roles (5.3)"), self)
        self.people_box.setMaximumWidth(READABLE_WIDTH)
        layout = QVBoxLayout(self.people_box)
        self.people_table = QTableWidget(0, 2, self.people_box)
        self.people_table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role")])
        self.people_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people_table.verticalHeader().setVisible(False)
        # Qt's default row height leaves much air around one line of text.
        self.people_table.verticalHeader().setDefaultSectionSize(
            self.people_table.fontMetrics().height() + 10
        )
        self.people_table.setAlternatingRowColors(True)
        header = self.people_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.people_table)
        # Before the note, which stays last on the page.
        self.body.insertWidget(self.body.indexOf(self.note_label), self.people_box)

    def show_info(self, info: ProjectInfo | None) -> None:
        super().show_info(info)
        rows: list[tuple[int, str, str]] = []
        if self.project is not None:
            try:
                rows = people(self.project)
            except IsmsError:
                # The counts above already tell that something is there; no second dialog.
                rows = []
        self.people_table.setRowCount(len(rows))
        for row, (_id, name, role) in enumerate(rows):
            self.people_table.setItem(row, 0, QTableWidgetItem(name))
            self.people_table.setItem(row, 1, QTableWidgetItem(role))
        self.people_box.setVisible(bool(rows))
        if rows:
            # Show every row without an inner scroll bar; the page itself scrolls.
            table = self.people_table
            height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
            height += sum(table.rowHeight(r) for r in range(len(rows)))
            self.people_table.setFixedHeight(height)

    def title(self) -> str:
        return self.tr("Context & Scope")

    def description(self) -> str:
        return self.tr(
            "Context & Scope — the internal and external issues and the interested parties that "
            "shape the ISMS (clauses 4.1 and 4.2), its boundaries (4.3) and the processes it needs"
            " (4.4)."
        )

    def planned_records(self) -> list[str]:
        return [
            self.tr("Internal and external issues, including climate-related ones (4.1)"),
            self.tr("Interested parties and their requirements (4.2)"),
            self.tr(
                "Scope boundaries, interfaces, dependencies and exclusions, and the scope "
                "statement (4.3)"
            ),
            self.tr("The ISMS processes with owners, inputs and outputs (4.4)"),
            self.tr("Roles, responsibilities and the people who hold them (5.3)"),
        ]

"""The Context & Scope tab: issues, interested parties, scope, processes, leadership and people.

Its eleven pages are five sub-tabs, in the order of the standard that the user works in:
the scope statement, issues and interested parties with their requirements (4.1, 4.2), the
scope's boundaries (4.3), the processes with their interactions and diagram (4.4), and
leadership: commitments, roles and people (5.1–5.3). Every one shows at 1024 px wide.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QWidget

from isms_desktop.ui.tabs.page_groups import GroupedAreaTab


class ContextTab(GroupedAreaTab):
    key: ClassVar[str] = "context"
    registers: ClassVar[tuple[str, ...]] = (
        "context",
        "parties",
        "requirements",
        "scope",
        "processes",
        "interactions",
        "roles",
        "commitments",
        "people",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from isms_desktop.ui.diagram.diagram_page import ProcessDiagramPage

        self.diagram = ProcessDiagramPage(self)  # clause 4.4: the processes and interactions
        self.records_changed.connect(
            lambda register: (
                self.diagram.reload()
                if register in ("processes", "interactions", "people")
                else None
            )
        )
        from isms_desktop.ui.icons import action_icon

        self.diagram.view.process_opened.connect(self.open_process)
        index = self.add_page(self.tr("Process Diagram"), self.diagram)
        self.pages.setTabIcon(index, action_icon("diagram"))
        from isms_desktop.ui.scope_page import ScopePage

        self.scope_page = ScopePage(self)  # clause 4.3: the profile and the scope statement
        self.add_page(self.tr("Scope Statement"), self.scope_page)
        self.scope_page.scope_register_wanted.connect(lambda: self.show_register("scope"))
        page = self._page_of
        self.group_pages(
            [
                (self.tr("Scope Statement"), [self.scope_page]),
                (
                    self.tr("Issues & Parties"),
                    [page["context"], page["parties"], page["requirements"]],
                ),
                (self.tr("Scope"), [page["scope"]]),
                (self.tr("Processes"), [page["processes"], page["interactions"], self.diagram]),
                (self.tr("Leadership"), [page["commitments"], page["roles"], page["people"]]),
            ]
        )

    def open_process(self, code: str) -> None:
        """Show a process's record on the Processes tab (from a double-click in the diagram)."""
        view = self.show_register("processes")
        view.select_code(code)

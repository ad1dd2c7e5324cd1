"""The Context & Scope tab: issues, interested parties, scope, processes, leadership and people."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QWidget

from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class ContextTab(RegisterAreaTab):
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
        self.pages.insertTab(0, self.scope_page, self.tr("Scope Statement"))
        self.scope_page.scope_register_wanted.connect(lambda: self.show_register("scope"))
        self.pages.setCurrentIndex(0)

    def open_process(self, code: str) -> None:
        """Show a process's record on the Processes tab (from a double-click in the diagram)."""
        view = self.show_register("processes")
        view.select_code(code)

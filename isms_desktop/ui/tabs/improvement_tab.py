"""The Improvement tab: nonconformities, all actions and incidents."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QTreeWidgetItem, QWidget

from isms_desktop.services.projects import Project
from isms_desktop.ui.improvement.incident_panel import IncidentPanel
from isms_desktop.ui.improvement.nonconformity_panel import NonconformityPanel
from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.tabs.base import ProjectInfo
from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class _DetailSplitter(QSplitter):
    """The register and its workflow panel; the panel's width follows the window's until
    the user drags the handle (a fixed 440 px left a wide screen's panel a narrow column
    of wrapped lines)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.dragged = False
        self.splitterMoved.connect(self._moved)

    def _moved(self, *_args: object) -> None:
        self.dragged = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = event.size().width()
        if not self.dragged and width > 0 and self.count() == 2:
            panel = max(440, min(640, int(width * 0.34)))
            self.blockSignals(True)  # (setSizes is no drag)
            self.setSizes([max(width - panel, 1), panel])
            self.blockSignals(False)


class ImprovementTab(RegisterAreaTab):
    key: ClassVar[str] = "improvement"
    registers: ClassVar[tuple[str, ...]] = ("nonconformities", "actions", "incidents")

    def make_page(self, name: str, view: RegisterView) -> QWidget:
        """Nonconformities and incidents get their workflow panel beside the register."""
        panel: QWidget
        if name == "nonconformities":
            panel = self.nc_panel = NonconformityPanel(view)
            # an action of the panel opens where its owner, due date and progress are edited
            panel.actions_tree.itemActivated.connect(self._action_activated)
        elif name == "incidents":
            panel = self.incident_panel = IncidentPanel(view)
        else:
            return view
        # the workflow panel takes the room beside the table; the files of the selected
        # record open with the Attachments button (at 1024 px both left the table three
        # columns)
        view.attachments_button.setChecked(False)
        splitter = _DetailSplitter(self)
        splitter.addWidget(view)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setCollapsible(0, False)
        panel.setMinimumWidth(340)
        splitter.setSizes([10_000, 440])
        return splitter

    def open_action(self, code: str) -> bool:
        """Show a corrective action in All Actions (to set its owner, date or progress)."""
        view = self.show_register("actions")
        view.clear_filters()
        return view.select_code(code)

    def _action_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        code = item.data(0, Qt.ItemDataRole.UserRole)
        if code:
            self.open_action(str(code))

    def set_project(self, project: Project | None, info: ProjectInfo | None) -> None:
        super().set_project(project, info)
        self.nc_panel.set_project(project, info)
        self.incident_panel.set_project(project, info)

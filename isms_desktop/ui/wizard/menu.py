"""The Project menu of the main window: the setup wizard and the risk method editor.

Installed by the main window with one call; the actions follow the open project through the
window's ``project_opened``/``project_closed`` signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from isms_desktop.services.projects import Project
from isms_desktop.ui.icons import action_icon

if TYPE_CHECKING:  # (the dialogs' modules load when first opened, not with the window)
    from isms_desktop.ui.risk.method_editor import RiskMethodEditor
    from isms_desktop.ui.wizard.setup_wizard import SetupWizard


class ProjectMenu(QObject):
    """Owns the actions and the (window-modal, non-blocking) dialogs they open."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.wizard: SetupWizard | None = None
        self.method_editor: RiskMethodEditor | None = None
        menu = window.menuBar().addMenu(self.tr("&Project"))
        menu.setToolTipsVisible(True)
        self.setup_wizard_action = QAction(self.tr("Setup &Wizard…"), window)
        self.setup_wizard_action.setStatusTip(
            self.tr("Walk through the organisation, its issues, parties, scope and risk method")
        )
        self.setup_wizard_action.setToolTip(self.setup_wizard_action.statusTip())
        self.setup_wizard_action.triggered.connect(self.open_setup_wizard)
        self.risk_method_action = QAction(self.tr("Risk &Method…"), window)
        self.risk_method_action.setStatusTip(
            self.tr("Scales, risk matrix and acceptance criteria (clause 6.1.2)")
        )
        self.risk_method_action.setToolTip(self.risk_method_action.statusTip())
        self.risk_method_action.triggered.connect(self.open_risk_method)
        self.setup_wizard_action.setIcon(action_icon("wizard"))
        self.risk_method_action.setIcon(action_icon("risk-method"))
        menu.addAction(self.setup_wizard_action)
        menu.addAction(self.risk_method_action)
        self.menu = menu
        for signal in ("project_opened", "project_closed"):
            getattr(window, signal).connect(self.update_state)
        self.update_state()

    def _project(self) -> Project | None:
        project = getattr(self.window, "project", None)
        return project if isinstance(project, Project) else None

    def update_state(self) -> None:
        project = self._project()
        writable = project is not None and not project.read_only
        self.setup_wizard_action.setEnabled(writable)
        self.risk_method_action.setEnabled(project is not None)
        if project is None:
            for dialog in (self.wizard, self.method_editor):
                if dialog is not None:
                    dialog.close()
            self.wizard = self.method_editor = None

    def _changed(self) -> None:
        refresh = getattr(self.window, "refresh", None)
        if callable(refresh):
            refresh()

    def open_setup_wizard(self) -> SetupWizard | None:
        project = self._project()
        if project is None or project.read_only:
            return None
        from isms_desktop.ui.wizard.setup_wizard import SetupWizard

        self.wizard = SetupWizard(project, self.window)
        self.wizard.finished.connect(lambda _result: self._changed())
        self.wizard.open()
        return self.wizard

    def open_risk_method(self) -> RiskMethodEditor | None:
        project = self._project()
        if project is None:
            return None
        from isms_desktop.ui.risk.method_editor import RiskMethodEditor

        self.method_editor = RiskMethodEditor(project, self.window)
        self.method_editor.saved.connect(lambda _change: self._changed())
        self.method_editor.open()
        return self.method_editor


def install_project_menu(window: QMainWindow) -> ProjectMenu:
    return ProjectMenu(window)

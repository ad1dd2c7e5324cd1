"""The Documents menu of the main window ("Draft a policy…"), installed with one call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from isms_desktop.storage.project_file import Project
from isms_desktop.ui.icons import action_icon

if TYPE_CHECKING:  # (the dialogs' modules load when first opened, not with the window)
    from isms_desktop.ui.documents.policy_wizard import PolicyWizard


class DocumentDialog(QDialog):
    """A document's detail panel in a window of its own."""

    def __init__(self, project: Project, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        layout = QVBoxLayout(self)
        from isms_desktop.ui.documents.document_panel import DocumentPanel
        from isms_desktop.ui.screen_fit import fitting_size

        self.panel = DocumentPanel(project, code, self)
        layout.addWidget(self.panel)
        self.resize(fitting_size(self, 1100, 760))  # no larger than the screen
        self._show_title()
        self.panel.changed.connect(lambda _code: self._show_title())
        self.panel.modified_changed.connect(lambda _modified: self._show_title())
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.activated.connect(self._save_shortcut)

    def _show_title(self) -> None:
        """Code and title, with a leading "*" while the text has unsaved changes."""
        detail = self.panel.detail
        code = self.panel.code
        title = f"{code} · {detail.title}" if detail is not None and detail.title else code
        self.setWindowTitle(f"*{title}" if self.panel.has_unsaved_text() else title)

    def _save_shortcut(self) -> None:
        if self.panel.has_unsaved_text():
            self.panel.save_text()

    def reject(self) -> None:
        """Closing with the draft's text changed and not saved asks what to do with it."""
        if self.panel.has_unsaved_text():
            answer = QMessageBox.question(
                self,
                self.tr("Unsaved Text"),
                self.tr("The text of {0} was changed. Save it before closing?").format(
                    self.panel.code
                ),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.panel.save_text():
                return
        super().reject()


def open_policy_wizard(window: QMainWindow, project: Project | None) -> PolicyWizard | None:
    """Show the drafting wizard; the saved draft opens in its detail window."""
    if project is None:
        QMessageBox.information(
            window, window.tr("Draft a policy"), window.tr("Open or create a project first.")
        )
        return None
    from isms_desktop.ui.documents.policy_wizard import PolicyWizard

    wizard = PolicyWizard(project, window)

    def show_saved(code: str) -> None:
        dialog = DocumentDialog(project, code, window)
        dialog.show()
        refresh = getattr(window, "refresh", None)
        if callable(refresh):
            refresh()
            # submitting or approving it there shows in the register and the dashboard
            dialog.panel.changed.connect(lambda _code: refresh())

    wizard.saved.connect(show_saved)
    wizard.show()
    return wizard


def install_documents_menu(window: QMainWindow) -> QAction:
    """Add Documents ▸ Draft a policy… to ``window`` (which has a ``project`` property)."""
    menu = window.menuBar().addMenu(window.tr("&Documents"))
    action = menu.addAction(window.tr("&Draft a Policy…"))
    action.setObjectName("draft_policy_action")
    action.setIcon(action_icon("wizard"))
    action.setStatusTip(window.tr("Draft a policy from a template (clause 5.2)"))
    action.triggered.connect(lambda: open_policy_wizard(window, getattr(window, "project", None)))
    return action

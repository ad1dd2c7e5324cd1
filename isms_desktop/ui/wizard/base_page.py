"""What every setup wizard page shares: the clause in plain words, checks, saving on Next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizardPage

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services.projects import Project

if TYPE_CHECKING:
    from isms_desktop.ui.wizard.setup_wizard import SetupWizard


class PageProblem(IsmsError):
    """Something on the page must be fixed before moving on."""


class WizardPage(QWizardPage):
    """A page that loads from the project when shown and saves through services on Next."""

    def __init__(self, title: str, explanation: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(explanation)
        self.outer = QVBoxLayout(self)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("wizard_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("QLabel { color: #b71c1c; font-weight: bold; }")
        self.error_label.hide()
        # Set when going Back could not save the page: coming forward again keeps what is on
        # the page instead of reloading the project (which would drop the unsaved rows).
        self._unsaved = False

    def finish_layout(self) -> None:
        """Put the error line last (subclasses call this after adding their widgets)."""
        self.outer.addWidget(self.error_label)

    @property
    def setup(self) -> SetupWizard:
        from isms_desktop.ui.wizard.setup_wizard import SetupWizard

        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return wizard

    @property
    def project(self) -> Project:
        return self.setup.project

    def clear_problem(self) -> None:
        self.show_problem("")

    def show_problem(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def load(self) -> None:
        """Fill the page from the project."""

    def save(self) -> None:
        """Check the page and write it; raise ``IsmsError`` (e.g. ``PageProblem``) to stay."""

    def initializePage(self) -> None:
        if self._unsaved:
            self._unsaved = False
            return
        self.show_problem("")
        try:
            self.load()
        except IsmsError as exc:
            self.show_problem(str(exc))

    def validatePage(self) -> bool:
        if self.project.read_only:
            return True
        try:
            self.save()
        except IsmsError as exc:
            self.show_problem(str(exc))
            return False
        self.show_problem("")
        self.setup.page_saved(self)
        return True

    def cleanupPage(self) -> None:
        # Going Back saves what was typed here; what cannot be saved yet (a row still
        # without its description, say) stays on the page for when the user comes back.
        self._unsaved = False
        if self.project.read_only:
            return
        try:
            self.save()
        except IsmsError:
            self._unsaved = True

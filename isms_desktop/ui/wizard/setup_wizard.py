"""The setup wizard: profile → issues → parties → scope → risk method → summary.

Each page saves through the services when the user moves on, so Cancel loses nothing already
saved, and the page reached is remembered: opening the wizard again resumes there.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget, QWizard, QWizardPage

from isms_desktop.services import wizard
from isms_desktop.services.projects import Project
from isms_desktop.services.wizard import Progress
from isms_desktop.ui.screen_fit import fitting_size
from isms_desktop.ui.wizard.base_page import WizardPage
from isms_desktop.ui.wizard.context_page import ContextPage
from isms_desktop.ui.wizard.method_page import MethodPage
from isms_desktop.ui.wizard.parties_page import PartiesPage
from isms_desktop.ui.wizard.profile_page import ProfilePage
from isms_desktop.ui.wizard.scope_page import ScopePage
from isms_desktop.ui.wizard.summary_page import SummaryPage


class SetupWizard(QWizard):
    """Guides a new user through clauses 4.1–4.3 and the choice of a risk method."""

    def __init__(self, project: Project, parent: QWidget | None = None, *, resume: bool = True):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("Set Up the ISMS"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        # no larger than the screen: at 1024 × 700 Next and Finish must stay in view
        self.resize(fitting_size(self, 1040, 720))
        self.profile_page = ProfilePage()
        self.context_page = ContextPage()
        self.parties_page = PartiesPage()
        self.scope_page = ScopePage()
        self.method_page = MethodPage()
        self.summary_page = SummaryPage()
        self.pages: list[WizardPage] = [
            self.profile_page,
            self.context_page,
            self.parties_page,
            self.scope_page,
            self.method_page,
            self.summary_page,
        ]
        for page in self.pages:
            self.addPage(page)
        self.restart()
        if resume:
            self.resume()

    def resume(self) -> None:
        """Move on to the page reached last time, as long as the pages before it still pass."""
        state = wizard.progress(self.project)
        if state.completed:
            return
        target = min(state.page, len(self.pages) - 1)
        while self.currentId() < target:
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                break

    def page_saved(self, page: QWizardPage) -> None:
        """Remember how far the user got (the page after this one)."""
        index = self.pages.index(page)  # type: ignore[arg-type]
        state = wizard.progress(self.project)
        reached = max(state.page, index + 1) if not state.completed else state.page
        if reached != state.page:
            wizard.save_progress(
                self.project,
                Progress(
                    completed=state.completed,
                    page=reached,
                    climate_relevant=state.climate_relevant,
                    climate_note=state.climate_note,
                ),
            )

    def accept(self) -> None:
        if not self.project.read_only:
            state = wizard.progress(self.project)
            wizard.save_progress(
                self.project,
                Progress(
                    completed=True,
                    page=0,
                    climate_relevant=state.climate_relevant,
                    climate_note=state.climate_note,
                ),
            )
        super().accept()

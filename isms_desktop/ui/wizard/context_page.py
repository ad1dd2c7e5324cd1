"""Wizard page 2: internal and external issues (clause 4.1) and the climate-change question."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.register_specs import ISSUE_CATEGORIES
from isms_desktop.services import projects, registers, wizard
from isms_desktop.services.wizard import IssueIdea, Progress, RowEntry
from isms_desktop.ui.wizard.base_page import PageProblem, WizardPage
from isms_desktop.ui.wizard.record_table import Column, RecordTable
from isms_desktop.ui.wizard.suggestion_list import SuggestionList

KINDS = (("internal", "Internal"), ("external", "External"))


def category_choices() -> tuple[tuple[str, str], ...]:
    return (("", "—"), *tuple((c, c.capitalize()) for c in ISSUE_CATEGORIES))


class ContextPage(WizardPage):
    def __init__(self) -> None:
        super().__init__(
            self.tr("Internal and External Issues (4.1)"),
            self.tr(
                "Clause 4.1 asks what, inside and outside the organisation, affects what the ISMS "
                "must achieve: laws, customers, threats, technology, staff, culture. Since 2024 "
                "it also asks you to decide whether climate change is a relevant issue."
            ),
        )
        splitter = QSplitter(self)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.table = RecordTable(
            [
                Column("kind", self.tr("Internal/External"), "choice", KINDS, width=120),
                Column("category", self.tr("Category"), "choice", category_choices(), width=130),
                Column("description", self.tr("Issue"), required=True),
                Column("climate_related", self.tr("Climate"), "bool", width=64),
            ],
            left,
        )
        left_layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add Issue"), left)
        self.remove_button = QPushButton(self.tr("Re&move"), left)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        self.suggestions = SuggestionList(self.tr("Typical issues for your sector"), splitter)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.outer.addWidget(splitter, 1)

        climate = QGroupBox(self.tr("Is climate change a relevant issue for your organisation?"))
        climate_layout = QHBoxLayout(climate)
        self.climate_yes = QRadioButton(self.tr("&Yes"), climate)
        self.climate_no = QRadioButton(self.tr("N&o"), climate)
        self.climate_group = QButtonGroup(self)
        self.climate_group.addButton(self.climate_yes)
        self.climate_group.addButton(self.climate_no)
        self.climate_note = QLineEdit(climate)
        self.climate_note.setPlaceholderText(
            self.tr("Why (e.g. flooding near the data centre; no relevant exposure)")
        )
        climate_layout.addWidget(self.climate_yes)
        climate_layout.addWidget(self.climate_no)
        climate_layout.addWidget(self.climate_note, 1)
        self.outer.addWidget(climate)
        self.table.edited.connect(self.clear_problem)
        self.finish_layout()

        self.add_button.clicked.connect(
            lambda: self.table.add_row({"kind": "internal", "climate_related": False})
        )
        self.remove_button.clicked.connect(self.table.remove_selected)
        self.suggestions.chosen.connect(lambda: self.adopt(self.suggestions.taken))

    def load(self) -> None:
        rows = registers.list_rows(self.project, "context")
        self.table.set_rows(
            [
                RowEntry(
                    r.code,
                    {
                        name: r.values[name]
                        for name in ("kind", "category", "description", "climate_related")
                    },
                )
                for r in rows
            ]
        )
        sector = projects.profile(self.project).sector
        self.suggestions.set_suggestions(
            [
                (
                    ("★ " if idea.for_sector else "")
                    + f"{idea.text} ({idea.kind}, {idea.category})",
                    idea.text,
                    idea,
                )
                for idea in wizard.issue_ideas(sector)
            ]
        )
        state = wizard.progress(self.project)
        relevant = state.climate_relevant
        if relevant is None and any(r.values["climate_related"] for r in rows):
            # issues marked climate-related (in the register, or imported) already answer it
            relevant = True
        self.climate_group.setExclusive(False)
        self.climate_yes.setChecked(relevant is True)
        self.climate_no.setChecked(relevant is False)
        self.climate_group.setExclusive(True)
        self.climate_note.setText(state.climate_note)

    def adopt(self, ideas: list[Any]) -> None:
        present = {self.table.value(r, "description") for r in range(self.table.rowCount())}
        for idea in ideas:
            assert isinstance(idea, IssueIdea)
            if idea.text in present:
                continue
            self.table.add_row(
                {
                    "kind": idea.kind,
                    "category": idea.category,
                    "description": idea.text,
                    "climate_related": idea.climate_related,
                }
            )
            if idea.climate_related:
                self.climate_yes.setChecked(True)

    def climate_answer(self) -> bool | None:
        if self.climate_yes.isChecked():
            return True
        if self.climate_no.isChecked():
            return False
        return None

    def save(self) -> None:
        self.table.save(self.project, "context")
        answer = self.climate_answer()
        state = wizard.progress(self.project)
        wizard.save_progress(
            self.project,
            Progress(
                completed=state.completed,
                page=state.page,
                climate_relevant=answer,
                climate_note=self.climate_note.text().strip(),
            ),
        )
        kinds = [self.table.value(r, "kind") for r in range(self.table.rowCount())]
        if "internal" not in kinds or "external" not in kinds:
            raise PageProblem(self.tr("Record at least one internal and one external issue."))
        if answer is None:
            raise PageProblem(self.tr("Answer the climate-change question."))
        climate_rows = [
            r for r in range(self.table.rowCount()) if self.table.value(r, "climate_related")
        ]
        if answer and not climate_rows:
            raise PageProblem(
                self.tr(
                    "You said climate change is relevant: tick “Climate” on at least one issue "
                    "(or add one, e.g. extreme weather)."
                )
            )
        if not answer and not self.climate_note.text().strip():
            raise PageProblem(
                self.tr("Say briefly why climate change is not relevant; an auditor will ask.")
            )

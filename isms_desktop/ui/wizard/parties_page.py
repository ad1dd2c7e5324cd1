"""Wizard page 3: interested parties, their requirements, and which the ISMS addresses (4.2)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.register_specs import REQUIREMENT_TYPES
from isms_desktop.services import projects, registers, wizard
from isms_desktop.services.wizard import PartyIdea, RowEntry
from isms_desktop.ui.wizard.base_page import PageProblem, WizardPage
from isms_desktop.ui.wizard.context_page import KINDS
from isms_desktop.ui.wizard.record_table import Column, RecordTable
from isms_desktop.ui.wizard.suggestion_list import SuggestionList

TYPES = (("", "—"), *tuple((t, t.capitalize()) for t in REQUIREMENT_TYPES))


def _buttons(parent: QWidget, *labels: str) -> tuple[QHBoxLayout, list[QPushButton]]:
    row = QHBoxLayout()
    made = [QPushButton(label, parent) for label in labels]
    for button in made:
        row.addWidget(button)
    row.addStretch(1)
    return row, made


class PartiesPage(WizardPage):
    def __init__(self) -> None:
        super().__init__(
            self.tr("Interested Parties and Their Requirements (4.2)"),
            self.tr(
                "Clause 4.2 asks who has a stake in your information security — customers, staff, "
                "authorities, suppliers — what each of them requires (laws, contracts, "
                "expectations), and which of these requirements the ISMS will address."
            ),
        )
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        tables = QWidget(splitter)
        layout = QVBoxLayout(tables)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Interested parties:"), tables))
        self.parties = RecordTable(
            [
                Column("name", self.tr("Party"), required=True),
                Column("kind", self.tr("Internal/External"), "choice", KINDS, width=120),
                Column("relevant", self.tr("Relevant"), "bool", width=70),
            ],
            tables,
        )
        layout.addWidget(self.parties, 2)
        row, (self.add_party_button, self.remove_party_button) = _buttons(
            tables, self.tr("Add &Party"), self.tr("Remove Party")
        )
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("Their requirements:"), tables))
        self.requirements = RecordTable(
            [
                Column("party", self.tr("Party"), "choice", (), width=150, required=True),
                Column("requirement", self.tr("Requirement"), required=True),
                Column("type", self.tr("Type"), "choice", TYPES, width=100),
                Column("addressed", self.tr("Addressed"), "bool", width=76),
                # the two texts share the room (How no longer squeezed Requirement to a word)
                Column("how_addressed", self.tr("How"), min_width=100),
            ],
            tables,
        )
        layout.addWidget(self.requirements, 3)
        row, (self.add_requirement_button, self.remove_requirement_button) = _buttons(
            tables, self.tr("Add &Requirement"), self.tr("Remove Requirement")
        )
        layout.addLayout(row)
        self.suggestions = SuggestionList(self.tr("Typical parties for your sector"), splitter)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.outer.addWidget(splitter, 1)
        self.parties.edited.connect(self.clear_problem)
        self.requirements.edited.connect(self.clear_problem)
        self.finish_layout()

        self.parties.edited.connect(self._party_choices)
        self.add_party_button.clicked.connect(
            lambda: self.parties.add_row({"kind": "external", "relevant": True})
        )
        self.remove_party_button.clicked.connect(self.remove_parties)
        self.add_requirement_button.clicked.connect(self.add_requirement)
        self.remove_requirement_button.clicked.connect(self.requirements.remove_selected)
        self.suggestions.chosen.connect(lambda: self.adopt(self.suggestions.taken))

    # -- the two tables ----------------------------------------------------------------------

    def _party_choices(self) -> None:
        choices = [
            (self.parties.key(r), self.parties.value(r, "name") or self.tr("(unnamed)"))
            for r in range(self.parties.rowCount())
        ]
        self.requirements.set_choices("party", choices)

    def _party_row(self, key: str) -> int:
        for row in range(self.parties.rowCount()):
            if self.parties.key(row) == key:
                return row
        return -1

    def add_requirement(self) -> None:
        row = self.parties.currentRow()
        key = self.parties.key(row) if row >= 0 else ""
        self.requirements.add_row({"party": key, "addressed": True})

    def remove_parties(self) -> None:
        """Remove the selected parties and, with them, their requirements."""
        rows = [index.row() for index in self.parties.selectionModel().selectedRows()]
        keys = {self.parties.key(r) for r in rows}
        self.requirements.remove_rows(
            [
                r
                for r in range(self.requirements.rowCount())
                if self.requirements.value(r, "party") in keys
            ]
        )
        self.parties.remove_rows(rows)
        self._party_choices()

    def adopt(self, ideas: list[Any]) -> None:
        names = {self.parties.value(r, "name"): r for r in range(self.parties.rowCount())}
        for idea in ideas:
            assert isinstance(idea, PartyIdea)
            row = names.get(idea.name)
            if row is None:
                row = self.parties.add_row({"name": idea.name, "kind": idea.kind, "relevant": True})
                names[idea.name] = row
            key = self.parties.key(row)
            present = {
                self.requirements.value(r, "requirement")
                for r in range(self.requirements.rowCount())
                if self.requirements.value(r, "party") == key
            }
            for requirement in idea.requirements:
                if requirement.text not in present:
                    self.requirements.add_row(
                        {
                            "party": key,
                            "requirement": requirement.text,
                            "type": requirement.type,
                            "addressed": True,
                        }
                    )

    # -- loading and saving ------------------------------------------------------------------

    def load(self) -> None:
        parties = registers.list_rows(self.project, "parties")
        self.parties.set_rows(
            [
                RowEntry(
                    p.code,
                    {
                        "name": p.values["name"],
                        "kind": p.values["kind"],
                        "relevant": p.values["relevant"],
                    },
                )
                for p in parties
            ]
        )
        key_of = {self.parties.code(r): self.parties.key(r) for r in range(self.parties.rowCount())}
        self._party_choices()
        self.requirements.set_rows(
            [
                RowEntry(
                    q.code,
                    {
                        "party": key_of.get(q.values["party"], ""),
                        "requirement": q.values["requirement"],
                        "type": q.values["type"],
                        "addressed": q.values["addressed"],
                        "how_addressed": q.values["how_addressed"],
                    },
                )
                for q in registers.list_rows(self.project, "requirements")
            ]
        )
        sector = projects.profile(self.project).sector
        self.suggestions.set_suggestions(
            [
                (
                    ("★ " if idea.for_sector else "") + idea.name,
                    "\n".join(f"• {r.text}" for r in idea.requirements),
                    idea,
                )
                for idea in wizard.party_ideas(sector)
            ]
        )

    def save(self) -> None:
        # Requirements removed first: a party still required by one cannot be deleted.
        self.requirements.save(self.project, "requirements", [])
        self.parties.save(self.project, "parties")
        code_of = {
            self.parties.key(r): self.parties.code(r) for r in range(self.parties.rowCount())
        }
        entries = []
        for entry in self.requirements.entries():
            values = dict(entry.values)
            values["party"] = code_of.get(str(values["party"])) or ""
            entries.append(RowEntry(entry.code, values))
        self.requirements.save(self.project, "requirements", entries)
        if self.parties.rowCount() == 0:
            raise PageProblem(self.tr("Record at least one interested party."))
        if self.requirements.rowCount() == 0:
            raise PageProblem(self.tr("Record at least one requirement of a party."))

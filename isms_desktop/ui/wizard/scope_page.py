"""Wizard page 4: the scope (clause 4.3) — boundaries, interfaces, exclusions, the statement."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.register_specs import SCOPE_KINDS
from isms_desktop.services import projects, registers
from isms_desktop.services.wizard import RowEntry
from isms_desktop.ui.wizard.base_page import PageProblem, WizardPage
from isms_desktop.ui.wizard.profile_page import split_locations
from isms_desktop.ui.wizard.record_table import Column, RecordTable

KIND_LABELS = {
    "location": "Location",
    "organisational_unit": "Organisational unit",
    "business_process": "Business process",
    "technology": "Technology",
    "interface": "Interface",
    "dependency": "Dependency",
    "exclusion": "Exclusion",
}
FIELDS = ("kind", "name", "description", "counterpart", "justification")


class ScopePage(WizardPage):
    def __init__(self) -> None:
        super().__init__(
            self.tr("Scope of the ISMS (4.3)"),
            self.tr(
                "Clause 4.3 asks you to draw the boundaries of the ISMS: which sites, units, "
                "business processes and technology it covers, where it meets outside parties, and "
                "what is left out and why. The scope statement sums this up for certificates."
            ),
        )
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(splitter)
        layout = QVBoxLayout(top)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = RecordTable(
            [
                Column(
                    "kind",
                    self.tr("Kind"),
                    "choice",
                    tuple((k, self.tr(KIND_LABELS[k])) for k in SCOPE_KINDS),
                    width=160,
                ),
                Column("name", self.tr("Name"), required=True),
                Column("description", self.tr("Description")),
                Column("counterpart", self.tr("Outside party"), width=140),
                Column("justification", self.tr("Justification (exclusions)")),
            ],
            top,
        )
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add Boundary"), top)
        self.remove_button = QPushButton(self.tr("Re&move"), top)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.draft_button = QPushButton(self.tr("&Draft the Statement From These"), top)
        row.addWidget(self.draft_button)
        layout.addLayout(row)
        bottom = QWidget(splitter)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel(self.tr("Scope statement (edit freely):"), bottom))
        self.statement_edit = QPlainTextEdit(bottom)
        bottom_layout.addWidget(self.statement_edit)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.outer.addWidget(splitter, 1)
        self.table.edited.connect(self.clear_problem)
        self.finish_layout()
        self.add_button.clicked.connect(lambda: self.table.add_row({"kind": "business_process"}))
        self.remove_button.clicked.connect(self.table.remove_selected)
        self.draft_button.clicked.connect(self.draft)

    def load(self) -> None:
        rows = registers.list_rows(self.project, "scope")
        self.table.set_rows([RowEntry(r.code, {f: r.values[f] for f in FIELDS}) for r in rows])
        profile = projects.profile(self.project)
        if not rows:
            for location in split_locations(profile.locations):
                self.table.add_row({"kind": "location", "name": location})
        self.statement_edit.setPlainText(profile.scope_statement)

    def _save_items(self) -> None:
        self.table.save(self.project, "scope")

    def draft(self) -> None:
        """Save the boundaries and draft the statement from them (replacing the text)."""
        try:
            self._save_items()
        except IsmsError as exc:
            self.show_problem(str(exc))
            return
        self.show_problem("")
        self.statement_edit.setPlainText(projects.draft_scope(self.project))

    def save(self) -> None:
        self._save_items()
        kinds = {self.table.value(r, "kind") for r in range(self.table.rowCount())}
        if "location" not in kinds:
            raise PageProblem(self.tr("Add at least one location the ISMS covers."))
        if not kinds & {"business_process", "organisational_unit"}:
            raise PageProblem(
                self.tr("Add at least one business process or organisational unit it covers.")
            )
        statement = self.statement_edit.toPlainText().strip()
        if not statement:
            statement = projects.draft_scope(self.project)
            self.statement_edit.setPlainText(statement)
        if statement != projects.profile(self.project).scope_statement:
            projects.update_profile(self.project, "scope_statement", statement)

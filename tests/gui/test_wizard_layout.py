"""The setup wizard's tables in a narrow and a laptop-sized wizard, and what its pages preset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from isms_desktop.services import registers, wizard
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.wizard.setup_wizard import SetupWizard

LONG = "Confidentiality of the customer data they upload to the analytics platform"


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as p:
        registers.create(p, "context", {"kind": "internal", "description": "Small IT team"})
        registers.create(
            p,
            "context",
            {
                "kind": "external",
                "description": "Flooding near the office",
                "climate_related": True,
            },
        )
        registers.create(
            p, "parties", {"name": "Information Commissioner's Office", "kind": "external"}
        )
        registers.create(
            p,
            "requirements",
            {
                "party": "IP-001",
                "requirement": LONG,
                "type": "contractual",
                "how_addressed": "Encryption, access control and data processing agreements",
            },
        )
        yield p


def _parties_page(
    qtbot: QtBot, project: Project, width: int, height: int, *, answer_climate: bool = True
) -> SetupWizard:
    w = SetupWizard(project, resume=False)
    qtbot.addWidget(w)
    w.resize(width, height)
    w.show()
    qtbot.waitExposed(w)
    w.profile_page.sector_combo.setCurrentIndex(1)
    w.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: w.currentId() == 1, timeout=5000)
    if answer_climate:
        w.context_page.climate_yes.setChecked(True)
    w.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: w.currentId() == 2, timeout=5000)
    return w


@pytest.mark.parametrize("width", [760, 790])
def test_the_requirement_column_stays_readable_in_a_narrow_wizard(
    qtbot: QtBot, project: Project, width: int
) -> None:
    """Below 800 px the requirements table's Requirement column was a few letters wide
    (the sized columns took all the room); now it keeps its least width, the sized
    columns give way first, and a scroll bar shows the rest."""
    w = _parties_page(qtbot, project, width, 620)
    table = w.parties_page.requirements
    requirement = table.column_index("requirement")
    how = table.column_index("how_addressed")
    qtbot.waitUntil(lambda: table.columnWidth(requirement) >= 160, timeout=5000)
    assert table.columnWidth(how) >= 100
    # the row is as tall as its wrapped text, not a column of single words (rows are
    # fitted once the table has its width: waited for, as the column above)
    line = table.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: table.rowHeight(0) <= 6 * line, timeout=5000)
    assert w.parties_page.parties.columnWidth(0) >= 160


def test_at_laptop_size_the_columns_fill_the_table_without_scrolling(
    qtbot: QtBot, project: Project
) -> None:
    w = _parties_page(qtbot, project, 1024, 700)
    table = w.parties_page.requirements

    def fitted() -> bool:
        total = sum(table.columnWidth(i) for i in range(table.columnCount()))
        return total == table.viewport().width()

    qtbot.waitUntil(fitted, timeout=5000)
    assert table.columnWidth(table.column_index("requirement")) > 160
    assert table.columnWidth(table.column_index("type")) == 100  # sized columns keep theirs
    # rows were sized before the table had its width: three lines, not ten
    line = table.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: table.rowHeight(0) <= 4 * line, timeout=5000)
    party = table.cellWidget(0, table.column_index("party"))
    assert party.toolTip() == "Information Commissioner's Office"  # clipped, so told in full


def test_climate_related_issues_answer_the_climate_question(qtbot: QtBot, project: Project) -> None:
    """A project whose issues are marked climate-related (the demo, an import) stopped the
    wizard at 'Answer the climate-change question' with Yes and No both unticked."""
    assert wizard.progress(project).climate_relevant is None
    w = _parties_page(qtbot, project, 1024, 700, answer_climate=False)
    assert w.context_page.climate_answer() is True
    assert wizard.progress(project).climate_relevant is True


def test_an_answer_given_is_kept_over_the_issues(qtbot: QtBot, project: Project) -> None:
    state = wizard.progress(project)
    wizard.save_progress(
        project,
        wizard.Progress(state.completed, state.page, climate_relevant=False, climate_note="x"),
    )
    w = SetupWizard(project, resume=False)
    qtbot.addWidget(w)
    w.show()
    w.profile_page.sector_combo.setCurrentIndex(1)
    w.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: w.currentId() == 1, timeout=5000)
    assert w.context_page.climate_answer() is False

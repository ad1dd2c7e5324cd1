"""The setup wizard driven page by page on a new project, as a new user would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from isms_desktop.services import projects, registers, risk_method, wizard
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.wizard.setup_wizard import SetupWizard

SHOTS = Path("/tmp/shots")


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as p:
        yield p


def _wizard(qtbot: QtBot, project: Project) -> SetupWizard:
    widget = SetupWizard(project)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _next(widget: SetupWizard) -> int:
    widget.button(QWizard.WizardButton.NextButton).click()
    return widget.currentId()


def _shot(widget: SetupWizard, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / name))


def _check_suggestion(widget: object, text: str) -> None:
    lst = widget.list  # type: ignore[attr-defined]
    for i in range(lst.count()):
        if text in lst.item(i).text():
            lst.item(i).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"no suggestion {text!r}")


def test_the_wizard_writes_every_page(qtbot: QtBot, project: Project) -> None:
    w = _wizard(qtbot, project)
    assert w.currentId() == 0
    # -- profile: a sector is required --------------------------------------------------------
    page = w.profile_page
    page.name_edit.setText("Northwind Ltd")
    page.locations_edit.setPlainText("Leeds head office\nRemote workplaces")
    page.size_combo.setCurrentText("10–49 people")
    assert _next(w) == 0
    assert "sector" in page.error_label.text()
    page.sector_combo.setCurrentIndex(page.sector_combo.findData("finance"))
    page.set_logo(b"\x89PNG not really", "image/png")
    _shot(w, "wizard_1_profile.png")
    assert _next(w) == 1
    profile = projects.profile(project)
    assert (profile.organisation, profile.sector, profile.size) == (
        "Northwind Ltd", "finance", "10–49 people",
    )  # fmt: skip
    assert profile.locations == "Leeds head office; Remote workplaces"
    assert profile.has_logo

    # -- issues: one internal, one external, climate answered ---------------------------------
    ctx = w.context_page
    assert _next(w) == 1
    assert "internal and one external" in ctx.error_label.text()
    assert "★" in ctx.suggestions.list.item(0).text()  # the sector's own first
    _check_suggestion(ctx.suggestions, "DORA")
    _check_suggestion(ctx.suggestions, "Small IT team")
    ctx.suggestions.add_button.click()
    assert ctx.table.rowCount() == 2
    assert _next(w) == 1
    assert "climate" in ctx.error_label.text()
    ctx.climate_yes.setChecked(True)
    assert _next(w) == 1
    assert "Climate" in ctx.error_label.text()
    _check_suggestion(ctx.suggestions, "Extreme weather")
    ctx.suggestions.add_button.click()
    _shot(w, "wizard_2_context.png")
    assert _next(w) == 2
    issues = registers.list_rows(project, "context")
    assert len(issues) == 3
    assert {i.values["kind"] for i in issues} == {"internal", "external"}
    assert [i.values["climate_related"] for i in issues].count(True) == 1
    assert wizard.progress(project).climate_relevant is True

    # -- parties and requirements -------------------------------------------------------------
    parties = w.parties_page
    assert _next(w) == 2
    _check_suggestion(parties.suggestions, "Customers")
    parties.suggestions.add_button.click()
    parties.parties.selectRow(0)
    parties.add_party_button.click()
    parties.parties.set_value(1, "name", "Supervisory authority")
    parties.parties.selectRow(1)
    parties.add_requirement_button.click()
    last = parties.requirements.rowCount() - 1
    parties.requirements.set_value(last, "requirement", "Report major ICT incidents")
    parties.requirements.set_value(last, "type", "regulatory")
    assert parties.requirements.value(last, "party") == parties.parties.key(1)
    _shot(w, "wizard_3_parties.png")
    assert _next(w) == 3
    stored_parties = {p.values["name"]: p.code for p in registers.list_rows(project, "parties")}
    assert set(stored_parties) == {"Customers", "Supervisory authority"}
    reqs = registers.list_rows(project, "requirements")
    assert len(reqs) == parties.requirements.rowCount() >= 2
    authority = [r for r in reqs if r.values["party"] == stored_parties["Supervisory authority"]]
    assert [r.values["requirement"] for r in authority] == ["Report major ICT incidents"]
    assert authority[0].values["type"] == "regulatory"

    # -- scope: locations come from the profile; exclusions need a justification ---------------
    scope = w.scope_page
    assert [scope.table.value(r, "name") for r in range(scope.table.rowCount())] == [
        "Leeds head office", "Remote workplaces",
    ]  # fmt: skip
    assert _next(w) == 3
    assert "business process" in scope.error_label.text()
    scope.add_button.click()
    scope.table.set_value(2, "name", "Software development and hosting")
    row = scope.table.add_row({"kind": "exclusion", "name": "Canteen"})
    assert _next(w) == 3
    assert "justification" in scope.error_label.text()
    scope.table.set_value(row, "justification", "Run by a contractor without access to data")
    scope.draft_button.click()
    statement = scope.statement_edit.toPlainText()
    # (a name written as a title reads in lower case within the sentence, since acb6eb0)
    assert "Northwind Ltd" in statement and "covers software development and hosting" in statement
    assert "Canteen" in statement
    _shot(w, "wizard_4_scope.png")
    assert _next(w) == 4
    assert projects.profile(project).scope_statement == statement
    assert registers.count(project, "scope") == 4

    # -- risk method --------------------------------------------------------------------------
    method_page = w.method_page
    assert method_page.chosen() == "5x5"
    method_page.buttons["3x3"].setChecked(True)
    _shot(w, "wizard_5_method.png")
    assert _next(w) == 5
    assert risk_method.current_method(project).code == "3x3"

    # -- summary ------------------------------------------------------------------------------
    text = w.summary_page.browser.toPlainText()
    assert "Northwind Ltd" in text and "3 × 3" in text and "relevant" in text
    _shot(w, "wizard_6_summary.png")
    w.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.progress(project).completed


def test_cancel_keeps_what_was_saved_and_the_wizard_resumes(qtbot: QtBot, project: Project) -> None:
    w = _wizard(qtbot, project)
    w.profile_page.sector_combo.setCurrentIndex(w.profile_page.sector_combo.findData("other"))
    assert _next(w) == 1
    w.context_page.table.add_row({"kind": "internal", "description": "Small team"})
    w.context_page.table.add_row({"kind": "external", "description": "Ransomware"})
    w.context_page.climate_no.setChecked(True)
    w.context_page.climate_note.setText("Offices and hosting are not exposed")
    assert _next(w) == 2
    w.reject()
    assert registers.count(project, "context") == 2
    again = _wizard(qtbot, project)
    assert again.currentId() == 2
    # Going back shows what was saved, and saving again creates no duplicates.
    again.back()
    assert again.context_page.table.rowCount() == 2
    assert again.context_page.climate_no.isChecked()
    assert _next(again) == 2
    assert registers.count(project, "context") == 2


def test_back_and_next_keep_rows_that_could_not_be_saved_yet(
    qtbot: QtBot, project: Project
) -> None:
    """A row still without its description cannot be saved; going Back and Next again must
    not reload the page from the project and so drop the issues typed beside it."""
    w = _wizard(qtbot, project)
    w.profile_page.sector_combo.setCurrentIndex(w.profile_page.sector_combo.findData("other"))
    assert _next(w) == 1
    page = w.context_page
    page.add_button.click()
    page.table.set_value(0, "description", "Small IT team")
    page.add_button.click()  # a second row, not filled in yet
    w.button(QWizard.WizardButton.BackButton).click()
    assert w.currentId() == 0
    assert registers.count(project, "context") == 0  # nothing could be saved
    assert _next(w) == 1
    assert page.table.rowCount() == 2
    assert page.table.value(0, "description") == "Small IT team"
    # Filled in, the rows save as usual.
    page.table.set_value(1, "kind", "external")
    page.table.set_value(1, "description", "Ransomware")
    page.climate_no.setChecked(True)
    page.climate_note.setText("No exposed sites")
    assert _next(w) == 2
    assert sorted(r.values["description"] for r in registers.list_rows(project, "context")) == [
        "Ransomware",
        "Small IT team",
    ]
    # Back from a page that saves shows the project's rows again (no duplicates).
    w.button(QWizard.WizardButton.BackButton).click()
    assert w.currentId() == 1 and page.table.rowCount() == 2
    assert _next(w) == 2
    assert registers.count(project, "context") == 2


def test_removing_a_party_removes_its_requirements(qtbot: QtBot, project: Project) -> None:
    registers.create(project, "parties", {"name": "Bank", "kind": "external"})
    registers.create(project, "parties", {"name": "Staff", "kind": "internal"})
    registers.create(project, "requirements", {"party": "IP-001", "requirement": "Loan covenants"})
    registers.create(project, "requirements", {"party": "IP-002", "requirement": "Privacy"})
    w = _wizard(qtbot, project)
    w.profile_page.sector_combo.setCurrentIndex(1)
    w.next()
    w.context_page.table.add_row({"kind": "internal", "description": "A"})
    w.context_page.table.add_row({"kind": "external", "description": "B"})
    w.context_page.climate_no.setChecked(True)
    w.context_page.climate_note.setText("n/a")
    w.next()
    page = w.parties_page
    assert page.requirements.rowCount() == 2
    page.parties.selectRow(0)
    page.remove_party_button.click()
    assert page.requirements.rowCount() == 1
    assert _next(w) == 3
    assert [p.values["name"] for p in registers.list_rows(project, "parties")] == ["Staff"]
    assert [r.values["requirement"] for r in registers.list_rows(project, "requirements")] == [
        "Privacy"
    ]


def test_a_new_project_opens_the_wizard_and_the_menu_reopens_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog

    from isms_desktop.ui.main_window import MainWindow
    from isms_desktop.ui.new_project_dialog import NewProjectDialog
    from isms_desktop.ui.settings import Settings

    def fill_and_accept(dialog: NewProjectDialog) -> int:
        dialog.organisation_edit.setText("Globex Corporation")
        dialog.file_edit.setText(str(tmp_path / "Globex"))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(NewProjectDialog, "exec", fill_and_accept)
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.show()
    try:
        assert not window.project_menu.setup_wizard_action.isEnabled()
        window.new_action.trigger()
        opened = window.project_menu.wizard
        assert opened is not None and opened.isVisible()
        assert opened.profile_page.name_edit.text() == "Globex Corporation"
        opened.reject()
        assert window.project_menu.setup_wizard_action.isEnabled()
        window.project_menu.setup_wizard_action.trigger()
        assert window.project_menu.wizard is not opened
        window.project_menu.wizard.reject()  # type: ignore[union-attr]
        window.project_menu.risk_method_action.trigger()
        editor = window.project_menu.method_editor
        assert editor is not None and editor.isVisible()
        editor.reject()
        window.close_project()
        assert not window.project_menu.risk_method_action.isEnabled()
    finally:
        window.close()


def test_the_wizards_fit_a_small_screen_with_their_buttons_in_view(
    qtbot: QtBot, project: Project
) -> None:
    """The setup wizard opened at 1040 × 720 and the policy wizard at 900 × 720, whatever the
    screen: on a 1024 × 700 laptop Next and Finish were off its edge."""
    from isms_desktop.ui.documents.policy_wizard import PolicyWizard

    setup = _wizard(qtbot, project)
    policy = PolicyWizard(project)
    qtbot.addWidget(policy)
    policy.show()
    qtbot.waitExposed(policy)
    for widget in (setup, policy):
        room = widget.screen().availableGeometry()
        assert room.width() < 1040, "the offscreen screen is smaller than the wizard wants"
        assert widget.width() <= room.width() and widget.height() <= room.height()
        button = widget.button(QWizard.WizardButton.NextButton)
        corner = button.mapTo(widget, button.rect().bottomRight())
        assert widget.rect().contains(corner), "Next lies outside the wizard"


def test_add_checked_suggestions_waits_for_a_ticked_suggestion(
    qtbot: QtBot, project: Project
) -> None:
    """The button was enabled with nothing ticked, and clicking it did nothing."""
    w = _wizard(qtbot, project)
    w.profile_page.sector_combo.setCurrentIndex(w.profile_page.sector_combo.findData("other"))
    assert _next(w) == 1
    suggestions = w.context_page.suggestions
    assert suggestions.list.count() > 2
    assert not suggestions.add_button.isEnabled()
    suggestions.list.item(0).setCheckState(Qt.CheckState.Checked)
    suggestions.list.item(1).setCheckState(Qt.CheckState.Checked)
    assert suggestions.add_button.isEnabled()
    assert suggestions.add_button.text() == "Add Checked Suggestions (2)"
    suggestions.add_button.click()
    assert w.context_page.table.rowCount() == 2
    assert not suggestions.add_button.isEnabled()  # the ticks are taken with the rows
    assert suggestions.add_button.text() == "Add Checked Suggestions"

"""The Scope Statement page as a new security officer meets it: on an empty project the
fields and the statement say what goes in them, a draft made from an empty Scope register
says why it is thin and leads to that register, and the size offers the wizard's choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from isms_desktop.services import projects, registers, wizard
from isms_desktop.storage.project_file import open_project
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.scope_page import ScopePage
from isms_desktop.ui.tabs.context_tab import ContextTab

pytestmark = pytest.mark.timeout(90)


def _tab(window: MainWindow, path: Path) -> ContextTab:
    assert window.open_path(path)
    window.go_to_area("context")
    tab = window.area_tab("context")
    assert isinstance(tab, ContextTab)
    return tab


def test_an_empty_project_says_what_goes_where(window: MainWindow, project_file: Path) -> None:
    page = _tab(window, project_file).scope_page
    assert page.statement.toPlainText() == ""
    assert "Scope tab" in page.statement.placeholderText()
    assert "Draft from the Records" in page.statement.placeholderText()
    for name in ("size", "locations"):
        assert page.fields[name].text() == ""
        assert page.fields[name].placeholderText().startswith(("People", "e.g."))
    assert not page.draft_note.isVisible()


def test_a_draft_from_an_empty_scope_register_leads_to_it(
    window: MainWindow, project_file: Path
) -> None:
    tab = _tab(window, project_file)
    page = tab.scope_page
    page.draft()
    assert "covers the organisation's activities" in page.statement.toPlainText()
    assert page.draft_note.isVisible()
    assert "Scope register is empty" in page.draft_note.text()
    page.draft_note.linkActivated.emit("scope")
    assert tab.shown_page() is tab.views["scope"]
    # nothing was saved by drafting
    assert projects.profile(window.project).scope_statement == ""


def test_a_draft_says_what_it_was_made_from_and_what_it_lacks(
    window: MainWindow, project_file: Path
) -> None:
    with open_project(project_file) as project:
        registers.create(project, "scope", {"kind": "location", "name": "the Leeds office"})
        registers.create(project, "scope", {"kind": "technology", "name": "office laptops"})
    page = _tab(window, project_file).scope_page
    page.draft()
    note = page.draft_note.text()
    assert "Drafted from 2 scope records." in note
    assert "names no organisational units or business processes" in note
    assert "locations" not in note
    page.save_statement()
    assert not page.draft_note.isVisible()  # said once, after the draft


def test_the_size_offers_the_wizards_choices_and_saves_one(
    window: MainWindow, project_file: Path
) -> None:
    page: ScopePage = _tab(window, project_file).scope_page
    combo = page.size_combo
    assert [combo.itemText(i) for i in range(combo.count())] == list(wizard.SIZES)
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    assert projects.profile(window.project).size == wizard.SIZES[2]
    window.undo_stack.undo()
    assert projects.profile(window.project).size == ""
    assert page.fields["size"].text() == ""


def test_read_only_the_size_cannot_be_chosen(window: MainWindow, project_file: Path) -> None:
    assert window.open_path(project_file, read_only=True)
    window.go_to_area("context")
    tab = window.area_tab("context")
    assert isinstance(tab, ContextTab)
    page = tab.scope_page
    assert window.project is not None and window.project.read_only
    assert not page.size_combo.isEnabled()
    assert page.fields["locations"].isReadOnly()
    assert not page.draft_button.isEnabled()

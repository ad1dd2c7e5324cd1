"""The profile and scope statement page of the Context & Scope tab: drafted from the
records, edited, saved, undone and redone; a window refresh keeps what is being typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from isms_desktop.services import projects
from isms_desktop.storage.project_file import open_project
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.scope_page import ScopePage
from isms_desktop.ui.tabs.context_tab import ContextTab

pytestmark = pytest.mark.timeout(90)


def test_draft_edit_save_undo(qtbot: QtBot, demo_path: Path, tmp_path: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_path(demo_path)
    tab = next(t for t in window.area_tabs if isinstance(t, ContextTab))
    page = tab.scope_page
    assert isinstance(page, ScopePage)
    assert tab.pages.widget(0) is page
    project = window.project
    assert project is not None
    original = projects.profile(project).scope_statement
    assert page.statement.toPlainText() == original

    page.statement.setPlainText("")
    page.draft()
    drafted = page.statement.toPlainText()
    assert drafted == projects.draft_scope(project)
    page.statement.setPlainText(drafted + "\nExcluded: the Manchester office canteen.")
    window.refresh()  # e.g. another save elsewhere: the typing stays
    assert page.statement.toPlainText().endswith("canteen.")
    assert page.save_button.isEnabled()
    page.save_statement()
    assert projects.profile(project).scope_statement.endswith("canteen.")
    assert not page.save_button.isEnabled()

    window.undo_stack.undo()
    assert projects.profile(project).scope_statement == original
    assert page.statement.toPlainText() == original
    window.undo_stack.redo()
    assert projects.profile(project).scope_statement.endswith("canteen.")

    page.fields["locations"].setText("London, Manchester, Leeds")
    page.fields["locations"].editingFinished.emit()
    assert projects.profile(project).locations == "London, Manchester, Leeds"
    window.undo_stack.undo()
    assert projects.profile(project).locations != "London, Manchester, Leeds"
    page.grab().save(str(tmp_path / "scope_page.png"))
    window.close_project()


def _scope_page(window: MainWindow, path: Path) -> ScopePage:
    assert window.open_path(path)
    window.go_to_area("context")
    tab = window.area_tab("context")
    assert isinstance(tab, ContextTab)
    return tab.scope_page


def test_saving_another_field_keeps_the_statement_being_typed(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    """Typing in the statement, then changing the size (or undoing a change of the
    locations) threw the typing away: the page reloaded the saved statement."""
    page = _scope_page(window, demo_path)
    page.statement.setPlainText("Typed, not saved yet")
    page.fields["size"].setText("60 people")
    page.fields["size"].editingFinished.emit()
    assert projects.profile(window.project).size == "60 people"
    assert page.statement.toPlainText() == "Typed, not saved yet"
    assert page.save_button.isEnabled()
    window.undo_stack.undo()  # the size
    qtbot.waitUntil(lambda: page.fields["size"].text() != "60 people", timeout=5000)
    assert page.statement.toPlainText() == "Typed, not saved yet"
    page.save_statement()
    window.undo_stack.undo()  # the statement's own undo shows the statement saved before
    assert page.statement.toPlainText() != "Typed, not saved yet"


def test_a_statement_typed_is_saved_when_the_project_closes(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    page = _scope_page(window, demo_path)
    page.statement.setPlainText("Typed, then the project was closed")
    window.close_project()
    with open_project(demo_path) as project:
        assert projects.profile(project).scope_statement == "Typed, then the project was closed"

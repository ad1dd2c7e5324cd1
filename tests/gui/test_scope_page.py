"""The profile and scope statement page of the Context & Scope tab: drafted from the
records, edited, saved, undone and redone; a window refresh keeps what is being typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from isms_desktop.services import projects
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

"""Find records (Ctrl+F): the search runs on a worker thread, the box keeps taking keys,
and Enter opens the first result of what was typed last, once it is found."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from isms_desktop.services import registers
from isms_desktop.services import search as search_service
from isms_desktop.services.search import SearchHit, index_ready
from isms_desktop.storage.project_file import Project
from isms_desktop.ui import search_dialog
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.search_dialog import SearchDialog

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def demo_window(window: MainWindow, demo_path: Path) -> MainWindow:
    assert window.open_path(demo_path)
    return window


def _watched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The searches the dialog makes: (text, whether on the GUI thread)."""
    made: list[tuple[str, bool]] = []

    def watched(project: Project, text: str, **options: Any) -> list[SearchHit]:
        made.append((text, threading.current_thread() is threading.main_thread()))
        return search_service.search(project, text, **options)

    monkeypatch.setattr(search_dialog, "search", watched)
    return made


def test_enter_typed_before_the_results_opens_the_first_result_of_the_last_text(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = demo_window.project
    assert project is not None and not index_ready(project)
    made = _watched(monkeypatch)
    dialog = SearchDialog(project, demo_window)
    qtbot.addWidget(dialog)
    opened: list[tuple[str, str]] = []
    dialog.record_chosen.connect(lambda r, c: opened.append((r, c)))
    dialog.show()

    dialog.box.setText("ransomware")
    dialog.run_search()  # the first search: it builds the index on the worker thread
    assert dialog.searching
    assert "Preparing" in dialog.status.text()
    dialog.box.setText("R-001")  # typed on while it runs
    qtbot.keyClick(dialog.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)

    assert opened == [("risks", "R-001")]
    assert dialog.shown_text == "R-001" and not dialog.searching
    assert made and all(not on_gui for _text, on_gui in made)
    assert made[-1][0] == "R-001"
    assert index_ready(project)


def test_an_edit_makes_the_next_search_rebuild_and_find_it(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    project = demo_window.project
    assert project is not None
    dialog = SearchDialog(project, demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.box.setText("Zeppelin")
    dialog.run_search()
    assert not dialog._timer.isActive()  # Enter searched now: the pause will not again
    qtbot.waitUntil(lambda: dialog.shown_text == "Zeppelin", timeout=20_000)
    assert dialog.hits == []
    assert "Nothing found" in dialog.status.text()
    dialog.run_search()  # the same text, nothing changed: its results stay, no new search
    assert not dialog.searching and "Nothing found" in dialog.status.text()

    code = registers.create(project, "assets", {"name": "Zeppelin hangar", "type": "site"}).code
    assert not index_ready(project)
    dialog.box.setText("zeppel")
    dialog.run_search()
    assert "Preparing" in dialog.status.text()
    qtbot.waitUntil(lambda: dialog.shown_text == "zeppel", timeout=20_000)
    assert [(h.register, h.code) for h in dialog.hits] == [("assets", code)]
    assert dialog.results.currentItem() is not None

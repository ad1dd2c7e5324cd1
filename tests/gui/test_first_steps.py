"""What a new, empty project tells the user to do first, in the registers that have a
better way in than the bare form (a wizard, a template)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.tabs.register_area import RegisterAreaTab

pytestmark = pytest.mark.timeout(90)


def _empty_view(qtbot: QtBot, window: MainWindow, area: str, register: str) -> RegisterView:
    window.go_to_area(area)
    tab = window.area_tab(area)
    assert isinstance(tab, RegisterAreaTab)
    view = tab.show_register(register)
    qtbot.waitUntil(lambda: view.isVisible() and not view.empty_label.isHidden())
    return view


def _menu_texts(window: MainWindow) -> set[str]:
    texts = set()
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            texts |= {a.text().replace("&", "") for a in menu.actions()}
    return texts


def test_an_empty_project_names_the_guided_ways_in(
    qtbot: QtBot, window: MainWindow, project_path: Path
) -> None:
    assert window.open_path(project_path)

    risks = _empty_view(qtbot, window, "risks", "risks")
    text = risks.empty_label.text()
    assert text.startswith("No risks yet.")
    assert "Add Guided" in text and "Assets tab" in text
    guided = getattr(window.area_tab("risks"), "guided_action", None)
    assert isinstance(guided, QAction) and guided.isEnabled()
    assert guided.text().rstrip("…") in text  # the button the sentence names

    documents = _empty_view(qtbot, window, "documents", "documents")
    text = documents.empty_label.text()
    assert "Documents > Draft a Policy…" in text
    assert "Draft a Policy…" in _menu_texts(window)  # the menu entry it names exists
    assert "File > Import from Spreadsheet…" in text

    # registers without a better way keep the general sentence
    assets = _empty_view(qtbot, window, "assets", "assets")
    assert "Click Add (Ctrl+N) to record the first asset" in assets.empty_label.text()


def test_a_read_only_project_proposes_no_first_step(
    qtbot: QtBot, window: MainWindow, project_path: Path
) -> None:
    assert window.open_path(project_path, read_only=True)
    risks = _empty_view(qtbot, window, "risks", "risks")
    assert risks.empty_label.text().startswith("No risks yet.")
    assert "Add Guided" not in risks.empty_label.text()

"""The SoA tab's register and its warnings, on the demo project in the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from isms_desktop.services import registers
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.tabs import SoaTab

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def soa_tab(window: MainWindow, demo_path: Path) -> SoaTab:
    window.resize(1024, 700)
    assert window.open_path(demo_path)
    tab = next(t for t in window.area_tabs if isinstance(t, SoaTab))
    window.tabs.setCurrentWidget(tab)
    return tab


def test_a_warning_leads_to_its_cell_even_in_a_hidden_column(
    qtbot: QtBot, window: MainWindow, soa_tab: SoaTab
) -> None:
    view, panel = soa_tab.views["soa"], soa_tab.warnings
    column = view.model.column_of("justification")
    # the justification is what the SoA states for an exclusion: shown from the start
    assert not view.table.isColumnHidden(column)

    project = window.project
    assert project is not None
    registers.update(project, "soa", "7.4", "justification", "")
    window.refresh()
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=5000)
    assert panel.title_label.text() == "1 warning"
    assert panel.list.item(0).text() == "7.4: excluded without a justification"

    view.table.setColumnHidden(column, True)  # the user hid it (Columns menu)
    panel.go_to(panel.list.item(0))
    assert not view.table.isColumnHidden(column)
    current = view.table.currentIndex()
    assert view.current_code() == "7.4" and current.column() == column
    assert view.table.visualRect(current).intersects(view.table.viewport().rect())

    registers.update(project, "soa", "7.5", "owner", None)
    window.refresh()
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=5000)
    assert panel.title_label.text() == "2 warnings"

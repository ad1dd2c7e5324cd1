"""The dashboard on the demo project: readiness, next steps that go to the right place, the
action list and its filters, tiles, and search from the keyboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from isms_desktop.services import dashboard, heat_map, readiness, registers
from isms_desktop.services.action_list import action_items
from isms_desktop.services.dashboard import Upcoming
from isms_desktop.services.projects import project_info
from isms_desktop.storage.project_file import open_project
from isms_desktop.ui.dashboard.action_list_view import SHOWN
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.search_dialog import SearchDialog
from isms_desktop.ui.tabs import DashboardTab, RisksTab

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def demo_window(qtbot: QtBot, demo_path: Path) -> Iterator[MainWindow]:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1400, 1000)
    assert window.open_path(demo_path)
    window.show()
    yield window
    window.close_project()


def _dashboard(window: MainWindow) -> DashboardTab:
    tab = window.area_tabs[0]
    assert isinstance(tab, DashboardTab)
    return tab


def test_dashboard_shows_the_same_figures_as_info(demo_window: MainWindow) -> None:
    dashboard = _dashboard(demo_window)
    assert demo_window.project is not None
    info = project_info(demo_window.project)["readiness"]
    panel = dashboard.readiness_panel
    assert panel.readiness_bars["overall_percent"].value() == info["overall_percent"]
    for top, bar in panel.clause_bars.items():
        assert bar.value() == info["clauses"][top]
        assert top in bar.toolTip() or bar.toolTip().startswith("<b>")
    for theme, bar in panel.theme_bars.items():
        assert bar.value() == info["themes"][theme]


def test_every_next_step_button_goes_to_its_area(demo_window: MainWindow) -> None:
    dashboard = _dashboard(demo_window)
    report = readiness.report(demo_window.project)  # type: ignore[arg-type]
    shown = report.next_steps()[: dashboard.next_panel.MAX_SHOWN]
    assert len(dashboard.next_panel.buttons) == len(shown)
    for button, (_rule, check) in zip(dashboard.next_panel.buttons, shown, strict=True):
        demo_window.tabs.setCurrentIndex(0)
        button.click()
        current = demo_window.area_tabs[demo_window.tabs.currentIndex()]
        assert current.key == check.target.area


def test_refreshing_the_dashboard_replaces_its_next_steps(demo_window: MainWindow) -> None:
    """A refresh (after the risk wizard or the method editor, within a dialog's event loop)
    shows the next steps once: the rows it replaces are gone at once, not only when Qt gets
    round to deleting them."""
    panel = _dashboard(demo_window).next_panel
    shown = len(panel.buttons)
    assert 0 < shown <= panel.MAX_SHOWN

    for _ in range(3):
        demo_window.refresh()
    QApplication.processEvents()  # lays the new rows out (it deletes nothing deleted later)

    visible = [b for b in panel.findChildren(QPushButton) if b.text() == "Go" and b.isVisible()]
    assert len(visible) == len(panel.buttons) == shown


def test_action_list_filters_and_marks_overdue(qtbot: QtBot, demo_window: MainWindow) -> None:
    view = _dashboard(demo_window).action_list
    qtbot.waitUntil(lambda: view.loaded, timeout=10_000)  # read after the first paint
    everything = len(view.filtered())
    assert everything == view.model.rowCount() > 0
    view.window_box.setCurrentIndex(view.window_box.findData(-1))  # overdue only
    overdue = view.filtered()
    assert all(item.due < dt.date.today() for item in overdue)
    if overdue:
        index = view.model.index(0, 0)
        assert view.model.data(index, Qt.ItemDataRole.ForegroundRole) is not None
        assert "late" in view.model.data(index)
    view.window_box.setCurrentIndex(0)
    owner = view.owner_box.itemData(1)
    view.owner_box.setCurrentIndex(1)
    assert view.filtered() and all(i.owner == owner for i in view.filtered())
    assert len(view.filtered()) < everything


def test_a_long_action_list_shows_its_first_items_and_counts_them_all(
    qtbot: QtBot, demo_path: Path
) -> None:
    soon = dt.date.today() + dt.timedelta(days=10)
    with open_project(demo_path) as project:
        registers.create_many(
            project,
            "risks",
            [
                {"title": f"Risk {i}", "next_review": str(soon), "owner": "P-001"}
                for i in range(SHOWN + 100)
            ],
        )
        expected = len(action_items(project))
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_path(demo_path)
    view = _dashboard(window).action_list
    view.load_now()

    assert view.model.rowCount() == SHOWN < expected
    assert f"{expected:,} open items" in view.count_label.text()
    assert f"the first {SHOWN} shown" in view.count_label.text()
    view.source_box.setCurrentIndex(view.source_box.findData("document_review"))
    assert 0 < view.model.rowCount() < SHOWN
    assert "shown" not in view.count_label.text()
    assert all(item.source == "document_review" for item in view.filtered())
    window.close_project()


def test_double_clicking_an_action_opens_its_area(demo_window: MainWindow) -> None:
    view = _dashboard(demo_window).action_list
    view.load_now()
    view.source_box.setCurrentIndex(view.source_box.findData("treatment"))
    chosen: list[tuple[str, str]] = []
    view.record_chosen.connect(lambda register, code: chosen.append((register, code)))
    view.table.doubleClicked.emit(view.model.index(0, 2))
    assert chosen and chosen[0][0] == "treatment"
    assert demo_window.area_tabs[demo_window.tabs.currentIndex()].key == "risks"


def test_tiles_show_the_heat_maps_and_soa_status(demo_window: MainWindow) -> None:
    tiles = _dashboard(demo_window).tiles
    assert demo_window.project is not None
    data = heat_map.heat_map(demo_window.project)  # the Risks tab's figures
    grids = tiles.heat_map.grids
    assert grids["inherent"].counts == data.counts["inherent"]
    assert grids["residual"].counts == data.counts["residual"]
    assert sum(grids["inherent"].counts.values()) > 30
    assert "not closed" in tiles.heat_map.caption.text()
    assert "Implemented" in tiles.soa_label.text()


def test_a_heat_map_cell_opens_the_register_with_its_risks(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    tiles = _dashboard(demo_window).tiles
    assert demo_window.project is not None
    data = heat_map.heat_map(demo_window.project)
    (lk, im), n = max(data.counts["residual"].items(), key=lambda kv: kv[1])
    grid = tiles.heat_map.grids["residual"]
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=grid.cell_rect(lk, im).center().toPoint())
    tab = demo_window.area_tabs[demo_window.tabs.currentIndex()]
    assert isinstance(tab, RisksTab)
    view = tab.current_view()
    assert view is not None and view.register == "risks"
    qtbot.waitUntil(lambda: view.model.rowCount() == n, timeout=5000)
    assert "Residual heat map cell" in view.filter_note.text()
    assert view.filter_note.isVisible()


def test_search_from_the_keyboard_opens_the_record(qtbot: QtBot, demo_window: MainWindow) -> None:
    assert demo_window.project is not None
    dialog = SearchDialog(demo_window.project, demo_window)
    qtbot.addWidget(dialog)
    opened: list[tuple[str, str]] = []
    dialog.record_chosen.connect(lambda r, c: opened.append((r, c)))
    dialog.show()
    qtbot.keyClicks(dialog.box, "ransomware")
    qtbot.waitUntil(lambda: bool(dialog.hits), timeout=5000)
    assert dialog.results.topLevelItemCount() >= 1
    qtbot.keyClick(dialog.box, Qt.Key.Key_Return)
    assert opened and opened[0][1] == dialog.hits[0].code


def test_dashboard_screenshot_has_content(demo_window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "dashboard.png"
    assert demo_window.grab().save(str(target))
    assert target.stat().st_size > 20_000


def test_one_open_item_is_counted_in_the_singular(qtbot: QtBot, project_file: Path) -> None:
    soon = dt.date.today() + dt.timedelta(days=10)
    with open_project(project_file) as project:
        assert action_items(project) == []  # a new project has nothing open yet
        registers.create(project, "risks", {"title": "Lone risk", "next_review": str(soon)})
        assert len(action_items(project)) == 1
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_path(project_file)
    view = _dashboard(window).action_list
    view.load_now()
    assert view.count_label.text() == "1 open item, 0 overdue"
    window.close_project()


def test_dates_already_past_in_the_tiles_say_overdue(demo_window: MainWindow) -> None:
    project = demo_window.project
    assert project is not None
    today = dt.date(2026, 12, 7)
    late = Upcoming("documents", "POL-004", "Backup Policy", today - dt.timedelta(days=25))
    soon = Upcoming("documents", "POL-003", "Acceptable Use Policy", today + dt.timedelta(days=20))
    audit = Upcoming("audits", "AU-002", "Suppliers", today - dt.timedelta(days=1))
    data = replace(dashboard.tiles(project, today), documents_due=[late, soon], upcoming=[audit])
    tiles = _dashboard(demo_window).tiles
    tiles.show_tiles(data, today)

    lines = tiles.documents_label.text().split("<br>")
    assert "POL-004" in lines[0] and "overdue" in lines[0]
    assert "#c62828" in lines[0], "in the action list's overdue red"
    assert "POL-003" in lines[1] and "overdue" not in lines[1]
    assert "overdue" in tiles.upcoming_label.text()
    assert "AU-002" in tiles.upcoming_label.text()


def test_the_record_counts_are_the_projects_each_register_once(demo_window: MainWindow) -> None:
    dashboard = _dashboard(demo_window)
    assert demo_window.project is not None
    counts = project_info(demo_window.project)["counts"]
    shown = {code: label.text() for code, label in dashboard.count_labels.items()}
    assert shown == {code: str(counts[code]) for code in shown}
    assert "soa" in shown and "controls" not in shown  # one SoA entry per control

"""Work deferred past the first paint, and pages that read the project when first shown."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from isms_desktop.services import backups, heat_map
from isms_desktop.ui.deferred import FALLBACK_MS, WhenShown, after_paint
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.settings import Settings
from isms_desktop.ui.tabs import DashboardTab, RisksTab, SoaTab

pytestmark = pytest.mark.timeout(60)


class PaintLog(QObject):
    """Records, in order, the paints of a widget and the calls of the deferred work."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.events: list[str] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.events.append("paint")
        return False


def test_after_paint_runs_once_the_window_has_painted(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    label = QLabel("content", window)
    window.setCentralWidget(label)
    log = PaintLog(label)
    window.show()
    after_paint(label, lambda: log.events.append("work"))
    assert log.events == []  # never at once
    qtbot.waitUntil(lambda: "work" in log.events, timeout=5000)
    assert log.events.index("paint") < log.events.index("work")
    assert log.events.count("work") == 1


def test_after_paint_on_a_hidden_window_runs_in_the_event_loop(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    ran: list[int] = []
    after_paint(widget, lambda: ran.append(1))
    assert ran == []
    qtbot.waitUntil(lambda: ran == [1], timeout=5000)


def test_waiting_work_keeps_no_python_reference_to_its_window(qtbot: QtBot) -> None:
    # A child holding its parent's last Python reference once made deleting the child
    # delete the window, and the child again inside its own destructor (a crash).
    window = QMainWindow()
    label = QLabel("content", window)
    window.setCentralWidget(label)
    window.show()
    ran: list[str] = []
    after_paint(label, lambda: ran.append("work"))
    WhenShown(label, lambda: ran.append("refresh")).request()
    gone = weakref.ref(window)
    del window, label
    gc.collect()
    assert gone() is None
    qtbot.wait(FALLBACK_MS + 100)  # the fallback timer died with the window
    assert "work" not in ran


def test_when_shown_waits_for_a_hidden_page(qtbot: QtBot) -> None:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    first, second = QWidget(), QWidget()
    tabs.addTab(first, "first")
    tabs.addTab(second, "second")
    tabs.show()
    calls: list[str] = []
    waiting = WhenShown(second, lambda: calls.append("refresh"))
    waiting.request()
    waiting.request()
    assert calls == [] and waiting.stale
    tabs.setCurrentWidget(second)
    assert calls == ["refresh"]  # once, however often it was asked for
    waiting.request()  # shown: at once
    assert calls == ["refresh", "refresh"]
    tabs.setCurrentWidget(first)
    tabs.setCurrentWidget(second)
    assert len(calls) == 2  # nothing asked for while hidden: nothing read again


def test_opening_a_project_paints_before_the_deferred_work(qtbot: QtBot, demo_path: Path) -> None:
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    log = PaintLog(window.tabs)
    assert window.open_path(demo_path)
    dashboard = window.area_tabs[0]
    assert isinstance(dashboard, DashboardTab)
    action_list = dashboard.action_list
    assert not action_list.loaded  # read once the window shows the project
    assert "Gathering" in action_list.count_label.text()
    assert backups.list_backups(window.project.display_name) == []  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: action_list.loaded, timeout=10_000)
    assert "paint" in log.events
    assert action_list.model.rowCount() > 0
    qtbot.waitUntil(
        lambda: len(backups.list_backups(window.project.display_name)) == 1,  # type: ignore[union-attr]
        timeout=10_000,
    )
    # Pages not yet shown have not read the project; they do when shown.
    risks = next(t for t in window.area_tabs if isinstance(t, RisksTab))
    soa = next(t for t in window.area_tabs if isinstance(t, SoaTab))
    assert risks.heat_map.data is None
    assert soa.warnings.title_label.text() == ""
    window.go_to_area("risks")
    risks.pages.setCurrentWidget(risks.heat_map)
    assert risks.heat_map.data == heat_map.heat_map(window.project)  # type: ignore[arg-type]
    window.go_to_area("soa")
    assert "warning" in soa.warnings.title_label.text().lower()
    window.close_project()

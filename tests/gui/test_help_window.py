"""Help ▸ User Guide (F1): the page of the tab in view, links followed in place with Back
and Forward, the contents kept in step, and a search over the whole guide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from isms_desktop.catalog import help_pages
from isms_desktop.ui.help_window import HelpWindow
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.tabs.areas import AREAS

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def window(qtbot: QtBot, demo_path: Path) -> Iterator[MainWindow]:
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1280, 800)
    yield main
    guide = getattr(main, "help_window", None)
    if guide is not None:
        guide.close()
    main.close_project()


def _guide(window: MainWindow) -> HelpWindow:
    guide = getattr(window, "help_window", None)
    assert isinstance(guide, HelpWindow)
    return guide


def test_f1_opens_the_page_of_the_tab_in_view(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    for area in AREAS:  # tests/unit/test_help_pages.py lists the same keys
        assert help_pages.page_for_area(area.key) == area.key, area.key
    action = window.guide_action
    assert QKeySequence("F1") in action.shortcuts()
    assert not action.icon().isNull()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert isinstance(help_menu, QMenu)
    assert action in help_menu.actions()
    assert window.getting_started_action in help_menu.actions()

    action.trigger()  # no project: the first steps
    guide = _guide(window)
    assert guide.isVisible()
    assert guide.current_page() == help_pages.FIRST_STEPS

    assert window.open_path(demo_path)
    for area in AREAS:
        window.go_to_area(area.key)
        action.trigger()
        assert _guide(window) is guide, "one guide window, brought forward"
        assert guide.current_page() == area.key
        page = help_pages.page_named(area.key)
        assert page is not None
        assert guide.windowTitle().startswith(page.title)
        assert guide.contents.currentItem().text() == page.title
        assert guide.browser.toPlainText().strip(), area.key
    guide.grab().save(str(tmp_path / "guide.png"))


def test_links_contents_back_and_forward(qtbot: QtBot, window: MainWindow) -> None:
    window.getting_started_action.trigger()
    guide = _guide(window)
    assert guide.current_page() == help_pages.FIRST_STEPS
    assert not guide.back_action.isEnabled()
    page = help_pages.page_named(help_pages.FIRST_STEPS)
    assert page is not None and page.links()
    target = page.links()[0]
    guide.browser.anchorClicked.emit(QUrl(target))
    assert guide.current_page() == Path(target).stem
    assert guide.back_action.isEnabled()
    guide.back_action.trigger()
    assert guide.current_page() == help_pages.FIRST_STEPS
    assert guide.forward_action.isEnabled()
    guide.forward_action.trigger()
    assert guide.current_page() == Path(target).stem
    guide.home_action.trigger()
    assert guide.current_page() == help_pages.CONTENTS
    # a page chosen in the contents
    last = guide.contents.item(guide.contents.count() - 1)
    guide.contents.itemClicked.emit(last)
    assert guide.contents.currentItem().text() == last.text()
    assert guide.windowTitle().startswith(last.text())


def test_search_lists_the_pages_that_match(qtbot: QtBot, window: MainWindow) -> None:
    window.guide_action.trigger()
    guide = _guide(window)
    everything = guide.contents.count()
    assert everything == len(help_pages.help_pages())
    expected = [page.title for page in help_pages.search("Statement of Applicability")]
    assert expected
    guide.search_box.setText("Statement of Applicability")
    qtbot.waitUntil(lambda: guide.found_label.isVisible(), timeout=5000)
    shown = [guide.contents.item(r).text() for r in range(guide.contents.count())]
    assert shown == expected
    assert "contain" in guide.found_label.text()
    guide.search_box.returnPressed.emit()
    assert guide.contents.currentItem().text() == expected[0]
    assert guide.browser.textCursor().selectedText().casefold() == "statement"

    guide.search_box.setText("zzqx-nothing")
    qtbot.waitUntil(lambda: "No page" in guide.found_label.text(), timeout=5000)
    assert guide.contents.count() == 0
    guide.search_box.clear()
    qtbot.waitUntil(lambda: guide.contents.count() == everything, timeout=5000)
    assert guide.found_label.isHidden()

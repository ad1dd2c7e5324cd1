"""The start page: three ways to begin and the recent projects."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from isms_desktop.ui.settings import Settings
from isms_desktop.ui.start_page import StartPage

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def page(qtbot: QtBot, settings: Settings) -> StartPage:
    widget = StartPage(settings)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_buttons_ask_for_new_open_and_demo(qtbot: QtBot, page: StartPage) -> None:
    for button, signal in (
        (page.new_button, page.new_requested),
        (page.open_button, page.open_requested),
        (page.demo_button, page.demo_requested),
    ):
        with qtbot.waitSignal(signal, timeout=1000):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert button.toolTip()


def test_enter_opens_the_current_recent_project(
    qtbot: QtBot, page: StartPage, settings: Settings, project_file: Path
) -> None:
    settings.add_recent_file(project_file)
    page.refresh()
    page.recent_list.setFocus()

    with qtbot.waitSignal(page.recent_chosen, timeout=1000) as blocker:
        qtbot.keyClick(page.recent_list, Qt.Key.Key_Return)

    assert blocker.args == [project_file.resolve()]


def test_missing_files_are_greyed_with_a_tooltip(
    page: StartPage, settings: Settings, project_file: Path, tmp_path: Path
) -> None:
    settings.add_recent_file(tmp_path / "moved.isms")
    settings.add_recent_file(project_file)
    page.refresh()

    present, missing = page.recent_list.item(0), page.recent_list.item(1)
    disabled = page.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert missing.foreground().color() == disabled
    assert "no longer exists" in missing.toolTip()
    assert present.foreground().color() != disabled
    assert str(project_file.resolve()) in present.toolTip()

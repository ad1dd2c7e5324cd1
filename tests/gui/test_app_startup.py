"""Starting the application: which project opens, and how run_app ends."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from isms_desktop import app_logging
from isms_desktop.services.projects import open_project
from isms_desktop.storage.lock import lock_path
from isms_desktop.ui import app as app_module
from isms_desktop.ui.app import create_application, start_main_window
from isms_desktop.ui.settings import Settings

pytestmark = pytest.mark.timeout(60)


def test_the_given_project_is_opened(qtbot: QtBot, project_file: Path) -> None:
    window = start_main_window(project_file, Settings())
    qtbot.addWidget(window)

    assert window.project is not None and window.project.path == project_file
    window.close()


def test_the_garbage_collector_paused_for_the_start_resumes_once_the_window_painted(
    qtbot: QtBot, project_file: Path
) -> None:
    gc.disable()  # as the program's entry does before importing the window
    try:
        window = start_main_window(project_file, Settings())
        qtbot.addWidget(window)
        assert not gc.isenabled()  # nothing painted yet
        qtbot.waitUntil(gc.isenabled, timeout=5000)
        window.close()
    finally:
        gc.enable()


def test_the_last_project_is_reopened(qtbot: QtBot, project_file: Path) -> None:
    Settings().set_last_project(project_file)

    window = start_main_window(None, Settings())
    qtbot.addWidget(window)

    assert window.project is not None and window.project.path == project_file.resolve()
    window.close()


def test_a_last_project_that_is_gone_shows_the_start_page_quietly(
    qtbot: QtBot, dialogs: Dialogs, tmp_path: Path
) -> None:
    Settings().set_last_project(tmp_path / "deleted.isms")

    window = start_main_window(None, Settings())
    qtbot.addWidget(window)

    assert window.project is None
    assert window.windowTitle() == "isms-desktop"
    assert dialogs.shown == []


def test_a_locked_project_given_on_the_command_line_opens_read_only_on_yes(
    qtbot: QtBot, dialogs: Dialogs, project_file: Path
) -> None:
    dialogs.answer = dialogs.answer.Yes
    with open_project(project_file):
        window = start_main_window(project_file, Settings())
        qtbot.addWidget(window)

        assert window.project is not None and window.project.read_only
        window.close()


def test_run_app_closes_the_project_and_restores_the_hooks(
    qapp: QApplication,
    project_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The real configure() adds a root log handler for the whole test session.
    monkeypatch.setattr(app_logging, "configure", lambda: tmp_path / "log")
    seen: list[bool] = []

    def fake_exec() -> int:
        seen.append(lock_path(project_file).exists())
        return 3

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    hook_before = sys.excepthook

    assert app_module.run_app(project_file) == 3

    assert seen == [True]
    assert not lock_path(project_file).exists()
    assert sys.excepthook is hook_before


def test_create_application_reuses_the_running_one(qapp: QApplication) -> None:
    assert create_application() is qapp

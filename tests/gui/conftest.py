"""Fixtures for the GUI tests: an isolated home, fresh projects, and no blocking dialogs.

Modal message boxes would wait forever under the offscreen platform, so every static
QMessageBox call is recorded instead; a test sets ``dialogs.answer`` to reply to questions.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Dialogs, make_project
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.settings import Settings


@pytest.fixture(autouse=True)
def no_keys_held(qapp: QApplication) -> Iterator[None]:
    """After each test no modifier key stays held: QTest's keyClick with Ctrl leaves Ctrl
    down for Qt (its release carries the modifier), and the next test's clicks and
    selections then behaved as Ctrl-clicks."""
    yield
    if QApplication.keyboardModifiers() != Qt.KeyboardModifier.NoModifier:
        widget = QWidget()
        QTest.keyRelease(widget, Qt.Key.Key_Control)
        widget.deleteLater()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, logs and data go to this test's temp folder (platformdirs reads XDG_*)."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(folder))
    return home


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    record = Dialogs()

    def recorder(kind: str, reply: bool) -> Any:
        def show(_parent: object, title: str, text: str, *_args: object, **_kw: object) -> Any:
            record.shown.append((kind, title, text))
            return record.answer if reply else QMessageBox.StandardButton.Ok

        return show

    for kind in ("warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, kind, recorder(kind, reply=False))
    monkeypatch.setattr(QMessageBox, "question", recorder("question", reply=True))
    return record


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    """A fresh project file, created through the services as a user would."""
    return make_project(tmp_path / "Acme.isms")


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def window(qtbot: QtBot, settings: Settings) -> Iterator[MainWindow]:
    main = MainWindow(settings)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    # Closing releases the project's lock before tmp_path is removed.
    main.close()

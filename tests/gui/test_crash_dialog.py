"""Uncaught exceptions: logged, shown in a crash dialog, and the application goes on."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from gui_helpers import ORGANISATION
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from isms_desktop.services.projects import summary
from isms_desktop.ui.crash_dialog import CrashDialog, CrashHandler, summarise
from isms_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(60)


@dataclass(frozen=True)
class Shown:
    text: str
    informative: str
    details: str


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[Shown]:
    """What the crash dialogs said (their exec() returns at once; they are deleted later)."""
    dialogs: list[Shown] = []

    def fake_exec(dialog: CrashDialog) -> int:
        dialogs.append(Shown(dialog.text(), dialog.informativeText(), dialog.detailedText()))
        return 0

    monkeypatch.setattr(CrashDialog, "exec", fake_exec)
    return dialogs


@pytest.fixture
def handler(tmp_path: Path) -> Iterator[CrashHandler]:
    crash_handler = CrashHandler(tmp_path / "isms-desktop.log")
    crash_handler.install()
    yield crash_handler
    crash_handler.uninstall()


def _boom() -> None:
    raise RuntimeError("the widget fell over")


def test_an_exception_in_a_slot_shows_the_dialog_and_the_app_goes_on(
    qtbot: QtBot,
    window: MainWindow,
    project_file: Path,
    shown: list[Shown],
    handler: CrashHandler,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    window.open_path(project_file)

    with caplog.at_level(logging.ERROR):
        QTimer.singleShot(0, _boom)
        qtbot.waitUntil(lambda: bool(shown))

    dialog = shown[0]
    assert dialog.text.endswith("RuntimeError: the widget fell over")
    assert str(tmp_path / "isms-desktop.log") in dialog.informative
    assert "Traceback" in dialog.details
    assert "_boom" in dialog.details
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)
    # Still running, project still open and readable.
    assert window.isVisible()
    assert window.project is not None
    assert summary(window.project).organisation == ORGANISATION
    assert sys.excepthook == handler.handle


def test_an_exception_in_another_thread_is_shown_in_the_gui_thread(
    qtbot: QtBot, shown: list[Shown], handler: CrashHandler
) -> None:
    worker = threading.Thread(target=_boom)
    worker.start()
    worker.join()

    qtbot.waitUntil(lambda: bool(shown))
    assert "the widget fell over" in shown[0].text


def test_an_error_while_the_dialog_is_open_does_not_stack_dialogs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    crash_handler = CrashHandler(tmp_path / "log")
    opened: list[str] = []

    def exec_raising_again(dialog: CrashDialog) -> int:
        opened.append(dialog.text())
        try:
            _boom()
        except RuntimeError:
            crash_handler.handle(*sys.exc_info())  # type: ignore[arg-type]
        return 0

    monkeypatch.setattr(CrashDialog, "exec", exec_raising_again)
    try:
        _boom()
    except RuntimeError:
        crash_handler.handle(*sys.exc_info())  # type: ignore[arg-type]

    assert len(opened) == 1


def test_ctrl_c_quits_instead_of_reporting(
    monkeypatch: pytest.MonkeyPatch, shown: list[Shown], tmp_path: Path
) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))

    CrashHandler(tmp_path / "log").handle(KeyboardInterrupt, KeyboardInterrupt(), None)

    assert quits == [True]
    assert shown == []


def test_uninstall_restores_the_previous_hook(tmp_path: Path) -> None:
    before = sys.excepthook
    crash_handler = CrashHandler(tmp_path / "log")
    crash_handler.install()
    assert sys.excepthook == crash_handler.handle

    crash_handler.uninstall()

    assert sys.excepthook is before


def test_the_summary_is_one_short_line() -> None:
    error = ValueError("first line\nsecond line " + "x" * 500)

    text = summarise(ValueError, error)

    assert text.startswith("ValueError: first line")
    assert "\n" not in text
    assert len(text) <= 200

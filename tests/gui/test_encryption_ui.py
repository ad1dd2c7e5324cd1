"""Encrypted projects in the window: the password prompt with three tries, and
File ▸ Encryption… to encrypt, change the password and remove encryption."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import Dialogs
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from isms_desktop.domain.errors import WrongPasswordError
from isms_desktop.services import backups, encryption
from isms_desktop.services.projects import create_project
from isms_desktop.storage.project_file import open_project
from isms_desktop.ui import encryption_ui, main_window
from isms_desktop.ui.encryption_ui import EncryptionDialog
from isms_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(90)
PASSWORD = "correct horse battery"


@pytest.fixture
def encrypted_file(tmp_path: Path) -> Path:
    path = tmp_path / "Secret.isms"
    create_project(path, "Secret Ltd", password=PASSWORD).close()
    return path


def _typing(monkeypatch: pytest.MonkeyPatch, answers: list[str | None]) -> list[int]:
    asked: list[int] = []

    def ask(_parent: object, _path: Path, attempt: int) -> str | None:
        asked.append(attempt)
        return answers.pop(0) if answers else None

    monkeypatch.setattr(main_window, "ask_password", ask)
    return asked


def test_the_password_is_asked_for_and_opens_the_project(
    window: MainWindow, encrypted_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _typing(monkeypatch, ["wrong one", PASSWORD])
    assert window.open_path(encrypted_file)
    assert asked == [1, 2]
    assert window.project is not None and window.project.encrypted


def test_three_wrong_passwords_give_up_with_a_message(
    window: MainWindow, encrypted_file: Path, monkeypatch: pytest.MonkeyPatch, dialogs: Dialogs
) -> None:
    asked = _typing(monkeypatch, ["a", "b", "c", "d"])
    assert not window.open_path(encrypted_file)
    assert asked == [1, 2, 3]
    assert dialogs.kinds() == ["warning"]
    assert "password" in dialogs.shown[0][2]
    assert window.project is None


def test_cancelling_the_prompt_opens_nothing(
    window: MainWindow, encrypted_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _typing(monkeypatch, [None])
    assert not window.open_path(encrypted_file)
    assert window.project is None


def test_encrypt_and_decrypt_from_the_file_menu(
    qtbot: QtBot, window: MainWindow, project_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.open_path(project_file)
    assert window.encryption_action.isEnabled()
    plan: list[tuple[str | None, str | None]] = [(None, PASSWORD), (PASSWORD, None)]

    def run(dialog: EncryptionDialog) -> int:
        current, new = plan.pop(0)
        if current is not None:
            dialog.current.setText(current)
        if new is None:
            dialog.remove_choice.setChecked(True)
        else:
            dialog.password.setText(new)
            dialog.repeat.setText(new)
        assert dialog.problem_text() == ""
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(EncryptionDialog, "exec", run)
    window.change_encryption()
    assert window.project is not None and window.project.encrypted
    assert b"SQLite format 3" not in project_file.read_bytes()[:16]
    window.change_encryption()
    assert window.project is not None and not window.project.encrypted
    assert project_file.read_bytes().startswith(b"SQLite format 3")


def test_the_dialog_checks_the_new_password(qtbot: QtBot) -> None:
    dialog = EncryptionDialog(encrypted=False)
    qtbot.addWidget(dialog)
    dialog.password.setText("short")
    dialog.repeat.setText("short")
    assert "at least" in dialog.problem_text()
    dialog.password.setText("long enough password")
    dialog.repeat.setText("long enough passwort")
    assert "differ" in dialog.problem_text()
    dialog.repeat.setText("long enough password")
    assert dialog.problem_text() == ""
    assert encryption_ui.MIN_LENGTH >= 10


def test_the_backup_on_opening_is_encrypted_too(
    qtbot: QtBot, window: MainWindow, encrypted_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _typing(monkeypatch, [PASSWORD])
    assert window.open_path(encrypted_file)
    # copied on the worker thread, from a reader unlocked with the same key
    qtbot.waitUntil(lambda: len(backups.list_backups("Secret")) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: not window.history_actions.backing_up, timeout=10_000)
    backup = backups.list_backups("Secret")[0].path
    assert b"SQLite format 3" not in backup.read_bytes()[:16]
    with pytest.raises(WrongPasswordError):
        open_project(backup, read_only=True, password="not it")
    with open_project(backup, read_only=True, password=PASSWORD) as copy:
        assert copy.encrypted


def test_a_wrong_current_password_keeps_the_project_open(
    qtbot: QtBot, window: MainWindow, encrypted_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Removing encryption with a mistyped password: said in the dialog, which stays open;
    the window did close the project first, then failed to reopen it with that password."""
    _typing(monkeypatch, [PASSWORD])
    assert window.open_path(encrypted_file)
    seen: list[str] = []

    def type_wrong_then_cancel() -> None:
        dialog = window.encryption_dialog
        assert dialog.width() >= 420
        dialog.remove_choice.setChecked(True)
        dialog.current.setText("correct horse batteyr")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        ok.click()
        seen.append(dialog.problem.text())
        assert dialog.isVisible()  # not accepted: the user can type it again
        dialog.current.setText(PASSWORD)
        assert dialog.problem_text() == ""
        dialog.reject()

    QTimer.singleShot(0, type_wrong_then_cancel)
    window.change_encryption()
    assert seen == ["That is not the current password of Secret.isms."]
    assert window.project is not None and window.project.encrypted
    assert b"SQLite format 3" not in encrypted_file.read_bytes()[:16]


def test_is_current_password_compares_with_the_open_project(
    encrypted_file: Path, project_file: Path
) -> None:
    with open_project(encrypted_file, password=PASSWORD) as project:
        assert encryption.is_current_password(project, PASSWORD)
        assert not encryption.is_current_password(project, PASSWORD + "!")
        assert not encryption.is_current_password(project, "")
    with open_project(project_file) as plain:
        assert not encryption.is_current_password(plain, PASSWORD)

"""The New Project dialog: the organisation is required, the file must be new."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from isms_desktop.ui.new_project_dialog import NewProjectDialog, file_name_for

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path) -> NewProjectDialog:
    widget = NewProjectDialog(tmp_path)
    qtbot.addWidget(widget)
    return widget


def _ok_enabled(dialog: NewProjectDialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_ok_is_disabled_until_the_organisation_is_filled(
    qtbot: QtBot, dialog: NewProjectDialog, tmp_path: Path
) -> None:
    assert not _ok_enabled(dialog)

    qtbot.keyClicks(dialog.organisation_edit, "Globex Corporation")

    assert _ok_enabled(dialog)
    assert dialog.path() == tmp_path / "Globex Corporation.isms"

    dialog.organisation_edit.setText("   ")
    assert not _ok_enabled(dialog)


def test_an_existing_file_is_refused_before_ok(dialog: NewProjectDialog, tmp_path: Path) -> None:
    (tmp_path / "Taken.isms").write_bytes(b"")
    dialog.organisation_edit.setText("Taken")

    assert not _ok_enabled(dialog)
    assert "already exists" in dialog.problem_label.text()


def test_a_chosen_file_keeps_its_name_and_gets_the_suffix(
    qtbot: QtBot, dialog: NewProjectDialog, tmp_path: Path
) -> None:
    qtbot.keyClicks(dialog.file_edit, "")
    dialog.file_edit.clear()
    qtbot.keyClicks(dialog.file_edit, str(tmp_path / "client-a"))
    dialog.organisation_edit.setText("Client A")

    assert dialog.path() == tmp_path / "client-a.isms"
    assert _ok_enabled(dialog)


def test_a_missing_folder_is_refused(dialog: NewProjectDialog, tmp_path: Path) -> None:
    dialog.organisation_edit.setText("Initech")
    dialog.file_edit.setText(str(tmp_path / "nowhere" / "Initech.isms"))

    assert not _ok_enabled(dialog)
    assert "does not exist" in dialog.problem_label.text()


def test_suggested_file_names_are_valid_everywhere() -> None:
    assert file_name_for('Smith & Sons: "North"') == "Smith & Sons North.isms"
    assert file_name_for("  ") == "ISMS.isms"

"""The window when the project file misbehaves: it goes away while open, it is on read-only
media, it is damaged. One clear message each, never a traceback, and the window stays usable.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from pytestqt.qtbot import QtBot

from isms_desktop.services.backups import make_backup
from isms_desktop.services.projects import open_project
from isms_desktop.storage import project_file as project_file_module
from isms_desktop.storage.lock import lock_path
from isms_desktop.ui import main_window as main_window_module
from isms_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(90)


def _edit_first_asset(window: MainWindow, text: str) -> bool:
    window.go_to_area("assets")
    view = window.area_tab("assets").views["assets"]  # type: ignore[attr-defined]
    model = view.model
    return bool(model.setData(model.index(0, model.column_of("name")), text))


def test_an_edit_after_the_stick_was_pulled_says_so_and_the_window_stays_usable(
    qtbot: QtBot, window: MainWindow, dialogs: Dialogs, tmp_path: Path, demo_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    path = stick / "Brightwave.isms"
    shutil.copyfile(demo_path, path)
    assert window.open_path(path)
    stick.rename(tmp_path / "pulled")  # the drive's folder is gone, with the file

    assert not _edit_first_asset(window, "Edited after the stick was pulled")

    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=5000)
    kind, _title, text = dialogs.shown[0]
    assert kind == "warning"
    assert str(path) in text and "no longer there" in text
    assert "Traceback" not in text
    window.close_project()
    assert window.project is None
    assert not stick.exists(), "nothing was written where the file was"

    # still usable: another project opens and takes edits
    other = tmp_path / "Other.isms"
    shutil.copyfile(demo_path, other)
    assert window.open_path(other)
    assert _edit_first_asset(window, "Edited elsewhere")


def test_a_project_that_cannot_be_written_where_it_is_opens_read_only_with_a_banner(
    window: MainWindow,
    dialogs: Dialogs,
    project_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # (as root, permissions stop nothing: the medium's answer is simulated; the test with a
    # read-only mount is in tests/integration/test_project_file_life.py)
    reason = "the file is write-protected, or on a read-only drive"
    monkeypatch.setattr(project_file_module, "write_refusal", lambda _p, _u=None: reason)
    monkeypatch.setattr(main_window_module, "write_refusal", lambda _p: reason)

    assert window.open_path(project_file)

    assert dialogs.shown == [], "no question, no warning: the banner says it"
    assert window.project is not None and window.project.read_only
    assert "[read-only]" in window.windowTitle()
    banner = window.read_only_banner
    assert banner.isVisibleTo(window)
    assert reason in banner.text() and "Save a Copy" in banner.text()
    assert window.history_actions.keeper is None, "no backup is written of it"
    assert not lock_path(project_file).exists()
    assert not window.import_action.isEnabled()

    window.close_project()
    monkeypatch.undo()
    assert window.open_path(project_file)
    assert not window.read_only_banner.isVisibleTo(window)


def test_a_locked_project_opened_read_only_says_who_holds_it(
    window: MainWindow, dialogs: Dialogs, project_file: Path
) -> None:
    dialogs.answer = dialogs.answer.Yes
    with open_project(project_file):
        assert window.open_path(project_file)
        assert window.project is not None and window.project.read_only
        assert "in use by" in window.read_only_banner.text()
        assert window.read_only_banner.isVisibleTo(window)


def test_a_project_on_a_read_only_mount_opens_read_only(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path, project_file: Path
) -> None:
    mount = tmp_path / "cd"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"a file system cannot be mounted here ({done.stderr.strip()})")
    try:
        shutil.copyfile(project_file, mount / "Acme.isms")
        if subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=False).returncode:
            pytest.skip("the file system cannot be remounted read-only here")

        assert window.open_path(mount / "Acme.isms")

        assert dialogs.shown == []
        assert window.project is not None and window.project.read_only
        assert "read-only drive" in window.read_only_banner.text()
        window.close_project()
        assert sorted(p.name for p in mount.iterdir()) == ["Acme.isms"]
    finally:
        window.close_project()
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_damaged_project_is_refused_and_its_backups_are_offered(
    qtbot: QtBot, window: MainWindow, dialogs: Dialogs, project_file: Path
) -> None:
    with open_project(project_file) as project:
        make_backup(project)
    with project_file.open("r+b") as handle:
        handle.truncate(project_file.stat().st_size // 2)
    dialogs.answer = dialogs.answer.Yes

    assert not window.open_path(project_file)

    assert dialogs.kinds() == ["question"]
    _kind, title, text = dialogs.shown[0]
    assert title == "Project Damaged" and "cut short" in text
    assert "Automatic backups of it were kept (1)" in text
    dialog = window.restore_dialog
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.list.topLevelItemCount() == 1
    assert window.project is None
    dialog.close()

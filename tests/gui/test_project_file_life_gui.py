"""The window when the project file misbehaves: it goes away while open, it is on read-only
media, it is damaged. One clear message each, never a traceback, and the window stays usable.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from pytestqt.qtbot import QtBot

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

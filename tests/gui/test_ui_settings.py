"""Settings: recent projects, the last project and the window layout survive a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from isms_desktop.storage.paths import settings_file
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.settings import MAX_RECENT_FILES, Settings

pytestmark = pytest.mark.timeout(60)


def test_settings_live_in_the_platform_config_folder(isolated_home: Path) -> None:
    settings = Settings()
    settings.add_recent_file(Path("/tmp/x.isms"))

    assert settings.path == settings_file()
    assert settings.path.is_relative_to(isolated_home)
    assert settings.path.is_file()


def test_recent_files_most_recent_first_without_duplicates(tmp_path: Path) -> None:
    settings = Settings()
    a, b = tmp_path / "a.isms", tmp_path / "b.isms"
    settings.add_recent_file(a)
    settings.add_recent_file(b)
    settings.add_recent_file(tmp_path / "sub" / ".." / "a.isms")

    assert Settings().recent_files() == [a, b]


def test_one_recent_file_reads_back_as_a_list(tmp_path: Path) -> None:
    Settings().add_recent_file(tmp_path / "only.isms")

    assert Settings().recent_files() == [tmp_path / "only.isms"]


def test_at_most_ten_recent_files(tmp_path: Path) -> None:
    settings = Settings()
    for number in range(MAX_RECENT_FILES + 3):
        settings.add_recent_file(tmp_path / f"p{number}.isms")

    files = Settings().recent_files()
    assert len(files) == MAX_RECENT_FILES
    assert files[0] == tmp_path / f"p{MAX_RECENT_FILES + 2}.isms"


def test_last_project_is_set_and_cleared(tmp_path: Path) -> None:
    settings = Settings()
    settings.set_last_project(tmp_path / "p.isms")
    assert Settings().last_project() == tmp_path / "p.isms"

    settings.set_last_project(None)
    assert Settings().last_project() is None


def test_window_size_is_restored(qtbot: QtBot) -> None:
    first = MainWindow(Settings())
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 590)
    qtbot.waitUntil(lambda: first.width() == 700)
    first.close()

    second = MainWindow(Settings())
    qtbot.addWidget(second)

    assert isinstance(second, QMainWindow)
    assert (second.width(), second.height()) == (700, 590)

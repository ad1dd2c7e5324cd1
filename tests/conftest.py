"""Shared fixtures: an isolated home for settings/logs, and fresh project files per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, logs and data of the application go to a temp folder, never the user's."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        folder = home / sub
        folder.mkdir(parents=True)
        monkeypatch.setenv(var, str(folder))
    return home


@pytest.fixture(scope="session")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One new project built once per session; tests get copies of it."""
    from isms_desktop.services.projects import create_project

    path = tmp_path_factory.mktemp("template") / "template.isms"
    create_project(path, "Acme Test Ltd").close()
    return path


@pytest.fixture(scope="session")
def template_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project built once per session; tests get copies of it."""
    from isms_desktop.services.demo import create_demo_project

    path = tmp_path_factory.mktemp("demo") / "demo.isms"
    create_demo_project(path).close()
    return path


@pytest.fixture
def project_path(tmp_path: Path, template_project: Path) -> Path:
    """A fresh copy of a new project in this test's temp folder."""
    target = tmp_path / "project.isms"
    shutil.copyfile(template_project, target)
    return target


@pytest.fixture
def demo_path(tmp_path: Path, template_demo: Path) -> Path:
    target = tmp_path / "demo.isms"
    shutil.copyfile(template_demo, target)
    return target


@pytest.fixture
def open_project_rw(project_path: Path) -> Iterator[object]:
    from isms_desktop.storage.project_file import open_project

    project = open_project(project_path)
    try:
        yield project
    finally:
        project.close()

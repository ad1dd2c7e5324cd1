"""Rolling backups in the data folder, and restoring one (never silently over a project)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from isms_desktop.domain.errors import CancelledError, IsmsError, LockedError, TargetExistsError
from isms_desktop.services import backups, registers
from isms_desktop.storage import project_file
from isms_desktop.storage.paths import data_dir, settings_file
from isms_desktop.storage.project_file import check_file, open_project

T0 = dt.datetime(2026, 3, 1, 9, 0, 0)


def test_a_backup_is_made_on_open_and_after_minutes_of_editing(project_path: Path) -> None:
    settings = backups.BackupSettings(keep_days=14, interval_minutes=10)
    with open_project(project_path) as project:
        keeper = backups.BackupKeeper(project, settings)
        first = keeper.opened(T0)
        assert first is not None and first.parent == data_dir() / "backups" / "project"
        assert check_file(first).ok
        assert keeper.tick(T0 + dt.timedelta(minutes=30)) is None  # nothing changed
        registers.create(project, "assets", {"name": "Safe", "type": "hardware"})
        assert keeper.tick(T0 + dt.timedelta(minutes=5)) is None  # too soon
        second = keeper.tick(T0 + dt.timedelta(minutes=11))
        assert second is not None and second != first
    listed = backups.list_backups("project")
    assert [b.path for b in listed] == [second, first]
    assert listed[0].taken_at == T0 + dt.timedelta(minutes=11)
    with open_project(second, read_only=True) as copy:
        assert "Safe" in [r.values["name"] for r in registers.list_rows(copy, "assets")]


def test_old_backups_are_pruned_but_the_newest_is_kept(project_path: Path) -> None:
    with open_project(project_path) as project:
        for days in (30, 20, 3):
            backups.make_backup(project, now=T0 - dt.timedelta(days=days))
    removed = backups.prune("project", 14, now=T0)
    assert len(removed) == 2
    assert len(backups.list_backups("project")) == 1
    assert backups.prune("project", 1, now=T0 + dt.timedelta(days=365)) == []


def test_settings_come_from_the_settings_file() -> None:
    assert backups.load_settings() == backups.BackupSettings()
    settings_file().write_text(
        "[backups]\nenabled=false\nkeep_days=3\ninterval_minutes=abc\n", encoding="utf-8"
    )
    assert backups.load_settings() == backups.BackupSettings()  # a bad value: defaults
    settings_file().write_text("[backups]\nenabled=false\nkeep_days=3\n", encoding="utf-8")
    loaded = backups.load_settings()
    assert (loaded.enabled, loaded.keep_days, loaded.interval_minutes) == (False, 3, 10)


def test_disabled_backups_write_nothing(project_path: Path) -> None:
    with open_project(project_path) as project:
        keeper = backups.BackupKeeper(project, backups.BackupSettings(enabled=False))
        assert keeper.opened(T0) is None
    assert backups.list_backups("project") == []


def test_restore_as_a_new_file_and_as_a_replacement(project_path: Path, tmp_path: Path) -> None:
    with open_project(project_path) as project:
        backup = backups.make_backup(project, now=T0)
        registers.create(project, "assets", {"name": "Added later", "type": "software"})
    new_file = tmp_path / "restored.isms"
    assert backups.restore_backup(backup, new_file) is None
    with pytest.raises(TargetExistsError):
        backups.restore_backup(backup, project_path)  # never silently
    with open_project(project_path) as project, pytest.raises(LockedError):
        backups.restore_backup(backup, project_path, replace=True)  # still open
    safety = backups.restore_backup(backup, project_path, replace=True)
    assert safety is not None and safety.exists()
    with open_project(project_path) as project:
        assert registers.count(project, "assets") == 0
    with open_project(safety, read_only=True) as before:
        assert registers.count(before, "assets") == 1
    assert check_file(new_file).ok


def test_a_damaged_backup_is_refused(project_path: Path, tmp_path: Path) -> None:
    with open_project(project_path) as project:
        backup = backups.make_backup(project, now=T0)
    data = bytearray(backup.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    backup.write_bytes(bytes(data))
    target = tmp_path / "restored.isms"
    with pytest.raises(IsmsError):
        backups.restore_backup(backup, target)
    assert not target.exists()


def test_a_copy_goes_on_while_another_connection_writes_and_can_be_stopped(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one page per step, so the copy takes many steps; between two of them the project
    # is written through another connection (as the GUI does while a backup is copied)
    monkeypatch.setattr(project_file, "COPY_STEP_PAGES", 1)
    steps = 0

    def write_once() -> bool:
        nonlocal steps
        steps += 1
        if steps == 3:
            registers.create(project, "assets", {"name": "Written mid-copy", "type": "site"})
        return False

    with open_project(project_path) as project:
        made = backups.make_backup(project, root=tmp_path / "b", now=T0, cancelled=write_once)
        assert steps > 3
        with pytest.raises(CancelledError):
            backups.make_backup(
                project, root=tmp_path / "b", now=T0 + dt.timedelta(hours=1), cancelled=lambda: True
            )
    assert check_file(made).ok
    with open_project(made, read_only=True) as copy:
        names = [r.values["name"] for r in registers.list_rows(copy, "assets")]
    assert names == ["Written mid-copy"]
    # the stopped copy left nothing: neither a backup nor its temporary file
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]

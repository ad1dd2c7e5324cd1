"""Fault injection: the disk fills up during an edit and during an export.

A tiny tmpfs is mounted (needs root; skipped with the reason otherwise) and filled up to the
last few kilobytes; the project must stay intact and the user gets one clear message.
SQLite's ``max_page_count`` gives the same "disk full" inside the database everywhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import history, registers
from isms_desktop.storage.project_file import check_file, open_project


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here ({done.stderr.strip()})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until only about ``leave`` bytes are free."""
    free = shutil.disk_usage(folder).free
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as handle:
        handle.write(b"\0" * max(0, free - leave))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_edit_on_a_full_disk_is_refused_and_the_project_stays_intact(
    small_disk: Path, project_path: Path
) -> None:
    path = small_disk / "project.isms"
    shutil.copyfile(project_path, path)
    _fill(small_disk, 8 * 1024)
    before = _digest(path)
    with open_project(path) as project:
        big = "x" * 400_000
        with pytest.raises(IsmsError, match="full") as caught:
            registers.create(
                project, "assets", {"name": "Big", "type": "software", "description": big}
            )
        assert "Traceback" not in str(caught.value)
        assert registers.count(project, "assets") == 0
    assert _digest(path) == before
    (small_disk / "filler").unlink()
    assert check_file(path).ok


def test_an_export_to_a_full_disk_gives_a_clear_message_and_leaves_nothing(
    small_disk: Path, demo_path: Path
) -> None:
    _fill(small_disk, 16 * 1024)
    target = small_disk / "log.xlsx"
    copy = small_disk / "copy.isms"
    with open_project(demo_path) as project:
        # a change log larger than the space left (a new project's log starts empty)
        for code in registers.codes(project, "risks"):  # text that compresses badly
            registers.update(project, "risks", code, "description", os.urandom(1500).hex())
        with pytest.raises(IsmsError, match=r"space|full") as caught:
            history.export_change_log(project, target)
        assert str(target) in str(caught.value)
        with pytest.raises(IsmsError, match="space"):
            project.save_copy(copy)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
    assert check_file(demo_path).ok


def test_a_database_that_may_not_grow_refuses_the_edit(project_path: Path) -> None:
    # SQLite's own limit as the fault hook: the same "disk full" on every platform.
    with open_project(project_path) as project:

        @event.listens_for(project.engine, "connect")
        def _limit(dbapi_conn: object, _record: object) -> None:
            cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
            pages = cur.execute("PRAGMA page_count").fetchone()[0]
            cur.execute(f"PRAGMA max_page_count = {pages}")
            cur.close()

        project.engine.dispose()
        with pytest.raises(IsmsError, match="full"):
            registers.create(
                project, "assets", {"name": "Big", "type": "software", "description": "y" * 200_000}
            )
    with open_project(project_path) as project:
        assert registers.count(project, "assets") == 0
    assert check_file(project_path).ok
